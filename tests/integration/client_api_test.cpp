// The client's API surface against a real server: every kind of completion token (callbacks are
// in client_test.cpp), observer hooks, and how few system calls requests cost.
#include <respio/client.hpp>
#include <respio/commands.hpp>
#include <respio_test/fixture.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

using namespace respio;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {
client_config config_for(std::uint16_t port) {
    client_config c;
    c.addresses = {address{"127.0.0.1", port, ""}};
    c.request_timeout = 2000ms;
    return c;
}
} // namespace

TEST(client_api, use_future_from_another_thread) {
    auto& s = respio_test::shared_standalone();
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    {
        client c(io.get_executor(), config_for(s.port()));
        std::future<std::string> f = c.async_exec(cmd::echo("future"), asio::use_future);
        EXPECT_EQ(f.get(), "future");
        // An error arrives as an exception from get().
        auto bad = c.async_exec(raw("NOT-A-COMMAND").as<std::string>(), asio::use_future);
        EXPECT_THROW(bad.get(), boost::system::system_error);
        c.close();
    }
    guard.reset();
    runner.join();
}

TEST(client_api, yield_context_stackful_coroutines) {
    auto& s = respio_test::shared_standalone();
    asio::io_context io;
    client c(io.get_executor(), config_for(s.port()));
    std::string got;
    error_code seen;
    asio::spawn(
        io,
        [&](asio::yield_context yield) {
            got = c.async_exec(cmd::echo("stackful"), yield);
            error_code ec;
            c.async_exec(raw("NOT-A-COMMAND").as<std::string>(), yield[ec]);
            seen = ec;
            c.close();
        },
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    io.run_for(10s);
    EXPECT_EQ(got, "stackful");
    EXPECT_EQ(seen, error::server_replied_error);
}

TEST(client_api, deferred_operations_start_when_awaited) {
    auto& s = respio_test::shared_standalone();
    asio::io_context io;
    client c(io.get_executor(), config_for(s.port()));
    std::string got;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            auto op = c.async_exec(cmd::echo("deferred"), asio::deferred); // nothing sent yet
            got = co_await std::move(op)(asio::use_awaitable);
            c.close();
        },
        asio::detached);
    io.run_for(10s);
    EXPECT_EQ(got, "deferred");
}

namespace {
struct recording_observer : observer {
    std::mutex m;
    std::vector<std::string> events;
    std::size_t written = 0, read = 0;
    void on_request_start(std::string_view cmd) override { add("start " + std::string(cmd)); }
    void on_request_finish(std::string_view cmd, std::chrono::nanoseconds d, const error_code& ec) override {
        add("finish " + std::string(cmd) + (ec ? " error" : " ok") + (d.count() > 0 ? "" : " zero-duration"));
    }
    void on_connect(const address& a) override { add("connect " + std::to_string(a.port)); }
    void on_disconnect(const address&, const error_code&) override { add("disconnect"); }
    void on_bytes(std::size_t w, std::size_t r) override {
        std::lock_guard l(m);
        written += w;
        read += r;
    }
    void add(std::string e) {
        std::lock_guard l(m);
        events.push_back(std::move(e));
    }
};
} // namespace

TEST(client_api, observer_sees_requests_connections_and_bytes_but_no_arguments) {
    auto& s = respio_test::shared_standalone();
    auto obs = std::make_shared<recording_observer>();
    auto cfg = config_for(s.port());
    cfg.events = obs;
    asio::io_context io;
    {
        client c(io.get_executor(), cfg);
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                co_await c.async_exec(cmd::set("observed", "secret-value"), asio::use_awaitable);
                co_await c.async_exec(cmd::client_setname("observed"), asio::as_tuple(asio::use_awaitable));
                c.close();
            },
            asio::detached);
        io.run_for(10s);
    }
    std::lock_guard l(obs->m);
    auto has = [&](const std::string& e) { return std::find(obs->events.begin(), obs->events.end(), e) != obs->events.end(); };
    EXPECT_TRUE(has("connect " + std::to_string(s.port())));
    EXPECT_TRUE(has("start SET"));
    EXPECT_TRUE(has("finish SET ok"));
    EXPECT_TRUE(has("start CLIENT SETNAME"));
    EXPECT_GT(obs->written, 0u);
    EXPECT_GT(obs->read, 0u);
    for (const auto& e : obs->events) EXPECT_EQ(e.find("secret-value"), std::string::npos) << e;
}

// Read and write operations per request, counted by the client: about 2 with one request in
// flight, a small fraction when many requests share writes and reads. (Each operation is at least
// one system call; the event loop adds epoll calls, which benchmarks/run counts with strace.)
TEST(client_api, pipelining_cuts_reads_and_writes_per_request) {
    auto& s = respio_test::shared_standalone();
    asio::io_context io;
    client c(io.get_executor(), config_for(s.port()));
    double sequential = 0, concurrent = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await c.async_exec(cmd::ping(), asio::use_awaitable); // connected
            auto before = c.stats();
            for (int i = 0; i < 500; ++i) co_await c.async_exec(cmd::incr("syscalls"), asio::use_awaitable);
            auto after = c.stats();
            sequential = double(after.reads + after.writes - before.reads - before.writes) / 500;

            before = c.stats();
            int remaining = 64;
            auto ex = co_await asio::this_coro::executor;
            for (int w = 0; w < 64; ++w) {
                asio::co_spawn(
                    ex,
                    [&]() -> asio::awaitable<void> {
                        for (int i = 0; i < 100; ++i) co_await c.async_exec(cmd::incr("syscalls"), asio::use_awaitable);
                        --remaining;
                    },
                    asio::detached);
            }
            asio::steady_timer t(ex);
            while (remaining > 0) {
                t.expires_after(5ms);
                co_await t.async_wait(asio::use_awaitable);
            }
            after = c.stats();
            concurrent = double(after.reads + after.writes - before.reads - before.writes) / 6400;
            c.close();
        },
        asio::detached);
    io.run_for(60s);
    std::cout << "read/write operations per request: one in flight " << sequential << ", 64 in flight " << concurrent << "\n";
    EXPECT_GT(sequential, 0);
    EXPECT_LE(sequential, 2.05); // one write, one read
    EXPECT_GT(concurrent, 0);
    EXPECT_LT(concurrent, 0.2);
}
