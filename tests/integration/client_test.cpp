// The standalone client against real servers: every transport (TCP v4/v6, TLS with and without a
// client certificate, unix socket), requirepass and ACL users, databases, client names, RESP2 and
// RESP3, key prefixes, timeouts, cancellation, limits, and many concurrent requests.
#include <respio/client.hpp>
#include <respio/commands.hpp>
#include <respio/sync_client.hpp>
#include <respio_test/client_helpers.hpp>
#include <respio_test/fixture.hpp>
#include <respio_test/process.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>

using namespace respio;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

using respio_test::pause;
using respio_test::try_exec;

// Runs `body(client)` as a coroutine against a fresh client (tests/support/respio_test/client_helpers.hpp).
template <class Body>
void with_client(client_config cfg, Body body, std::chrono::seconds limit = 60s) {
    respio_test::run_client<client>(std::move(cfg), std::move(body), limit);
}

client_config config_for(std::uint16_t port) {
    client_config c;
    c.addresses = {address{"127.0.0.1", port, ""}};
    c.request_timeout = 2000ms; // generous: CI machines are shared and slow
    return c;
}


} // namespace

//
// Transports and authentication
//

TEST(client, set_and_get_over_tcp_v4) {
    auto& s = respio_test::shared_standalone();
    with_client(config_for(s.port()), [](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("client:v4", "value"), asio::use_awaitable);
        auto v = co_await c.async_exec(cmd::get("client:v4"), asio::use_awaitable);
        EXPECT_EQ(v, std::optional<std::string>("value"));
        auto missing = co_await c.async_exec(cmd::get("client:missing"), asio::use_awaitable);
        EXPECT_FALSE(missing.has_value());
    });
}

TEST(client, connects_over_ipv6_loopback) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.addresses[0].host = "::1";
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        auto pong = co_await c.async_exec(cmd::ping(), asio::use_awaitable);
        EXPECT_EQ(pong, "PONG");
    });
}

TEST(client, resolves_a_hostname) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.addresses[0].host = "localhost"; // resolved on every (re)connect, never cached
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::echo("by name"), asio::use_awaitable), "by name");
    });
}

TEST(client, connects_through_a_unix_socket_with_a_password) {
    auto& s = respio_test::shared_auth_server();
    client_config cfg = config_for(0);
    cfg.addresses = {address{"", 0, s.unix_socket()}};
    cfg.auth.password = s.auth()->password;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        auto who = co_await c.async_exec(cmd::acl_whoami(), asio::use_awaitable);
        EXPECT_EQ(who, "default");
    });
}

TEST(client, authenticates_as_an_acl_user) {
    auto& s = respio_test::shared_auth_server();
    auto cfg = config_for(s.port());
    cfg.auth = credentials{s.auth()->user, s.auth()->user_password};
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        auto who = co_await c.async_exec(cmd::acl_whoami(), asio::use_awaitable);
        EXPECT_EQ(who, "alice");
    });
}

TEST(client, wrong_password_is_an_auth_error_not_a_timeout) {
    auto& s = respio_test::shared_auth_server();
    auto cfg = config_for(s.port());
    cfg.auth.password = "not-the-password";
    cfg.request_timeout = 5000ms;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        auto [ec, v] = co_await try_exec(c, cmd::ping());
        EXPECT_EQ(ec, error::auth_failed);
        EXPECT_TRUE(is_not_sent(ec));
        // Failing fast: well before the 5 s request timeout.
        EXPECT_LT(std::chrono::steady_clock::now() - start, 4000ms);
        // Later requests fail at once too, and the client does not spin: few attempts per second.
        auto [ec2, v2] = co_await try_exec(c, cmd::ping());
        EXPECT_EQ(ec2, error::auth_failed);
    });
}

TEST(client, missing_password_is_an_auth_error) {
    auto& s = respio_test::shared_auth_server();
    with_client(config_for(s.port()), [](client& c) -> asio::awaitable<void> {
        auto [ec, v] = co_await try_exec(c, cmd::ping());
        EXPECT_EQ(ec, error::auth_failed);
    });
}

TEST(client, tls_with_server_verification) {
    auto& s = respio_test::shared_tls_server();
    auto cfg = config_for(s.port());
    cfg.tls.enabled = true;
    cfg.tls.ca_file = s.certs()->ca_cert();
    cfg.tls.server_name = "localhost";
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("client:tls", "secure"), asio::use_awaitable);
        EXPECT_EQ(co_await c.async_exec(cmd::get("client:tls"), asio::use_awaitable), std::optional<std::string>("secure"));
    });
}

