// The standalone client under faults (reliability.md §2): killed, stopped and restarted servers,
// credentials changed under it, permission and memory errors, a stalled server with a flood of
// requests, blocking commands interrupted. Each test owns its server: nothing here is shared.
#include <respio/client.hpp>
#include <respio/commands.hpp>
#include <respio/sync_client.hpp>
#include <respio_test/client_helpers.hpp>
#include <respio_test/fixture.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace respio;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

using respio_test::pause;
using respio_test::try_exec;

client_config config_for(std::uint16_t port) {
    client_config c;
    c.addresses = {address{"127.0.0.1", port, ""}};
    c.request_timeout = 2000ms;
    c.reconnect.max_delay = 200ms; // the tests wait for reconnects: keep them quick
    return c;
}



// Runs `body(client)` as a coroutine against a fresh client (tests/support/respio_test/client_helpers.hpp).
template <class Body>
void run(client_config cfg, Body body, std::chrono::seconds limit = 90s) {
    respio_test::run_client<client>(std::move(cfg), std::move(body), limit);
}

} // namespace

// Row 1: SIGKILL mid-pipeline. Every request completes exactly once; acknowledged INCRs are durable
// (appendfsync always) and the counter never exceeds successes + "outcome unknown".
TEST(client_fault, sigkill_mid_pipeline_completes_every_request_exactly_once) {
    respio_test::standalone_server::options o;
    o.name = "sigkill";
    o.extra_args = {"--appendonly", "yes", "--appendfsync", "always"};
    respio_test::standalone_server server(o);
    constexpr int total = 4000;
    std::atomic<int> completions{0}, ok{0}, unknown{0}, not_sent{0}, other{0};
    run(config_for(server.port()), [&](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::del("counter"), asio::use_awaitable);
        for (int i = 0; i < total; ++i) {
            c.async_exec(cmd::incr("counter"), [&](error_code ec, std::int64_t) {
                ++completions;
                if (!ec) ++ok;
                else if (is_outcome_unknown(ec)) ++unknown;
                else if (is_not_sent(ec)) ++not_sent;
                else ++other;
            });
            if (i == total / 4) {
                // Let a part be answered (whatever the machine's load), then kill in the middle of
                // the rest: some answered, some written and unanswered, some never written.
                for (int w = 0; w < 2000 && ok.load() < 100; ++w) co_await pause(1ms);
                server.server().kill();
            }
        }
        for (int i = 0; i < 400 && completions < total; ++i) co_await pause(10ms);
        server.server().restart();
        for (int i = 0; i < 400 && completions < total; ++i) co_await pause(10ms);
        EXPECT_EQ(completions.load(), total);
        // After the restart the client works again.
        auto after = co_await c.async_exec(cmd::get("counter"), asio::use_awaitable);
        const long long value = after ? std::stoll(*after) : 0;
        EXPECT_GE(value, ok.load()) << "acknowledged INCRs lost";
        EXPECT_LE(value, ok.load() + unknown.load()) << "an INCR ran more often than it was sent";
    });
    EXPECT_EQ(completions.load(), total);
    EXPECT_EQ(other.load(), 0);
    EXPECT_GT(ok.load(), 0);
    EXPECT_GT(unknown.load() + not_sent.load(), 0) << "the kill did not hit the pipeline";
    std::cout << "ok " << ok << ", outcome unknown " << unknown << ", not sent " << not_sent << "\n";
}

// Row 2: SIGSTOP. Requests fail at their deadline, no reply is ever paired with the wrong request,
// and after SIGCONT the client is healthy.
TEST(client_fault, stopped_server_times_out_and_recovers_without_mismatched_replies) {
    respio_test::standalone_server::options o;
    o.name = "sigstop";
    respio_test::standalone_server server(o);
    auto cfg = config_for(server.port());
    cfg.request_timeout = 300ms;
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::echo("before"), asio::use_awaitable), "before");
        server.server().stop();
        const auto start = std::chrono::steady_clock::now();
        auto [ec, v] = co_await try_exec(c, cmd::echo("during"));
        const auto took = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(ec == error::timeout_outcome_unknown || ec == error::timeout_not_sent) << ec.message();
        EXPECT_GE(took, 290ms);
        EXPECT_LT(took, 800ms); // the deadline is kept, with a small margin
        server.server().cont();
        // Unique payloads: any reply paired with the wrong request would show.
        int mismatched = 0, failed = 0;
        for (int i = 0; i < 200; ++i) {
            const std::string payload = "after-" + std::to_string(i);
            auto [e, echoed] = co_await try_exec(c, cmd::echo(payload));
            if (e) ++failed;
            else if (echoed != payload) ++mismatched;
        }
        EXPECT_EQ(mismatched, 0);
        EXPECT_LE(failed, 2); // at most the requests racing the reconnect
        auto [e2, last] = co_await try_exec(c, cmd::echo("final"));
        EXPECT_FALSE(e2);
        EXPECT_EQ(last, "final");
    });
}

