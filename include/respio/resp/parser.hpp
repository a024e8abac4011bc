// Incremental, zero-copy RESP2/RESP3 pull parser with an explicit stack and checked limits.
#ifndef RESPIO_RESP_PARSER_HPP
#define RESPIO_RESP_PARSER_HPP

#include <respio/detail/config.hpp>
#include <respio/resp/error.hpp>
#include <respio/resp/node.hpp>
#include <respio/resp/type.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace respio::resp {

/// Limits on what a server may send. Each is checked as soon as the header that declares a size
/// arrives — before anything is allocated and before waiting for the payload — and each has its
/// own error code.
struct parser_limits {
    /// Longest bulk, bulk error, verbatim or streamed string, in bytes (the server's own default
    /// proto-max-bulk-len).
    std::size_t max_bulk_length = 512u * 1024u * 1024u;
    /// Most nodes one aggregate may declare; maps and attributes count twice (key and value).
    std::size_t max_aggregate_elements = 4294967295u;
    /// Deepest nesting of aggregates (a flat array of scalars is depth 1).
    std::size_t max_depth = 1024;
    /// Longest line of a simple type or header, excluding CRLF.
    std::size_t max_line_length = 64u * 1024u;
};

/// Parses one reply at a time out of a caller-owned buffer, one node per call to next().
///
/// The buffer passed to next() must start at the first byte of the current reply, and keep every
/// byte passed before (more may be appended between calls: the parser never rescans what it has
/// already examined, so a server dripping bytes costs amortised O(1) per byte). When done() turns
/// true the reply is exactly consumed() bytes long; the bytes after it belong to the next reply and
/// are untouched. Discard consumed() bytes, call reset(), and go on.
///
/// @code
/// for (;;) {
///     auto node = p.next(buffer, ec);
///     if (ec) { /* protocol error: close the connection */ }
///     if (!node) { /* read at least p.needed() more bytes */ continue; }
///     sink(*node);
///     if (p.done()) { buffer.remove_prefix(p.consumed()); p.reset(); }
/// }
/// @endcode
///
/// No recursion, no allocation per node (the explicit stack keeps its capacity), no copies: node
/// values are views into the buffer. After an error the parser stays failed.
class parser {
public:
    explicit parser(const parser_limits& limits = {});

    /// The next node of the current reply, or nothing when more bytes are needed (or on error,
    /// with `ec` set, or when the reply is done and reset() was not called).
    RESPIO_DECL std::optional<node_view> next(std::string_view buffer, boost::system::error_code& ec);

    /// True once the current top-level value (attributes before it included) is complete.
    bool done() const noexcept { return done_; }
    /// Bytes of the buffer taken by the nodes returned since the last reset().
    std::size_t consumed() const noexcept { return consumed_; }
    /// How many more bytes are needed, at least, before next() can make progress: exact while a
    /// bulk payload is awaited (lets the caller size one large read), 1 otherwise.
    std::size_t needed() const noexcept { return needed_; }
    /// True when the current top-level value is a push frame (`>`), not a reply.
    bool is_push() const noexcept { return is_push_; }
    /// True after a protocol error; only a new parser helps.
    bool failed() const noexcept { return static_cast<bool>(error_); }
    const boost::system::error_code& failure() const noexcept { return error_; }
    const parser_limits& limits() const noexcept { return limits_; }
    /// Bytes the line search has examined since construction: stays proportional to the input
    /// however it is split (a test pins that dripped bytes are not rescanned).
    std::size_t bytes_scanned() const noexcept { return scanned_; }
    /// Depth of the node the next call would return (0 at the start of a reply).
    std::size_t depth() const noexcept { return stack_.size(); }

    /// Prepares for the next reply. The buffer passed to next() must then start at it.
    void reset() noexcept {
        stack_.clear();
        consumed_ = 0;
        scan_from_ = 0;
        needed_ = 1;
        attributes_open_ = 0;
        pending_ = {};
        done_ = false;
        is_push_ = false;
    }

private:
    struct frame {
        type kind;
        std::size_t remaining; // nodes still expected; unknown_size for streamed frames
        std::size_t seen;      // streamed frames: nodes (or bytes, for strings) received so far
    };
    struct pending_bulk {
        type kind = type::null;
        std::size_t header_end = 0; // offset of the payload's first byte
        std::size_t length = 0;
        bool active = false;
    };

    RESPIO_DECL std::optional<node_view> fail(boost::system::error_code& ec, error e);
    RESPIO_DECL void push_frame(type kind, std::size_t remaining);
    RESPIO_DECL void complete_element() noexcept;
    RESPIO_DECL node_view make_node(type t, std::size_t size) const noexcept;

    parser_limits limits_;
    std::vector<frame> stack_;
    std::size_t consumed_ = 0;
    std::size_t scan_from_ = 0; // where the search for the current line's CR resumes
    std::size_t needed_ = 1;
    std::size_t attributes_open_ = 0;
    std::size_t scanned_ = 0;
    pending_bulk pending_;
    boost::system::error_code error_;
    bool done_ = false;
    bool is_push_ = false;
};

inline parser::parser(const parser_limits& limits) : limits_(limits) {
    // Typical replies nest 1-3 deep; a small reserve avoids growth on the hot path.
    stack_.reserve(8);
}

} // namespace respio::resp

#ifdef RESPIO_HEADER_ONLY
#include <respio/resp/impl/parser.ipp>
#endif

#endif // RESPIO_RESP_PARSER_HPP
