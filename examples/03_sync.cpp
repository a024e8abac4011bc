// 03: no Asio in sight — sync_client waits for each command; errors throw, or fill an error_code.
#include "example_env.hpp"

#include <respio/commands.hpp>
#include <respio/sync_client.hpp>

#include <iostream>

using namespace respio;

int main() {
    try {
        sync_client c("redis://" + env_or("RESPIO_STANDALONE", "127.0.0.1:6379"));
        c.exec(cmd::hset("user:42", "name", "Ada", "lang", "C++"));
        // HGETALL reads into a std::map whether the server speaks RESP2 or RESP3.
        for (const auto& [field, value] : c.exec(cmd::hgetall("user:42")))
            std::cout << "user:42 " << field << " = " << value << '\n';

        boost::system::error_code ec;
        c.exec(cmd::lpush("user:42", "oops"), ec); // a hash is no list: the server refuses
        std::cout << "LPUSH on a hash -> " << ec.message() << '\n';
        return ec == error::server_replied_error ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "03_sync: " << e.what() << '\n';
        return 1;
    }
}
