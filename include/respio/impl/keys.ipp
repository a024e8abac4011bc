// Body of respio/detail/keys.hpp.
#ifndef RESPIO_IMPL_KEYS_IPP
#define RESPIO_IMPL_KEYS_IPP

#include <respio/detail/keys.hpp>
#include <respio/resp/serializer.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace respio::detail {
namespace keys_impl {

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

inline bool to_int(std::string_view s, long long& out) noexcept {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// One key spec, as the server reads it (db.c's key-spec walk, reimplemented from its documented
// semantics): find the first key, then the last, then step.
inline void keys_of_spec(const key_spec& spec, const std::vector<std::string_view>& argv, std::vector<std::size_t>& out) {
    const long long argc = static_cast<long long>(argv.size());
    long long first = 0;
    switch (spec.begin_kind) {
    case key_spec::begin::index: first = spec.index; break;
    case key_spec::begin::keyword: {
        // Forward from `index`, or backward from argc + index when it is negative; never the
        // command name itself.
        const bool forward = spec.index > 0;
        long long i = forward ? spec.index : argc + spec.index;
        const long long end = forward ? argc - 1 : 0;
        for (; i != end; i += forward ? 1 : -1) {
            if (i >= argc || i < 1) break;
            if (iequals(argv[static_cast<std::size_t>(i)], spec.keyword)) {
                first = i + 1;
                break;
            }
        }
        if (first == 0) return; // keyword absent: no keys from this spec
        break;
    }
    case key_spec::begin::unknown: return;
    }

    long long last = 0, step = spec.step > 0 ? spec.step : 1;
    switch (spec.find_kind) {
    case key_spec::find::range:
        if (spec.last >= 0) {
            last = first + spec.last;
        } else if (spec.limit == 0) {
            last = argc + spec.last;
        } else { // the first 1/limit of the remaining arguments (last is -1 by construction)
            last = first + ((argc - first) / spec.limit + spec.last);
        }
        break;
    case key_spec::find::keynum: {
        const long long at = first + spec.keynum_index;
        long long n = 0;
        if (at < 0 || at >= argc || !to_int(argv[static_cast<std::size_t>(at)], n) || n < 0) return;
        first += spec.first_key;
        last = first + n - 1;
        break;
    }
    case key_spec::find::unknown: return;
    }
    for (long long i = first; i <= last && i < argc; i += step) {
        if (i >= 1) out.push_back(static_cast<std::size_t>(i));
    }
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE dest]:
// patterns may spell "STORE", so walk the grammar instead of searching for the word.
inline void keys_of_sort(const std::vector<std::string_view>& argv, std::vector<std::size_t>& out) {
    if (argv.size() < 2) return;
    out.push_back(1);
    for (std::size_t i = 2; i < argv.size(); ++i) {
        if (iequals(argv[i], "LIMIT")) {
            i += 2;
        } else if (iequals(argv[i], "BY") || iequals(argv[i], "GET")) {
            i += 1;
        } else if (iequals(argv[i], "STORE") && i + 1 < argv.size()) {
            out.push_back(i + 1);
            i += 1;
        }
    }
}

} // namespace keys_impl

RESPIO_DECL void find_key_positions(const command_info& info,
                                    const std::vector<std::string_view>& argv,
                                    std::vector<std::size_t>& positions) {
    const std::size_t begin = positions.size();
    if (info.finder == key_finder::sort) {
        keys_impl::keys_of_sort(argv, positions);
    } else {
        for (std::size_t s = 0; s < info.key_spec_count; ++s) {
            if (info.keys[s].flags & key_spec::not_key) continue; // e.g. a channel, not a key
            keys_impl::keys_of_spec(info.keys[s], argv, positions);
        }
    }
    auto first = positions.begin() + static_cast<std::ptrdiff_t>(begin);
    std::sort(first, positions.end());
    positions.erase(std::unique(first, positions.end()), positions.end());
}

RESPIO_DECL std::size_t split_command(std::string_view bytes, std::vector<std::string_view>& argv) {
    argv.clear();
    auto read_len = [&](std::size_t& pos, char prefix, std::size_t& value) {
        if (pos >= bytes.size() || bytes[pos] != prefix) return false;
        const char* begin = bytes.data() + pos + 1;
        const char* end = bytes.data() + bytes.size();
        auto [p, ec] = std::from_chars(begin, end, value);
        if (ec != std::errc() || p + 1 >= end || p[0] != '\r' || p[1] != '\n') return false;
        pos = static_cast<std::size_t>(p + 2 - bytes.data());
        return true;
    };
    std::size_t pos = 0, count = 0;
    if (!read_len(pos, '*', count)) return 0;
    for (std::size_t i = 0; i < count; ++i) {
        std::size_t len = 0;
        if (!read_len(pos, '$', len) || bytes.size() - pos < len + 2) return 0;
        argv.push_back(bytes.substr(pos, len));
        pos += len + 2;
    }
    return pos;
}

RESPIO_DECL void apply_key_prefix(std::string& buffer,
                                  std::size_t offset,
                                  const command_info& info,
                                  std::string_view prefix,
                                  key_scratch& scratch) {
    if (prefix.empty()) return;
    scratch.keys.clear();
    if (split_command(std::string_view(buffer).substr(offset), scratch.argv) == 0) return;
    find_key_positions(info, scratch.argv, scratch.keys);
    if (scratch.keys.empty()) return;

    // Rebuild the command with the prefix in front of the key arguments (the views point into
    // `buffer`, so build aside and copy back).
    scratch.bytes.clear();
    resp::bulk_writer w(scratch.bytes);
    w.array_header(scratch.argv.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < scratch.argv.size(); ++i) {
        if (k < scratch.keys.size() && scratch.keys[k] == i) {
            w.bulk(prefix, scratch.argv[i]);
            ++k;
        } else {
            w.bulk(scratch.argv[i]);
        }
    }
    buffer.resize(offset);
    buffer.append(scratch.bytes);
}

} // namespace respio::detail

#endif // RESPIO_IMPL_KEYS_IPP
