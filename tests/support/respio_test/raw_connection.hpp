// A blocking loopback connection for tests that need a server but not the client: plain POSIX
// sockets carrying respio's serializer, parser and adapters (cheap to compile: no Asio).
#ifndef RESPIO_TESTS_SUPPORT_RAW_CONNECTION_HPP
#define RESPIO_TESTS_SUPPORT_RAW_CONNECTION_HPP

#include <respio/adapt.hpp>
#include <respio/resp/parser.hpp>
#include <respio/resp/serializer.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace respio_test {

/// What one command got back: the value (when it fitted), the adapter's status and any
/// top-level server error.
template <class T>
struct exec_outcome {
    T value{};
    respio::adapt_status status;
    std::optional<respio::server_error> server_error;
    bool ok() const { return !status.ec && !server_error; }
    std::string problem() const {
        if (server_error) return "server error: " + server_error->message;
        if (status.ec) return status.message();
        return {};
    }
};

class raw_connection {
public:
    raw_connection(const char* host, std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        ::inet_pton(AF_INET, host, &addr.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            throw std::runtime_error("connect: " + std::string(std::strerror(errno)));
        }
        timeval tv{10, 0}; // a test must not hang on a silent server
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;
    ~raw_connection() { ::close(fd_); }

    void send(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send: " + std::string(std::strerror(errno)));
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    /// Reads one complete reply (pushes included: the caller decides), feeding each node to `f`.
    /// Returns whether it was a push.
    template <class F>
    bool read_reply(F&& f) {
        respio::resp::parser parser;
        for (;;) {
            boost::system::error_code ec;
            auto node = parser.next(std::string_view(in_).substr(start_), ec);
            if (ec) throw std::runtime_error("protocol error: " + ec.message());
            if (!node) {
                fill();
                continue;
            }
            f(*node);
            if (parser.done()) {
                start_ += parser.consumed();
                if (start_ == in_.size()) {
                    in_.clear();
                    start_ = 0;
                }
                return parser.is_push();
            }
        }
    }

    /// Sends a command (a bound or runtime command) and reads its reply into its result type,
    /// skipping pushes that arrive meanwhile.
    template <class Command, class T = typename Command::result_type>
    exec_outcome<T> exec(const Command& command) {
        std::string bytes;
        command.write(bytes);
        send(bytes);
        return read_into<T>();
    }

    /// Reads the next reply (not a push) into a T.
    template <class T>
    exec_outcome<T> read_into() {
        exec_outcome<T> out;
        for (;;) {
            out.value = T{};
            respio::reply_reader<T> reader(out.value);
            const bool push = read_reply([&](const respio::resp::node_view& n) { reader.on_node(n); });
            if (push) continue;
            out.status = reader.status();
            out.server_error = reader.server_error_reply();
            return out;
        }
    }

    /// A command from strings, for set-up steps: the reply as a respio::value.
    template <class... Args>
    respio::value call(const Args&... args) {
        send(respio::resp::make_command(args...));
        return read_into<respio::value>().value;
    }

private:
    void fill() {
        char chunk[64 * 1024];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) throw std::runtime_error(n == 0 ? "connection closed" : "recv: " + std::string(std::strerror(errno)));
        in_.append(chunk, static_cast<std::size_t>(n));
    }

    int fd_ = -1;
    std::string in_;
    std::size_t start_ = 0;
};

} // namespace respio_test

#endif // RESPIO_TESTS_SUPPORT_RAW_CONNECTION_HPP
