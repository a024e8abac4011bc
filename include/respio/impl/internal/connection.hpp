// connection: one server, one socket, many requests. Runs the multiplexer, the handshake and the
// reconnect policy against an any_stream; everything happens on the client's strand. Internal.
#ifndef RESPIO_IMPL_INTERNAL_CONNECTION_HPP
#define RESPIO_IMPL_INTERNAL_CONNECTION_HPP

#include <respio/adapt.hpp>
#include <respio/config.hpp>
#include <respio/detail/client_stats.hpp>
#include <respio/detail/handshake.hpp>
#include <respio/detail/liveness.hpp>
#include <respio/detail/multiplexer.hpp>
#include <respio/impl/internal/stream.hpp>
#include <respio/resp/serializer.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>

namespace respio::detail {

class connection final : public std::enable_shared_from_this<connection>, private push_sink, private redirect_sink {
public:
    enum class role_kind { unknown, primary, replica };

    connection(asio::any_io_executor strand, std::shared_ptr<client_config> config, address where,
               std::shared_ptr<tls_context> tls, std::shared_ptr<client_stats> stats)
        : strand_(strand), config_holder_(std::move(config)), config_(*config_holder_), address_(std::move(where)),
          tls_(std::move(tls)), stats_holder_(std::move(stats)), stats_(*stats_holder_),
          stream_(strand), write_signal_(strand), connect_timer_(strand), health_timer_(strand),
          helpers_exit_(strand), deadline_timer_(strand), backoff_timer_(strand),
          reconnect_(config_.reconnect) {
        write_signal_.expires_at(asio::steady_timer::time_point::max());
        deadline_timer_.expires_at(asio::steady_timer::time_point::max());
        mux_.set_push_sink(this);
        mux_.set_redirect_sink(this);
    }

    /// Who decides what happens to a request answered with a redirect-type error (the client core).
    void on_redirect(std::function<void(request_base*, connection&)> f) { redirect_ = std::move(f); }

    /// Commands (serialized, one reply each) that end every handshake, before any request: a
    /// cluster client sends READONLY so that replicas answer reads. Set before start().
    void set_handshake_extra(std::vector<std::string> commands) { handshake_extra_ = std::move(commands); }

    /// Asks the server for its ROLE again (a failover may have changed it).
    void refresh_role() {
        if (!ready_ || role_probe_.status != request_base::state::done) return;
        role_probe_.deadline = clock::now() + config_.request_timeout;
        mux_.enqueue(&role_probe_);
        write_signal_.cancel();
    }

    /// Starts connecting, and keeps the connection up until stop().
    void start() {
        auto self = shared_from_this();
        asio::co_spawn(strand_, [self]() { return self->run(); }, asio::detached);
        asio::co_spawn(strand_, [self]() { return self->watch_deadlines(); }, asio::detached);
    }

    /// Fails everything with client_stopped and closes for good.
    void stop() {
        if (stopped_) return;
        stopped_ = true;
        mux_.fail_queued(error::client_stopped);
        stream_.close();
        write_signal_.cancel();
        deadline_timer_.cancel();
        backoff_timer_.cancel();
        if (!session_running_) mux_.connection_lost(); // (a running session settles written ones itself)
    }

    void submit(request_base* r) {
        if (config_.events) config_.events->on_request_start(r->name);
        if (stopped_) return finish(r, error::client_stopped);
        if (mux_.in_flight() >= config_.max_in_flight) return finish(r, error::too_many_in_flight);
        if (!ready_ && reconnect_.final_error()) return finish(r, reconnect_.final_error()); // bad credentials: fail fast
        mux_.enqueue(r);
        if (r->deadline < deadline_timer_.expiry()) deadline_timer_.cancel(); // re-arm earlier
        if (ready_) write_signal_.cancel();
    }

    bool cancel(std::uint64_t id) { return mux_.cancel(id); }

    /// The credentials in the configuration changed: reconnect attempts use them at once, and with
    /// `reauthenticate` the live connection sends AUTH (always with the username) right away.
    void credentials_changed(bool reauthenticate) {
        reconnect_.on_credentials_changed();
        backoff_timer_.cancel(); // try again now rather than after the backoff delay
        if (!reauthenticate || !ready_ || config_.auth.password.empty() || reauth_.status != request_base::state::done)
            return;
        reauth_.bytes.clear();
        const std::string_view user = config_.auth.username.empty() ? std::string_view("default") : config_.auth.username;
        resp::append_command(reauth_.bytes, "AUTH", user, config_.auth.password);
        reauth_.deadline = clock::now() + config_.request_timeout;
        mux_.enqueue(&reauth_);
        write_signal_.cancel();
    }

