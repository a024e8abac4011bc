// What respio knows about a command at run time: flags, key specs, routing and aggregation policies.
// Generated descriptors carry one constexpr command_info each; the non-template core (key prefixing,
// cluster routing, blocking detection) reads only this.
#ifndef RESPIO_COMMAND_INFO_HPP
#define RESPIO_COMMAND_INFO_HPP

#include <cstdint>
#include <string_view>

namespace respio {

/// Where a command goes in a cluster (the REQUEST_POLICY command tip; "default_*" when absent).
enum class request_policy : std::uint8_t {
    default_keyless, ///< no keys: any node
    default_keyed,   ///< the node owning the keys' slot (all keys in one slot)
    all_nodes,       ///< every node, primaries and replicas
    all_shards,      ///< every primary
    multi_shard,     ///< split per slot, sent to each owner, replies reassembled
    special,         ///< a documented choice per command
};

/// How replies from several nodes become one (the RESPONSE_POLICY command tip).
enum class response_policy : std::uint8_t {
    default_keyless,
    default_keyed,
    one_succeeded,   ///< the first success; an error only if every node failed
    all_succeeded,   ///< success only if every node succeeded
    agg_logical_and,
    agg_logical_or,
    agg_min,
    agg_max,
    agg_sum,
    special,
};

/// Command flags (COMMAND INFO's flags), a bit each.
enum class command_flag : std::uint32_t {
    none = 0,
    readonly = 1u << 0,
    write = 1u << 1,
    denyoom = 1u << 2,
    admin = 1u << 3,
    pubsub = 1u << 4,
    noscript = 1u << 5,
    blocking = 1u << 6,
    loading = 1u << 7,
    stale = 1u << 8,
    skip_monitor = 1u << 9,
    skip_slowlog = 1u << 10,
    asking = 1u << 11,
    fast = 1u << 12,
    no_auth = 1u << 13,
    may_replicate = 1u << 14,
    sentinel = 1u << 15,
    only_sentinel = 1u << 16,
    no_mandatory_keys = 1u << 17,
    protected_ = 1u << 18,
    no_async_loading = 1u << 19,
    no_multi = 1u << 20,
    allow_busy = 1u << 21,
    touches_arbitrary_keys = 1u << 22,
    module = 1u << 23, ///< not from the specs: a runtime (module or unknown) command
};

constexpr command_flag operator|(command_flag a, command_flag b) noexcept {
    return static_cast<command_flag>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr bool has_flag(command_flag set, command_flag f) noexcept {
    return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(f)) != 0;
}

/// Where one group of keys sits in the arguments (a key_specs entry of the command JSON).
/// Positions count the command name (and a subcommand's container) as argument 0.
struct key_spec {
    enum class begin : std::uint8_t {
        index,   ///< the first key is at `index`
        keyword, ///< the first key follows `keyword`, searched from `index` (negative: from the end, backwards)
        unknown, ///< found by a command-specific rule (see `finder`)
    };
    enum class find : std::uint8_t {
        range,  ///< keys from the first to `last` (>= 0: relative; < 0: from the end), every `step`;
                ///< with `limit` > 0 and last -1: the first 1/limit of what remains (XREAD STREAMS)
        keynum, ///< the argument at first + `keynum_index` counts the keys; they begin at first + `first_key`
        unknown,
    };
    /// Key-spec flags (RO, RW, OW, RM, ACCESS, UPDATE, INSERT, DELETE, NOT_KEY, INCOMPLETE, VARIABLE_FLAGS).
    enum flag : std::uint16_t {
        ro = 1u << 0,
        rw = 1u << 1,
        ow = 1u << 2,
        rm = 1u << 3,
        access = 1u << 4,
        update = 1u << 5,
        insert = 1u << 6,
        del = 1u << 7,
        not_key = 1u << 8,
        incomplete = 1u << 9,
        variable_flags = 1u << 10,
    };

    begin begin_kind = begin::index;
    int index = 0;                // begin::index: position; begin::keyword: where the search starts
    std::string_view keyword{};   // begin::keyword
    find find_kind = find::range;
    int last = 0;                 // range
    int step = 1;                 // range and keynum
    int limit = 0;                // range
    int keynum_index = 0;         // keynum
    int first_key = 1;            // keynum
    std::uint16_t flags = 0;
};

/// Commands whose keys no key spec describes fully get a rule by name.
enum class key_finder : std::uint8_t {
    specs, ///< the key specs say it all
    sort,  ///< SORT / SORT_RO: the key, then the key after STORE (skipping BY/GET patterns and LIMIT)
};

/// Which parts of a reply are key names (so a key prefix can be taken off them).
enum class reply_keys : std::uint8_t {
    none,
    whole,                ///< the reply is a key (RANDOMKEY)
    all_elements,         ///< every element (KEYS)
    second_elements,      ///< every element of element 1 (SCAN's keys)
    first_element,        ///< element 0 (BLPOP, BRPOP, BLMPOP, LMPOP, ZMPOP, BZMPOP, BZPOPMIN/MAX)
    stream_keys,          ///< the stream names of XREAD/XREADGROUP (map keys, or element 0 of each pair)
};

/// Everything the run-time core knows about one command.
struct command_info {
    std::string_view name{};    ///< "GET", or a subcommand as "CLIENT SETNAME"
    int arity = 0;              ///< the server's arity: >= 0 exact, < 0 at least -arity (name included)
    command_flag flags = command_flag::none;
    request_policy request = request_policy::default_keyless;
    response_policy response = response_policy::default_keyless;
    const key_spec* keys = nullptr;
    std::uint8_t key_spec_count = 0;
    key_finder finder = key_finder::specs;
    reply_keys reply_key_names = reply_keys::none;
    /// KEYS and SCAN: the pattern (KEYS's argument, SCAN's MATCH) selects keys by name, so a key
    /// prefix goes in front of it too.
    bool key_pattern = false;
    /// Blocking commands: the argument holding the block time (-1: the last one; 0: none or see
    /// block_keyword), and its unit.
    int block_index = 0;
    std::string_view block_keyword{}; ///< XREAD/XREADGROUP: the time follows BLOCK (milliseconds)
    bool block_in_milliseconds = false;
    std::string_view since{};   ///< the server version that introduced it
    std::string_view group{};   ///< "string", "cluster", ...

    constexpr bool is(command_flag f) const noexcept { return has_flag(flags, f); }
};

} // namespace respio

#endif // RESPIO_COMMAND_INFO_HPP
