// 07: a key prefix keeps applications apart on one server: it goes in front of exactly the key
// arguments (MSET keys, not values) and comes off key names in replies (KEYS, SCAN, BLPOP, ...).
#include "example_env.hpp"

#include <respio/commands.hpp>
#include <respio/sync_client.hpp>

#include <iostream>

using namespace respio;

int main() {
    try {
        const std::string url = "redis://" + env_or("RESPIO_STANDALONE", "127.0.0.1:6379");
        sync_client billing(parse_url(url + "?key_prefix=billing:"));
        sync_client plain(url);
        billing.exec(cmd::mset("invoice:1", "100", "invoice:2", "250"));
        for (const auto& key : billing.exec(cmd::keys("invoice:*"))) std::cout << "billing sees " << key << '\n';
        for (const auto& key : plain.exec(cmd::keys("billing:invoice:*"))) std::cout << "the server has " << key << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "07_key_prefix: " << e.what() << '\n';
        return 1;
    }
}