    bool ready() const noexcept { return ready_; }
    role_kind role() const noexcept { return role_; }
    const address& where() const noexcept { return address_; }
    std::size_t in_flight() const noexcept { return mux_.in_flight(); }

private:
    static void finish(request_base* r, error_code ec) {
        r->status = request_base::state::done;
        r->complete(ec);
        r->release();
    }

    void log(log_level level, const std::string& text) const {
        if (config_.logger && level >= config_.log_threshold) config_.logger(level, text);
    }
    std::string describe() const {
        return address_.is_unix() ? address_.unix_path : address_.host + ":" + std::to_string(address_.port);
    }

    // redirect_sink
    void on_redirect(request_base* r) override {
        if (redirect_) redirect_(r, *this);
        else r->deliver_error_reply(r->redirect_error);
    }

    // push_sink: RESP3 pushes are counted and dropped until pub/sub consumes them.
    void on_push_node(const resp::node_view&) override {}
    void on_push_end() override { ++stats_.pushes; }

    //
    // The connection's life: connect (with handshake), serve, and after a loss wait and again.
    //
    asio::awaitable<void> run() {
        auto self = shared_from_this();
        while (!stopped_) {
            error_code ec = co_await connect_once();
            if (stopped_) break;
            const auto next = reconnect_.on_attempt(ec);
            if (next.what == reconnect_fsm::action::kind::wait_then_retry) {
                ++stats_.connect_failures;
                if (config_.events) config_.events->on_connect_failure(address_, ec);
                log(log_level::warning, "respio: connecting to " + describe() + " failed: " + ec.message());
                if (next.fail_queued) mux_.fail_queued(next.fail_queued);
                stream_.close();
                backoff_timer_.expires_after(next.delay);
                co_await backoff_timer_.async_wait(use_tuple);
                stream_.reset();
                continue;
            }
            ++stats_.connects;
            log(log_level::info, "respio: connected to " + describe());
            if (config_.events) config_.events->on_connect(address_);
            ready_ = true;
            session_running_ = true;
            ec = co_await serve();
            ready_ = false;
            session_running_ = false;
            ++stats_.disconnects;
            if (config_.events) config_.events->on_disconnect(address_, ec);
            stream_.close();
            mux_.connection_lost();
            stream_.reset();
            reconnect_.on_session_end();
            if (!stopped_) log(log_level::warning, "respio: connection to " + describe() + " lost: " + ec.message());
        }
        mux_.fail_queued(error::client_stopped);
    }

    // TCP/TLS connect and the handshake, within connect_timeout: when the time is up a timer
    // closes the stream, which ends whatever step is under way (resolve included).
    asio::awaitable<error_code> connect_once() {
        auto self = shared_from_this();
        const auto attempt = ++connect_attempt_;
        connect_timed_out_ = false;
        connect_timer_.expires_after(config_.connect_timeout);
        connect_timer_.async_wait([self, attempt](error_code ec) {
            if (ec || attempt != self->connect_attempt_) return; // finished in time
            self->connect_timed_out_ = true;
            self->stream_.close();
        });
        error_code ec = co_await connect_and_handshake();
        ++connect_attempt_; // a late timer callback must not close the next session's stream
        connect_timer_.cancel();
        if (connect_timed_out_) co_return error_code(error::connect_timeout);
        co_return ec;
    }

    asio::awaitable<error_code> connect_and_handshake() {
        error_code ec = co_await stream_.connect(address_, tls_.get(), config_.tls);
        if (ec) co_return ec;
        handshake hs(config_, handshake_extra_, handshake_extra_.size());
        std::string_view bytes = hs.start();
        resp::parser parser;
        std::string in;
        std::size_t start = 0;
        while (!bytes.empty()) {
            auto [wec, wn] = co_await stream_.write(asio::buffer(bytes.data(), bytes.size()));
            ++stats_.writes;
            if (wec) co_return wec;
            bytes = {};
            // Read this round's replies.
            for (std::size_t replies = hs.round_replies(); replies > 0; --replies) {
                value reply;
                reply_reader<value> reader(reply);
                for (;;) {
                    auto node = parser.next(std::string_view(in).substr(start), ec);
                    if (ec) co_return error_code(error::protocol_error);
                    if (node) {
                        reader.on_node(*node);
                        if (parser.done()) {
                            start += parser.consumed();
                            parser.reset();
                            break;
                        }
                        continue;
                    }
                    char chunk[4096];
                    auto [rec, n] = co_await stream_.read_some(asio::buffer(chunk));
                    ++stats_.reads;
                    if (rec) co_return rec;
                    in.append(chunk, n);
                }
                const auto step = hs.on_reply(reply);
                if (step.what == handshake::step::kind::failed) {
                    log(log_level::error, "respio: handshake with " + describe() + " failed: " + step.message);
                    co_return step.ec;
                }
                if (step.what == handshake::step::kind::write) bytes = step.bytes;
            }
        }
        // Anything after the handshake replies belongs to the multiplexer.
        if (start < in.size()) {
            auto room = mux_.prepare_read(in.size() - start);
            std::memcpy(room.data(), in.data() + start, in.size() - start);
            if (auto e = mux_.commit_read(in.size() - start)) co_return e;
        }
        if (config_.addresses.size() > 1) co_return co_await learn_role();
        co_return error_code{};
    }

