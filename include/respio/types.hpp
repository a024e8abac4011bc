// Result types that the standard library has no word for: `ok` (a status reply), `value` (any
// reply, for commands whose shape varies), and the structures of a few server replies.
#ifndef RESPIO_TYPES_HPP
#define RESPIO_TYPES_HPP

#include <respio/resp/type.hpp>

#include <cstdint>
#include <string>
#include <tuple>
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

    bool is_null() const noexcept { return data_type == resp::type::null; }
    bool is_error() const noexcept { return resp::is_error(data_type); }
    friend bool operator==(const value&, const value&) = default;
};

/// One stream entry (XRANGE, XREAD, ...): its id and its field/value pairs.
struct stream_entry {
    std::string id;
    std::vector<std::pair<std::string, std::string>> fields;
    friend bool operator==(const stream_entry&, const stream_entry&) = default;
    // Read from a two-element array: [id, [field, value, ...]].
    static constexpr auto respio_elements = std::make_tuple(&stream_entry::id, &stream_entry::fields);
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
    // Read from a map (RESP3) or a flat key/value array (RESP2); unknown keys are skipped.
    static constexpr auto respio_fields = std::make_tuple(
        std::pair{"id", &cluster_shard_node::id}, std::pair{"port", &cluster_shard_node::port},
        std::pair{"tls-port", &cluster_shard_node::tls_port}, std::pair{"ip", &cluster_shard_node::ip},
        std::pair{"endpoint", &cluster_shard_node::endpoint}, std::pair{"hostname", &cluster_shard_node::hostname},
        std::pair{"role", &cluster_shard_node::role},
        std::pair{"replication-offset", &cluster_shard_node::replication_offset},
        std::pair{"health", &cluster_shard_node::health});
};

/// One shard (a primary and its replicas) with the slot ranges it serves.
struct cluster_shard {
    std::vector<std::pair<std::int64_t, std::int64_t>> slots; ///< inclusive [first, last] ranges
    std::vector<cluster_shard_node> nodes;
    friend bool operator==(const cluster_shard&, const cluster_shard&) = default;
    static constexpr auto respio_fields =
        std::make_tuple(std::pair{"slots", &cluster_shard::slots}, std::pair{"nodes", &cluster_shard::nodes});
};

} // namespace respio

#endif // RESPIO_TYPES_HPP
