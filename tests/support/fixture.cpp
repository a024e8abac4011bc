// redis-server fixtures: temp dirs, certificates, single servers, groups (standalone, replicas, cluster), shared instances.
#include "respio_test/fixture.hpp"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace respio_test {
namespace {

using steady = std::chrono::steady_clock;

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::uintmax_t file_size_or_zero(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

std::string join(const std::vector<std::string>& words, const char* separator) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += separator;
        out += w;
    }
    return out;
}

std::size_t count_occurrences(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size()))
        ++n;
    return n;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    while (!text.empty()) {
        const auto pos = text.find(separator);
        const auto part = text.substr(0, pos);
        if (!part.empty()) parts.push_back(part);
        if (pos == std::string_view::npos) break;
        text.remove_prefix(pos + 1);
    }
    return parts;
}

int to_int(std::string_view text) {
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') throw std::runtime_error("not a number: " + std::string(text));
        value = value * 10 + (c - '0');
    }
    return value;
}

void run_checked(const std::vector<std::string>& argv) {
    auto result = run(argv, 30s);
    if (!result.ok())
        throw std::runtime_error(join(argv, " ") + " failed (" +
                                 (result.timed_out ? std::string("timeout") : std::to_string(result.exit_code)) +
                                 "):\n" + result.output);
}

const char* tls_auth_clients(tls_mode mode) {
    switch (mode) {
    case tls_mode::mutual: return "yes";
    case tls_mode::optional: return "optional";
    default: return "no";
    }
}

// Polls check() (empty string = done) until the deadline; throws with the last complaint.
template <class Check>
void poll_until(std::chrono::milliseconds timeout, const std::string& what, Check check) {
    const auto deadline = steady::now() + timeout;
    std::string problem;
    for (;;) {
        problem = check();
        if (problem.empty()) return;
        if (steady::now() >= deadline) break;
        std::this_thread::sleep_for(20ms);
    }
    throw std::runtime_error(what + " not ready after " + std::to_string(timeout.count()) + " ms: " + problem);
}

} // namespace

// ---- helpers ------------------------------------------------------------------------------------

std::string trim(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    return std::string(text);
}

std::optional<std::string> info_field(std::string_view info, std::string_view field) {
    for (auto line : split(info, '\n')) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() > field.size() && line.substr(0, field.size()) == field && line[field.size()] == ':')
            return std::string(line.substr(field.size() + 1));
    }
    return std::nullopt;
}

std::string server_program() {
    auto name = env_or_empty("RESPIO_REDIS_SERVER");
    return name.empty() ? "redis-server" : name;
}

std::string cli_program() {
    auto name = env_or_empty("RESPIO_REDIS_CLI");
    return name.empty() ? "redis-cli" : name;
}

// ---- temp_dir -----------------------------------------------------------------------------------

namespace {

// Dirs of test processes that died without cleaning up (SIGKILL, a ctest timeout) would pile up
// in /tmp. Their servers died with them (parent-death signal), so once per process the dirs whose
// owner pid no longer exists are removed, unless RESPIO_KEEP_FIXTURE_DIRS asks to keep dirs.
void remove_stale_fixture_dirs() {
    if (!env_or_empty("RESPIO_KEEP_FIXTURE_DIRS").empty()) return;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/tmp", ec)) {
        const std::string name = entry.path().filename();
        if (name.rfind("rfx-", 0) != 0) continue;
        const auto dash = name.find('-', 4);
        if (dash == std::string::npos || dash == 4) continue;
        const std::string owner = name.substr(4, dash - 4);
        if (owner.find_first_not_of("0123456789") != std::string::npos) continue;
        std::error_code ignored;
        if (!entry.is_directory(ignored) || std::filesystem::exists("/proc/" + owner, ignored)) continue;
        std::filesystem::remove_all(entry.path(), ignored);
    }
}

} // namespace

temp_dir::temp_dir() {
    static std::once_flag sweep;
    std::call_once(sweep, remove_stale_fixture_dirs);
    std::string pattern = "/tmp/rfx-" + std::to_string(::getpid()) + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = pattern;
}