    // ROLE, when several addresses were given: which of them is the primary.
    asio::awaitable<error_code> learn_role() {
        static const std::string role_cmd = resp::make_command("ROLE");
        auto [wec, wn] = co_await stream_.write(asio::buffer(role_cmd));
        if (wec) co_return wec;
        resp::parser parser;
        std::string in;
        value reply;
        reply_reader<value> reader(reply);
        error_code ec;
        for (;;) {
            auto node = parser.next(in, ec);
            if (ec) co_return error_code(error::protocol_error);
            if (node) {
                reader.on_node(*node);
                if (parser.done()) break;
                continue;
            }
            char chunk[1024];
            auto [rec, n] = co_await stream_.read_some(asio::buffer(chunk));
            if (rec) co_return rec;
            in.append(chunk, n);
        }
        role_ = role_kind::unknown;
        if (!reply.elements.empty()) {
            const std::string& r = reply.elements[0].string;
            role_ = (r == "master" || r == "primary") ? role_kind::primary : role_kind::replica;
        }
        co_return error_code{};
    }

    //
    // Serving: reader, writer and health check side by side; the first to fail ends the session.
    // (Plain coroutines and a closed socket instead of awaitable operators: the same behaviour
    // for much less to compile.)
    //
    asio::awaitable<error_code> serve() {
        auto self = shared_from_this();
        session_ending_ = false;
        session_error_ = {};
        helpers_ = 2;
        auto done = [self](std::exception_ptr, error_code ec) { self->helper_done(ec); };
        asio::co_spawn(strand_, writer(), done);
        asio::co_spawn(strand_, health(), done);
        error_code ec = co_await reader();
        // The reader stops first or last; either way the others are told and awaited.
        session_ending_ = true;
        stream_.close();
        write_signal_.cancel();
        health_timer_.cancel();
        while (helpers_ > 0) {
            helpers_exit_.expires_at(asio::steady_timer::time_point::max());
            co_await helpers_exit_.async_wait(use_tuple);
        }
        co_return session_error_ ? session_error_ : ec;
    }

    // The writer or the health check ended: an error ends the session (closing the stream stops
    // the reader).
    void helper_done(error_code ec) {
        if (ec && !session_ending_ && !session_error_) {
            session_error_ = ec;
            stream_.close();
        }
        --helpers_;
        helpers_exit_.cancel();
    }

    asio::awaitable<error_code> reader() {
        for (;;) {
            auto room = mux_.prepare_read();
            auto [ec, n] = co_await stream_.read_some(asio::buffer(room.data(), room.size()));
            ++stats_.reads;
            if (ec) co_return ec;
            stats_.bytes_read += n;
            if (config_.events) config_.events->on_bytes(0, n);
            if (auto perr = mux_.commit_read(n)) {
                log(log_level::error, "respio: " + describe() + ": " + perr.message());
                co_return perr;
            }
        }
    }

    asio::awaitable<error_code> writer() {
        for (;;) {
            while (!mux_.want_write()) {
                if (session_ending_) co_return error_code{};
                write_signal_.expires_at(asio::steady_timer::time_point::max());
                co_await write_signal_.async_wait(use_tuple);
                if (stopped_) co_return error_code(error::client_stopped);
            }
            std::string_view bytes = mux_.begin_write();
            auto [ec, n] = co_await stream_.write(asio::buffer(bytes.data(), bytes.size()));
            ++stats_.writes;
            stats_.bytes_written += n;
            if (config_.events) config_.events->on_bytes(n, 0);
            mux_.end_write(ec, n);
            if (ec) co_return ec;
        }
    }

