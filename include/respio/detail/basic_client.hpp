// basic_client<Topology>: the client template shared by respio::client (standalone) and
// respio::cluster_client. The topology picks the non-template core (detail::core_of); everything
// here is the thin typed layer over it. Include client.hpp or cluster_client.hpp, not this.
#ifndef RESPIO_DETAIL_BASIC_CLIENT_HPP
#define RESPIO_DETAIL_BASIC_CLIENT_HPP

#include <respio/adapt.hpp>
#include <respio/command.hpp>
#include <respio/config.hpp>
#include <respio/detail/client_stats.hpp>
#include <respio/detail/keys.hpp>
#include <respio/detail/request.hpp>
#include <respio/error.hpp>
#include <respio/result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace respio {

/// Per-call options.
struct request_options {
    /// Instead of the client's request_timeout (blocking commands add their block time).
    std::optional<std::chrono::milliseconds> timeout;
    /// May be sent again after a connection loss even though it may have run (idempotent
    /// commands). Off by default: nothing that may have reached a server is re-sent.
    bool retryable = false;
};

/// The server's error text, for callers that want it next to an error_code.
struct diagnostics {
    std::string server_message; ///< the error reply (for server_replied_error)
    std::string client_message; ///< what did not fit (for adapter errors): expected and received types
    void clear() {
        server_message.clear();
        client_message.clear();
    }
};

namespace detail {

// One request of a typed command: reads its reply into a T and completes the handler with it.
template <class T, class Handler>
class typed_request final : public request_base {
public:
    typed_request(Handler&& h, const boost::asio::any_io_executor& io, diagnostics* diag, observer* events)
        : handler_(std::move(h)), work_(boost::asio::make_work_guard(boost::asio::get_associated_executor(handler_, io))),
          reader_(value_), diag_(diag), events_(events) {}

    void on_node(std::size_t, const resp::node_view& n) override {
        if (stripper_) reader_.on_node(stripper_->apply(n));
        else reader_.on_node(n);
    }

    /// Key names in the reply (KEYS, SCAN, BLPOP, ...) lose the client's key prefix.
    void strip_key_prefix(reply_keys rule, std::string_view prefix) {
        if (rule == reply_keys::none || prefix.empty()) return;
        prefix_.assign(prefix);
        stripper_.emplace(rule, prefix_);
    }
    Handler& handler() noexcept { return handler_; }

    void complete(boost::system::error_code ec) noexcept override {
        if (!ec) {
            if (reader_.server_error_reply()) {
                ec = error::server_replied_error;
                if (diag_) diag_->server_message = reader_.server_error_reply()->message;
            } else if (reader_.status().ec) {
                ec = reader_.status().ec;
                if (diag_) diag_->client_message = reader_.status().message();
            } else if (!reader_.done()) { // the reply ended before the C++ value was complete
                ec = error::unexpected_size;
                if (diag_) diag_->client_message = "the reply ended before the result type was complete";
            }
        }
        ec_ = ec;
        if (events_) events_->on_request_finish(name, clock::now() - started, ec);
    }

    void release() noexcept override {
        // The handler runs on its own executor, never inside respio's reading loop.
        boost::asio::get_associated_cancellation_slot(handler_).clear();
        auto ex = work_.get_executor();
        T value = std::move(value_);
        Handler h = std::move(handler_);
        auto ec = ec_;
        auto work = std::move(work_);
        delete this;
        boost::asio::post(ex, [h = std::move(h), ec, value = std::move(value), work = std::move(work)]() mutable {
            std::move(h)(ec, std::move(value));
        });
    }

private:
    Handler handler_;
    boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>> work_;
    T value_{};
    reply_reader<T> reader_;
    diagnostics* diag_;
    observer* events_;
    std::string prefix_; // owned: the request may outlive the client that made it
    std::optional<key_name_stripper> stripper_;
    boost::system::error_code ec_;
};

/// The non-template core of a topology (specialized by client.hpp and cluster_client.hpp).
template <class Topology>
struct core_of;

/// Commands a topology refuses at compile time (the cluster: SELECT, SWAPDB, MOVE — one database).
template <class Topology, class Command>
inline constexpr bool refused_by = false;

} // namespace detail

template <class Topology>
class basic_client {
    using core_type = typename detail::core_of<Topology>::type;

public:
    using executor_type = boost::asio::any_io_executor;

    /// Starts connecting at once, in the background; requests wait for the connection within
    /// their timeout. Throws std::invalid_argument for a configuration that cannot work.
    basic_client(executor_type ex, client_config config)
        : ex_(std::move(ex)), core_(std::make_unique<core_type>(ex_, std::move(config))) {}

    /// From a URL (see parse_url()).
    basic_client(executor_type ex, std::string_view url) : basic_client(std::move(ex), parse_url(url)) {}

    /// Closes: requests still pending complete with client_stopped (or outcome_unknown when sent).
    ~basic_client() = default;
    basic_client(const basic_client&) = delete;
    basic_client& operator=(const basic_client&) = delete;
    basic_client(basic_client&&) noexcept = default;
    basic_client& operator=(basic_client&&) noexcept = default;