temp_dir::~temp_dir() {
    if (path_.empty() || !env_or_empty("RESPIO_KEEP_FIXTURE_DIRS").empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

// ---- tls_certificates ---------------------------------------------------------------------------

tls_certificates::tls_certificates() {
    const std::string& d = dir_.path();
    ca_cert_ = d + "/ca.crt";
    ca_key_ = d + "/ca.key";
    server_cert_ = d + "/server.crt";
    server_key_ = d + "/server.key";
    client_cert_ = d + "/client.crt";
    client_key_ = d + "/client.key";

    // Our own config file, so the result does not depend on the system's openssl.cnf.
    write_file(d + "/openssl.cnf",
               "[req]\n"
               "distinguished_name = dn\n"
               "prompt = no\n"
               "[dn]\n"
               "CN = respio test CA\n"
               "[v3_ca]\n"
               "basicConstraints = critical,CA:TRUE\n"
               "keyUsage = critical,keyCertSign,cRLSign\n"
               "subjectKeyIdentifier = hash\n");
    write_file(d + "/server.ext",
               "basicConstraints = CA:FALSE\n"
               "keyUsage = critical,digitalSignature\n"
               "extendedKeyUsage = serverAuth,clientAuth\n"
               "subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1\n");
    write_file(d + "/client.ext",
               "basicConstraints = CA:FALSE\n"
               "keyUsage = critical,digitalSignature\n"
               "extendedKeyUsage = clientAuth\n");

    auto make_key = [](const std::string& path) {
        run_checked({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path});
    };
    auto make_cert = [&](const std::string& key, const std::string& subject, const std::string& ext,
                         const std::string& cert) {
        const std::string csr = cert + ".csr";
        run_checked({"openssl", "req", "-new", "-sha256", "-config", d + "/openssl.cnf", "-key", key, "-subj",
                     subject, "-out", csr});
        run_checked({"openssl", "x509", "-req", "-sha256", "-days", "3650", "-in", csr, "-CA", ca_cert_, "-CAkey",
                     ca_key_, "-CAcreateserial", "-extfile", ext, "-out", cert});
    };

    make_key(ca_key_);
    run_checked({"openssl", "req", "-x509", "-new", "-sha256", "-days", "3650", "-config", d + "/openssl.cnf",
                 "-extensions", "v3_ca", "-key", ca_key_, "-out", ca_cert_});
    make_key(server_key_);
    make_cert(server_key_, "/CN=localhost", d + "/server.ext", server_cert_);
    make_key(client_key_);
    make_cert(client_key_, "/CN=respio test client", d + "/client.ext", client_cert_);
}

// ---- redis_server -------------------------------------------------------------------------------

redis_server::redis_server(std::string base_dir, server_config config)
    : base_dir_(std::move(base_dir)), config_(std::move(config)), dir_(base_dir_ + "/" + config_.name) {
    if (config_.tls != tls_mode::off && !config_.certs)
        throw std::invalid_argument("redis_server " + config_.name + ": TLS needs certificates");
    std::filesystem::create_directories(dir_);
    if (config_.unix_socket && unix_socket().size() > 107)
        throw std::invalid_argument("unix socket path too long: " + unix_socket());
}

redis_server::~redis_server() {
    try {
        terminate();
    } catch (...) {
        // A destructor must not throw; the process destructor still SIGKILLs and reaps.
    }
}

std::string redis_server::address() const { return std::string(loopback_v4) + ":" + std::to_string(port_); }
std::string redis_server::log_path() const { return dir_ + "/redis.log"; }
std::string redis_server::unix_socket() const { return config_.unix_socket ? dir_ + "/redis.sock" : std::string(); }

std::string redis_server::log_tail(std::size_t max_bytes) const {
    std::ifstream in(log_path(), std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return all.size() > max_bytes ? all.substr(all.size() - max_bytes) : all;
}

std::vector<std::string> redis_server::server_args() const {
    const std::string port = std::to_string(port_);
    std::vector<std::string> a{server_program()};
    if (tls()) a.insert(a.end(), {"--port", "0", "--tls-port", port});
    else a.insert(a.end(), {"--port", port});
    a.insert(a.end(), {"--bind", "127.0.0.1", "-::1",      // v4 and (if present) v6 loopback
                       "--dir", dir_,                        // also the cwd: the leftover check looks there
                       "--save", "", "--appendonly", "no",   // nothing persists
                       "--daemonize", "no",                  // our child, so we know its pid and reap it
                       "--enable-debug-command", "local",    // DEBUG SLEEP / DEBUG PROTOCOL for tests
                       "--repl-diskless-sync-delay", "0"});  // replicas online in ms instead of 5 s
    if (config_.unix_socket) a.insert(a.end(), {"--unixsocket", unix_socket(), "--unixsocketperm", "700"});
    if (config_.auth) {
        const credentials& c = *config_.auth;
        a.insert(a.end(), {"--requirepass", c.password, "--masterauth", c.password,
                           // One argv word per ACL rule: a single "alice on >pw ..." word is rejected.
                           "--user", c.user, "on", ">" + c.user_password, "~*", "&*", "+@all"});
    }
    if (tls()) {
        a.insert(a.end(), {"--tls-cert-file", config_.certs->server_cert(), "--tls-key-file",
                           config_.certs->server_key(), "--tls-ca-cert-file", config_.certs->ca_cert(),
                           "--tls-auth-clients", tls_auth_clients(config_.tls), "--tls-replication", "yes"});
        if (config_.cluster) a.insert(a.end(), {"--tls-cluster", "yes"});
    }
    if (config_.cluster)
        a.insert(a.end(), {"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                           "--cluster-node-timeout", std::to_string(config_.cluster_node_timeout_ms)});
    a.insert(a.end(), config_.extra_args.begin(), config_.extra_args.end());
    return a;
}

void redis_server::launch() {
    if (process_.valid() && !process_.exited()) throw std::logic_error("redis_server::launch: " + name() + " is running");
    if (port_ == 0) port_ = config_.port != 0 ? config_.port : pick_free_port(config_.cluster);
    log_offset_ = file_size_or_zero(log_path());
    stopped_ = false;
    process_ = process::spawn(server_args(), process::options{.log_path = log_path(), .output_fd = -1});
    started_pids_.push_back(process_.pid());
}

void redis_server::wait_ready(std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    int relaunches = 0;
    for (;;) {
        if (!process_.running()) {
            std::string log = log_tail(std::size_t{1} << 24);
            log.erase(0, std::min(log_offset_, log.size()));
            // Someone took the port between our check and the server's bind: take another one.
            if (log.find("already in use") != std::string::npos && !port_fixed_ && relaunches < 10) {
                ++relaunches;
                port_ = pick_free_port(config_.cluster);
                launch();
                continue;
            }
            throw std::runtime_error("redis-server " + name() + " on port " + std::to_string(port_) + " " +
                                     process_.describe_exit() + " while starting; log:\n" + log);
        }
        if (port_accepts(loopback_v4, port_, 200ms)) {
            // Not PING: while our server is about to fail with "Address already in use", the one
            // answering may be someone else's (another test process picked the same port).
            // INFO (server + persistence sections): this very process, done loading.
            // A short timeout: a probe that hangs (a foreign listener) is simply repeated.
            auto reply = cli({"INFO"}, 1s);
            if (reply.ok() && info_field(reply.output, "process_id") == std::to_string(pid()) &&
                info_field(reply.output, "loading") == "0") {
                port_fixed_ = true;
                return;
            }
        }
        if (steady::now() >= deadline)
            throw std::runtime_error("redis-server " + name() + " on port " + std::to_string(port_) +
                                     " does not answer (INFO with its process_id); log:\n" + log_tail());
        std::this_thread::sleep_for(10ms);
    }
}

void redis_server::start() {
    launch();
    wait_ready();
}

bool redis_server::running() { return process_.running(); }

void redis_server::kill() {
    process_.kill();
    stopped_ = false;
}

void redis_server::stop() {
    if (!process_.signal(SIGSTOP)) throw std::runtime_error("redis_server::stop: " + name() + " is not running");
    stopped_ = true;
    // Delivery is asynchronous; a test that checks "no answer" right after must see it stopped.
    for (int i = 0; i < 1000 && process_state(pid()) != 'T'; ++i) std::this_thread::sleep_for(1ms);
}

void redis_server::cont() {
    process_.signal(SIGCONT);
    stopped_ = false;
    for (int i = 0; i < 1000 && process_state(pid()) == 'T'; ++i) std::this_thread::sleep_for(1ms);
}

void redis_server::restart() {
    terminate();
    launch();
    wait_ready();
}

void redis_server::terminate(std::chrono::milliseconds grace) {
    process_.terminate(grace);
    stopped_ = false;
}

void redis_server::request_termination() {
    if (!process_.running()) return;
    process_.signal(SIGTERM);
    process_.signal(SIGCONT);
}

std::vector<std::string> redis_server::cli_args() const {
    std::vector<std::string> a{cli_program(), "-h", loopback_v4, "-p", std::to_string(port_), "-e"};
    const auto more = cli_connection_args();
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

std::vector<std::string> redis_server::cli_connection_args() const {
    std::vector<std::string> a;
    if (tls())
        a.insert(a.end(), {"--tls", "--cacert", config_.certs->ca_cert(), "--cert", config_.certs->client_cert(),
                           "--key", config_.certs->client_key()});
    if (config_.auth) a.insert(a.end(), {"-a", config_.auth->password, "--no-auth-warning"});
    return a;
}

run_result redis_server::cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
    auto argv = cli_args();
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, timeout);
}

std::string redis_server::cli_output(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
    auto result = cli(args, timeout);
    if (!result.ok())
        throw std::runtime_error("redis-cli " + join(args, " ") + " against " + name() + " failed (" +
                                 (result.timed_out ? std::string("timeout") : std::to_string(result.exit_code)) +
                                 "): " + result.output);
    return trim(result.output);
}

// ---- server_group -------------------------------------------------------------------------------

server_group::~server_group() {
    try {
        terminate_all();
    } catch (...) {
        // Each redis_server's destructor still terminates its process.
    }
}

redis_server& server_group::add(server_config config) {
    servers_.push_back(std::make_unique<redis_server>(dir(), std::move(config)));
    return *servers_.back();
}

void server_group::start_all() {
    for (auto& s : servers_) s->launch();
    for (auto& s : servers_) s->wait_ready();
}

redis_server* server_group::node_by_port(std::uint16_t port) {
    for (auto& s : servers_)
        if (s->port() == port) return s.get();
    return nullptr;
}

std::vector<pid_t> server_group::started_pids() const {
    std::vector<pid_t> pids;
    for (const auto& s : servers_) pids.insert(pids.end(), s->started_pids().begin(), s->started_pids().end());
    return pids;
}

void server_group::terminate_all(std::chrono::milliseconds grace) {
    // Signal everyone first, so the shutdowns overlap instead of adding up.
    for (auto& s : servers_) s->request_termination();
    const auto deadline = steady::now() + grace;
    for (auto& s : servers_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
        s->terminate(std::max(left, std::chrono::milliseconds(0)));
    }
}

bool server_group::ensure_running() {
    bool repaired = false;
    for (auto& s : servers_) {
        if (s->stopped()) {
            s->cont();
            repaired = true;
        }
        if (!s->running()) {
            s->restart();
            repaired = true;
        }
    }
    if (repaired) wait_healthy(30s);
    return repaired;
}

void server_group::wait_healthy(std::chrono::milliseconds timeout) {
    for (auto& s : servers_) {
        // Healthy means every node: one that a test killed will not come back by waiting.
        if (!s->running()) throw std::runtime_error(s->name() + " is not running (restart() it first)");
        if (s->stopped()) throw std::runtime_error(s->name() + " is SIGSTOPped (cont() it first)");
        s->wait_ready(timeout);
    }
}

// ---- standalone_server --------------------------------------------------------------------------

standalone_server::standalone_server(options opts) {
    server_config config;
    config.name = opts.name;
    config.port = opts.port;
    config.tls = opts.tls;
    if (opts.tls != tls_mode::off) config.certs = opts.certs ? opts.certs : shared_certificates();
    if (opts.auth) config.auth = credentials{};
    config.extra_args = std::move(opts.extra_args);
    add(std::move(config));
    start_all();
}

// ---- replica_set --------------------------------------------------------------------------------

replica_set::replica_set(options opts) {
    server_config base;
    base.tls = opts.tls;
    if (opts.tls != tls_mode::off) base.certs = opts.certs ? opts.certs : shared_certificates();
    if (opts.auth) base.auth = credentials{};
    base.extra_args = opts.extra_args;

    server_config primary_config = base;
    primary_config.name = "primary";
    add(primary_config).start(); // the replicas need its port

    for (std::size_t i = 1; i <= opts.replicas; ++i) {
        server_config c = base;
        c.name = "replica" + std::to_string(i);
        c.extra_args.insert(c.extra_args.begin(), {"--replicaof", loopback_v4, std::to_string(primary().port())});
        add(std::move(c)).launch();
    }
    for (std::size_t i = 1; i < size(); ++i) node(i).wait_ready();
    wait_healthy(15s);
}

std::string replica_set::addresses() const {
    std::vector<std::string> all;
    for (std::size_t i = 0; i < size(); ++i) all.push_back(node(i).address());
    return join(all, ",");
}

void replica_set::wait_healthy(std::chrono::milliseconds timeout) {
    server_group::wait_healthy(timeout);
    poll_until(timeout, "replica set", [&]() -> std::string {
        auto info = primary().cli({"INFO", "replication"}, 2s);
        if (!info.ok()) return "primary: " + info.output;
        if (count_occurrences(info.output, "state=online") != replica_count())
            return "primary does not list every replica online:\n" + info.output;
        for (std::size_t i = 0; i < replica_count(); ++i) {
            auto r = replica(i).cli({"INFO", "replication"}, 2s);
            if (!r.ok() || info_field(r.output, "master_link_status") != "up")
                return replica(i).name() + " link not up:\n" + r.output;
        }
        return {};
    });
}

// ---- cluster ------------------------------------------------------------------------------------

std::size_t cluster_node_info::slot_count() const {
    std::size_t n = 0;
    for (const auto& r : slots) n += static_cast<std::size_t>(r.last - r.first + 1);
    return n;
}

std::vector<cluster_node_info> parse_cluster_nodes(std::string_view text) {
    std::vector<cluster_node_info> nodes;
    for (auto line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto f = split(line, ' ');
        if (f.size() < 8) continue;
        cluster_node_info n;
        n.id = std::string(f[0]);
        // ip:port@cport[,hostname]
        auto addr = f[1].substr(0, f[1].find(','));
        const auto at = addr.find('@');
        const auto hostport = addr.substr(0, at);
        const auto colon = hostport.rfind(':');
        if (colon == std::string_view::npos) continue;
        n.host = std::string(hostport.substr(0, colon));
        n.port = static_cast<std::uint16_t>(to_int(hostport.substr(colon + 1)));
        if (at != std::string_view::npos) n.bus_port = static_cast<std::uint16_t>(to_int(addr.substr(at + 1)));
        n.flags = std::string(f[2]);
        for (auto flag : split(f[2], ',')) {
            if (flag == "master") n.primary = true;
            if (flag == "fail" || flag == "fail?") n.failing = true;
        }
        if (f[3] != "-") n.primary_id = std::string(f[3]);
        n.connected = f[7] == "connected";
        for (std::size_t i = 8; i < f.size(); ++i) {
            if (f[i].front() == '[') continue; // [slot->-id] / [slot-<-id]: migration in progress
            const auto dash = f[i].find('-');
            if (dash == std::string_view::npos) {
                const int s = to_int(f[i]);
                n.slots.push_back({s, s});
            } else {
                n.slots.push_back({to_int(f[i].substr(0, dash)), to_int(f[i].substr(dash + 1))});
            }
        }
        nodes.push_back(std::move(n));
    }
    return nodes;
}

cluster::cluster(options opts) : options_(std::move(opts)) {
    if (options_.primaries < 3) throw std::invalid_argument("redis-cli --cluster create needs at least 3 primaries");
    if (options_.tls != tls_mode::off && !options_.certs) options_.certs = shared_certificates();
    const std::size_t count = options_.primaries * (1 + options_.replicas_per_primary);
    for (std::size_t i = 0; i < count; ++i) {
        server_config c;
        c.name = "node" + std::to_string(i);
        c.cluster = true;
        c.cluster_node_timeout_ms = options_.node_timeout_ms;
        c.tls = options_.tls;
        c.certs = options_.certs;
        if (options_.auth) c.auth = credentials{};
        c.extra_args = options_.extra_args;
        add(std::move(c));
    }
    start_all();

    std::vector<std::string> create{cli_program()};
    const auto node_args = node(0).cli_connection_args();
    create.insert(create.end(), node_args.begin(), node_args.end());
    create.insert(create.end(), {"--cluster", "create"});
    for (std::size_t i = 0; i < size(); ++i) create.push_back(node(i).address());
    create.insert(create.end(),
                  {"--cluster-replicas", std::to_string(options_.replicas_per_primary), "--cluster-yes"});
    run_checked(create);
    wait_healthy(options_.ready_timeout);
}

std::string cluster::seeds() const {
    std::vector<std::string> all;
    for (std::size_t i = 0; i < size(); ++i) all.push_back(node(i).address());
    return join(all, ",");
}

std::vector<cluster_node_info> cluster::topology() {
    for (std::size_t i = 0; i < size(); ++i) {
        auto& n = node(i);
        if (n.stopped() || !n.running()) continue;
        auto result = n.cli({"CLUSTER", "NODES"}, 2s);
        if (!result.ok()) continue;
        auto view = parse_cluster_nodes(result.output);
        for (auto& entry : view) {
            for (std::size_t j = 0; j < size(); ++j) {
                if (node(j).port() == entry.port) {
                    entry.index = j;
                    entry.pid = node(j).pid();
                }
            }
        }
        return view;
    }
    throw std::runtime_error("cluster::topology: no node answers CLUSTER NODES");
}

std::string cluster::node_id(std::size_t index) { return node(index).cli_output({"CLUSTER", "MYID"}); }

std::vector<std::size_t> cluster::primaries() {
    auto view = topology();
    std::vector<const cluster_node_info*> owners;
    for (const auto& n : view)
        if (n.primary && !n.slots.empty() && n.index) owners.push_back(&n);
    std::sort(owners.begin(), owners.end(),
              [](auto* a, auto* b) { return a->slots.front().first < b->slots.front().first; });
    std::vector<std::size_t> indices;
    for (auto* n : owners) indices.push_back(*n->index);
    return indices;
}

std::vector<std::size_t> cluster::replicas_of(std::size_t primary_index) {
    auto view = topology();
    std::string id;
    for (const auto& n : view)
        if (n.index == primary_index) id = n.id;
    std::vector<std::size_t> indices;
    for (const auto& n : view)
        if (!id.empty() && n.primary_id == id && n.index) indices.push_back(*n.index);
    return indices;
}

std::size_t cluster::slot_owner(int slot) {
    for (const auto& n : topology()) {
        if (!n.primary || !n.index) continue;
        for (const auto& r : n.slots)
            if (r.first <= slot && slot <= r.last) return *n.index;
    }
    throw std::runtime_error("cluster::slot_owner: nobody owns slot " + std::to_string(slot));
}

std::string cluster::health_problem() {
    const std::size_t n = size();
    std::vector<cluster_node_info> view;
    for (std::size_t i = 0; i < n; ++i) {
        auto& s = node(i);
        if (s.stopped()) return s.name() + " is stopped";
        if (!s.running()) return s.name() + " is not running";
        auto info = s.cli({"CLUSTER", "INFO"}, 2s);
        if (!info.ok()) return s.name() + ": CLUSTER INFO: " + info.output;
        if (info_field(info.output, "cluster_state") != "ok") return s.name() + " is not cluster_state:ok";
        if (info_field(info.output, "cluster_known_nodes") != std::to_string(n))
            return s.name() + " does not know every node yet";
        auto nodes = s.cli({"CLUSTER", "NODES"}, 2s);
        if (!nodes.ok()) return s.name() + ": CLUSTER NODES: " + nodes.output;
        view = parse_cluster_nodes(nodes.output);
        if (view.size() != n) return s.name() + " lists " + std::to_string(view.size()) + " nodes";
        std::vector<char> covered(cluster_slot_count, 0);
        std::size_t owners = 0;
        for (const auto& e : view) {
            if (e.failing || !e.connected || e.flags.find("handshake") != std::string::npos ||
                e.flags.find("noaddr") != std::string::npos)
                return s.name() + " sees " + e.host + ":" + std::to_string(e.port) + " as " + e.flags;
            if (!e.primary) continue;
            if (!e.slots.empty()) ++owners;
            std::size_t followers = 0;
            for (const auto& r : view) followers += r.primary_id == e.id ? 1 : 0;
            if (!e.slots.empty() && followers != options_.replicas_per_primary)
                return s.name() + " sees " + std::to_string(followers) + " replicas of " + e.id;
            for (const auto& r : e.slots)
                for (int slot = r.first; slot <= r.last; ++slot) {
                    if (slot < 0 || slot >= cluster_slot_count || covered[static_cast<std::size_t>(slot)])
                        return s.name() + " sees slot " + std::to_string(slot) + " twice";
                    covered[static_cast<std::size_t>(slot)] = 1;
                }
        }
        if (owners != options_.primaries) return s.name() + " sees " + std::to_string(owners) + " primaries";
        if (std::count(covered.begin(), covered.end(), 1) != cluster_slot_count)
            return s.name() + " sees uncovered slots";
    }
    // The gossip agrees; now the replication links themselves.
    for (const auto& e : view) {
        if (!e.primary || e.slots.empty()) continue;
        redis_server* primary = node_by_port(e.port);
        if (!primary) return "unknown primary port " + std::to_string(e.port);
        auto info = primary->cli({"INFO", "replication"}, 2s);
        if (!info.ok()) return primary->name() + ": " + info.output;
        if (count_occurrences(info.output, "state=online") != options_.replicas_per_primary)
            return primary->name() + " does not have every replica online";
    }
    return {};
}

std::string cluster::serving_problem() {
    std::size_t asked = 0;
    for (std::size_t i = 0; i < size(); ++i) {
        auto& s = node(i);
        if (s.stopped() || !s.running()) continue;
        ++asked;
        auto info = s.cli({"CLUSTER", "INFO"}, 2s);
        if (!info.ok() || info_field(info.output, "cluster_state") != "ok") return s.name() + " is not cluster_state:ok";
        auto nodes = s.cli({"CLUSTER", "NODES"}, 2s);
        if (!nodes.ok()) return s.name() + ": CLUSTER NODES: " + nodes.output;
        std::size_t served = 0;
        for (const auto& e : parse_cluster_nodes(nodes.output)) {
            if (!e.primary || e.failing || e.slots.empty()) continue;
            // Until the node timeout passes the others still count a killed primary as serving.
            redis_server* owner = node_by_port(e.port);
            if (!owner || owner->stopped() || !owner->running())
                return s.name() + " still routes slots to " + e.host + ":" + std::to_string(e.port) + ", which is down";
            served += e.slot_count();
        }
        if (served != cluster_slot_count) return s.name() + " sees " + std::to_string(served) + " slots served";
    }
    return asked == 0 ? "no node is running" : "";
}

void cluster::wait_serving(std::chrono::milliseconds timeout) {
    poll_until(timeout, "cluster (running nodes)", [&] { return serving_problem(); });
}

void cluster::wait_healthy(std::chrono::milliseconds timeout) {
    server_group::wait_healthy(timeout);
    poll_until(timeout, "cluster", [&] { return health_problem(); });
}

// ---- shared instances ---------------------------------------------------------------------------
namespace {

// One instance per call site (each lambda type instantiates its own statics), started on first
// use and destroyed with the other statics at exit, which terminates its servers.
template <class Group, class Make>
Group& shared_instance(Make make) {
    static std::mutex mutex;
    static std::unique_ptr<Group> instance;
    std::lock_guard lock(mutex);
    if (!instance) instance = make();
    else instance->ensure_running();
    return *instance;
}

} // namespace

std::shared_ptr<const tls_certificates> shared_certificates() {
    static std::mutex mutex;
    static std::shared_ptr<const tls_certificates> certs;
    std::lock_guard lock(mutex);
    if (!certs) certs = std::make_shared<const tls_certificates>();
    return certs;
}

standalone_server& shared_standalone() {
    return shared_instance<standalone_server>([] { return std::make_unique<standalone_server>(); });
}

standalone_server& shared_auth_server() {
    return shared_instance<standalone_server>([] {
        standalone_server::options o;
        o.auth = true;
        o.name = "auth";
        return std::make_unique<standalone_server>(std::move(o));
    });
}

standalone_server& shared_tls_server() {
    return shared_instance<standalone_server>([] {
        standalone_server::options o;
        o.tls = tls_mode::server_only;
        o.name = "tls";
        return std::make_unique<standalone_server>(std::move(o));
    });
}

standalone_server& shared_mutual_tls_server() {
    return shared_instance<standalone_server>([] {
        standalone_server::options o;
        o.tls = tls_mode::mutual;
        o.name = "mtls";
        return std::make_unique<standalone_server>(std::move(o));
    });
}

replica_set& shared_replica_set() {
    return shared_instance<replica_set>([] { return std::make_unique<replica_set>(); });
}

cluster& shared_cluster() {
    return shared_instance<cluster>([] { return std::make_unique<cluster>(); });
}

cluster& shared_tls_cluster() {
    return shared_instance<cluster>([] {
        cluster::options o;
        o.replicas_per_primary = 0;
        o.tls = tls_mode::mutual;
        return std::make_unique<cluster>(std::move(o));
    });
}

} // namespace respio_test
