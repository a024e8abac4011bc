// 04: TLS. The server's certificate is verified against a CA file, and its name against the host
// (or tls_server_name). The URL form: rediss://host:port?tls_ca_file=/path/ca.crt
#include "example_env.hpp"

#include <respio/commands.hpp>
#include <respio/sync_client.hpp>

#include <iostream>

using namespace respio;

int main() {
    const std::string address = env_or("RESPIO_TLS", "");
    if (address.empty()) {
        std::cout << "04_tls: RESPIO_TLS is not set (scripts/demo sets it); nothing to do\n";
        return 0;
    }
    try {
        client_config cfg = parse_url("rediss://" + address);
        cfg.tls.ca_file = env_or("RESPIO_TLS_CA", "");
        cfg.tls.server_name = env_or("RESPIO_TLS_SERVER_NAME", "localhost");
        // Mutual TLS, when the server asks for a client certificate:
        cfg.tls.cert_file = env_or("RESPIO_TLS_CERT", "");
        cfg.tls.key_file = env_or("RESPIO_TLS_KEY", "");
        sync_client c(cfg);
        std::cout << "PING over TLS -> " << c.exec(cmd::ping()) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "04_tls: " << e.what() << '\n';
        return 1;
    }
}
