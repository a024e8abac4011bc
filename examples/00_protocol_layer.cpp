// 00: the protocol layer on its own. respio::resp is sans-io: it turns arguments into request bytes
// and reply bytes into nodes, and any transport can carry them. Here a plain blocking Asio socket
// talks to the server named by RESPIO_STANDALONE (host:port; default 127.0.0.1:6379).
#include <respio/resp.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace resp = respio::resp;

// Sends one command and prints its reply, one line per node, indented by depth.
template <class... Args>
static void roundtrip(asio::ip::tcp::socket& sock, std::string& inbuf, const Args&... args) {
    const std::string request = resp::make_command(args...);
    asio::write(sock, asio::buffer(request));

    resp::parser parser;
    for (;;) {
        boost::system::error_code ec;
        auto node = parser.next(inbuf, ec);
        if (ec) throw boost::system::system_error(ec);
        if (!node) { // read at least what the parser says it needs
            char chunk[64 * 1024];
            const std::size_t n = sock.read_some(asio::buffer(chunk));
            inbuf.append(chunk, n);
            continue;
        }
        std::cout << std::string(2 * (node->depth + 1), ' ') << resp::to_string(node->data_type);
        if (!resp::is_aggregate(node->data_type)) std::cout << ": " << node->value;
        std::cout << '\n';
        if (parser.done()) break;
    }
    inbuf.erase(0, parser.consumed()); // the next reply starts right after this one
}

int main() {
    std::string address = std::getenv("RESPIO_STANDALONE") ? std::getenv("RESPIO_STANDALONE") : "127.0.0.1:6379";
    const auto colon = address.rfind(':');
    try {
        asio::io_context io;
        asio::ip::tcp::resolver resolver(io);
        asio::ip::tcp::socket sock(io);
        asio::connect(sock, resolver.resolve(address.substr(0, colon), address.substr(colon + 1)));

        std::string inbuf;
        std::cout << "HELLO 3\n";
        roundtrip(sock, inbuf, "HELLO", 3);
        std::cout << "SET/GET\n";
        roundtrip(sock, inbuf, "SET", "respio:example:00", "hello from the protocol layer");
        roundtrip(sock, inbuf, "GET", "respio:example:00");
        std::cout << "RPUSH with a range argument, then LRANGE\n";
        roundtrip(sock, inbuf, "DEL", "respio:example:list");
        roundtrip(sock, inbuf, "RPUSH", "respio:example:list", std::vector<int>{1, 2, 3});
        roundtrip(sock, inbuf, "LRANGE", "respio:example:list", 0, -1);
        std::cout << "A server error is a reply like any other\n";
        roundtrip(sock, inbuf, "INCR", "respio:example:00");
    } catch (const std::exception& e) {
        std::cerr << "00_protocol_layer: " << e.what() << '\n';
        return 1;
    }
}
