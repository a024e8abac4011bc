// 02: the same client with plain callbacks, and with asio::deferred — any completion token works.
#include "example_env.hpp"

#include <respio/client.hpp>
#include <respio/commands.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace respio;

int main() {
    asio::io_context io;
    client c(io.get_executor(), "redis://" + env_or("RESPIO_STANDALONE", "127.0.0.1:6379"));
    int status = 1;

    c.async_exec(cmd::rpush("tasks", "wash", "dry", "fold"), [&](boost::system::error_code ec, std::int64_t length) {
        if (ec) return void(std::cerr << "RPUSH failed: " << ec.message() << '\n');
        std::cout << "RPUSH -> list length " << length << '\n';

        // A deferred operation is a value: start it later, with any token.
        auto range = c.async_exec(cmd::lrange("tasks", 0, -1), asio::deferred);
        std::move(range)([&](boost::system::error_code ec2, std::vector<std::string> items) {
            if (ec2) return void(std::cerr << "LRANGE failed: " << ec2.message() << '\n');
            std::cout << "LRANGE ->";
            for (const auto& item : items) std::cout << ' ' << item;
            std::cout << '\n';
            c.async_exec(cmd::del("tasks"), [&](boost::system::error_code ec3, std::int64_t) {
                status = ec3 ? 1 : 0;
                c.close();
            });
        });
    });
    io.run();
    return status;
}