// The health check notices a silent server while the client is idle.
TEST(client_fault, health_check_detects_a_stopped_server_while_idle) {
    respio_test::standalone_server::options o;
    o.name = "health";
    respio_test::standalone_server server(o);
    auto cfg = config_for(server.port());
    cfg.health_check_interval = 200ms;
    asio::io_context io;
    client c(io.get_executor(), cfg);
    std::string pong;
    c.async_exec(cmd::ping(), [&](error_code, std::string v) { pong = v; });
    io.run_for(1s);
    ASSERT_EQ(pong, "PONG");
    const auto before = c.stats().disconnects;
    server.server().stop();
    io.run_for(1500ms); // a probe at ~200 ms, unanswered for another ~200 ms
    EXPECT_GT(c.stats().disconnects, before);
    server.server().cont();
    c.close();
    io.run_for(500ms);
}

// Rows 12 and 13: the password changes on the server; the client reports auth_failed (never a
// timeout), and recovers once given the new credentials.
TEST(client_fault, changed_password_is_an_auth_error_after_reconnect_and_rotation_recovers) {
    respio_test::standalone_server::options o;
    o.name = "rotate";
    o.auth = true;
    respio_test::standalone_server server(o);
    auto cfg = config_for(server.port());
    cfg.auth.password = server.auth()->password;
    cfg.request_timeout = 3000ms;
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
        server.cli_output({"config", "set", "requirepass", "rotated-password"});
        server.cli({"-a", "rotated-password", "client", "kill", "type", "normal"});
        co_await pause(100ms);
        const auto start = std::chrono::steady_clock::now();
        auto [ec, v] = co_await try_exec(c, cmd::ping());
        EXPECT_EQ(ec, error::auth_failed) << ec.message();
        EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
        c.set_credentials(credentials{"", "rotated-password"});
        bool recovered = false;
        for (int i = 0; i < 50 && !recovered; ++i) {
            auto [e2, p] = co_await try_exec(c, cmd::ping());
            recovered = !e2 && p == "PONG";
            if (!recovered) co_await pause(50ms);
        }
        EXPECT_TRUE(recovered);
    });
    server.cli({"-a", "rotated-password", "config", "set", "requirepass", server.auth()->password});
}

// Row 13: rotation with re-authentication of the live connection, always with the username.
TEST(client_fault, credentials_rotation_reauthenticates_live_connections_with_the_username) {
    respio_test::standalone_server::options o;
    o.name = "reauth";
    o.auth = true;
    respio_test::standalone_server server(o);
    const std::string pw = server.auth()->password;
    server.cli_output({"-a", pw, "acl", "setuser", "app", "on", ">old", ">new", "~*", "+@all"});
    auto cfg = config_for(server.port());
    cfg.auth = credentials{"app", "old"};
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::acl_whoami(), asio::use_awaitable), "app");
        c.set_credentials(credentials{"app", "new"}, true);
        co_await pause(100ms);
        server.cli_output({"-a", pw, "acl", "setuser", "app", "<old"}); // only "new" works now
        server.cli({"-a", pw, "client", "kill", "user", "app"});
        bool back = false;
        for (int i = 0; i < 60 && !back; ++i) {
            auto [e, who] = co_await try_exec(c, cmd::acl_whoami());
            back = !e && who == "app";
            if (!back) co_await pause(50ms);
        }
        EXPECT_TRUE(back) << "did not reconnect with the new password";
    });
}

// Row 14: NOPERM is the server's permission error for that request only; the connection stays up.
TEST(client_fault, noperm_is_reported_and_the_connection_stays_usable) {
    auto& server = respio_test::shared_auth_server();
    const std::string pw = server.auth()->password;
    server.cli_output({"-a", pw, "acl", "setuser", "reader", "on", ">readerpw", "~*", "+get", "+ping", "+hello",
                       "+client", "+echo"});
    auto cfg = config_for(server.port());
    cfg.auth = credentials{"reader", "readerpw"};
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        diagnostics d;
        auto [ec, v] = co_await c.async_exec(cmd::set("forbidden", "x"), request_options{}, &d,
                                              asio::as_tuple(asio::use_awaitable));
        EXPECT_EQ(ec, error::server_replied_error);
        EXPECT_EQ(classify_server_error(d.server_message), server_errc::noperm);
        EXPECT_EQ(co_await c.async_exec(cmd::echo("still-here"), asio::use_awaitable), "still-here");
    });
}

