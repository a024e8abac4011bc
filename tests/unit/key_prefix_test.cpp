// Keys: where the keys of a command are (key specs, as the server reads them), the key prefix put
// in front of exactly those arguments (and of key patterns), and taken off key names in replies.
// Checked per key-spec form, through real descriptors, and over every generated descriptor.
#include <respio/commands.hpp>
#include <respio/detail/keys.hpp>
#include <respio/resp.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace respio;
using respio::detail::apply_key_prefix;
using respio::detail::find_key_positions;
using respio::detail::key_name_stripper;
using respio::detail::key_scratch;
using respio::detail::split_command;
using positions = std::vector<std::size_t>;

//
// Every generated descriptor, from all_commands.inc (made by tests/unit/CMakeLists.txt).
//

struct described {
    std::string_view ident;
    const command_info* info;
    std::span<const std::string_view> name_tokens;
    std::span<const respio::detail::arg_node> args;
    std::size_t top_args;
};

#define X(n) described{#n, &respio::desc::n::meta, respio::desc::n::name_tokens, respio::desc::n::args, respio::desc::n::top_args},
const std::vector<described> all_commands{
#include "all_commands.inc"
};
#undef X

const command_info& info_of(std::string_view name) {
    static const std::map<std::string_view, const command_info*> by_name = [] {
        std::map<std::string_view, const command_info*> m;
        for (const auto& d : all_commands) m.emplace(d.info->name, d.info);
        return m;
    }();
    auto it = by_name.find(name);
    if (it == by_name.end()) throw std::out_of_range("no descriptor named " + std::string(name));
    return *it->second;
}

positions keys_of(std::string_view command, std::initializer_list<std::string_view> argv) {
    positions p;
    find_key_positions(info_of(command), std::vector<std::string_view>(argv), p);
    return p;
}

// The arguments of one serialized command (which must span the whole buffer).
std::vector<std::string> args_of(std::string_view bytes) {
    std::vector<std::string_view> views;
    const std::size_t n = split_command(bytes, views);
    EXPECT_EQ(n, bytes.size()) << "one whole command";
    return {views.begin(), views.end()};
}

// A bound command, written and prefixed as the connection does it.
template <class Bound>
std::vector<std::string> prefixed(const Bound& c, std::string_view prefix) {
    std::string buf;
    c.write(buf);
    key_scratch scratch;
    apply_key_prefix(buf, 0, c.info(), prefix, scratch);
    return args_of(buf);
}

// Arguments written by hand, prefixed with the descriptor named by the first one.
std::vector<std::string> prefixed_raw(std::initializer_list<std::string_view> argv, std::string_view prefix) {
    std::string buf;
    resp::append_command(buf, std::vector<std::string_view>(argv));
    key_scratch scratch;
    apply_key_prefix(buf, 0, info_of(*argv.begin()), prefix, scratch);
    return args_of(buf);
}

using strings = std::vector<std::string>;

} // namespace

//
// find_key_positions: each begin_search / find_keys form of the specs
//

TEST(key_positions, index_and_range_with_lastkey_zero) {
    EXPECT_EQ(keys_of("GET", {"GET", "k"}), (positions{1}));
    EXPECT_EQ(keys_of("SET", {"SET", "k", "v", "EX", "10"}), (positions{1}));
    EXPECT_EQ(keys_of("OBJECT ENCODING", {"OBJECT", "ENCODING", "k"}), (positions{2})) << "subcommand counted";
    EXPECT_EQ(keys_of("LMOVE", {"LMOVE", "src", "dst", "LEFT", "RIGHT"}), (positions{1, 2}));
    EXPECT_EQ(keys_of("LCS", {"LCS", "a", "b", "LEN"}), (positions{1, 2})) << "lastkey 1";
}

TEST(key_positions, range_to_the_end_and_before_the_end) {
    EXPECT_EQ(keys_of("MGET", {"MGET", "a", "b", "c"}), (positions{1, 2, 3}));
    EXPECT_EQ(keys_of("DEL", {"DEL", "a"}), (positions{1}));
    // lastkey -2: every argument but the timeout.
    EXPECT_EQ(keys_of("BLPOP", {"BLPOP", "a", "b", "0"}), (positions{1, 2}));
    EXPECT_EQ(keys_of("BZPOPMIN", {"BZPOPMIN", "z", "1.5"}), (positions{1}));
    // BITOP: destination at 2, sources from 3 to the end.
    EXPECT_EQ(keys_of("BITOP", {"BITOP", "AND", "dst", "s1", "s2"}), (positions{2, 3, 4}));
}

TEST(key_positions, range_with_step_two) {
    EXPECT_EQ(keys_of("MSET", {"MSET", "a", "1", "b", "2", "c", "3"}), (positions{1, 3, 5}));
    EXPECT_EQ(keys_of("MSETNX", {"MSETNX", "a", "1"}), (positions{1}));
}

