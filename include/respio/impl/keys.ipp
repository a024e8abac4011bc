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
        // Forward from `index`, or backward from argc + index when it is negative; as the server,
        // the search stops before the last argument (forward) or before argument 1 (backward).
        const bool forward = spec.index > 0;
        long long i = forward ? spec.index : argc + spec.index;
        const long long end = forward ? argc - 1 : 1;
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
        n = std::min(n, argc); // keys past the end are not there anyway (and first + n must not overflow)
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
        // MIGRATE host port "" db timeout KEYS k1 k2: the empty third argument says "the keys follow
        // KEYS"; it is no key itself.
        if (info.name == "MIGRATE" && argv.size() > 3 && argv[3].empty())
            std::erase(positions, std::size_t{3});
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
        if (!read_len(pos, '$', len) || len > bytes.size() - pos || bytes.size() - pos - len < 2) return 0;
        if (bytes[pos + len] != '\r' || bytes[pos + len + 1] != '\n') return 0;
        argv.push_back(bytes.substr(pos, len));
        pos += len + 2;
    }
    return pos;
}

RESPIO_DECL std::optional<std::chrono::milliseconds> block_time(const command_info& info, std::string_view request) {
    if (!info.is(command_flag::blocking)) return std::nullopt;
    std::vector<std::string_view> argv;
    if (split_command(request, argv) == 0) return std::nullopt;
    std::string_view arg;
    if (!info.block_keyword.empty()) {
        // Options come before the keys: a stream named BLOCK (XREAD STREAMS BLOCK 0) is no option.
        std::vector<std::size_t> keys;
        find_key_positions(info, argv, keys);
        const std::size_t options_end = keys.empty() ? argv.size() : keys.front();
        for (std::size_t i = 1; i + 1 < options_end; ++i) {
            if (keys_impl::iequals(argv[i], info.block_keyword)) {
                arg = argv[i + 1];
                break;
            }
        }
        if (arg.data() == nullptr) return std::nullopt; // XREAD without BLOCK does not block
    } else {
        const long long at = info.block_index < 0 ? static_cast<long long>(argv.size()) + info.block_index : info.block_index;
        if (at < 1 || at >= static_cast<long long>(argv.size())) return std::nullopt;
        arg = argv[static_cast<std::size_t>(at)];
    }
    double value = 0;
    auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), value);
    if (ec != std::errc() || p != arg.data() + arg.size() || value < 0) return std::nullopt; // the server will say
    const double ms = info.block_in_milliseconds ? value : value * 1000.0;
    return std::chrono::milliseconds(static_cast<long long>(ms + 0.999)); // never shorter than asked
}

RESPIO_DECL void append_glob_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
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

    // KEYS pattern and SCAN ... MATCH pattern select keys by name: the prefix goes in front of the
    // pattern (escaped, so its own * ? [ ] match literally). A SCAN without MATCH gets one, so a
    // prefixed client only ever sees its own keys.
    std::size_t pattern_at = 0;
    bool add_match = false;
    // SORT's BY and GET patterns name other keys (`weight_*`): prefixed too, except GET # (the
    // element itself) and a BY without * (which only means "do not sort").
    std::vector<std::size_t> sort_patterns;
    if (info.finder == key_finder::sort) {
        for (std::size_t i = 2; i + 1 < scratch.argv.size(); ++i) {
            const std::string_view a = scratch.argv[i];
            if (keys_impl::iequals(a, "LIMIT")) {
                i += 2;
            } else if (keys_impl::iequals(a, "BY") || keys_impl::iequals(a, "GET")) {
                const std::string_view p = scratch.argv[i + 1];
                const bool by = keys_impl::iequals(a, "BY");
                if (by ? p.find('*') != std::string_view::npos : p != "#") sort_patterns.push_back(i + 1);
                i += 1;
            } else if (keys_impl::iequals(a, "STORE")) {
                i += 1; // the destination (a key, even one named GET or BY)
            }
        }
    }
    if (info.key_pattern) {
        if (info.name == "KEYS") {
            pattern_at = scratch.argv.size() > 1 ? 1 : 0;
        } else {
            for (std::size_t i = 2; i + 1 < scratch.argv.size(); ++i) {
                if (keys_impl::iequals(scratch.argv[i], "MATCH")) {
                    pattern_at = i + 1;
                    break;
                }
            }
            add_match = pattern_at == 0;
        }
    }
    if (scratch.keys.empty() && pattern_at == 0 && !add_match && sort_patterns.empty()) return;

    // Rebuild the command (the views point into `buffer`, so build aside and copy back).
    std::string escaped;
    append_glob_escaped(escaped, prefix);
    scratch.bytes.clear();
    resp::bulk_writer w(scratch.bytes);
    w.array_header(scratch.argv.size() + (add_match ? 2 : 0));
    std::size_t k = 0;
    for (std::size_t i = 0; i < scratch.argv.size(); ++i) {
        if (k < scratch.keys.size() && scratch.keys[k] == i) {
            w.bulk(prefix, scratch.argv[i]);
            ++k;
        } else if (i == pattern_at && i != 0) {
            w.bulk(escaped, scratch.argv[i]);
        } else if (std::find(sort_patterns.begin(), sort_patterns.end(), i) != sort_patterns.end()) {
            w.bulk(prefix, scratch.argv[i]);
        } else {
            w.bulk(scratch.argv[i]);
        }
    }
    if (add_match) {
        w.bulk(std::string_view("MATCH"));
        w.bulk(escaped, "*");
    }
    buffer.resize(offset);
    buffer.append(scratch.bytes);
}

RESPIO_DECL resp::node_view key_name_stripper::apply(const resp::node_view& n) noexcept {
    if (prefix_.empty() || n.in_attribute) return n;
    bool is_key = false;
    switch (rule_) {
    case reply_keys::none: break;
    case reply_keys::whole: is_key = n.depth == 0; break;
    case reply_keys::all_elements: is_key = n.depth == 1; break;
    case reply_keys::second_elements:
        if (n.depth == 1) ++top_index_;
        is_key = n.depth == 2 && top_index_ == 2;
        break;
    case reply_keys::first_element:
        if (n.depth == 1) ++top_index_;
        is_key = n.depth == 1 && top_index_ == 1;
        break;
    case reply_keys::stream_keys:
        // RESP3: a map {stream: entries} (keys at depth 1, even positions); RESP2: an array of
        // [stream, entries] pairs (element 0 of each depth-1 array).
        if (n.depth == 0) top_is_map_ = n.data_type == resp::type::map;
        if (n.depth == 1) {
            ++top_index_;
            second_index_ = 0;
            is_key = top_is_map_ && top_index_ % 2 == 1;
        }
        if (n.depth == 2 && !top_is_map_) is_key = ++second_index_ == 1;
        break;
    }
    if (!is_key || resp::is_aggregate(n.data_type) || n.value.substr(0, prefix_.size()) != prefix_) return n;
    resp::node_view out = n;
    out.value.remove_prefix(prefix_.size());
    return out;
}

} // namespace respio::detail

#endif // RESPIO_IMPL_KEYS_IPP
