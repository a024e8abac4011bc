// respio-servers: starts throwaway redis-server instances, runs a command with their addresses in its environment, stops them.
//
// Usage: respio-servers [--standalone] [--auth] [--replicas] [--cluster] [--tls] [--tls-cluster]
//                       [-- COMMAND [ARGS...]]
//
// Without a server option it starts --standalone. Without COMMAND it prints the variables as
// `export` lines and waits for SIGINT or SIGTERM. The servers run as children of this program on
// free loopback ports (127.0.0.1 and ::1) with their files in /tmp/rfx-<pid>-XXXXXX; they are
// stopped and the dir removed when COMMAND ends or on SIGINT/SIGTERM (forwarded to COMMAND first),
// and they die with this program whatever kills it.
//
// Environment given to COMMAND (only the variables of the servers asked for):
//   RESPIO_STANDALONE           127.0.0.1:PORT   plain server (--standalone)
//   RESPIO_STANDALONE_SOCKET    its unix socket path
//   RESPIO_AUTH                 127.0.0.1:PORT   requirepass + ACL user (--auth)
//   RESPIO_AUTH_SOCKET          its unix socket path
//   RESPIO_AUTH_PASSWORD        the default user's password
//   RESPIO_AUTH_USER            the ACL user's name (full access)
//   RESPIO_AUTH_USER_PASSWORD   the ACL user's password
//   RESPIO_REPLICAS             127.0.0.1:P0,127.0.0.1:P1,127.0.0.1:P2   primary first, then 2 replicas (--replicas)
//   RESPIO_CLUSTER              127.0.0.1:P1,...,127.0.0.1:P6   3 primaries + 3 replicas (--cluster)
//   RESPIO_TLS                  127.0.0.1:PORT   TLS-only server, client certificate optional (--tls)
//   RESPIO_TLS_CLUSTER          127.0.0.1:P1,P2,P3 as above   TLS cluster of 3 primaries, client certificate optional (--tls-cluster)
//   RESPIO_TLS_CA               CA certificate (PEM) of the servers' certificate     (with --tls or --tls-cluster)
//   RESPIO_TLS_CERT             client certificate (PEM) signed by that CA
//   RESPIO_TLS_KEY              its private key (PEM)
//   RESPIO_TLS_SERVER_NAME      localhost: the server certificate's name (127.0.0.1 and ::1 are in it as well)
//
// Exit status: COMMAND's (128 + N when signal N ended it), 0 after a signal without COMMAND,
// 2 for a usage error, 125 when the servers could not be started, 127 when COMMAND cannot be run.
#include "respio_test/fixture.hpp"

#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

volatile sig_atomic_t received_signal = 0;
std::atomic<pid_t> command_pid{0};

// Remember the signal and pass it on to COMMAND: the servers are stopped in main, after COMMAND.
extern "C" void on_signal(int sig) {
    received_signal = sig;
    const pid_t pid = command_pid.load();
    if (pid > 0) ::kill(pid, sig);
}

int usage(const char* message) {
    std::fprintf(stderr,
                 "respio-servers: %s\n"
                 "usage: respio-servers [--standalone] [--auth] [--replicas] [--cluster] [--tls] [--tls-cluster]"
                 " [-- COMMAND [ARGS...]]\n",
                 message);
    return 2;
}

struct wanted {
    bool standalone = false, auth = false, replicas = false, cluster = false, tls = false, tls_cluster = false;
    bool any() const { return standalone || auth || replicas || cluster || tls || tls_cluster; }
};

} // namespace

