// Helpers shared by the client tests: run a test body as a coroutine against a fresh client, wait
// on the coroutine's executor, and get async_exec's outcome as a pair instead of an exception.
#ifndef RESPIO_TESTS_SUPPORT_CLIENT_HELPERS_HPP
#define RESPIO_TESTS_SUPPORT_CLIENT_HELPERS_HPP

#include <respio/config.hpp>
#include <respio/detail/basic_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <utility>

namespace respio_test {

/// Runs `body(client)` as a coroutine on a fresh io_context with a fresh Client until it finishes
/// (at most `limit`), then closes the client. Exceptions from the body reach the test.
template <class Client, class Body>
void run_client(respio::client_config cfg, Body body, std::chrono::seconds limit) {
    boost::asio::io_context io;
    Client c(io.get_executor(), std::move(cfg));
    bool finished = false;
    std::exception_ptr failure;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            co_await body(c);
            c.close();
        },
        [&](std::exception_ptr e) {
            finished = true;
            failure = e;
        });
    io.run_for(limit);
    ASSERT_TRUE(finished) << "the test coroutine did not finish in time";
    if (failure) std::rethrow_exception(failure);
}

/// Waits on the calling coroutine's executor.
inline boost::asio::awaitable<void> pause(std::chrono::milliseconds d) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
    co_await t.async_wait(boost::asio::use_awaitable);
}

/// async_exec's outcome as (error_code, value), never throwing.
template <class Client, class Command>
boost::asio::awaitable<std::pair<boost::system::error_code, typename Command::result_type>>
try_exec(Client& c, const Command& cmd, respio::request_options o = {}, respio::diagnostics* d = nullptr) {
    auto [ec, v] = co_await c.async_exec(cmd, o, d, boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return std::pair{ec, std::move(v)};
}

} // namespace respio_test

#endif // RESPIO_TESTS_SUPPORT_CLIENT_HELPERS_HPP
