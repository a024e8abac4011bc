// node_view: one element of a parsed reply, as a view into the read buffer (no copy, no allocation).
#ifndef RESPIO_RESP_NODE_HPP
#define RESPIO_RESP_NODE_HPP

#include <respio/resp/type.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace respio::resp {

/// One node of a reply in pre-order. A reply `*2\r\n$1\r\na\r\n:7\r\n` is three nodes:
/// {array, size 2, depth 0}, {bulk_string "a", depth 1}, {integer 7, depth 1}.
///
/// `value` points into the caller's buffer and is valid until the caller discards those bytes
/// (the connection keeps a reply's bytes until the reply is complete).
struct node_view {
    type data_type = type::null;
    /// Aggregates: the declared element count (pairs for maps and attributes), or unknown_size
    /// for streamed aggregates. Scalars: 1.
    std::size_t size = 1;
    /// 0 for the top-level value; elements of an aggregate at depth d are at d + 1.
    std::size_t depth = 0;
    /// Scalars: the payload (bulk bytes, the line of a simple type, the digits of a number, the
    /// text of a verbatim string after its "fmt:" prefix). Empty for aggregates and nulls.
    std::string_view value;
    /// Verbatim strings: the 3-letter format ("txt", "mkd"). Empty otherwise.
    std::string_view format;
    /// The decoded number for integer (and boolean: 0/1) nodes, so adapters never parse twice.
    std::int64_t integer = 0;
    /// The decoded value of double nodes.
    double real = 0.0;
    /// True for the attribute node and every node inside an attribute: metadata about the value
    /// that follows, never part of a reply's value.
    bool in_attribute = false;
};

} // namespace respio::resp

#endif // RESPIO_RESP_NODE_HPP