TEST(client, tls_to_an_ip_literal_matches_the_ip_san) {
    auto& s = respio_test::shared_tls_server();
    auto cfg = config_for(s.port()); // 127.0.0.1, no server_name: verified against IP:127.0.0.1
    cfg.tls.enabled = true;
    cfg.tls.ca_file = s.certs()->ca_cert();
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
    });
}

TEST(client, tls_with_a_ca_given_in_memory_and_tls_1_3_required) {
    auto& s = respio_test::shared_tls_server();
    std::ifstream f(s.certs()->ca_cert());
    std::string pem((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    ASSERT_NE(pem.find("BEGIN CERTIFICATE"), std::string::npos);
    auto cfg = config_for(s.port());
    cfg.tls.enabled = true;
    cfg.tls.ca_pem = pem;
    cfg.tls.server_name = "localhost";
    cfg.tls.min_version = tls_options::version::tls1_3;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
    });
}

TEST(client, tls_with_a_ca_directory) {
    auto& s = respio_test::shared_tls_server();
    // A CA directory holds certificates under their subject hash (what `openssl rehash` makes).
    respio_test::temp_dir dir;
    auto hash = respio_test::run({"openssl", "x509", "-hash", "-noout", "-in", s.certs()->ca_cert()});
    ASSERT_EQ(hash.exit_code, 0);
    std::string name = hash.output.substr(0, hash.output.find_first_of("\r\n")) + ".0";
    std::ifstream in(s.certs()->ca_cert(), std::ios::binary);
    std::ofstream out(dir.path() + "/" + name, std::ios::binary);
    out << in.rdbuf();
    out.close();
    auto cfg = config_for(s.port());
    cfg.tls.enabled = true;
    cfg.tls.ca_dir = dir.path();
    cfg.tls.server_name = "localhost";
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
    });
}

TEST(client, mutual_tls_with_a_client_certificate) {
    auto& s = respio_test::shared_mutual_tls_server();
    auto cfg = config_for(s.port());
    cfg.tls.enabled = true;
    cfg.tls.ca_file = s.certs()->ca_cert();
    cfg.tls.cert_file = s.certs()->client_cert();
    cfg.tls.key_file = s.certs()->client_key();
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
    });
}

TEST(client, tls_failures_are_tls_errors) {
    auto& s = respio_test::shared_tls_server();
    {
        auto cfg = config_for(s.port()); // the system CAs do not know the fixture's CA
        cfg.tls.enabled = true;
        with_client(cfg, [](client& c) -> asio::awaitable<void> {
            auto [ec, v] = co_await try_exec(c, cmd::ping());
            EXPECT_EQ(ec, error::tls_failed);
        });
    }
    {
        auto cfg = config_for(s.port()); // right CA, wrong name
        cfg.tls.enabled = true;
        cfg.tls.ca_file = s.certs()->ca_cert();
        cfg.tls.server_name = "not-the-server.example";
        with_client(cfg, [](client& c) -> asio::awaitable<void> {
            auto [ec, v] = co_await try_exec(c, cmd::ping());
            EXPECT_EQ(ec, error::tls_failed);
        });
    }
    {
        auto& m = respio_test::shared_mutual_tls_server(); // client certificate required, none given
        auto cfg = config_for(m.port());
        cfg.tls.enabled = true;
        cfg.tls.ca_file = m.certs()->ca_cert();
        with_client(cfg, [](client& c) -> asio::awaitable<void> {
            auto [ec, v] = co_await try_exec(c, cmd::ping());
            EXPECT_TRUE(ec == error::tls_failed || is_not_sent(ec) || is_outcome_unknown(ec)) << ec.message();
            EXPECT_TRUE(ec);
        });
    }
}

TEST(client, tls_to_a_plaintext_port_fails_within_the_connect_timeout) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.tls.enabled = true;
    cfg.tls.insecure_skip_verification_for_testing_only = true;
    cfg.connect_timeout = 500ms;
    cfg.request_timeout = 1500ms;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        auto [ec, v] = co_await try_exec(c, cmd::ping());
        EXPECT_TRUE(ec);
        EXPECT_TRUE(is_not_sent(ec)) << ec.message();
        EXPECT_LT(std::chrono::steady_clock::now() - start, 1800ms); // never hangs past the deadline
    });
}

//
// Session state
//

TEST(client, selects_the_configured_database) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.database = 3;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("client:db3", "three"), asio::use_awaitable);
    });
    // Visible in db 3 only.
    EXPECT_EQ(s.cli_output({"-n", "3", "get", "client:db3"}), "three");
    EXPECT_EQ(s.cli_output({"-n", "0", "exists", "client:db3"}), "0");
}

