// Proves the redis-server fixture itself: every server kind answers, control functions act, nothing is left behind.
#include "respio_test/fixture.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace respio_test;

namespace {

bool contains(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

std::string port_text(std::uint16_t port) { return std::to_string(port); }

// redis-cli with exactly these arguments (no automatic auth/TLS), output trimmed.
std::string cli_raw(std::vector<std::string> args, std::chrono::milliseconds timeout = 5s) {
    args.insert(args.begin(), "redis-cli");
    return trim(run(args, timeout).output);
}

// Pids of the live (not zombie) children of parent that run `name`.
std::vector<pid_t> children_named(pid_t parent, const std::string& name) {
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string file = entry.path().filename();
        if (file.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string line;
        if (!std::getline(in, line)) continue;
        const auto open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        if (line.substr(open + 1, close - open - 1) != name) continue;
        std::istringstream rest(line.substr(close + 2));
        char state = 0;
        pid_t ppid = 0;
        rest >> state >> ppid;
        if (ppid == parent && state != 'Z') found.push_back(static_cast<pid_t>(std::stoi(file)));
    }
    return found;
}

// Gone, or a zombie waiting for someone else to reap it: either way not running any more.
bool dead(pid_t pid) {
    const char state = process_state(pid);
    return state == 0 || state == 'Z';
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

bool keeping_dirs() { return !env_or_empty("RESPIO_KEEP_FIXTURE_DIRS").empty(); }

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

} // namespace

// ---- standalone and auth ------------------------------------------------------------------------

TEST(standalone_fixture, answers_ping_on_ipv4_ipv6_and_unix_socket) {
    auto& s = shared_standalone();
    const auto port = port_text(s.port());
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
    EXPECT_EQ(cli_raw({"-h", "127.0.0.1", "-p", port, "PING"}), "PONG");
    EXPECT_EQ(cli_raw({"-h", "::1", "-p", port, "PING"}), "PONG");
    EXPECT_EQ(cli_raw({"-s", s.unix_socket(), "PING"}), "PONG");
    EXPECT_EQ(tcp_ping(loopback_v4, s.port()), "+PONG");
    EXPECT_EQ(tcp_ping(loopback_v6, s.port()), "+PONG");
}

TEST(standalone_fixture, runs_as_a_child_with_its_files_in_a_short_temp_dir) {
    auto& s = shared_standalone();
    EXPECT_TRUE(process_exists(s.server().pid()));
    EXPECT_EQ(s.dir().rfind("/tmp/rfx-" + std::to_string(::getpid()) + "-", 0), 0u) << s.dir();
    EXPECT_LE(s.unix_socket().size(), 107u);
    EXPECT_EQ(std::filesystem::read_symlink("/proc/" + std::to_string(s.server().pid()) + "/cwd").string(),
              s.server().dir());
    EXPECT_TRUE(contains(s.server().log_tail(), "Ready to accept connections"));
    EXPECT_LE(s.port(), 55535);
}

TEST(auth_fixture, default_user_needs_the_password) {
    auto& s = shared_auth_server();
    const auto port = port_text(s.port());
    EXPECT_TRUE(contains(cli_raw({"-h", "127.0.0.1", "-p", port, "PING"}), "NOAUTH"));
    EXPECT_EQ(tcp_ping(loopback_v4, s.port()).value_or("").rfind("-NOAUTH", 0), 0u);
    EXPECT_EQ(s.cli_output({"PING"}), "PONG"); // cli() passes the password itself
    EXPECT_EQ(s.cli_output({"ACL", "WHOAMI"}), "default");
}

TEST(auth_fixture, acl_user_works_over_ipv4_ipv6_and_unix_socket) {
    auto& s = shared_auth_server();
    ASSERT_TRUE(s.auth());
    const std::vector<std::string> login{"--user", s.auth()->user, "--pass", s.auth()->user_password, "--no-auth-warning"};
    const auto port = port_text(s.port());
    for (auto where : std::vector<std::vector<std::string>>{
             {"-h", "127.0.0.1", "-p", port}, {"-h", "::1", "-p", port}, {"-s", s.unix_socket()}}) {
        where.insert(where.end(), login.begin(), login.end());
        where.insert(where.end(), {"ACL", "WHOAMI"});
        EXPECT_EQ(cli_raw(where), "alice") << where[1];
    }
}

TEST(auth_fixture, wrong_password_gets_wrongpass) {
    auto& s = shared_auth_server();
    const auto port = port_text(s.port());
    auto r = run({"redis-cli", "-h", "127.0.0.1", "-p", port, "-e", "AUTH", "alice", "wrong"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(contains(r.output, "WRONGPASS")) << r.output;
    EXPECT_TRUE(contains(cli_raw({"-h", "127.0.0.1", "-p", port, "AUTH", "wrongpass"}), "WRONGPASS"));
}

// ---- replicas -----------------------------------------------------------------------------------

TEST(replica_fixture, replicas_report_the_primary) {
    auto& rs = shared_replica_set();
    ASSERT_EQ(rs.replica_count(), 2u);
    const auto primary_info = rs.primary().cli_output({"INFO", "replication"});
    EXPECT_EQ(info_field(primary_info, "role"), "master");
    EXPECT_EQ(info_field(primary_info, "connected_slaves"), "2");
    for (std::size_t i = 0; i < rs.replica_count(); ++i) {
        const auto info = rs.replica(i).cli_output({"INFO", "replication"});
        EXPECT_EQ(info_field(info, "role"), "slave");
        EXPECT_EQ(info_field(info, "master_host"), "127.0.0.1");
        EXPECT_EQ(info_field(info, "master_port"), port_text(rs.primary().port()));
        EXPECT_EQ(info_field(info, "master_link_status"), "up");
    }
}

TEST(replica_fixture, writes_reach_both_replicas) {
    auto& rs = shared_replica_set();
    EXPECT_EQ(rs.primary().cli_output({"SET", "fixture:replicated", "yes"}), "OK");
    // (WAIT would need the same connection as the SET; each cli() call is a new redis-cli.)
    for (std::size_t i = 0; i < rs.replica_count(); ++i)
        EXPECT_TRUE(eventually([&] { return rs.replica(i).cli_output({"GET", "fixture:replicated"}) == "yes"; }));
    EXPECT_TRUE(contains(rs.replica(0).cli({"SET", "fixture:replicated", "no"}).output, "READONLY"));
    EXPECT_EQ(rs.addresses().find(rs.primary().address()), 0u); // primary first
}

// ---- cluster ------------------------------------------------------------------------------------

TEST(cluster_fixture, cluster_covers_all_16384_slots_with_three_primaries_each_with_one_replica) {
    auto& c = shared_cluster();
    ASSERT_EQ(c.size(), 6u);
    const auto view = c.topology();
    ASSERT_EQ(view.size(), 6u);
    std::set<int> covered;
    std::size_t primaries = 0;
    for (const auto& n : view) {
        if (!n.primary) continue;
        ++primaries;
        for (const auto& r : n.slots)
            for (int slot = r.first; slot <= r.last; ++slot) EXPECT_TRUE(covered.insert(slot).second) << slot;
        std::size_t replicas = 0;
        for (const auto& m : view) replicas += m.primary_id == n.id ? 1 : 0;
        EXPECT_EQ(replicas, 1u) << n.id;
    }
    EXPECT_EQ(primaries, 3u);
    EXPECT_EQ(covered.size(), 16384u);

    const auto owners = c.primaries();
    ASSERT_EQ(owners.size(), 3u);
    for (auto p : owners) EXPECT_EQ(c.replicas_of(p).size(), 1u);
    EXPECT_EQ(c.slot_owner(0), owners.front());
    EXPECT_EQ(c.slot_owner(16383), owners.back());
}

TEST(cluster_fixture, every_node_reports_cluster_state_ok) {
    auto& c = shared_cluster();
    for (std::size_t i = 0; i < c.size(); ++i) {
        const auto info = c.node(i).cli_output({"CLUSTER", "INFO"});
        EXPECT_EQ(info_field(info, "cluster_state"), "ok") << c.node(i).name();
        EXPECT_EQ(info_field(info, "cluster_slots_assigned"), "16384");
        EXPECT_EQ(info_field(info, "cluster_known_nodes"), "6");
    }
    EXPECT_EQ(c.health_problem(), "");
}

TEST(cluster_fixture, exposes_port_pid_role_id_and_slots_of_every_node) {
    auto& c = shared_cluster();
    const auto view = c.topology();
    std::set<std::size_t> indices;
    for (const auto& n : view) {
        ASSERT_TRUE(n.index) << n.port;
        indices.insert(*n.index);
        auto& node = c.node(*n.index);
        EXPECT_EQ(n.port, node.port());
        EXPECT_EQ(n.bus_port, node.port() + 10000);
        EXPECT_EQ(n.pid, node.pid());
        EXPECT_TRUE(process_exists(n.pid));
        EXPECT_EQ(c.node_id(*n.index), n.id);
        const auto role = info_field(node.cli_output({"INFO", "replication"}), "role");
        EXPECT_EQ(role, n.primary ? "master" : "slave");
        EXPECT_EQ(n.slots.empty(), !n.primary);
    }
    EXPECT_EQ(indices.size(), 6u);

    // A key written straight to the owner of its slot needs no redirect.
    const int slot = std::stoi(c.node(0).cli_output({"CLUSTER", "KEYSLOT", "fixture:key"}));
    auto& owner = c.node(c.slot_owner(slot));
    EXPECT_EQ(owner.cli_output({"SET", "fixture:key", "v"}), "OK");
    EXPECT_EQ(c.seeds().find(c.node(0).address()), 0u);
}

// ---- TLS ----------------------------------------------------------------------------------------

TEST(tls_fixture, certificates_name_localhost_and_both_loopback_addresses) {
    auto certs = shared_certificates();
    const auto text = run({"openssl", "x509", "-in", certs->server_cert(), "-noout", "-text"}).output;
    EXPECT_TRUE(contains(text, "CN = localhost")) << text;
    EXPECT_TRUE(contains(text, "DNS:localhost"));
    EXPECT_TRUE(contains(text, "IP Address:127.0.0.1"));
    EXPECT_TRUE(contains(text, "IP Address:0:0:0:0:0:0:0:1"));
    EXPECT_TRUE(contains(text, "TLS Web Server Authentication, TLS Web Client Authentication"));
    auto verify = run({"openssl", "verify", "-CAfile", certs->ca_cert(), certs->server_cert(), certs->client_cert()});
    EXPECT_TRUE(verify.ok()) << verify.output;
    for (const auto& path : {certs->ca_cert(), certs->server_key(), certs->client_key()})
        EXPECT_TRUE(std::filesystem::exists(path)) << path;
}

TEST(tls_fixture, server_refuses_a_client_without_the_ca) {
    auto& s = shared_tls_server();
    auto r = run({"redis-cli", "-h", "127.0.0.1", "-p", port_text(s.port()), "--tls", "PING"}, 5s);
    EXPECT_FALSE(contains(r.output, "PONG")) << r.output;
    EXPECT_NE(r.exit_code, 0);
}

TEST(tls_fixture, server_refuses_a_plaintext_client) {
    auto& s = shared_tls_server();
    EXPECT_FALSE(contains(cli_raw({"-h", "127.0.0.1", "-p", port_text(s.port()), "PING"}), "PONG"));
    EXPECT_NE(tcp_ping(loopback_v4, s.port()), "+PONG");
}

TEST(tls_fixture, server_without_client_auth_accepts_a_client_with_only_the_ca) {
    auto& s = shared_tls_server();
    const auto ca = s.certs()->ca_cert();
    EXPECT_EQ(cli_raw({"-h", "127.0.0.1", "-p", port_text(s.port()), "--tls", "--cacert", ca, "PING"}), "PONG");
    EXPECT_EQ(cli_raw({"-h", "::1", "-p", port_text(s.port()), "--tls", "--cacert", ca, "PING"}), "PONG");
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
}

TEST(tls_fixture, mutual_server_refuses_a_client_without_a_certificate) {
    auto& s = shared_mutual_tls_server();
    auto r = run({"redis-cli", "-h", "127.0.0.1", "-p", port_text(s.port()), "--tls", "--cacert", s.certs()->ca_cert(),
                  "PING"},
                 5s);
    EXPECT_FALSE(contains(r.output, "PONG")) << r.output;
}

TEST(tls_fixture, mutual_server_accepts_a_client_with_certificates) {
    auto& s = shared_mutual_tls_server();
    const auto& c = *s.certs();
    EXPECT_EQ(cli_raw({"-h", "127.0.0.1", "-p", port_text(s.port()), "--tls", "--cacert", c.ca_cert(), "--cert",
                       c.client_cert(), "--key", c.client_key(), "PING"}),
              "PONG");
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
    EXPECT_EQ(cli_raw({"-s", s.unix_socket(), "PING"}), "PONG"); // the unix socket stays plaintext
}

TEST(tls_fixture, tls_cluster_covers_all_slots_and_answers_only_over_tls) {
    auto& c = shared_tls_cluster();
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c.health_problem(), "");
    const auto view = c.topology();
    std::size_t slots = 0;
    for (const auto& n : view) {
        ASSERT_TRUE(n.index);
        EXPECT_TRUE(n.primary);
        slots += n.slot_count();
    }
    EXPECT_EQ(slots, 16384u);
    for (std::size_t i = 0; i < c.size(); ++i) {
        EXPECT_EQ(c.node(i).cli_output({"PING"}), "PONG");
        EXPECT_NE(tcp_ping(loopback_v4, c.node(i).port()), "+PONG");
    }
}

// ---- process control ----------------------------------------------------------------------------

TEST(control_fixture, stopped_server_does_not_answer_until_continued) {
    standalone_server s;
    auto& node = s.server();
    node.stop();
    EXPECT_TRUE(node.stopped());
    EXPECT_EQ(process_state(node.pid()), 'T');
    EXPECT_TRUE(port_accepts(loopback_v4, s.port())); // the kernel still completes the handshake
    EXPECT_EQ(tcp_ping(loopback_v4, s.port(), 300ms), std::nullopt);
    const auto started = std::chrono::steady_clock::now();
    auto r = s.cli({"PING"}, 300ms);
    EXPECT_TRUE(r.timed_out);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    node.cont();
    EXPECT_FALSE(node.stopped());
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
}

TEST(control_fixture, killed_server_is_reaped_and_its_port_refuses) {
    standalone_server s;
    auto& node = s.server();
    const pid_t pid = node.pid();
    node.kill();
    EXPECT_FALSE(node.running());
    EXPECT_FALSE(process_exists(pid)); // reaped by us: no zombie left
    EXPECT_FALSE(port_accepts(loopback_v4, s.port()));
    EXPECT_FALSE(port_accepts(loopback_v6, s.port()));
    EXPECT_FALSE(run({"redis-cli", "-s", s.unix_socket(), "PING"}).output.find("PONG") != std::string::npos);
}

TEST(control_fixture, restarted_server_answers_on_the_same_port_with_a_new_pid) {
    standalone_server s;
    auto& node = s.server();
    const auto port = node.port();
    const pid_t first = node.pid();
    EXPECT_EQ(s.cli_output({"SET", "k", "v"}), "OK");
    node.kill();
    node.restart();
    EXPECT_EQ(node.port(), port);
    EXPECT_NE(node.pid(), first);
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
    EXPECT_EQ(s.cli_output({"GET", "k"}), ""); // --save '': nothing survives a restart
    EXPECT_EQ(cli_raw({"-s", s.unix_socket(), "PING"}), "PONG");

    // A running server is terminated first.
    const pid_t second = node.pid();
    node.restart();
    EXPECT_FALSE(process_exists(second));
    EXPECT_EQ(node.port(), port);
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
    EXPECT_EQ(node.started_pids().size(), 3u);
}

TEST(control_fixture, a_taken_port_is_replaced_by_a_free_one) {
    const auto wanted = pick_free_port();
    // Occupy it the way another program would.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(wanted);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(fd, 1), 0);

    standalone_server::options o;
    o.port = wanted;
    standalone_server s(std::move(o));
    ::close(fd);
    EXPECT_NE(s.port(), wanted);
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
    EXPECT_EQ(s.server().started_pids().size(), 2u);
    EXPECT_TRUE(contains(s.server().log_tail(), "already in use"));
}

TEST(control_fixture, restarted_cluster_node_rejoins_with_its_node_id) {
    cluster::options o;
    o.node_timeout_ms = 1000; // a quicker failover below
    auto c = std::make_unique<cluster>(std::move(o));
    const auto primaries = c->primaries();
    ASSERT_EQ(primaries.size(), 3u);

    // A replica: killed, then back from its nodes.conf.
    const auto replica = c->replicas_of(primaries[0]).at(0);
    const auto replica_id = c->node_id(replica);
    c->node(replica).kill();
    EXPECT_FALSE(port_accepts(loopback_v4, c->node(replica).port()));
    EXPECT_THROW(c->wait_healthy(1s), std::runtime_error); // a killed node does not come back by waiting
    c->node(replica).restart();
    EXPECT_EQ(c->node_id(replica), replica_id);
    c->wait_healthy();

    // A primary, restarted gracefully: it keeps its id and is connected again.
    const auto primary = primaries[1];
    const auto primary_id = c->node_id(primary);
    c->node(primary).restart();
    EXPECT_EQ(c->node_id(primary), primary_id);
    c->wait_healthy();
    bool seen = false;
    for (const auto& n : c->topology()) {
        if (n.id != primary_id) continue;
        seen = true;
        EXPECT_TRUE(n.connected);
        EXPECT_EQ(n.index, primary);
        EXPECT_EQ(n.pid, c->node(primary).pid());
    }
    EXPECT_TRUE(seen);

    // A primary killed for good: its replica takes over its slots; restarted, it rejoins as a replica.
    const auto victim = c->slot_owner(0);
    const auto heir = c->replicas_of(victim).at(0);
    c->node(victim).kill();
    EXPECT_NE(c->serving_problem(), ""); // nobody serves slot 0 yet
    c->wait_serving();
    EXPECT_EQ(c->slot_owner(0), heir);
    c->node(victim).restart();
    c->wait_healthy();
    EXPECT_EQ(info_field(c->node(victim).cli_output({"INFO", "replication"}), "role"), "slave");
    EXPECT_EQ(c->replicas_of(heir), std::vector<std::size_t>{victim});

    // Teardown of a whole cluster: every pid it ever had is gone, and so is its dir.
    const auto pids = c->started_pids();
    EXPECT_EQ(pids.size(), 9u);
    const auto dir = c->dir();
    c.reset();
    for (pid_t pid : pids) EXPECT_FALSE(process_exists(pid)) << pid;
    if (!keeping_dirs()) {
        EXPECT_FALSE(std::filesystem::exists(dir));
    }
}

TEST(control_fixture, shared_instance_repairs_a_killed_or_stopped_node) {
    auto& s = shared_standalone();
    const auto port = s.port();
    s.server().kill();
    EXPECT_EQ(&shared_standalone(), &s);
    EXPECT_EQ(s.port(), port);
    EXPECT_EQ(s.cli_output({"PING"}), "PONG");
    s.server().stop();
    shared_standalone();
    EXPECT_EQ(s.cli_output({"PING"}, 2s), "PONG");
}

TEST(control_fixture, server_started_from_a_short_lived_thread_outlives_the_thread) {
    // The parent-death signal follows the forking *thread*; the fixture forks on a thread of its own.
    std::unique_ptr<standalone_server> s;
    std::thread([&] { s = std::make_unique<standalone_server>(); }).join();
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(s->server().running());
    EXPECT_EQ(s->cli_output({"PING"}), "PONG");
}

// ---- teardown -----------------------------------------------------------------------------------

TEST(teardown_fixture, destructor_stops_every_process_and_removes_its_dir) {
    std::vector<pid_t> pids;
    std::string standalone_dir, replicas_dir;
    {
        standalone_server::options o;
        o.auth = true;
        o.tls = tls_mode::mutual;
        standalone_server s(std::move(o));
        replica_set rs;
        rs.replica(1).stop(); // a SIGSTOPped server must be stopped as well
        pids = s.started_pids();
        const auto more = rs.started_pids();
        pids.insert(pids.end(), more.begin(), more.end());
        standalone_dir = s.dir();
        replicas_dir = rs.dir();
        ASSERT_EQ(pids.size(), 4u);
        for (pid_t pid : pids) ASSERT_TRUE(process_exists(pid));
    }
    for (pid_t pid : pids) EXPECT_FALSE(process_exists(pid)) << pid;
    if (!keeping_dirs()) {
        EXPECT_FALSE(std::filesystem::exists(standalone_dir));
        EXPECT_FALSE(std::filesystem::exists(replicas_dir));
    }
}

// ---- process helpers ----------------------------------------------------------------------------

TEST(process_fixture, run_captures_output_and_status_and_kills_at_the_timeout) {
    auto r = run({"sh", "-c", "echo out; echo err >&2; exit 3"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_TRUE(contains(r.output, "out"));
    EXPECT_TRUE(contains(r.output, "err"));
    const auto started = std::chrono::steady_clock::now();
    auto slow = run({"sleep", "30"}, 200ms);
    EXPECT_TRUE(slow.timed_out);
    EXPECT_FALSE(slow.ok());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_THROW(process::spawn({"/nonexistent/respio-no-such-program"}), std::system_error);
}

TEST(process_fixture, picked_ports_are_distinct_and_leave_room_for_the_cluster_bus) {
    std::set<std::uint16_t> seen;
    for (int i = 0; i < 50; ++i) {
        const auto port = pick_free_port(true);
        EXPECT_TRUE(seen.insert(port).second);
        EXPECT_FALSE(seen.count(static_cast<std::uint16_t>(port + 10000)));
        EXPECT_LE(port, 55535);
        EXPECT_FALSE(port_accepts(loopback_v4, port, 100ms));
    }
}

// ---- respio-servers -----------------------------------------------------------------------------

TEST(servers_tool, exports_addresses_and_returns_the_command_status) {
    const std::string script =
        "redis-cli -h \"${RESPIO_STANDALONE%:*}\" -p \"${RESPIO_STANDALONE##*:}\" PING; "
        "redis-cli -s \"$RESPIO_STANDALONE_SOCKET\" PING; "
        "redis-cli -p \"${RESPIO_AUTH##*:}\" --user \"$RESPIO_AUTH_USER\" --pass \"$RESPIO_AUTH_USER_PASSWORD\" "
        "--no-auth-warning ACL WHOAMI; "
        "redis-cli -p \"${RESPIO_TLS##*:}\" --tls --cacert \"$RESPIO_TLS_CA\" ECHO ca-only; "
        "redis-cli -p \"${RESPIO_TLS##*:}\" --tls --cacert \"$RESPIO_TLS_CA\" --cert \"$RESPIO_TLS_CERT\" "
        "--key \"$RESPIO_TLS_KEY\" ECHO with-cert; "
        "exit 7";
    auto r = run({RESPIO_SERVERS_TOOL, "--standalone", "--auth", "--tls", "--", "sh", "-c", script}, 60s);
    EXPECT_EQ(r.exit_code, 7) << r.output;
    EXPECT_EQ(r.output, "PONG\nPONG\nalice\nca-only\nwith-cert\n");

    auto missing = run({RESPIO_SERVERS_TOOL, "--", "/nonexistent/respio-no-such-program"}, 30s);
    EXPECT_EQ(missing.exit_code, 127) << missing.output;
    EXPECT_EQ(run({RESPIO_SERVERS_TOOL, "--bogus"}).exit_code, 2);
}

TEST(servers_tool, stops_its_servers_on_sigterm) {
    temp_dir scratch;
    const std::string ready = scratch.path() + "/ready";
    process tool = process::spawn(
        {RESPIO_SERVERS_TOOL, "--standalone", "--", "sh", "-c",
         "echo \"$RESPIO_STANDALONE\" > '" + ready + ".tmp' && mv '" + ready + ".tmp' '" + ready + "' && exec sleep 60"},
        process::options{.log_path = scratch.path() + "/tool.log", .output_fd = -1});
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(ready); }, 30s)) << read_file(scratch.path() + "/tool.log");
    const auto servers = children_named(tool.pid(), "redis-server");
    ASSERT_EQ(servers.size(), 1u);
    const auto server_dir = std::filesystem::read_symlink("/proc/" + std::to_string(servers[0]) + "/cwd");
    const auto address = trim(read_file(ready));
    const auto port = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    EXPECT_EQ(tcp_ping(loopback_v4, port), "+PONG");

    tool.signal(SIGTERM);
    ASSERT_TRUE(tool.wait_for(15s));
    EXPECT_EQ(tool.exit_code(), 128 + SIGTERM); // sleep, the command, got the forwarded SIGTERM
    EXPECT_TRUE(dead(servers[0]));
    EXPECT_FALSE(port_accepts(loopback_v4, port));
    if (!keeping_dirs()) {
        EXPECT_FALSE(std::filesystem::exists(server_dir.parent_path()));
    }
}

TEST(servers_tool, servers_die_when_the_tool_is_killed) {
    temp_dir scratch;
    const std::string ready = scratch.path() + "/ready";
    process tool = process::spawn(
        {RESPIO_SERVERS_TOOL, "--standalone", "--", "sh", "-c", "touch '" + ready + "' && exec sleep 60"},
        process::options{.log_path = scratch.path() + "/tool.log", .output_fd = -1});
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(ready); }, 30s));
    const auto servers = children_named(tool.pid(), "redis-server");
    const auto commands = children_named(tool.pid(), "sleep");
    ASSERT_EQ(servers.size(), 1u);
    ASSERT_EQ(commands.size(), 1u);
    const auto server_dir = std::filesystem::read_symlink("/proc/" + std::to_string(servers[0]) + "/cwd");

    tool.kill(); // SIGKILL: no handler runs, only the parent-death signal can help
    EXPECT_TRUE(eventually([&] { return dead(servers[0]) && dead(commands[0]); }));
    // The tool had no chance to remove its dir: that is ours to do now.
    std::filesystem::remove_all(server_dir.parent_path());
}

