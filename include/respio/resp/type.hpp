// The RESP2/RESP3 data types, as the parser reports them.
#ifndef RESPIO_RESP_TYPE_HPP
#define RESPIO_RESP_TYPE_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace respio::resp {

/// The type of one node in a reply. Aggregates say how many elements follow; the rest carry a value.
enum class type : std::uint8_t {
    simple_string,   // +OK
    simple_error,    // -ERR text
    integer,         // :42
    bulk_string,     // $5 hello
    array,           // *N
    null,            // _  and RESP2's $-1 and *-1
    boolean,         // #t / #f
    double_type,     // ,3.14 ,inf ,-inf ,nan
    big_number,      // (123456789012345678901234567890
    bulk_error,      // !N text
    verbatim_string, // =N txt:text
    map,             // %N  (N key/value pairs)
    set,             // ~N
    attribute,       // |N  (N key/value pairs about the next value; never counted as a reply)
    push,            // >N  (out-of-band data: pub/sub messages, invalidations)
    streamed_string, // $?  followed by parts and an end marker
    streamed_string_part, // ;N text  (one chunk of a streamed string)
    stream_end,      // ;0 after string parts, or . after the elements of an unknown-size aggregate
};

/// The size an aggregate reports when its element count is not known in advance (`*?`, `%?`, ...).
inline constexpr std::size_t unknown_size = static_cast<std::size_t>(-1);

/// True for the types that are followed by elements.
constexpr bool is_aggregate(type t) noexcept {
    switch (t) {
    case type::array:
    case type::map:
    case type::set:
    case type::attribute:
    case type::push:
    case type::streamed_string: return true;
    default: return false;
    }
}

/// How many nodes each declared element stands for: maps and attributes hold pairs.
constexpr std::size_t element_multiplicity(type t) noexcept {
    return (t == type::map || t == type::attribute) ? 2 : 1;
}

/// True for the two error types (simple and bulk).
constexpr bool is_error(type t) noexcept { return t == type::simple_error || t == type::bulk_error; }

/// The RESP name of a type, for messages ("bulk-string", "map", ...).
constexpr std::string_view to_string(type t) noexcept {
    switch (t) {
    case type::simple_string: return "simple-string";
    case type::simple_error: return "simple-error";
    case type::integer: return "integer";
    case type::bulk_string: return "bulk-string";
    case type::array: return "array";
    case type::null: return "null";
    case type::boolean: return "boolean";
    case type::double_type: return "double";
    case type::big_number: return "big-number";
    case type::bulk_error: return "bulk-error";
    case type::verbatim_string: return "verbatim-string";
    case type::map: return "map";
    case type::set: return "set";
    case type::attribute: return "attribute";
    case type::push: return "push";
    case type::streamed_string: return "streamed-string";
    case type::streamed_string_part: return "streamed-string-part";
    case type::stream_end: return "stream-end";
    }
    return "unknown";
}

/// The type announced by a RESP prefix byte, if it is one.
constexpr std::optional<type> type_from_prefix(char c) noexcept {
    switch (c) {
    case '+': return type::simple_string;
    case '-': return type::simple_error;
    case ':': return type::integer;
    case '$': return type::bulk_string;
    case '*': return type::array;
    case '_': return type::null;
    case '#': return type::boolean;
    case ',': return type::double_type;
    case '(': return type::big_number;
    case '!': return type::bulk_error;
    case '=': return type::verbatim_string;
    case '%': return type::map;
    case '~': return type::set;
    case '|': return type::attribute;
    case '>': return type::push;
    case ';': return type::streamed_string_part;
    case '.': return type::stream_end;
    default: return std::nullopt;
    }
}

} // namespace respio::resp

#endif // RESPIO_RESP_TYPE_HPP
