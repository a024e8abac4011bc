// Result types that the standard library has no word for: `ok` (a status reply), `value` (any
// reply, for commands whose shape varies), and the structures of a few server replies.
#ifndef RESPIO_TYPES_HPP
#define RESPIO_TYPES_HPP

#include <respio/resp/type.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace respio {

/// The reply of commands that answer +OK (or another status line) and nothing else.
struct ok {
    friend bool operator==(const ok&, const ok&) = default;
};

/// Any reply, kept whole: for commands whose reply shape varies, and for exploring.
/// Maps keep their pairs in `elements` as key, value, key, value (in the server's order).
struct value {
    resp::type data_type = resp::type::null;
    std::string string;   ///< text of strings, errors, big numbers, verbatim strings (without "txt:"), doubles
    std::int64_t integer = 0; ///< integers, and booleans as 0/1
    double real = 0.0;    ///< doubles
    std::vector<value> elements; ///< arrays, sets, pushes; maps as alternating keys and values
    std::vector<value> attributes; ///< attribute pairs sent with this value, if any (key, value, ...)

    bool is_null() const noexcept { return data_type == resp::type::null; }
    bool is_error() const noexcept { return resp::is_error(data_type); }
    friend bool operator==(const value&, const value&) = default;
};

/// One stream entry (XRANGE, XREAD, ...): its id and its field/value pairs.
struct stream_entry {
    std::string id;
    std::vector<std::pair<std::string, std::string>> fields;
    friend bool operator==(const stream_entry&, const stream_entry&) = default;
};

/// One node of a shard, as CLUSTER SHARDS describes it.
struct cluster_shard_node {
    std::string id;
    std::int64_t port = 0;     ///< plaintext port (0 when the node listens on TLS only)
    std::int64_t tls_port = 0; ///< TLS port, when the cluster uses TLS
    std::string ip;
    std::string endpoint;      ///< the address clients should use (ip, hostname or "?")
    std::string hostname;
    std::string role;          ///< "master" / "primary" or "replica"
    std::int64_t replication_offset = 0;
    std::string health;        ///< "online", "failed", "loading"
    friend bool operator==(const cluster_shard_node&, const cluster_shard_node&) = default;
};

/// One shard (a primary and its replicas) with the slot ranges it serves.
struct cluster_shard {
    std::vector<std::pair<std::int64_t, std::int64_t>> slots; ///< inclusive [first, last] ranges
    std::vector<cluster_shard_node> nodes;
    friend bool operator==(const cluster_shard&, const cluster_shard&) = default;
};

} // namespace respio

#endif // RESPIO_TYPES_HPP