    // A connection with nothing to do is probed with PING; an unanswered probe fails it.
    asio::awaitable<error_code> health() {
        health_.reset();
        std::size_t seen = mux_.bytes_read();
        for (;;) {
            health_timer_.expires_after(config_.health_check_interval);
            auto [ec] = co_await health_timer_.async_wait(use_tuple);
            if (session_ending_) co_return error_code{};
            if (ec || stopped_) co_return error_code(error::client_stopped);
            const bool arrived = mux_.bytes_read() != seen;
            seen = mux_.bytes_read();
            switch (health_.on_tick(arrived, mux_.written() > 0)) {
            case health_fsm::action::none: break;
            case health_fsm::action::connection_dead: co_return error_code(asio::error::timed_out);
            case health_fsm::action::send_ping:
                if (ping_.status == request_base::state::done) { // (not still in line from before)
                    ping_.deadline = clock::time_point::max();
                    mux_.enqueue(&ping_);
                    write_signal_.cancel();
                }
                break;
            }
        }
    }

    // Request deadlines, while connected or not. A written request that times out closes the
    // connection: its late reply must never reach anyone.
    asio::awaitable<void> watch_deadlines() {
        auto self = shared_from_this();
        while (!stopped_) {
            deadline_timer_.expires_at(mux_.earliest_deadline());
            co_await deadline_timer_.async_wait(use_tuple);
            if (stopped_) break;
            if (mux_.expire(clock::now()) && session_running_) {
                log(log_level::warning, "respio: a sent request to " + describe() + " timed out; reconnecting");
                stream_.close();
            }
        }
    }

    // Re-authentication of a live connection: an internal request whose reply is only logged.
    struct reauth_request final : request_base {
        explicit reauth_request(connection& c) : owner(&c) {
            name = "AUTH";
            status = state::done;
        }
        void on_node(std::size_t, const resp::node_view& n) override {
            if (resp::is_error(n.data_type) && n.depth == 0) failed = true;
        }
        void complete(error_code ec) noexcept override {
            if (ec || failed) owner->log(log_level::error, "respio: re-authentication failed: " + (ec ? ec.message() : std::string("rejected by the server")));
            failed = false;
        }
        void release() noexcept override {}
        connection* owner;
        bool failed = false;
    };

    // ROLE after a READONLY: which role this server has now.
    struct role_request final : request_base {
        explicit role_request(connection& c) : owner(&c) {
            bytes = resp::make_command("ROLE");
            name = "ROLE";
            status = state::done;
        }
        void on_node(std::size_t, const resp::node_view& n) override {
            if (n.depth == 1 && first && !resp::is_aggregate(n.data_type)) {
                first = false;
                owner->role_ = (n.value == "master" || n.value == "primary") ? role_kind::primary : role_kind::replica;
            }
        }
        void complete(error_code) noexcept override { first = true; }
        void release() noexcept override {}
        connection* owner;
        bool first = true;
    };

    // The health probe: an internal request that owns nothing.
    struct ping_request final : request_base {
        explicit ping_request(connection& c) : owner(&c) {
            bytes = resp::make_command("PING");
            name = "PING";
            status = state::done;
        }
        void on_node(std::size_t, const resp::node_view&) override {}
        void complete(error_code) noexcept override { owner->health_.on_probe_done(); }
        void release() noexcept override {}
        connection* owner;
    };

    asio::any_io_executor strand_;
    std::shared_ptr<client_config> config_holder_; // shared: coroutines may outlive the client
    const client_config& config_;
    address address_;
    std::shared_ptr<tls_context> tls_;
    std::shared_ptr<client_stats> stats_holder_;
    client_stats& stats_;
    any_stream stream_;
    multiplexer mux_;
    asio::steady_timer write_signal_;
    asio::steady_timer connect_timer_;
    asio::steady_timer health_timer_;
    asio::steady_timer helpers_exit_;
    std::uint64_t connect_attempt_ = 0;
    bool connect_timed_out_ = false;
    bool session_ending_ = false;
    int helpers_ = 0;
    error_code session_error_;
    asio::steady_timer deadline_timer_;
    asio::steady_timer backoff_timer_;
    reconnect_fsm reconnect_;
    health_fsm health_;
    ping_request ping_{*this};
    reauth_request reauth_{*this};
    role_request role_probe_{*this};
    std::function<void(request_base*, connection&)> redirect_;
    std::vector<std::string> handshake_extra_;
    role_kind role_ = role_kind::unknown;
    bool ready_ = false;
    bool stopped_ = false;
    bool session_running_ = false;
};

} // namespace respio::detail

#endif // RESPIO_IMPL_INTERNAL_CONNECTION_HPP
