// Compile-time: a typical TU — the baseline, the client and every command descriptor, 10 distinct
// typed commands sent with async_exec (coroutines) and their typed results used. (The batch API
// does not exist yet; the 10 commands are pipelined by the client.)
#include <respio/client.hpp>
#include <respio/commands.hpp>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <cstdio>

namespace asio = boost::asio;
using namespace respio;

asio::awaitable<int> typical(client& c) {
    int n = 0;
    co_await c.async_exec(cmd::set("k", "v", opt::ex(10)), asio::use_awaitable);
    n += (co_await c.async_exec(cmd::get("k"), asio::use_awaitable)).has_value();
    n += static_cast<int>(co_await c.async_exec(cmd::incr("counter"), asio::use_awaitable));
    n += static_cast<int>(co_await c.async_exec(cmd::hset("h", "f", "v"), asio::use_awaitable));
    n += static_cast<int>((co_await c.async_exec(cmd::hgetall("h"), asio::use_awaitable)).size());
    n += static_cast<int>(co_await c.async_exec(cmd::zadd("z", 1.5, "m"), asio::use_awaitable));
    n += static_cast<int>((co_await c.async_exec(cmd::zrange("z", 0, -1, opt::withscores), asio::use_awaitable)).size());
    n += static_cast<int>(co_await c.async_exec(cmd::lpush("l", "a", "b"), asio::use_awaitable));
    n += co_await c.async_exec(cmd::expire("k", 100), asio::use_awaitable);
    n += static_cast<int>((co_await c.async_exec(cmd::mget("a", "b", "c"), asio::use_awaitable)).size());
    co_return n;
}

int main() {
    asio::io_context io;
    client c(io.get_executor(), "redis://127.0.0.1:6379");
    asio::co_spawn(io, typical(c), [](std::exception_ptr, int n) { std::printf("%d\n", n); });
    io.run();
}