    /// Runs one command and completes with its typed result.
    ///
    /// @par Handler signature
    /// `void(boost::system::error_code, Command::result_type)`. A server error reply gives
    /// error::server_replied_error (use the overload with diagnostics for its text, or read the
    /// command `.as<result<T>>()` to get the error in the value).
    /// @par Executor
    /// The handler's associated executor, else the client's.
    /// @par Per-operation cancellation
    /// terminal, partial, total: a request not yet written is removed (cancelled_not_sent); a
    /// written one completes with cancelled_outcome_unknown and its reply is discarded.
    /// @par Object lifetimes
    /// The command is copied (serialized) before this returns.
    template <class Command,
              boost::asio::completion_token_for<void(boost::system::error_code, typename Command::result_type)> Token =
                  boost::asio::default_completion_token_t<executor_type>>
    auto async_exec(const Command& command, Token&& token = {}) {
        return async_exec(command, request_options{}, nullptr, std::forward<Token>(token));
    }

    template <class Command,
              boost::asio::completion_token_for<void(boost::system::error_code, typename Command::result_type)> Token =
                  boost::asio::default_completion_token_t<executor_type>>
    auto async_exec(const Command& command, const request_options& options, Token&& token = {}) {
        return async_exec(command, options, nullptr, std::forward<Token>(token));
    }

    /// As above; `diag` (which must outlive the operation) receives the server's error text.
    template <class Command,
              boost::asio::completion_token_for<void(boost::system::error_code, typename Command::result_type)> Token =
                  boost::asio::default_completion_token_t<executor_type>>
    auto async_exec(const Command& command, const request_options& options, diagnostics* diag, Token&& token = {}) {
        static_assert(!detail::refused_by<Topology, Command>,
                      "respio: this command cannot run on a cluster (a cluster has one database: no SELECT, SWAPDB, MOVE)");
        using T = typename Command::result_type;
        return boost::asio::async_initiate<Token, void(boost::system::error_code, T)>(
            [this](auto handler, const Command& cmd, request_options opts, diagnostics* d) {
                this->template initiate<T>(std::move(handler), cmd, opts, d);
            },
            token, command, options, diag);
    }

    /// Fails what is pending with client_stopped and closes the connections.
    void close() {
        if (core_) core_->close();
    }

    /// Replaces the credentials (password rotation). Later connection attempts use them; with
    /// `reauthenticate_now`, live connections send AUTH (always with the username) at once. A
    /// client that failed with auth_failed tries again at once. config() keeps the old values.
    void set_credentials(credentials auth, bool reauthenticate_now = false) {
        core_->set_credentials(std::move(auth), reauthenticate_now);
    }

    executor_type get_executor() const noexcept { return ex_; }
    const client_config& config() const noexcept { return core_->config(); }
    /// Connection statistics (read them from the client's strand or while it is idle).
    detail::client_stats stats() const { return core_->stats(); }

private:
    template <class T, class Handler, class Command>
    void initiate(Handler handler, const Command& cmd, const request_options& opts, diagnostics* diag) {
        const command_info info = cmd.info();
        const client_config& cfg = core_->config();
        auto* r = new detail::typed_request<T, Handler>(std::move(handler), ex_, diag, cfg.events.get());
        cmd.write(r->bytes);
        if (!cfg.key_prefix.empty()) {
            thread_local detail::key_scratch scratch;
            detail::apply_key_prefix(r->bytes, 0, info, cfg.key_prefix, scratch);
            r->strip_key_prefix(info.reply_key_names, cfg.key_prefix);
        }
        auto timeout = opts.timeout.value_or(cfg.request_timeout);
        if (auto block = detail::block_time(info, r->bytes)) {
            timeout = block->count() == 0 ? std::chrono::milliseconds::max() : *block + timeout + cfg.blocking_margin;
        }
        const auto now = detail::clock::now();
        r->deadline = timeout == std::chrono::milliseconds::max() ? detail::clock::time_point::max() : now + timeout;
        r->retryable = opts.retryable;
        r->redirectable = true; // a redirect-type error means it did not run: safe to try again
        r->needs_primary = !info.is(command_flag::readonly);
        r->id = core_->next_id();
        r->started = now;
        if (info.is(command_flag::module)) { // a runtime command's name lives in its own bytes
            std::vector<std::string_view> argv;
            detail::split_command(r->bytes, argv);
            r->name = argv.empty() ? std::string_view() : argv.front();
        } else {
            r->name = info.name;
        }
        if (diag) diag->clear();
        auto slot = boost::asio::get_associated_cancellation_slot(r->handler());
        if (slot.is_connected()) {
            slot.assign([core = core_->weak_impl(), id = r->id](boost::asio::cancellation_type) {
                core_type::cancel(core, id);
            });
        }
        core_->submit(r, info);
    }

    executor_type ex_;
    std::unique_ptr<core_type> core_;
};

} // namespace respio

#endif // RESPIO_DETAIL_BASIC_CLIENT_HPP
