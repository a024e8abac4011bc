// Body of respio::resp::parser (non-template; compiled once with RESPIO_SEPARATE_COMPILATION).
#ifndef RESPIO_RESP_IMPL_PARSER_IPP
#define RESPIO_RESP_IMPL_PARSER_IPP

#include <respio/resp/parser.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>

namespace respio::resp {
namespace detail {

// Strict decimal int64: optional sign, 1-19 digits, no overflow (INT64_MIN included).
inline bool parse_int64(std::string_view s, std::int64_t& out) noexcept {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 19) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0'); // 19 digits cannot overflow uint64
    }
    const std::uint64_t limit = negative ? std::uint64_t(1) << 63 : (std::uint64_t(1) << 63) - 1;
    if (v > limit) return false;
    out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return true;
}

// A length or count: digits only (no sign), overflow-checked against size_t.
inline bool parse_length(std::string_view s, std::size_t& out) noexcept {
    if (s.empty() || s.size() > 20) return false;
    std::size_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const auto d = static_cast<std::size_t>(c - '0');
        if (v > (std::numeric_limits<std::size_t>::max() - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

// RESP3 double: inf, -inf, nan, or a decimal/exponent number with an optional sign.
inline bool parse_double(std::string_view s, double& out) noexcept {
    if (s == "inf" || s == "+inf") {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == "-inf") {
        out = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == "nan" || s == "-nan") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s.empty()) return false;
    // from_chars also takes "infinity", hex forms and the like: allow only what RESP writes.
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
    }
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, out, std::chars_format::general);
    return ec == std::errc() && ptr == end;
}

inline bool is_big_number(std::string_view s) noexcept {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// Types whose header is followed by a length-delimited payload.
constexpr bool is_blob(type t) noexcept {
    return t == type::bulk_string || t == type::bulk_error || t == type::verbatim_string ||
           t == type::streamed_string_part;
}

} // namespace detail

std::optional<node_view> parser::fail(boost::system::error_code& ec, error e) {
    error_ = e;
    ec = error_;
    needed_ = 0;
    return std::nullopt;
}

node_view parser::make_node(type t, std::size_t size) const noexcept {
    node_view n;
    n.data_type = t;
    n.size = size;
    n.depth = stack_.size();
    n.in_attribute = attributes_open_ > 0 || t == type::attribute;
    return n;
}

void parser::push_frame(type kind, std::size_t remaining) {
    stack_.push_back(frame{kind, remaining, 0});
    if (kind == type::attribute) ++attributes_open_;
}

// Called after a complete element (a scalar, an empty aggregate or a finished aggregate):
// counts it against its parent and closes every aggregate it completes.
void parser::complete_element() noexcept {
    while (!stack_.empty()) {
        frame& f = stack_.back();
        if (f.remaining == unknown_size) { // streamed: closed by its end marker only
            if (f.kind != type::streamed_string) ++f.seen; // (strings count bytes there)
            return;
        }
        if (--f.remaining > 0) return;
        const bool attribute = f.kind == type::attribute;
        stack_.pop_back();
        if (attribute) {
            // An attribute describes the value after it and is no element of its own: the
            // parent still waits for that value.
            --attributes_open_;
            return;
        }
    }
    done_ = true;
}