// Row 15: a restarted server (data lost) gets the session state back: database and client name.
TEST(client_fault, session_state_is_restored_after_a_server_restart) {
    respio_test::standalone_server::options o;
    o.name = "restart";
    respio_test::standalone_server server(o);
    auto cfg = config_for(server.port());
    cfg.database = 5;
    cfg.client_name = "respio-restored";
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("k", "v"), asio::use_awaitable);
        server.server().kill();
        server.server().restart();
        std::string info;
        for (int i = 0; i < 100 && info.empty(); ++i) {
            auto [e, text] = co_await try_exec(c, cmd::client_info());
            if (!e) info = text;
            else co_await pause(20ms);
        }
        EXPECT_NE(info.find("name=respio-restored"), std::string::npos) << info;
        EXPECT_NE(info.find("db=5"), std::string::npos) << info;
        auto k = co_await c.async_exec(cmd::get("k"), asio::use_awaitable);
        EXPECT_FALSE(k.has_value()); // no persistence: the client cannot know, and does not claim
    });
}

// Row 17: OOM is the server's error, typed, not retried; reads still work.
TEST(client_fault, out_of_memory_is_a_typed_server_error) {
    respio_test::standalone_server::options o;
    o.name = "oom";
    o.extra_args = {"--maxmemory", "2mb", "--maxmemory-policy", "noeviction"};
    respio_test::standalone_server server(o);
    run(config_for(server.port()), [&](client& c) -> asio::awaitable<void> {
        const std::string blob(256 * 1024, 'x');
        diagnostics d;
        error_code last;
        for (int i = 0; i < 64 && !last; ++i) {
            auto [ec, v] = co_await c.async_exec(cmd::set("blob:" + std::to_string(i), blob), request_options{}, &d,
                                                  asio::as_tuple(asio::use_awaitable));
            last = ec;
        }
        EXPECT_EQ(last, error::server_replied_error);
        EXPECT_EQ(classify_server_error(d.server_message), server_errc::oom);
        auto got = co_await c.async_exec(cmd::get("blob:0"), asio::use_awaitable);
        EXPECT_TRUE(got.has_value());
    });
}

// Row 24: backpressure while the server is paused — immediate typed rejections past the limit,
// and every accepted request completes once the server resumes.
TEST(client_fault, flood_against_a_paused_server_is_bounded_and_recovers) {
    respio_test::standalone_server::options o;
    o.name = "pause";
    respio_test::standalone_server server(o);
    auto cfg = config_for(server.port());
    cfg.max_in_flight = 100;
    cfg.request_timeout = 5000ms;
    std::atomic<int> rejected{0}, ok{0}, other{0}, completions{0};
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
        server.cli_output({"client", "pause", "1000", "all"});
        for (int i = 0; i < 1000; ++i) {
            c.async_exec(cmd::incr("flood"), [&](error_code ec, std::int64_t) {
                ++completions;
                if (ec == error::too_many_in_flight) ++rejected;
                else if (!ec) ++ok;
                else ++other;
            });
        }
        co_await pause(50ms);
        EXPECT_GE(rejected.load(), 900 - 1); // all but the first 100 at once
        for (int i = 0; i < 300 && completions < 1000; ++i) co_await pause(10ms);
        EXPECT_EQ(completions.load(), 1000);
        EXPECT_EQ(ok.load(), 1000 - rejected.load());
        EXPECT_EQ(co_await c.async_exec(cmd::get("flood"), asio::use_awaitable), std::optional<std::string>(std::to_string(ok.load())));
    });
    EXPECT_EQ(other.load(), 0);
}

// Row 25: a blocking command gets its block time on top of the request timeout; killed while
// blocked, it fails and is not sent again (the item pushed later is still there).
TEST(client_fault, blocking_command_outlives_the_request_timeout_and_is_never_replayed) {
    respio_test::standalone_server::options o;
    o.name = "blocking";
    respio_test::standalone_server server(o);
    auto cfg = config_for(server.port());
    cfg.request_timeout = 250ms;
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        std::thread pusher([&] {
            std::this_thread::sleep_for(1s);
            server.cli_output({"rpush", "jobs", "job-1"});
        });
        auto got = co_await c.async_exec(cmd::blpop("jobs", 2), asio::use_awaitable);
        pusher.join();
        EXPECT_TRUE(got.has_value());
        EXPECT_EQ(got.value_or(std::pair<std::string, std::string>{}).second, "job-1");

        // Killed during the block: an error, and no replay.
        std::thread killer([&] {
            std::this_thread::sleep_for(500ms);
            server.cli({"client", "kill", "type", "normal"});
            std::this_thread::sleep_for(300ms);
            server.cli_output({"rpush", "jobs", "job-2"});
        });
        auto [ec, v] = co_await try_exec(c, cmd::blpop("jobs", 3));
        killer.join();
        EXPECT_TRUE(is_outcome_unknown(ec)) << ec.message();
        co_await pause(300ms);
        EXPECT_EQ(server.cli_output({"lrange", "jobs", "0", "-1"}), "job-2");
    });
}

