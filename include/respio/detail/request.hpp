// request_base: one queued request as the non-template connection code sees it — its bytes, how
// many replies it waits for, its deadline, and two virtual hooks into the typed side.
#ifndef RESPIO_DETAIL_REQUEST_HPP
#define RESPIO_DETAIL_REQUEST_HPP

#include <respio/resp/node.hpp>

#include <boost/system/error_code.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace respio::detail {

using clock = std::chrono::steady_clock;

class request_base {
public:
    enum class state : unsigned char {
        queued,    ///< waiting to be written
        written,   ///< handed to the socket: the server may run it from now on
        abandoned, ///< cancelled after writing: its replies are read and dropped
        done,      ///< completed (exactly once)
    };

    request_base() = default;
    request_base(const request_base&) = delete;
    request_base& operator=(const request_base&) = delete;

    /// The request's bytes (one command, or a whole batch).
    std::string bytes;
    /// Replies it waits for (1 for a command; one per command for a batch), including skipped ones.
    std::size_t expected_replies = 1;
    /// Leading replies that belong to commands the client added (ASKING before a redirected
    /// command): read and dropped, never shown to on_node().
    std::size_t skip_replies = 0;
    std::size_t received_replies = 0;
    clock::time_point deadline = clock::time_point::max();
    state status = state::queued;
    /// May be sent again after a connection loss although it may have run (caller's choice).
    bool retryable = false;
    /// Needs a read-write node (a write command) rather than any replica.
    bool needs_primary = true;
    /// The command name, for the observer and logs (never arguments: they may hold secrets).
    std::string_view name;
    /// Unique per client: cancellation finds the request by it (a pointer could be reused).
    std::uint64_t id = 0;
    /// When it was handed over (for the observer's durations).
    clock::time_point started{};
    /// May be answered with a redirect-type error (READONLY, LOADING, MOVED, ...) that the client
    /// handles itself: such a reply is not delivered but handed back for another try. Single
    /// commands only (a batch cannot be retried piecemeal).
    bool redirectable = false;
    /// The text of that error reply, while the request waits for its next try.
    std::string redirect_error;
    /// How many times it was handed back (redirects are capped).
    unsigned redirects = 0;
    /// Cluster: the slot it was routed by (-1: keyless), to route it again after a redirect.
    int route_slot = -1;

    /// Completes with the error reply `text` as its answer (when no further try is possible).
    void deliver_error_reply(std::string_view text) {
        resp::node_view n;
        n.data_type = resp::type::simple_error;
        n.value = text;
        on_node(received_replies - std::min(received_replies, skip_replies), n);
        status = state::done;
        complete({});
        release();
    }

    /// One node of the current reply (`reply_index` counts from 0 within this request).
    virtual void on_node(std::size_t reply_index, const resp::node_view& node) = 0;
    /// Called exactly once: success (all replies read) or the error. Must not throw, and must
    /// not destroy the request: an abandoned request stays in line until its replies are read.
    virtual void complete(boost::system::error_code ec) noexcept = 0;
    /// Called once, after complete(), when nothing refers to the request any more: frees it.
    virtual void release() noexcept = 0;

protected:
    ~request_base() = default;
};

} // namespace respio::detail

#endif // RESPIO_DETAIL_REQUEST_HPP
