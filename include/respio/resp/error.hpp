// Protocol errors reported by the RESP parser: one code per malformed-input class and per limit.
#ifndef RESPIO_RESP_ERROR_HPP
#define RESPIO_RESP_ERROR_HPP

#include <respio/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace respio::resp {

/// Why the parser rejected its input. After any of these the parser stays failed: the byte
/// stream can no longer be trusted to pair replies with requests, so the connection is closed.
enum class error : int {
    // Malformed input.
    invalid_type_byte = 1, ///< a node starts with a byte that is no RESP type prefix
    invalid_line,          ///< a line holds a bare CR or LF
    invalid_integer,       ///< an integer (`:`) is empty, has a stray character or overflows int64
    invalid_length,        ///< a length or count is malformed, negative (other than -1) or overflows
    invalid_double,        ///< a double (`,`) is not a number, inf, -inf or nan
    invalid_boolean,       ///< a boolean is not `#t` or `#f`
    invalid_null,          ///< `_` is followed by something other than CRLF
    invalid_big_number,    ///< a big number is not an optional sign and digits
    invalid_verbatim,      ///< a verbatim string lacks its 3-letter format and colon
    missing_crlf,          ///< a bulk payload is not followed by CRLF
    unexpected_chunk,      ///< `;` or `.` outside a streamed string or aggregate, or a non-chunk inside one
    invalid_streamed_type, ///< a type that cannot be streamed announced `?` (or a map ended mid-pair)
    // Limits (each configurable in parser_limits).
    bulk_too_long,         ///< a bulk payload is longer than max_bulk_length
    aggregate_too_large,   ///< an aggregate declares more than max_aggregate_elements nodes
    nesting_too_deep,      ///< aggregates nest deeper than max_depth
    line_too_long,         ///< no CRLF within max_line_length bytes
};

/// The category of respio::resp::error ("respio.resp").
RESPIO_DECL const boost::system::error_category& resp_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), resp_category()};
}

} // namespace respio::resp

template <>
struct boost::system::is_error_code_enum<respio::resp::error> : std::true_type {};

#ifdef RESPIO_HEADER_ONLY
#include <respio/resp/impl/error.ipp>
#endif

#endif // RESPIO_RESP_ERROR_HPP