std::optional<node_view> parser::next(std::string_view buf, boost::system::error_code& ec) {
    ec = {};
    if (error_) {
        ec = error_;
        return std::nullopt;
    }
    if (done_) return std::nullopt;

    // A bulk whose header was parsed earlier: wait for the whole payload, never re-parse the header.
    if (pending_.active) {
        const std::size_t end = pending_.header_end + pending_.length;
        if (buf.size() < end + 2) {
            needed_ = end + 2 - buf.size();
            return std::nullopt;
        }
        if (buf[end] != '\r' || buf[end + 1] != '\n') return fail(ec, error::missing_crlf);
        std::string_view payload = buf.substr(pending_.header_end, pending_.length);
        pending_.active = false;
        consumed_ = end + 2;
        scan_from_ = consumed_;
        needed_ = 1;

        if (pending_.kind == type::streamed_string_part) {
            node_view n = make_node(type::streamed_string_part, 1);
            n.value = payload;
            complete_element();
            return n;
        }
        node_view n = make_node(pending_.kind, 1);
        if (pending_.kind == type::verbatim_string) {
            if (payload.size() < 4 || payload[3] != ':') return fail(ec, error::invalid_verbatim);
            n.format = payload.substr(0, 3);
            n.value = payload.substr(4);
        } else {
            n.value = payload;
        }
        complete_element();
        return n;
    }

    const std::size_t start = consumed_;
    if (buf.size() <= start) {
        needed_ = 1;
        return std::nullopt;
    }

    // Garbage is refused on its first byte, without waiting for a line end.
    const auto t = type_from_prefix(buf[start]);
    if (!t) return fail(ec, error::invalid_type_byte);

    // Find the header line's CR, resuming where the last search stopped.
    const std::size_t line_begin = start + 1;
    std::size_t from = scan_from_ > line_begin ? scan_from_ : line_begin;
    const char* cr = nullptr;
    if (from < buf.size()) {
        cr = static_cast<const char*>(std::memchr(buf.data() + from, '\r', buf.size() - from));
        scanned_ += (cr != nullptr ? static_cast<std::size_t>(cr - buf.data()) + 1 : buf.size()) - from;
    }
    if (cr == nullptr) {
        if (buf.size() - line_begin > limits_.max_line_length) return fail(ec, error::line_too_long);
        scan_from_ = buf.size();
        needed_ = 1;
        return std::nullopt;
    }
    const std::size_t cr_pos = static_cast<std::size_t>(cr - buf.data());
    if (cr_pos - line_begin > limits_.max_line_length) return fail(ec, error::line_too_long);
    if (cr_pos + 1 >= buf.size()) { // the LF has not arrived yet
        scan_from_ = cr_pos;
        needed_ = 1;
        return std::nullopt;
    }
    if (buf[cr_pos + 1] != '\n') return fail(ec, error::invalid_line);
    const std::string_view line = buf.substr(line_begin, cr_pos - line_begin);
    if (std::memchr(line.data(), '\n', line.size()) != nullptr) return fail(ec, error::invalid_line);
    const std::size_t line_end = cr_pos + 2;


    // Inside a streamed string only chunks may come; chunks and end markers only inside streams.
    const frame* top = stack_.empty() ? nullptr : &stack_.back();
    const bool in_streamed_string = top != nullptr && top->kind == type::streamed_string;
    if (in_streamed_string != (*t == type::streamed_string_part)) return fail(ec, error::unexpected_chunk);
    if (*t == type::stream_end) {
        if (top == nullptr || top->remaining != unknown_size || top->kind == type::streamed_string)
            return fail(ec, error::unexpected_chunk);
        if (!line.empty()) return fail(ec, error::unexpected_chunk);
        if (element_multiplicity(top->kind) == 2 && top->seen % 2 != 0)
            return fail(ec, error::invalid_streamed_type); // a map cannot end between key and value
        node_view n = make_node(type::stream_end, 1); // at the level of the elements it closes
        const bool attribute = top->kind == type::attribute;
        stack_.pop_back();
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        if (attribute) {
            --attributes_open_; // an attribute is no element of its parent (see complete_element)
        } else {
            complete_element();
        }
        return n;
    }
    if (top != nullptr && top->remaining == unknown_size && top->kind != type::streamed_string &&
        top->seen >= limits_.max_aggregate_elements)
        return fail(ec, error::aggregate_too_large);

    // The first non-attribute node at the top level says whether this is a push.
    if (stack_.empty() && *t == type::push) is_push_ = true;

    switch (*t) {
    case type::simple_string:
    case type::simple_error: {
        node_view n = make_node(*t, 1);
        n.value = line;
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    case type::integer: {
        node_view n = make_node(*t, 1);
        if (!detail::parse_int64(line, n.integer)) return fail(ec, error::invalid_integer);
        n.value = line;
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    case type::double_type: {
        node_view n = make_node(*t, 1);
        if (!detail::parse_double(line, n.real)) return fail(ec, error::invalid_double);
        n.value = line;
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    case type::boolean: {
        node_view n = make_node(*t, 1);
        if (line == "t") {
            n.integer = 1;
        } else if (line != "f") {
            return fail(ec, error::invalid_boolean);
        }
        n.value = line;
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    case type::big_number: {
        if (!detail::is_big_number(line)) return fail(ec, error::invalid_big_number);
        node_view n = make_node(*t, 1);
        n.value = line;
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    case type::null: {
        if (!line.empty()) return fail(ec, error::invalid_null);
        node_view n = make_node(*t, 1);
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    default: break;
    }

    // Sized types: blobs and aggregates. RESP2 nulls ($-1, *-1) and streamed forms (?) first.
    if (line == "-1" && (*t == type::bulk_string || *t == type::array)) {
        node_view n = make_node(type::null, 1);
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        complete_element();
        return n;
    }
    if (line == "?") {
        const bool streamable = *t == type::bulk_string || *t == type::array || *t == type::map ||
                                *t == type::set || *t == type::attribute || *t == type::push;
        if (!streamable) return fail(ec, error::invalid_streamed_type);
        if (stack_.size() + 1 > limits_.max_depth) return fail(ec, error::nesting_too_deep);
        const type kind = *t == type::bulk_string ? type::streamed_string : *t;
        node_view n = make_node(kind, unknown_size);
        push_frame(kind, unknown_size);
        consumed_ = scan_from_ = line_end;
        needed_ = 1;
        return n;
    }
    std::size_t length = 0;
    if (!detail::parse_length(line, length)) return fail(ec, error::invalid_length);

    if (detail::is_blob(*t)) {
        if (*t == type::streamed_string_part) {
            frame& f = stack_.back();
            if (length == 0) { // the end of a streamed string
                stack_.pop_back();
                node_view n = make_node(type::stream_end, 1);
                ++n.depth;
                consumed_ = scan_from_ = line_end;
                needed_ = 1;
                complete_element();
                return n;
            }
            if (length > limits_.max_bulk_length || f.seen > limits_.max_bulk_length - length)
                return fail(ec, error::bulk_too_long);
            f.seen += length;
        } else if (length > limits_.max_bulk_length) {
            return fail(ec, error::bulk_too_long);
        }
        pending_ = pending_bulk{*t, line_end, length, true};
        return next(buf, ec); // at most one level: pending_ is handled at the top
    }

    // Aggregates. The element limit is checked overflow-safely before anything else.
    const std::size_t mult = element_multiplicity(*t);
    // (A count whose node total is SIZE_MAX would read as "unknown size": refused too.)
    if (length > limits_.max_aggregate_elements / mult || length * mult == unknown_size)
        return fail(ec, error::aggregate_too_large);
    node_view n = make_node(*t, length);
    consumed_ = scan_from_ = line_end;
    needed_ = 1;
    if (length == 0) {
        // An empty aggregate is a complete element — except an empty attribute, which, like any
        // attribute, describes the value after it and is no element itself.
        if (*t != type::attribute) complete_element();
        return n;
    }
    if (stack_.size() + 1 > limits_.max_depth) return fail(ec, error::nesting_too_deep);
    push_frame(*t, length * mult);
    return n;
}

} // namespace respio::resp

#endif // RESPIO_RESP_IMPL_PARSER_IPP
