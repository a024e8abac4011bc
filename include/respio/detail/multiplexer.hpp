// multiplexer: the sans-io heart of a connection. It queues requests, coalesces queued ones into
// one write (automatic pipelining), pairs replies with written requests in order, routes RESP3
// pushes elsewhere, and decides what a timeout, a cancellation or a lost connection means for
// each request. No sockets here: the connection engine moves bytes, tests script them.
//
//   enqueue ──► queued ──begin_write──► written ──reply×N──► complete(ok)
//                 │                        │
//                 │ expire/cancel          ├─ expire  ──► complete(timeout_outcome_unknown), close
//                 ▼                        ├─ cancel  ──► complete(cancelled_...), reply dropped
//           complete(not sent)             └─ lost    ──► complete(outcome_unknown) or requeue if retryable
#ifndef RESPIO_DETAIL_MULTIPLEXER_HPP
#define RESPIO_DETAIL_MULTIPLEXER_HPP

#include <respio/detail/config.hpp>
#include <respio/detail/request.hpp>
#include <respio/error.hpp>
#include <respio/resp/parser.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace respio::detail {

/// Receives RESP3 push frames (pub/sub messages, invalidations): every node, then the end.
class push_sink {
public:
    virtual void on_push_node(const resp::node_view& node) = 0;
    virtual void on_push_end() = 0;

protected:
    ~push_sink() = default;
};

/// Takes back redirectable requests answered with a redirect-type error (see request_base).
class redirect_sink {
public:
    /// The request is out of every queue; its error text is in r->redirect_error.
    virtual void on_redirect(request_base* r) = 0;

protected:
    ~redirect_sink() = default;
};

class multiplexer {
public:
    explicit multiplexer(const resp::parser_limits& limits = {}) : parser_(limits) {}
    multiplexer(const multiplexer&) = delete;
    multiplexer& operator=(const multiplexer&) = delete;

    void set_push_sink(push_sink* sink) noexcept { push_sink_ = sink; }
    void set_redirect_sink(redirect_sink* sink) noexcept { redirect_sink_ = sink; }

    //
    // Queue
    //

    /// Requests queued or written and not yet complete (abandoned ones included: they still
    /// occupy the connection until their replies arrive).
    std::size_t in_flight() const noexcept { return queued_.size() + written_.size(); }
    std::size_t queued() const noexcept { return queued_.size(); }
    std::size_t written() const noexcept { return written_.size(); }

    /// Appends a request. It is written by the next begin_write().
    RESPIO_DECL void enqueue(request_base* r);

    /// Cancels the request with this id: a queued one is removed and completes with
    /// cancelled_not_sent; a written one completes with cancelled_outcome_unknown and its replies
    /// are dropped when they come. Returns false when no such request is here (any more).
    RESPIO_DECL bool cancel(std::uint64_t id);

    //
    // Writing
    //

    /// True when queued requests wait and no write is under way.
    bool want_write() const noexcept { return !queued_.empty() && !writing_; }

    /// Moves every queued request to written and returns their bytes, concatenated. The buffer
    /// stays valid until end_write().
    RESPIO_DECL std::string_view begin_write();

    /// The write finished: `written_bytes` of the buffer reached the socket. On error, the
    /// requests whose bytes were not written at all go back to the queue (not sent); the others
    /// are settled by connection_lost().
    RESPIO_DECL void end_write(boost::system::error_code ec, std::size_t written_bytes);

    //
    // Reading
    //

    /// Room to read into: at least `min` bytes, usually more (reads of 64 KiB or, for a large
    /// bulk, all of it at once).
    RESPIO_DECL std::span<char> prepare_read(std::size_t min = 0);

    /// `n` bytes were read into the span from prepare_read(): parses them, feeds replies to their
    /// requests, completes requests whose replies are all in. Returns an error when the bytes
    /// are no valid RESP or a reply arrives with no request waiting for it: the connection must
    /// then be closed (connection_lost()).
    RESPIO_DECL boost::system::error_code commit_read(std::size_t n);

    /// Bytes the parser still needs (at least), for sizing the next read.
    std::size_t read_hint() const noexcept { return parser_.needed(); }

    //
    // Failure and time
    //

    /// The connection is gone. Written requests complete with outcome_unknown — or, when
    /// retryable and none of their reply has arrived yet (on_node() not called), go back to the
    /// front of the queue; abandoned ones are forgotten. Queued
    /// requests stay queued. Parser and buffers are reset for the next connection.
    RESPIO_DECL void connection_lost();

    /// Completes every queued request with `ec` (e.g. auth_failed, client_stopped).
    RESPIO_DECL void fail_queued(boost::system::error_code ec);

    /// The earliest deadline of any request here (time_point::max() when none).
    RESPIO_DECL clock::time_point earliest_deadline() const noexcept;

    /// Completes requests whose deadline is not after `now`: queued ones with timeout_not_sent,
    /// written ones with timeout_outcome_unknown. Returns true when a written request timed out:
    /// its reply may still come, so the connection must be closed.
    RESPIO_DECL bool expire(clock::time_point now);

    /// Bytes received (for the observer and health checks).
    std::size_t bytes_read() const noexcept { return bytes_read_; }
    std::size_t bytes_written() const noexcept { return bytes_written_; }
    std::size_t pushes_received() const noexcept { return pushes_; }

private:
    enum class target : unsigned char { none, request, push, redirect };

    void finish_reply();

    resp::parser parser_;
    std::deque<request_base*> queued_;
    std::deque<request_base*> written_;
    std::string write_buffer_;
    std::vector<std::size_t> write_ends_; // end offset of each request of the current write
    std::deque<request_base*> batch_;     // requests of the current write still in written_
    bool writing_ = false;

    std::vector<char> read_buffer_;
    std::size_t read_start_ = 0; // first byte of the reply being parsed
    std::size_t read_end_ = 0;   // end of the bytes read

    target target_ = target::none;
    push_sink* push_sink_ = nullptr;
    redirect_sink* redirect_sink_ = nullptr;
    std::size_t bytes_read_ = 0;
    std::size_t bytes_written_ = 0;
    std::size_t pushes_ = 0;
};

} // namespace respio::detail

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/multiplexer.ipp>
#endif

#endif // RESPIO_DETAIL_MULTIPLEXER_HPP
