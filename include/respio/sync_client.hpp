// sync_client: respio without writing any Asio code. It runs a client on a background thread
// and waits for each command; errors throw, or go to an error_code& when one is passed.
#ifndef RESPIO_SYNC_CLIENT_HPP
#define RESPIO_SYNC_CLIENT_HPP

#include <respio/client.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/system_error.hpp>

#include <future>
#include <optional>
#include <thread>

namespace respio {

class sync_client {
public:
    /// Connects in the background; the first command waits for the connection (within its timeout).
    explicit sync_client(client_config config)
        : work_(boost::asio::make_work_guard(io_)), client_(io_.get_executor(), std::move(config)),
          thread_([this] { io_.run(); }) {}
    explicit sync_client(std::string_view url) : sync_client(parse_url(url)) {}

    ~sync_client() {
        client_.close();
        work_.reset();
        thread_.join();
    }
    sync_client(const sync_client&) = delete;
    sync_client& operator=(const sync_client&) = delete;

    /// Runs a command; throws boost::system::system_error on failure (its what() includes the
    /// server's error text for server_replied_error).
    template <class Command>
    typename Command::result_type exec(const Command& command, const request_options& options = {}) {
        boost::system::error_code ec;
        diagnostics diag;
        auto value = exec(command, options, ec, diag);
        if (ec) {
            const std::string& detail = diag.server_message.empty() ? diag.client_message : diag.server_message;
            throw boost::system::system_error(ec, detail);
        }
        return value;
    }

    /// Runs a command; failures go to `ec` (and the server's text to `diag`).
    template <class Command>
    typename Command::result_type exec(const Command& command, boost::system::error_code& ec) {
        diagnostics diag;
        return exec(command, request_options{}, ec, diag);
    }

    template <class Command>
    typename Command::result_type exec(const Command& command, const request_options& options,
                                       boost::system::error_code& ec, diagnostics& diag) {
        using T = typename Command::result_type;
        std::promise<std::pair<boost::system::error_code, T>> done;
        auto f = done.get_future();
        client_.async_exec(command, options, &diag, [&done](boost::system::error_code e, T v) {
            done.set_value({e, std::move(v)});
        });
        auto [e, v] = f.get();
        ec = e;
        return std::move(v);
    }

    /// The asynchronous client underneath (its executor runs on this object's thread).
    client& async() noexcept { return client_; }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    client client_;
    std::thread thread_;
};

} // namespace respio

#endif // RESPIO_SYNC_CLIENT_HPP
