// 05: a unix socket: unix:///path/to/redis.sock (add ?db=N and user:password@ as for TCP).
#include "example_env.hpp"

#include <respio/commands.hpp>
#include <respio/sync_client.hpp>

#include <iostream>

using namespace respio;

int main() {
    const std::string path = env_or("RESPIO_STANDALONE_SOCKET", "");
    if (path.empty()) {
        std::cout << "05_unix_socket: RESPIO_STANDALONE_SOCKET is not set (scripts/demo sets it)\n";
        return 0;
    }
    try {
        sync_client c("unix://" + path);
        std::cout << "ECHO over " << path << " -> " << c.exec(cmd::echo("through the socket file")) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "05_unix_socket: " << e.what() << '\n';
        return 1;
    }
}