// ---- the leftover check -------------------------------------------------------------------------

TEST(leftover_check, flags_a_server_that_outlived_its_owner) {
    temp_dir dir; // /tmp/rfx-<our pid>-..., so the check takes us for the owner
    const auto port = pick_free_port();
    const std::string pidfile = dir.path() + "/redis.pid";
    // Started through a shell that exits at once: the server is re-parented, as a leaked one
    // would be. `timeout` bounds its life in case this test dies before the kill below.
    auto started = run({"sh", "-c",
                        "timeout -s KILL 30 redis-server --port " + port_text(port) +
                            " --bind 127.0.0.1 --save '' --appendonly no --dir " + dir.path() + " --pidfile " +
                            pidfile + " > " + dir.path() + "/log 2>&1 < /dev/null &"});
    ASSERT_TRUE(started.ok()) << started.output;
    ASSERT_TRUE(eventually([&] { return tcp_ping(loopback_v4, port, 200ms) == "+PONG"; }));
    ASSERT_TRUE(eventually([&] { return !read_file(pidfile).empty(); }));
    const pid_t leaked = std::stoi(read_file(pidfile));

    auto check = run({"bash", RESPIO_LEFTOVER_CHECK}, 30s);
    ::kill(leaked, SIGKILL); // the pid it recorded itself; not our child, so we only wait for it to go
    EXPECT_NE(check.exit_code, 0) << check.output;
    EXPECT_TRUE(contains(check.output, "LEFTOVER: redis-server pid " + std::to_string(leaked))) << check.output;
    EXPECT_TRUE(contains(check.output, dir.path())) << check.output;

    // Our own fixture servers are in use, not leftovers.
    auto& s = shared_standalone();
    auto again = run({"bash", RESPIO_LEFTOVER_CHECK}, 30s);
    EXPECT_TRUE(contains(again.output, "in use: redis-server pid " + std::to_string(s.server().pid())))
        << again.output;
    EXPECT_TRUE(eventually([&] { return dead(leaked); }));
}