TEST(key_positions, keyword_streams_with_limit_two) {
    EXPECT_EQ(keys_of("XREAD", {"XREAD", "STREAMS", "s", "0"}), (positions{2}));
    EXPECT_EQ(keys_of("XREAD", {"XREAD", "COUNT", "2", "BLOCK", "0", "STREAMS", "a", "b", "0", "$"}), (positions{6, 7}));
    EXPECT_EQ(keys_of("XREAD", {"XREAD", "streams", "a", "b", "c", "1", "2", "3"}), (positions{2, 3, 4}));
    // A stream named STREAMS: the first keyword wins.
    EXPECT_EQ(keys_of("XREAD", {"XREAD", "STREAMS", "STREAMS", "0"}), (positions{2}));
    EXPECT_EQ(keys_of("XREADGROUP", {"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s1", "s2", ">", ">"}),
              (positions{7, 8}));
    // The search starts at 4: a group named STREAMS is no keyword.
    EXPECT_EQ(keys_of("XREADGROUP", {"XREADGROUP", "GROUP", "STREAMS", "c", "STREAMS", "s", ">"}), (positions{5}));
}

TEST(key_positions, keyword_searched_forward_from_a_positive_start) {
    EXPECT_EQ(keys_of("GEORADIUS", {"GEORADIUS", "g", "0", "0", "1", "km", "STORE", "dst"}), (positions{1, 7}));
    EXPECT_EQ(keys_of("GEORADIUS", {"GEORADIUS", "g", "0", "0", "1", "km", "COUNT", "5", "storedist", "d"}),
              (positions{1, 9}));
    EXPECT_EQ(keys_of("GEORADIUS", {"GEORADIUS", "g", "0", "0", "1", "km", "WITHDIST"}), (positions{1}));
    // A member named STORE before the search start is no keyword.
    EXPECT_EQ(keys_of("GEORADIUSBYMEMBER", {"GEORADIUSBYMEMBER", "g", "STORE", "1", "km", "STORE", "d"}),
              (positions{1, 6}));
    // A keyword as the last argument has no key after it.
    EXPECT_EQ(keys_of("GEORADIUS", {"GEORADIUS", "g", "0", "0", "1", "km", "STORE"}), (positions{1}));
}

TEST(key_positions, keyword_searched_backward_from_a_negative_start) {
    // MIGRATE: KEYS searched from the second-to-last argument backwards; "" is no key.
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE", "h", "6379", "", "0", "5000", "KEYS", "a", "b"}), (positions{7, 8}));
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE", "h", "6379", "", "0", "5000", "COPY", "REPLACE", "KEYS", "a"}),
              (positions{9}));
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE", "h", "6379", "k", "0", "5000"}), (positions{3}));
    // A password spelled KEYS: the last KEYS is the keyword.
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE", "h", "6379", "", "0", "5000", "AUTH", "KEYS", "KEYS", "a"}),
              (positions{9}));
}

TEST(key_positions, backward_keyword_search_stops_before_argument_one) {
    // As the server (db.c: the backward search ends at index 1, exclusive): a host named "keys"
    // is never the KEYS keyword.
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE", "keys", "6379", "k", "0", "5000"}), (positions{3}));
}

TEST(key_positions, keynum_forms) {
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "return 1", "2", "a", "b", "x", "y"}), (positions{3, 4}));
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "return 1", "0", "x"}), (positions{}));
    EXPECT_EQ(keys_of("FCALL", {"FCALL", "fn", "1", "k", "arg"}), (positions{3}));
    EXPECT_EQ(keys_of("EVALSHA_RO", {"EVALSHA_RO", "abc", "1", "k"}), (positions{3}));
    EXPECT_EQ(keys_of("ZUNIONSTORE", {"ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"}), (positions{1, 3, 4}));
    EXPECT_EQ(keys_of("ZINTERSTORE", {"ZINTERSTORE", "dst", "1", "a", "AGGREGATE", "MAX"}), (positions{1, 3}));
    EXPECT_EQ(keys_of("ZDIFF", {"ZDIFF", "2", "a", "b", "WITHSCORES"}), (positions{2, 3}));
    // The timeout comes first, then numkeys.
    EXPECT_EQ(keys_of("BLMPOP", {"BLMPOP", "0.5", "2", "a", "b", "LEFT", "COUNT", "3"}), (positions{3, 4}));
    EXPECT_EQ(keys_of("LMPOP", {"LMPOP", "1", "a", "RIGHT"}), (positions{2}));
    EXPECT_EQ(keys_of("SINTERCARD", {"SINTERCARD", "2", "a", "b", "LIMIT", "5"}), (positions{2, 3}));
}

