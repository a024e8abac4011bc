// 08: many coroutines, one client, one connection. Concurrent requests are pipelined
// automatically: they share writes and reads instead of waiting for each other's round trips.
#include "example_env.hpp"

#include <respio/client.hpp>
#include <respio/commands.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>

namespace asio = boost::asio;
using namespace respio;

int main() {
    asio::io_context io;
    client c(io.get_executor(), "redis://" + env_or("RESPIO_STANDALONE", "127.0.0.1:6379"));
    constexpr int workers = 64, per_worker = 500;
    int running = workers, failures = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int w = 0; w < workers; ++w) {
        asio::co_spawn(
            io,
            [&, w]() -> asio::awaitable<void> {
                for (int i = 0; i < per_worker; ++i) {
                    auto [ec, n] = co_await c.async_exec(cmd::incr("counter:" + std::to_string(w % 8)),
                                                         asio::as_tuple(asio::use_awaitable));
                    if (ec) ++failures;
                }
                if (--running == 0) c.close();
            },
            asio::detached);
    }
    io.run();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    const auto stats = c.stats();
    std::cout << workers * per_worker << " INCRs from " << workers << " coroutines in " << ms.count() << " ms, "
              << stats.writes << " writes and " << stats.reads << " reads on one connection\n";
    return failures == 0 ? 0 : 1;
}
