// 01: connect, SET, GET. One client, one coroutine, typed results.
#include "example_env.hpp"

#include <respio/client.hpp>
#include <respio/commands.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace respio;

asio::awaitable<void> hello(client& c) {
    co_await c.async_exec(cmd::set("greeting", "Hello from respio"), asio::use_awaitable);
    // GET's result type is std::optional<std::string>: a missing key is no error.
    std::optional<std::string> greeting = co_await c.async_exec(cmd::get("greeting"), asio::use_awaitable);
    std::cout << "GET greeting -> " << greeting.value_or("(nil)") << '\n';
    std::int64_t visits = co_await c.async_exec(cmd::incr("visits"), asio::use_awaitable);
    std::cout << "INCR visits -> " << visits << '\n';
    c.close();
}

int main() {
    asio::io_context io;
    client c(io.get_executor(), "redis://" + env_or("RESPIO_STANDALONE", "127.0.0.1:6379"));
    int status = 0;
    asio::co_spawn(io, hello(c), [&](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            std::cerr << "01_hello: " << x.what() << '\n';
            status = 1;
        }
    });
    io.run();
    return status;
}