TEST(key_positions, sort_follows_its_grammar_not_the_word_store) {
    EXPECT_EQ(keys_of("SORT", {"SORT", "k"}), (positions{1}));
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "STORE", "dst"}), (positions{1, 3}));
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "BY", "w_*", "LIMIT", "0", "10", "GET", "#", "DESC", "ALPHA", "store", "d"}),
              (positions{1, 12}));
    // A GET pattern (or BY pattern, or LIMIT count) literally named STORE is no keyword.
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "GET", "STORE", "STORE", "dst"}), (positions{1, 5}));
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "BY", "STORE", "GET", "STORE"}), (positions{1}));
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "LIMIT", "STORE", "STORE", "ASC"}), (positions{1}));
    EXPECT_EQ(keys_of("SORT_RO", {"SORT_RO", "k", "GET", "STORE"}), (positions{1}));
}

TEST(key_positions, channels_are_not_keys) {
    EXPECT_EQ(keys_of("PUBLISH", {"PUBLISH", "ch", "msg"}), (positions{}));
    EXPECT_EQ(keys_of("SPUBLISH", {"SPUBLISH", "ch", "msg"}), (positions{})) << "NOT_KEY spec";
    EXPECT_EQ(keys_of("SSUBSCRIBE", {"SSUBSCRIBE", "a", "b"}), (positions{}));
    EXPECT_EQ(keys_of("PING", {"PING"}), (positions{}));
}

TEST(key_positions, malformed_argument_lists_do_not_crash) {
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s", "two", "a"}), (positions{})) << "numkeys not a number";
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s", "-1", "a"}), (positions{})) << "negative numkeys";
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s", "1 ", "a"}), (positions{})) << "numkeys with a space";
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s"}), (positions{})) << "numkeys missing";
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s", "5", "a"}), (positions{3})) << "fewer keys than numkeys";
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s", "99999999999999999999", "a"}), (positions{}));
    EXPECT_EQ(keys_of("EVAL", {"EVAL", "s", "9223372036854775807", "a"}), (positions{3}));
    EXPECT_EQ(keys_of("ZUNIONSTORE", {"ZUNIONSTORE", "dst"}), (positions{1}));
    EXPECT_EQ(keys_of("GET", {"GET"}), (positions{}));
    EXPECT_EQ(keys_of("GET", {}), (positions{}));
    EXPECT_EQ(keys_of("OBJECT ENCODING", {"OBJECT", "ENCODING"}), (positions{}));
    EXPECT_EQ(keys_of("MSET", {"MSET"}), (positions{}));
    EXPECT_EQ(keys_of("XREAD", {"XREAD", "STREAMS"}), (positions{}));
    EXPECT_EQ(keys_of("XREAD", {"XREAD", "COUNT", "1"}), (positions{}));
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE", "h", "6379", ""}), (positions{}));
    EXPECT_EQ(keys_of("MIGRATE", {"MIGRATE"}), (positions{}));
    EXPECT_EQ(keys_of("SORT", {"SORT"}), (positions{}));
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "LIMIT"}), (positions{1}));
    EXPECT_EQ(keys_of("SORT", {"SORT", "k", "STORE"}), (positions{1}));
    EXPECT_EQ(keys_of("BLPOP", {"BLPOP"}), (positions{}));
    EXPECT_EQ(keys_of("GEORADIUS", {"GEORADIUS"}), (positions{}));
}

TEST(key_positions, appends_after_existing_positions) {
    positions p{100, 7};
    find_key_positions(info_of("MSET"), {"MSET", "b", "1", "a", "2"}, p);
    EXPECT_EQ(p, (positions{100, 7, 1, 3})) << "earlier entries kept as they were";
}

//
// Every generated descriptor: positions are sane for any argument list, and agree with the
// argument grammar (the "key" arguments) of the same command.
//

namespace {

// Builds an argument list from a command's grammar, remembering where its key arguments go:
// required arguments only (minimal) or every optional one too; `reps` occurrences of every
// repeated argument (numbers are `reps` too, so numkeys agrees with the keys given).
class grammar_sample {
public:
    grammar_sample(const described& d, bool maximal, int reps) : d_(d), maximal_(maximal), reps_(reps) {
        for (std::string_view t : d.name_tokens) argv_.emplace_back(t);
        for (std::size_t i = 0; i < d.top_args; ++i) emit(i);
    }
    const std::vector<std::string>& argv() const { return argv_; }
    const positions& keys() const { return keys_; }

private:
    void content(std::size_t i) {
        using respio::detail::arg_kind;
        const auto& n = d_.args[i];
        switch (n.kind) {
        case arg_kind::pure_token: argv_.emplace_back(n.token); return;
        case arg_kind::oneof: emit(n.first_child); return;
        case arg_kind::block:
            for (std::size_t c = 0; c < n.child_count; ++c) emit(n.first_child + c);
            return;
        case arg_kind::key:
            keys_.push_back(argv_.size());
            argv_.push_back("key" + std::to_string(argv_.size()));
            return;
        case arg_kind::integer:
        case arg_kind::unix_time: argv_.push_back(std::to_string(reps_)); return;
        case arg_kind::double_type: argv_.push_back("1.5"); return;
        default: argv_.push_back("arg" + std::to_string(argv_.size())); return;
        }
    }
    void emit(std::size_t i) {
        const auto& n = d_.args[i];
        if (n.optional && !maximal_) return;
        const int times = n.multiple ? reps_ : 1;
        const bool has_token = !n.token.empty() && n.kind != respio::detail::arg_kind::pure_token;
        for (int r = 0; r < times; ++r) {
            if (has_token && (r == 0 || n.multiple_token)) argv_.emplace_back(n.token);
            content(i);
        }
    }

