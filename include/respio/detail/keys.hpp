// Key positions of a command from its key specs, the request's arguments as views, and the key
// prefix applied to exactly the key arguments. Sans-io, non-template (compiled once in src.hpp).
#ifndef RESPIO_DETAIL_KEYS_HPP
#define RESPIO_DETAIL_KEYS_HPP

#include <respio/command_info.hpp>
#include <respio/detail/config.hpp>

#include <cstddef>
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

} // namespace respio::detail

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/keys.ipp>
#endif

#endif // RESPIO_DETAIL_KEYS_HPP
