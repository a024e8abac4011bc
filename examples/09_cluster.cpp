// 09: a cluster. Give any node (or several) as seeds: respio learns the topology, sends each
// command to the node owning its keys' slot, splits MGET / DEL / ... across slots and puts the
// replies back in order, sends DBSIZE / KEYS / ... to every primary and combines the replies.
#include "example_env.hpp"

#include <respio/cluster_client.hpp>
#include <respio/commands.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace respio;

asio::awaitable<void> tour(cluster_client& c) {
    // Three keys, three slots (most likely three nodes).
    co_await c.async_exec(cmd::mset("city:1", "Lisbon", "city:2", "Porto", "city:3", "Faro"), asio::use_awaitable);
    auto cities = co_await c.async_exec(cmd::mget("city:3", "city:1", "city:404", "city:2"), asio::use_awaitable);
    std::cout << "MGET across slots ->";
    for (const auto& city : cities) std::cout << ' ' << city.value_or("(nil)");
    std::cout << '\n';

    // DBSIZE goes to every primary; the replies are summed (the command's response policy).
    std::cout << "DBSIZE (sum over primaries) -> " << co_await c.async_exec(cmd::dbsize(), asio::use_awaitable) << '\n';

    // Keys with one hash tag share a slot, so multi-key commands on them work as on one server.
    co_await c.async_exec(cmd::sadd("{user:7}:likes", "tea", "jazz"), asio::use_awaitable);
    co_await c.async_exec(cmd::sadd("{user:7}:tried", "jazz", "chess"), asio::use_awaitable);
    auto both = co_await c.async_exec(cmd::sinter("{user:7}:likes", "{user:7}:tried"), asio::use_awaitable);
    std::cout << "SINTER in one slot -> " << both.size() << " common\n";

    // Without a shared tag the keys are in different slots: refused before anything is sent.
    auto [ec, none] = co_await c.async_exec(cmd::sinter("likes:a", "likes:b"), asio::as_tuple(asio::use_awaitable));
    std::cout << "SINTER across slots -> " << ec.message() << '\n';
    c.close();
}

int main() {
    const std::string seeds = env_or("RESPIO_CLUSTER", "");
    if (seeds.empty()) {
        std::cout << "09_cluster: RESPIO_CLUSTER is not set (scripts/demo sets it)\n";
        return 0;
    }
    asio::io_context io;
    cluster_client c(io.get_executor(), "redis://" + seeds);
    int status = 0;
    asio::co_spawn(io, tour(c), [&](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            std::cerr << "09_cluster: " << x.what() << '\n';
            status = 1;
        }
    });
    io.run();
    return status;
}