    const described& d_;
    bool maximal_;
    int reps_;
    std::vector<std::string> argv_;
    positions keys_;
};

std::vector<std::string_view> views(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

} // namespace

TEST(key_positions_all_commands, every_descriptor_is_listed) {
    EXPECT_GE(all_commands.size(), 399u);
    std::set<std::string_view> names;
    for (const auto& d : all_commands) EXPECT_TRUE(names.insert(d.info->name).second) << d.info->name;
}

TEST(key_positions_all_commands, key_specs_agree_with_the_argument_grammar) {
    std::size_t checked = 0, with_keys = 0;
    for (const auto& d : all_commands) {
        for (bool maximal : {false, true}) {
            for (int reps : {1, 2, 3}) {
                grammar_sample s(d, maximal, reps);
                positions got;
                find_key_positions(*d.info, views(s.argv()), got);
                std::string line;
                for (const auto& a : s.argv()) line += a + ' ';
                EXPECT_EQ(got, s.keys()) << d.info->name << (maximal ? " (all options)" : " (required only)")
                                         << ": " << line;
                ++checked;
                if (!s.keys().empty()) ++with_keys;
            }
        }
    }
    EXPECT_EQ(checked, all_commands.size() * 6);
    EXPECT_GT(with_keys, 6u * 150u) << "most commands have keys: the samples must exercise them";
}

TEST(key_positions_all_commands, positions_are_sorted_unique_and_never_the_name) {
    // Fillers chosen to trip keyword searches and keynum parsing.
    const std::vector<std::string_view> fillers{"1", "0", "-1", "x", "STREAMS", "KEYS", "STORE", "", "99999999999"};
    for (const auto& d : all_commands) {
        for (std::string_view filler : fillers) {
            for (std::size_t extra = 0; extra <= 9; ++extra) {
                std::vector<std::string_view> argv(d.name_tokens.begin(), d.name_tokens.end());
                argv.insert(argv.end(), extra, filler);
                positions p;
                find_key_positions(*d.info, argv, p);
                EXPECT_TRUE(std::is_sorted(p.begin(), p.end())) << d.info->name;
                EXPECT_EQ(std::adjacent_find(p.begin(), p.end()), p.end()) << d.info->name;
                for (std::size_t k : p) {
                    EXPECT_GE(k, d.name_tokens.size()) << d.info->name << " filler '" << filler << "' x" << extra;
                    EXPECT_LT(k, argv.size()) << d.info->name;
                }
            }
        }
    }
}

TEST(key_positions_all_commands, prefix_goes_on_exactly_the_keys) {
    // SORT's BY/GET patterns and KEYS/SCAN patterns are prefixed too: checked on their own below.
    const std::set<std::string_view> pattern_commands{"SORT", "SORT_RO", "KEYS", "SCAN"};
    std::size_t prefixed_commands = 0;
    for (const auto& d : all_commands) {
        if (pattern_commands.count(d.info->name)) continue;
        grammar_sample s(d, true, 2);
        std::string buf = "*1\r\n$4\r\nPING\r\n"; // an earlier command in the same buffer
        const std::size_t offset = buf.size();
        std::vector<std::string_view> argv = views(s.argv());
        resp::append_command(buf, argv);
        key_scratch scratch;
        apply_key_prefix(buf, offset, *d.info, "{p}:", scratch);
        ASSERT_EQ(buf.substr(0, offset), "*1\r\n$4\r\nPING\r\n") << d.info->name;
        const auto after = args_of(std::string_view(buf).substr(offset));
        ASSERT_EQ(after.size(), argv.size()) << d.info->name;
        for (std::size_t i = 0; i < argv.size(); ++i) {
            const bool key = std::find(s.keys().begin(), s.keys().end(), i) != s.keys().end();
            EXPECT_EQ(after[i], (key ? "{p}:" : "") + std::string(argv[i])) << d.info->name << " argument " << i;
        }
        if (!s.keys().empty()) ++prefixed_commands;
    }
    EXPECT_GT(prefixed_commands, 150u);
}

TEST(key_positions_all_commands, empty_prefix_changes_nothing) {
    for (const auto& d : all_commands) {
        grammar_sample s(d, true, 1);
        std::string buf;
        resp::append_command(buf, views(s.argv()));
        const std::string before = buf;
        key_scratch scratch;
        apply_key_prefix(buf, 0, *d.info, "", scratch);
        EXPECT_EQ(buf, before) << d.info->name;
    }
}

//
// apply_key_prefix through real descriptors
//

TEST(key_prefix, mget_and_mset_keys_but_not_values) {
    EXPECT_EQ(prefixed(cmd::mget("a", "b"), "p:"), (strings{"MGET", "p:a", "p:b"}));
    EXPECT_EQ(prefixed(cmd::mset("a", "1", "b", "2"), "p:"), (strings{"MSET", "p:a", "1", "p:b", "2"}));
    EXPECT_EQ(prefixed(cmd::mset(std::map<std::string, std::string>{{"a", "a"}, {"b", "b"}}), "p:"),
              (strings{"MSET", "p:a", "a", "p:b", "b"}));
    EXPECT_EQ(prefixed(cmd::set("k", "k", opt::ex(10)), "p:"), (strings{"SET", "p:k", "k", "EX", "10"}));
    EXPECT_EQ(prefixed(cmd::del(std::vector<std::string>{"x", "y", "z"}), "p:"), (strings{"DEL", "p:x", "p:y", "p:z"}));
}

TEST(key_prefix, numkeys_commands) {
    EXPECT_EQ(prefixed(cmd::zunionstore("dst", 2, "a", "b", opt::weights(1, 2)), "p:"),
              (strings{"ZUNIONSTORE", "p:dst", "2", "p:a", "p:b", "WEIGHTS", "1", "2"}));
    EXPECT_EQ(prefixed(cmd::zinterstore("dst", 1, "a", opt::aggregate(opt::max)), "p:"),
              (strings{"ZINTERSTORE", "p:dst", "1", "p:a", "AGGREGATE", "MAX"}));
    EXPECT_EQ(prefixed(cmd::eval("return KEYS[1]", 2, "a", "b", "arg1", "arg2"), "p:"),
              (strings{"EVAL", "return KEYS[1]", "2", "p:a", "p:b", "arg1", "arg2"}));
    EXPECT_EQ(prefixed(cmd::eval("return 1", 0, "a"), "p:"), (strings{"EVAL", "return 1", "0", "a"}));
    EXPECT_EQ(prefixed(cmd::fcall("fn", 1, "k", "v"), "p:"), (strings{"FCALL", "fn", "1", "p:k", "v"}));
    EXPECT_EQ(prefixed(cmd::blmpop(0.5, 2, "a", "b", opt::left), "p:"),
              (strings{"BLMPOP", "0.5", "2", "p:a", "p:b", "LEFT"}));
}

TEST(key_prefix, streams_after_the_streams_keyword) {
    EXPECT_EQ(prefixed(cmd::xread(opt::count(5), opt::streams("s1", "s2", "0", "$")), "p:"),
              (strings{"XREAD", "COUNT", "5", "STREAMS", "p:s1", "p:s2", "0", "$"}));
    EXPECT_EQ(prefixed(cmd::xreadgroup(opt::group("g", "c"), opt::noack, opt::streams("s", ">")), "p:"),
              (strings{"XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "p:s", ">"}));
}

TEST(key_prefix, sort_store_and_by_get_patterns) {
    EXPECT_EQ(prefixed(cmd::sort("k", opt::by("w_*"), opt::get("#"), opt::get("o_*->f"), opt::store("d")), "p:"),
              (strings{"SORT", "p:k", "BY", "p:w_*", "GET", "#", "GET", "p:o_*->f", "STORE", "p:d"}));
    // BY without * means "do not sort": it names no key.
    EXPECT_EQ(prefixed(cmd::sort("k", opt::by("nosort"), opt::limit(0, 10)), "p:"),
              (strings{"SORT", "p:k", "BY", "nosort", "LIMIT", "0", "10"}));
    // A GET pattern literally named STORE.
    EXPECT_EQ(prefixed(cmd::sort("k", opt::get("STORE"), opt::store("d")), "p:"),
              (strings{"SORT", "p:k", "GET", "p:STORE", "STORE", "p:d"}));
    EXPECT_EQ(prefixed(cmd::sort_ro("k", opt::get("#"), opt::alpha), "p:"),
              (strings{"SORT_RO", "p:k", "GET", "#", "ALPHA"}));
}

TEST(key_prefix, sort_destination_named_like_a_keyword_is_only_a_key) {
    // The server takes SORT's options in any order (cmd::sort insists on the documented one, so
    // these are written by hand): after STORE comes the destination, even one named GET or BY.
    EXPECT_EQ(prefixed_raw({"SORT", "k", "STORE", "GET", "DESC"}, "p:"), (strings{"SORT", "p:k", "STORE", "p:GET", "DESC"}));
    EXPECT_EQ(prefixed_raw({"SORT", "k", "STORE", "BY", "w_*"}, "p:"), (strings{"SORT", "p:k", "STORE", "p:BY", "w_*"}));
    EXPECT_EQ(prefixed_raw({"SORT", "k", "STORE", "d", "GET", "g_*"}, "p:"),
              (strings{"SORT", "p:k", "STORE", "p:d", "GET", "p:g_*"}));
}

TEST(key_prefix, migrate_both_forms) {
    EXPECT_EQ(prefixed(cmd::migrate("h", 6379, opt::empty_string, 0, 5000, opt::keys("a", "b")), "p:"),
              (strings{"MIGRATE", "h", "6379", "", "0", "5000", "KEYS", "p:a", "p:b"}));
    EXPECT_EQ(prefixed(cmd::migrate("h", 6379, "k", 0, 5000, opt::copy), "p:"),
              (strings{"MIGRATE", "h", "6379", "p:k", "0", "5000", "COPY"}));
    EXPECT_EQ(prefixed(cmd::migrate("h", 6379, opt::empty_string, 0, 5000, opt::auth("KEYS"), opt::keys("a")), "p:"),
              (strings{"MIGRATE", "h", "6379", "", "0", "5000", "AUTH", "KEYS", "KEYS", "p:a"}));
}

TEST(key_prefix, subcommands_and_keyword_keys) {
    EXPECT_EQ(prefixed(cmd::object_encoding("k"), "p:"), (strings{"OBJECT", "ENCODING", "p:k"}));
    EXPECT_EQ(prefixed(cmd::xgroup_create("s", "g", "$", opt::mkstream), "p:"),
              (strings{"XGROUP", "CREATE", "p:s", "g", "$", "MKSTREAM"}));
    EXPECT_EQ(prefixed(cmd::georadius("g", 15, 37, 200, opt::km, opt::store("dst")), "p:"),
              (strings{"GEORADIUS", "p:g", "15", "37", "200", "km", "STORE", "p:dst"}));
    EXPECT_EQ(prefixed(cmd::bitop(opt::and_, "dst", "a", "b"), "p:"), (strings{"BITOP", "AND", "p:dst", "p:a", "p:b"}));
}

TEST(key_prefix, keys_and_scan_patterns_get_the_escaped_prefix) {
    EXPECT_EQ(prefixed(cmd::keys("user:*"), "app:"), (strings{"KEYS", "app:user:*"}));
    EXPECT_EQ(prefixed(cmd::keys("*"), "a*b?[c]\\:"), (strings{"KEYS", "a\\*b\\?\\[c\\]\\\\:*"}));
    EXPECT_EQ(prefixed(cmd::scan(0, opt::match("u*"), opt::count(10)), "p?"),
              (strings{"SCAN", "0", "MATCH", "p\\?u*", "COUNT", "10"}));
    // A SCAN without MATCH gets one, so a prefixed client only sees its own keys.
    EXPECT_EQ(prefixed(cmd::scan(0), "p:"), (strings{"SCAN", "0", "MATCH", "p:*"}));
    EXPECT_EQ(prefixed(cmd::scan(17, opt::count(5), opt::type("string")), "p*"),
              (strings{"SCAN", "17", "COUNT", "5", "TYPE", "string", "MATCH", "p\\**"}));
    // HSCAN's MATCH selects fields, not keys.
    EXPECT_EQ(prefixed(cmd::hscan("h", 0, opt::match("f*")), "p:"), (strings{"HSCAN", "p:h", "0", "MATCH", "f*"}));
}

TEST(key_prefix, append_glob_escaped_escapes_each_glob_character) {
    std::string out = "x";
    respio::detail::append_glob_escaped(out, "a*?[]\\b");
    EXPECT_EQ(out, "xa\\*\\?\\[\\]\\\\b");
}

TEST(key_prefix, commands_without_keys_are_untouched) {
    for (const std::string& bytes : {resp::make_command("PUBLISH", "ch", "msg"), resp::make_command("PING"),
                                     resp::make_command("SUBSCRIBE", "a", "b"), resp::make_command("SPUBLISH", "c", "m"),
                                     resp::make_command("DBSIZE")}) {
        std::string buf = bytes;
        key_scratch scratch;
        const auto name = args_of(bytes)[0];
        apply_key_prefix(buf, 0, info_of(name), "p:", scratch);
        EXPECT_EQ(buf, bytes) << name;
    }
    EXPECT_EQ(prefixed(cmd::publish("ch", "msg"), "p:"), (strings{"PUBLISH", "ch", "msg"}));
}

TEST(key_prefix, empty_prefix_and_earlier_commands_in_the_buffer) {
    std::string buf;
    cmd::mget("a", "b").write(buf);
    const std::string original = buf;
    key_scratch scratch;
    apply_key_prefix(buf, 0, cmd::mget.info(), "", scratch);
    EXPECT_EQ(buf, original);

    // Several commands queued: only the one at `offset` changes.
    std::string queue;
    cmd::get("x").write(queue);
    cmd::incr("y").write(queue);
    const std::string earlier = queue;
    const std::size_t offset = queue.size();
    cmd::mget("a", "b").write(queue);
    apply_key_prefix(queue, offset, cmd::mget.info(), "p:", scratch);
    EXPECT_EQ(queue.substr(0, offset), earlier);
    EXPECT_EQ(args_of(std::string_view(queue).substr(offset)), (strings{"MGET", "p:a", "p:b"}));

    // Scratch reuse across commands gives the same result as fresh scratch.
    std::string again;
    cmd::mget("a", "b").write(again);
    apply_key_prefix(again, 0, cmd::mget.info(), "p:", scratch);
    EXPECT_EQ(again, queue.substr(offset));
}

TEST(key_prefix, bytes_that_are_no_command_are_left_alone) {
    for (std::string bytes : {std::string("*2\r\n$3\r\nGET\r\n$1\r\n"), std::string("+OK\r\n"), std::string(""),
                              std::string("*1\r\n:1\r\n")}) {
        std::string buf = bytes;
        key_scratch scratch;
        apply_key_prefix(buf, 0, info_of("GET"), "p:", scratch);
        EXPECT_EQ(buf, bytes);
    }
}

TEST(split_command, whole_commands_only) {
    std::vector<std::string_view> argv;
    const std::string two = resp::make_command("GET", "k") + resp::make_command("PING");
    EXPECT_EQ(split_command(two, argv), two.size() - 14);
    EXPECT_EQ(argv, (std::vector<std::string_view>{"GET", "k"}));
    EXPECT_EQ(split_command(std::string_view(two).substr(0, 10), argv), 0u);
    EXPECT_EQ(split_command("*1\r\n$4\r\nPINGxx", argv), 0u) << "payload not followed by CRLF";
    EXPECT_EQ(split_command("$4\r\nPING\r\n", argv), 0u);
    EXPECT_EQ(split_command("*1\r\n$18446744073709551615\r\nx\r\n", argv), 0u) << "length near SIZE_MAX";
    EXPECT_EQ(split_command("*1\r\n$18446744073709551614\r\nx\r\n", argv), 0u);
    EXPECT_EQ(split_command("*2\r\n$1\r\na\r\n", argv), 0u) << "fewer bulks than announced";
    EXPECT_EQ(split_command("*0\r\n", argv), 4u);
    EXPECT_TRUE(argv.empty());
    const std::string binary = resp::make_command("SET", std::string("a\r\nb", 4), std::string(1, '\0'));
    EXPECT_EQ(split_command(binary, argv), binary.size());
    EXPECT_EQ(argv[1], std::string_view("a\r\nb", 4));
}

//
// key_name_stripper: the prefix taken off key names in replies
//

namespace {

// Every scalar of the reply after the stripper, with its depth: "1:k".
std::vector<std::string> stripped(reply_keys rule, std::string_view prefix, std::string_view bytes) {
    std::vector<std::string> out;
    key_name_stripper s(rule, prefix);
    resp::parser p;
    boost::system::error_code ec;
    for (;;) {
        auto n = p.next(bytes, ec);
        EXPECT_FALSE(ec) << ec.message();
        if (ec || !n) break;
        const auto after = s.apply(*n);
        EXPECT_EQ(after.data_type, n->data_type);
        EXPECT_EQ(after.depth, n->depth);
        if (!resp::is_aggregate(after.data_type)) out.push_back(std::to_string(after.depth) + ":" + std::string(after.value));
        if (p.done()) break;
    }
    EXPECT_TRUE(p.done()) << "one whole reply";
    return out;
}

std::string b(std::string_view s) { return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n"; }

} // namespace

TEST(key_name_stripper, randomkey_whole_reply) {
    EXPECT_EQ(stripped(reply_keys::whole, "p:", b("p:key")), (strings{"0:key"}));
    EXPECT_EQ(stripped(reply_keys::whole, "p:", b("other")), (strings{"0:other"})) << "no prefix: left alone";
    EXPECT_EQ(stripped(reply_keys::whole, "p:", b("p:")), (strings{"0:"}));
    EXPECT_EQ(stripped(reply_keys::whole, "p:", "_\r\n"), (strings{"0:"}));
}

TEST(key_name_stripper, keys_every_element) {
    EXPECT_EQ(stripped(reply_keys::all_elements, "p:", "*3\r\n" + b("p:a") + b("p:b") + b("q:c")),
              (strings{"1:a", "1:b", "1:q:c"}));
    EXPECT_EQ(stripped(reply_keys::all_elements, "p:", "~1\r\n" + b("p:a")), (strings{"1:a"}));
}

TEST(key_name_stripper, scan_second_element_only) {
    // A cursor that happens to start like the prefix is no key.
    EXPECT_EQ(stripped(reply_keys::second_elements, "1", "*2\r\n" + b("17") + "*2\r\n" + b("1a") + b("1b")),
              (strings{"1:17", "2:a", "2:b"}));
    EXPECT_EQ(stripped(reply_keys::second_elements, "p:", "*2\r\n" + b("0") + "*0\r\n"), (strings{"1:0"}));
}

TEST(key_name_stripper, blpop_blmpop_bzpopmin_first_element_only) {
    EXPECT_EQ(stripped(reply_keys::first_element, "p:", "*2\r\n" + b("p:list") + b("p:value")),
              (strings{"1:list", "1:p:value"}));
    EXPECT_EQ(stripped(reply_keys::first_element, "p:", "*2\r\n" + b("p:list") + "*2\r\n" + b("p:x") + b("y")),
              (strings{"1:list", "2:p:x", "2:y"}));
    EXPECT_EQ(stripped(reply_keys::first_element, "p:", "*3\r\n" + b("p:z") + b("p:m") + ",1.5\r\n"),
              (strings{"1:z", "1:p:m", "1:1.5"}));
    EXPECT_EQ(stripped(reply_keys::first_element, "p:", "_\r\n"), (strings{"0:"}));
}

TEST(key_name_stripper, xread_stream_names_in_resp3_map_and_resp2_array) {
    const std::string entries = "*1\r\n*2\r\n" + b("1-0") + "*2\r\n" + b("p:f") + b("p:v");
    const strings expected{"1:s1", "3:1-0", "4:p:f", "4:p:v", "1:s2"};
    EXPECT_EQ(stripped(reply_keys::stream_keys, "p:", "%2\r\n" + b("p:s1") + entries + b("p:s2") + "*0\r\n"), expected);
    auto resp2 = stripped(reply_keys::stream_keys, "p:",
                          "*2\r\n*2\r\n" + b("p:s1") + entries + "*2\r\n" + b("p:s2") + "*0\r\n");
    EXPECT_EQ(resp2, (strings{"2:s1", "4:1-0", "5:p:f", "5:p:v", "2:s2"}));
    EXPECT_EQ(stripped(reply_keys::stream_keys, "p:", "*-1\r\n"), (strings{"0:"}));
}

TEST(key_name_stripper, nothing_without_a_rule_a_prefix_or_in_attributes) {
    EXPECT_EQ(stripped(reply_keys::none, "p:", "*1\r\n" + b("p:a")), (strings{"1:p:a"}));
    EXPECT_EQ(stripped(reply_keys::all_elements, "", "*1\r\n" + b("p:a")), (strings{"1:p:a"}));
    EXPECT_EQ(stripped(reply_keys::whole, "p:", "|1\r\n" + b("p:meta") + b("p:x") + b("p:key")),
              (strings{"1:p:meta", "1:p:x", "0:key"}));
}

TEST(key_name_stripper, descriptors_name_their_reply_key_rule) {
    EXPECT_EQ(info_of("RANDOMKEY").reply_key_names, reply_keys::whole);
    EXPECT_EQ(info_of("KEYS").reply_key_names, reply_keys::all_elements);
    EXPECT_EQ(info_of("SCAN").reply_key_names, reply_keys::second_elements);
    for (std::string_view n : {"BLPOP", "BRPOP", "BLMPOP", "LMPOP", "ZMPOP", "BZMPOP", "BZPOPMIN", "BZPOPMAX"})
        EXPECT_EQ(info_of(n).reply_key_names, reply_keys::first_element) << n;
    EXPECT_EQ(info_of("XREAD").reply_key_names, reply_keys::stream_keys);
    EXPECT_EQ(info_of("XREADGROUP").reply_key_names, reply_keys::stream_keys);
    EXPECT_EQ(info_of("GET").reply_key_names, reply_keys::none);
    EXPECT_EQ(info_of("HSCAN").reply_key_names, reply_keys::none) << "HSCAN returns fields";
    EXPECT_TRUE(info_of("KEYS").key_pattern);
    EXPECT_TRUE(info_of("SCAN").key_pattern);
    EXPECT_FALSE(info_of("HSCAN").key_pattern);
    EXPECT_EQ(info_of("SORT").finder, key_finder::sort);
    EXPECT_EQ(info_of("SORT_RO").finder, key_finder::sort);
}
