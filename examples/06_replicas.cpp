// 06: a primary with replicas. Give all addresses; respio asks each for its ROLE, sends writes to
// the primary and, with read_from::prefer_replica, spreads read-only commands over the replicas.
#include "example_env.hpp"

#include <respio/commands.hpp>
#include <respio/sync_client.hpp>

#include <chrono>
#include <iostream>
#include <thread>

using namespace respio;

int main() {
    const std::string addresses = env_or("RESPIO_REPLICAS", "");
    if (addresses.empty()) {
        std::cout << "06_replicas: RESPIO_REPLICAS is not set (scripts/demo sets it)\n";
        return 0;
    }
    try {
        client_config cfg = parse_url("redis://" + addresses + "?read_from=prefer_replica");
        sync_client c(cfg);
        c.exec(cmd::set("replicated", "written on the primary"));
        c.exec(cmd::wait(2, 1000)); // until both replicas have it
        // GET is read-only: it goes to a replica, where WAIT made sure the value has arrived.
        std::cout << "GET from a replica -> " << c.exec(cmd::get("replicated")).value_or("(not yet)") << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "06_replicas: " << e.what() << '\n';
        return 1;
    }
}
