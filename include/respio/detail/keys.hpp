// Key positions of a command from its key specs, the request's arguments as views, and the key
// prefix applied to exactly the key arguments. Sans-io, non-template (compiled once in src.hpp).
#ifndef RESPIO_DETAIL_KEYS_HPP
#define RESPIO_DETAIL_KEYS_HPP

#include <respio/command_info.hpp>
#include <respio/detail/config.hpp>
#include <respio/resp/node.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace respio::detail {

/// Appends to `positions` the argument indexes (0 = the command name) that are keys, in ascending
/// order without duplicates, following the server's own rules for key specs. Malformed argument
/// lists (a keynum that is not a number, too few arguments) yield the keys that can be found; the
/// server reports the error.
RESPIO_DECL void find_key_positions(const command_info& info,
                                    const std::vector<std::string_view>& argv,
                                    std::vector<std::size_t>& positions);

/// Splits one serialized command (an array of bulk strings, as resp::append_command writes it)
/// into views of its arguments. Returns the bytes it spans, or 0 if `bytes` does not start with a
/// complete command of that shape.
RESPIO_DECL std::size_t split_command(std::string_view bytes, std::vector<std::string_view>& argv);

/// Storage reused across calls, so that prefixing allocates nothing in the steady state.
struct key_scratch {
    std::vector<std::string_view> argv;
    std::vector<std::size_t> keys;
    std::string bytes;
};

/// Rewrites the command that starts at `offset` in `buffer` (and runs to its end) with `prefix`
/// put before every key argument.
RESPIO_DECL void apply_key_prefix(std::string& buffer,
                                  std::size_t offset,
                                  const command_info& info,
                                  std::string_view prefix,
                                  key_scratch& scratch);

/// How long a blocking command may block, from its arguments (BLPOP's timeout in seconds,
/// XREAD's BLOCK in milliseconds, ...): nothing when the command does not block (XREAD without
/// BLOCK), zero for "forever".
RESPIO_DECL std::optional<std::chrono::milliseconds> block_time(const command_info& info, std::string_view request);

/// Escapes glob characters (* ? [ ] \) so a key prefix matches literally inside a pattern.
RESPIO_DECL void append_glob_escaped(std::string& out, std::string_view text);

/// Takes a key prefix off the key names in a reply (KEYS, SCAN, BLPOP, XREAD, ... per
/// command_info::reply_key_names). Feed it every node of one reply, in order.
class key_name_stripper {
public:
    key_name_stripper(reply_keys rule, std::string_view prefix) noexcept : rule_(rule), prefix_(prefix) {}

    /// The node, with the prefix removed from its value when it is a key name that has it.
    RESPIO_DECL resp::node_view apply(const resp::node_view& n) noexcept;

private:
    reply_keys rule_;
    std::string_view prefix_;
    std::size_t top_index_ = 0;    // elements seen at depth 1
    std::size_t second_index_ = 0; // elements seen at depth 2 (reset per depth-1 element)
    bool top_is_map_ = false;
};

} // namespace respio::detail

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/keys.ipp>
#endif

#endif // RESPIO_DETAIL_KEYS_HPP