TEST(client, client_name_is_visible_in_client_list) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.client_name = "respio-named";
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        auto list = co_await c.async_exec(cmd::client_list(), asio::use_awaitable);
        EXPECT_NE(list.find("name=respio-named"), std::string::npos);

    });
}

TEST(client, speaks_resp3_by_default_and_resp2_when_asked) {
    auto& s = respio_test::shared_standalone();
    for (auto proto : {protocol_version::resp3_or_resp2, protocol_version::resp2, protocol_version::resp3}) {
        auto cfg = config_for(s.port());
        cfg.protocol = proto;
        cfg.client_name = "respio-proto";
        with_client(cfg, [proto](client& c) -> asio::awaitable<void> {
            auto info = co_await c.async_exec(cmd::client_info(), asio::use_awaitable);
            const bool resp3 = info.find("resp=3") != std::string::npos;
            EXPECT_EQ(resp3, proto != protocol_version::resp2) << info;
            // Typed results read the same either way.
            co_await c.async_exec(cmd::hset("client:proto", "f", "v"), asio::use_awaitable);
            auto all = co_await c.async_exec(cmd::hgetall("client:proto"), asio::use_awaitable);
            EXPECT_EQ(all.at("f"), "v");
        });
    }
}

TEST(client, key_prefix_applies_to_keys_only) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.key_prefix = "app1:";
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::mset("pk1", "v1", "pk2", "v2"), asio::use_awaitable);
        auto both = co_await c.async_exec(cmd::mget("pk1", "pk2"), asio::use_awaitable);
        EXPECT_EQ(both.at(1), std::optional<std::string>("v2"));
    });
    EXPECT_EQ(s.cli_output({"get", "app1:pk1"}), "v1");
    EXPECT_EQ(s.cli_output({"exists", "pk1"}), "0");
}

TEST(client, key_prefix_comes_off_key_names_in_replies) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.key_prefix = "app2:";
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::mset("names:a", "1", "names:b", "2"), asio::use_awaitable);
        auto keys = co_await c.async_exec(cmd::keys("names:*"), asio::use_awaitable);
        std::sort(keys.begin(), keys.end());
        EXPECT_EQ(keys, (std::vector<std::string>{"names:a", "names:b"}));
        auto scanned = co_await c.async_exec(cmd::scan(0, opt::count(1000)), asio::use_awaitable);
        for (const auto& k : scanned.second) EXPECT_EQ(k.rfind("app2:", 0), std::string::npos) << k;
        co_await c.async_exec(cmd::rpush("names:list", "x"), asio::use_awaitable);
        auto popped = co_await c.async_exec(cmd::blpop("names:list", 1), asio::use_awaitable);
        EXPECT_EQ(popped.value_or(std::pair<std::string, std::string>{}).first, "names:list");
    });
}

//
// Errors, timeouts, cancellation, limits
//

TEST(client, server_errors_keep_their_text) {
    auto& s = respio_test::shared_standalone();
    with_client(config_for(s.port()), [](client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("client:str", "x"), asio::use_awaitable);
        diagnostics d;
        auto [ec, v] = co_await try_exec(c, cmd::lpush("client:str", "a"), {}, &d);
        EXPECT_EQ(ec, error::server_replied_error);
        EXPECT_EQ(classify_server_error(d.server_message), server_errc::wrongtype);
        // As result<T>, the error is a value.
        auto r = co_await c.async_exec(cmd::lpush("client:str", "a").as<result<std::int64_t>>(), asio::use_awaitable);
        EXPECT_TRUE(r.has_error());
        EXPECT_EQ(r.error().code(), "WRONGTYPE");
        // The connection is fine afterwards.
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
    });
}

TEST(client, a_written_request_that_times_out_reports_outcome_unknown_and_the_client_recovers) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.request_timeout = 2000ms;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        request_options fast;
        fast.timeout = 200ms;
        const auto start = std::chrono::steady_clock::now();
        auto [ec, v] = co_await try_exec(c, raw("DEBUG", "SLEEP", "1"), fast);
        EXPECT_EQ(ec, error::timeout_outcome_unknown);
        EXPECT_TRUE(is_outcome_unknown(ec));
        const auto took = std::chrono::steady_clock::now() - start;
        EXPECT_GE(took, 190ms);
        EXPECT_LT(took, 900ms);
        // The late reply never reaches anyone: the next request gets its own answer.
        auto pong = co_await c.async_exec(cmd::echo("after-timeout"), asio::use_awaitable);
        EXPECT_EQ(pong, "after-timeout");
    });
}