// Promise 7: the password appears in no log line, whatever goes wrong.
TEST(client_fault, logs_never_contain_the_password) {
    auto& server = respio_test::shared_auth_server();
    std::mutex m;
    std::string captured;
    auto capture = [&](log_level, std::string_view line) {
        std::lock_guard lock(m);
        captured.append(line).push_back('\n');
    };
    for (const std::string secret : {"Zq9-wrong-secret-1", "Zq9-wrong-secret-2"}) {
        auto cfg = config_for(server.port());
        cfg.auth = credentials{secret == "Zq9-wrong-secret-1" ? "" : "alice", secret};
        cfg.logger = capture;
        cfg.log_threshold = log_level::debug;
        cfg.protocol = secret == "Zq9-wrong-secret-1" ? protocol_version::resp3 : protocol_version::resp2;
        run(cfg, [&](client& c) -> asio::awaitable<void> {
            auto [ec, v] = co_await try_exec(c, cmd::ping());
            EXPECT_EQ(ec, error::auth_failed);
            co_await pause(200ms); // a few reconnect attempts, each logged
        });
    }
    std::lock_guard lock(m);
    EXPECT_FALSE(captured.empty());
    EXPECT_EQ(captured.find("Zq9-wrong-secret"), std::string::npos) << captured;
}

// Row 23: failover in a primary + replica setup. After the roles swap, writes that reach the old
// primary get READONLY; the client asks every server its role and sends them to the new primary,
// within their deadline.
TEST(client_fault, writes_follow_a_failover_between_primary_and_replica) {
    respio_test::replica_set::options o;
    o.replicas = 1;
    respio_test::replica_set rs(o);
    client_config cfg = config_for(rs.primary().port());
    cfg.addresses = {address{"127.0.0.1", rs.primary().port(), ""}, address{"127.0.0.1", rs.replica(0).port(), ""}};
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("failover", "before"), asio::use_awaitable);
        // Swap the roles.
        rs.replica(0).cli_output({"replicaof", "no", "one"});
        rs.primary().cli_output({"replicaof", "127.0.0.1", std::to_string(rs.replica(0).port())});
        int ok = 0, failed = 0;
        for (int i = 0; i < 20; ++i) {
            auto [ec, v] = co_await try_exec(c, cmd::set("failover", "after-" + std::to_string(i)));
            if (ec) ++failed;
            else ++ok;
        }
        EXPECT_EQ(failed, 0);
        EXPECT_EQ(ok, 20);
        EXPECT_EQ(rs.replica(0).cli_output({"get", "failover"}), "after-19"); // the new primary has them
    });
}

// Reads spread to replicas with prefer_replica: a marker written on the replica itself (made
// writable for the test) is only visible through a replica.
TEST(client_fault, prefer_replica_sends_reads_to_a_replica_and_writes_to_the_primary) {
    respio_test::replica_set::options o;
    o.replicas = 1;
    respio_test::replica_set rs(o);
    rs.replica(0).cli_output({"config", "set", "replica-read-only", "no"});
    rs.replica(0).cli_output({"set", "only-on-replica", "yes"});
    client_config cfg = config_for(rs.primary().port());
    cfg.addresses = {address{"127.0.0.1", rs.primary().port(), ""}, address{"127.0.0.1", rs.replica(0).port(), ""}};
    cfg.reads = read_from::prefer_replica;
    run(cfg, [&](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("written", "on-primary"), asio::use_awaitable);
        EXPECT_EQ(rs.primary().cli_output({"get", "written"}), "on-primary");
        std::optional<std::string> marker;
        for (int i = 0; i < 50 && !marker; ++i) { // until the client knows the roles
            marker = co_await c.async_exec(cmd::get("only-on-replica"), asio::use_awaitable);
            if (!marker) co_await pause(20ms);
        }
        EXPECT_EQ(marker, std::optional<std::string>("yes"));
    });
}