int main(int argc, char** argv) {
    using namespace respio_test;
    wanted want;
    std::vector<std::string> command;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") {
            command.assign(argv + i + 1, argv + argc);
            break;
        }
        if (arg == "--standalone") want.standalone = true;
        else if (arg == "--auth") want.auth = true;
        else if (arg == "--replicas") want.replicas = true;
        else if (arg == "--cluster") want.cluster = true;
        else if (arg == "--tls") want.tls = true;
        else if (arg == "--tls-cluster") want.tls_cluster = true;
        else if (arg == "-h" || arg == "--help") {
            usage("starts redis-server instances for COMMAND (see the top of servers_main.cpp)");
            return 0;
        }
        else return usage(("unknown option " + arg).c_str());
    }
    if (!want.any()) want.standalone = true;

    // The fixture's handlers (SIGKILL every server) stay for crashes; SIGINT/SIGTERM become an
    // orderly shutdown: forward to COMMAND, wait for it, stop the servers, remove the dirs.
    install_cleanup_handlers();
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    std::vector<std::pair<std::string, std::string>> exported;
    auto put = [&](const char* name, const std::string& value) {
        ::setenv(name, value.c_str(), 1);
        exported.emplace_back(name, value);
    };
    auto interrupted = [] { return received_signal != 0; };

    try {
        std::unique_ptr<standalone_server> standalone, auth, tls;
        std::unique_ptr<replica_set> replicas;
        std::unique_ptr<cluster> plain_cluster, tls_cluster;

        if (want.standalone && !interrupted()) {
            standalone = std::make_unique<standalone_server>();
            put("RESPIO_STANDALONE", standalone->address());
            put("RESPIO_STANDALONE_SOCKET", standalone->unix_socket());
        }
        if (want.auth && !interrupted()) {
            standalone_server::options o;
            o.auth = true;
            o.name = "auth";
            auth = std::make_unique<standalone_server>(std::move(o));
            put("RESPIO_AUTH", auth->address());
            put("RESPIO_AUTH_SOCKET", auth->unix_socket());
            put("RESPIO_AUTH_PASSWORD", auth->auth()->password);
            put("RESPIO_AUTH_USER", auth->auth()->user);
            put("RESPIO_AUTH_USER_PASSWORD", auth->auth()->user_password);
        }
        if (want.replicas && !interrupted()) {
            replicas = std::make_unique<replica_set>();
            put("RESPIO_REPLICAS", replicas->addresses());
        }
        if (want.cluster && !interrupted()) {
            plain_cluster = std::make_unique<cluster>();
            put("RESPIO_CLUSTER", plain_cluster->seeds());
        }
        if ((want.tls || want.tls_cluster) && !interrupted()) {
            auto certs = shared_certificates();
            if (want.tls) {
                standalone_server::options o;
                o.tls = tls_mode::optional;
                o.certs = certs;
                o.name = "tls";
                tls = std::make_unique<standalone_server>(std::move(o));
                put("RESPIO_TLS", tls->address());
            }
            if (want.tls_cluster && !interrupted()) {
                cluster::options o;
                o.replicas_per_primary = 0;
                o.tls = tls_mode::optional;
                o.certs = certs;
                tls_cluster = std::make_unique<cluster>(std::move(o));
                put("RESPIO_TLS_CLUSTER", tls_cluster->seeds());
            }
            put("RESPIO_TLS_CA", certs->ca_cert());
            put("RESPIO_TLS_CERT", certs->client_cert());
            put("RESPIO_TLS_KEY", certs->client_key());
            put("RESPIO_TLS_SERVER_NAME", "localhost");
        }
        if (interrupted()) return 128 + received_signal;

        if (command.empty()) {
            for (const auto& [name, value] : exported) std::printf("export %s='%s'\n", name.c_str(), value.c_str());
            std::printf("# servers running; stop with Ctrl-C or SIGTERM to pid %d\n", static_cast<int>(::getpid()));
            std::fflush(stdout);
            while (!interrupted()) std::this_thread::sleep_for(100ms);
            return 0;
        }

        process child;
        try {
            child = process::spawn(command);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "respio-servers: cannot run %s: %s\n", command[0].c_str(), e.what());
            return 127;
        }
        command_pid.store(child.pid());
        if (interrupted()) child.signal(received_signal); // arrived before command_pid was set
        // Give COMMAND a few seconds to act on a forwarded signal, then stop it for good.
        std::chrono::steady_clock::time_point kill_at{};
        while (!child.wait_for(50ms)) {
            if (!interrupted()) continue;
            const auto now = std::chrono::steady_clock::now();
            if (kill_at == std::chrono::steady_clock::time_point{}) kill_at = now + 5s;
            else if (now >= kill_at) child.kill();
        }
        command_pid.store(0);
        return child.exit_code(); // the servers stop here, in the destructors
    } catch (const std::exception& e) {
        std::fprintf(stderr, "respio-servers: %s\n", e.what());
        return 125;
    }
}