TEST(client, cancelling_a_queued_or_written_request) {
    auto& s = respio_test::shared_standalone();
    with_client(config_for(s.port()), [](client& c) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        // A request blocked behind DEBUG SLEEP, cancelled while written.
        asio::cancellation_signal sig;
        std::promise<error_code> got;
        c.async_exec(raw("DEBUG", "SLEEP", "0.3"), [](error_code, value) {});
        c.async_exec(cmd::echo("cancel-me"),
                     asio::bind_cancellation_slot(sig.slot(), [&got](error_code ec, std::string) { got.set_value(ec); }));
        asio::steady_timer t(ex, 50ms);
        co_await t.async_wait(asio::use_awaitable);
        sig.emit(asio::cancellation_type::terminal);
        t.expires_after(500ms);
        co_await t.async_wait(asio::use_awaitable);
        auto f = got.get_future();
        EXPECT_EQ(f.wait_for(0s), std::future_status::ready);
        const error_code ec = f.wait_for(0s) == std::future_status::ready ? f.get() : error_code{};
        EXPECT_TRUE(ec == error::cancelled_outcome_unknown || ec == error::cancelled_not_sent) << ec.message();
        // Its reply was dropped: the next request pairs correctly.
        EXPECT_EQ(co_await c.async_exec(cmd::echo("next"), asio::use_awaitable), "next");
    });
}

TEST(client, in_flight_limit_fails_fast) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.max_in_flight = 4;
    with_client(cfg, [](client& c) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        std::atomic<int> too_many{0}, ok{0};
        for (int i = 0; i < 10; ++i) {
            c.async_exec(cmd::ping(), [&](error_code ec, std::string) {
                if (ec == error::too_many_in_flight) ++too_many;
                else if (!ec) ++ok;
            });
        }
        asio::steady_timer t(ex, 500ms);
        co_await t.async_wait(asio::use_awaitable);
        EXPECT_EQ(too_many + ok, 10);
        EXPECT_GE(too_many, 1);
        EXPECT_GE(ok, 4);
    });
}

TEST(client, hundred_thousand_requests_from_64_coroutines_all_complete_with_the_right_values) {
    auto& s = respio_test::shared_standalone();
    auto cfg = config_for(s.port());
    cfg.request_timeout = 10000ms;
    std::atomic<int> done{0}, wrong{0};
    with_client(cfg, [&](client& c) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        std::atomic<int> workers{0};
        for (int w = 0; w < 64; ++w) {
            ++workers;
            asio::co_spawn(
                ex,
                [&, w]() -> asio::awaitable<void> {
                    for (int i = 0; i < 100000 / 64 + 1 && done < 100000; ++i) {
                        const std::string payload = std::to_string(w) + ":" + std::to_string(i);
                        auto echoed = co_await c.async_exec(cmd::echo(payload), asio::use_awaitable);
                        if (echoed != payload) ++wrong;
                        ++done;
                    }
                    --workers;
                },
                asio::detached);
        }
        asio::steady_timer t(ex);
        while (workers > 0) {
            t.expires_after(10ms);
            co_await t.async_wait(asio::use_awaitable);
        }
    }, 120s);
    EXPECT_GE(done.load(), 100000);
    EXPECT_EQ(wrong.load(), 0);
}

TEST(client, sync_client_throws_and_reports_errors) {
    auto& s = respio_test::shared_standalone();
    sync_client c(config_for(s.port()));
    c.exec(cmd::set("client:sync", "v"));
    EXPECT_EQ(c.exec(cmd::get("client:sync")), std::optional<std::string>("v"));
    EXPECT_THROW(c.exec(cmd::lpush("client:sync", "x")), boost::system::system_error);
    error_code ec;
    c.exec(cmd::lpush("client:sync", "x"), ec);
    EXPECT_EQ(ec, error::server_replied_error);
    try {
        c.exec(cmd::lpush("client:sync", "x"));
    } catch (const boost::system::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("WRONGTYPE"), std::string::npos);
    }
}

TEST(client, invalid_configuration_names_the_field) {
    asio::io_context io;
    client_config cfg;
    cfg.auth.username = "someone"; // without a password
    try {
        client c(io.get_executor(), cfg);
        FAIL() << "accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("auth"), std::string::npos);
    }
    try {
        client c(io.get_executor(), std::string_view("redis://:s3cr3t@host:99999"));
        FAIL() << "accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("port"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("s3cr3t"), std::string::npos);
    }
}
