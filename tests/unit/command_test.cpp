// Command descriptors: the exact bytes of bound commands, their result types, the command_info
// facts routing and blocking rely on, and every generated descriptor reachable and consistent.
#include <respio/adapt.hpp>
#include <respio/commands.hpp>
#include <respio/detail/keys.hpp>
#include <respio/resp.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#ifndef RESPIO_SOURCE_DIR
#error "RESPIO_SOURCE_DIR (the repository root) must be defined by the build"
#endif

namespace {

using namespace respio;

template <class Bound>
std::string bytes_of(const Bound& c) {
    std::string out;
    c.write(out);
    return out;
}

// The RESP bytes of a command given as its arguments, spelled out by hand.
std::string resp_of(std::initializer_list<std::string_view> args) {
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (std::string_view a : args) out += "$" + std::to_string(a.size()) + "\r\n" + std::string(a) + "\r\n";
    return out;
}

template <class Bound, class T>
constexpr bool result_is = std::is_same_v<typename Bound::result_type, T>;

//
// Every generated descriptor, from all_commands.inc (made by tests/unit/CMakeLists.txt).
//

struct reachable {
    std::string_view ident;
    const command_info* desc_meta;      // respio::desc::<ident>::meta
    const command_info* callable_meta;  // respio::cmd::<ident>.info()
    std::span<const std::string_view> name_tokens;
    std::size_t top_args;
    bool (*reads_a_null)();             // a reply_reader<result_type> finishes on `_`
};

template <class Desc>
bool reader_finishes_on_null() {
    typename Desc::result_type target{};
    reply_reader<typename Desc::result_type> reader(target);
    resp::node_view null_node;
    null_node.data_type = resp::type::null;
    reader.on_node(null_node);
    return reader.done();
}

#define X(n)                                                                                                      \
    reachable{#n,                                                                                                 \
              &respio::desc::n::meta,                                                                             \
              &respio::cmd::n.info(),                                                                             \
              respio::desc::n::name_tokens,                                                                       \
              respio::desc::n::top_args,                                                                          \
              &reader_finishes_on_null<respio::desc::n>},
const std::vector<reachable> all_commands{
#include "all_commands.inc"
};
#undef X

const command_info& info_of(std::string_view name) {
    for (const auto& c : all_commands)
        if (c.desc_meta->name == name) return *c.desc_meta;
    throw std::out_of_range("no descriptor named " + std::string(name));
}

std::string lower_dashed(std::string_view name) {
    std::string s(name);
    for (char& c : s) {
        if (c == ' ') c = '-';
        else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

} // namespace

//
// Exact bytes
//

TEST(command_bytes, set_with_options) {
    EXPECT_EQ(bytes_of(cmd::set("k", "v")), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    EXPECT_EQ(bytes_of(cmd::set("k", "v", opt::nx, opt::ex(10))),
              "*6\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nNX\r\n$2\r\nEX\r\n$2\r\n10\r\n");
    EXPECT_EQ(bytes_of(cmd::set("k", "v", opt::xx, opt::get, opt::keepttl)),
              resp_of({"SET", "k", "v", "XX", "GET", "KEEPTTL"}));
    EXPECT_EQ(bytes_of(cmd::set("k", std::string("v\r\n", 3), opt::pxat(1700000000000LL))),
              resp_of({"SET", "k", "v\r\n", "PXAT", "1700000000000"}));
    const std::string key = "key";
    const std::string_view value = "value";
    EXPECT_EQ(bytes_of(cmd::set(key, value, opt::px(1500))), resp_of({"SET", "key", "value", "PX", "1500"}));
}

TEST(command_bytes, zadd_scores_and_members) {
    EXPECT_EQ(bytes_of(cmd::zadd("z", 1, "a")), resp_of({"ZADD", "z", "1", "a"}));
    EXPECT_EQ(bytes_of(cmd::zadd("z", opt::xx, opt::gt, opt::ch, 1.5, "a", 2, "b")),
              resp_of({"ZADD", "z", "XX", "GT", "CH", "1.5", "a", "2", "b"}));
    EXPECT_EQ(bytes_of(cmd::zadd("z", opt::incr, -std::numeric_limits<double>::infinity(), "m")),
              resp_of({"ZADD", "z", "INCR", "-inf", "m"}));
    const std::vector<std::pair<double, std::string>> members{{0.25, "x"}, {3, "y"}};
    EXPECT_EQ(bytes_of(cmd::zadd("z", members)), resp_of({"ZADD", "z", "0.25", "x", "3", "y"}));
}

TEST(command_bytes, xadd_with_auto_id_and_trimming) {
    EXPECT_EQ(bytes_of(cmd::xadd("s", opt::auto_id, "f", "v")), resp_of({"XADD", "s", "*", "f", "v"}));
    EXPECT_EQ(bytes_of(cmd::xadd("s", "1-1", "f", "v", "g", "w")), resp_of({"XADD", "s", "1-1", "f", "v", "g", "w"}));
    EXPECT_EQ(bytes_of(cmd::xadd("s", opt::nomkstream, opt::maxlen, opt::approximately, 1000, opt::limit(10),
                                 opt::auto_id, std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}})),
              resp_of({"XADD", "s", "NOMKSTREAM", "MAXLEN", "~", "1000", "LIMIT", "10", "*", "a", "1", "b", "2"}));
    EXPECT_EQ(bytes_of(cmd::xadd("s", opt::minid, opt::equal, "0-1", opt::auto_id, "f", "v")),
              resp_of({"XADD", "s", "MINID", "=", "0-1", "*", "f", "v"}));
}

TEST(command_bytes, bitfield_with_overflow) {
    EXPECT_EQ(bytes_of(cmd::bitfield("bf", opt::incrby("u2", 100, 1), opt::overflow(opt::sat),
                                     opt::incrby("u2", 102, 1), opt::get("u4", 0))),
              resp_of({"BITFIELD", "bf", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "1", "GET",
                       "u4", "0"}));
    EXPECT_EQ(bytes_of(cmd::bitfield("bf", opt::overflow(opt::fail), opt::set("i8", 0, -5))),
              resp_of({"BITFIELD", "bf", "OVERFLOW", "FAIL", "SET", "i8", "0", "-5"}));
    EXPECT_EQ(bytes_of(cmd::bitfield("bf")), resp_of({"BITFIELD", "bf"}));
}

TEST(command_bytes, client_kill_old_form_and_filters) {
    EXPECT_EQ(bytes_of(cmd::client_kill("127.0.0.1:6379")), resp_of({"CLIENT", "KILL", "127.0.0.1:6379"}));
    EXPECT_EQ(bytes_of(cmd::client_kill(opt::id(42), opt::type(opt::normal), opt::skipme(opt::no), opt::maxage(60))),
              resp_of({"CLIENT", "KILL", "ID", "42", "TYPE", "normal", "SKIPME", "NO", "MAXAGE", "60"}));
    EXPECT_EQ(bytes_of(cmd::client_kill(opt::user("bob"), opt::laddr("10.0.0.1:6379"), opt::addr("10.0.0.2:5000"))),
              resp_of({"CLIENT", "KILL", "USER", "bob", "LADDR", "10.0.0.1:6379", "ADDR", "10.0.0.2:5000"}));
}

TEST(command_bytes, georadius_units_and_options) {
    EXPECT_EQ(bytes_of(cmd::georadius("g", 15, 37.5, 200, opt::km)), resp_of({"GEORADIUS", "g", "15", "37.5", "200", "km"}));
    EXPECT_EQ(bytes_of(cmd::georadius("g", 15, 37, 1.5, opt::mi, opt::withcoord, opt::withdist, opt::count(3), opt::any,
                                      opt::asc)),
              resp_of({"GEORADIUS", "g", "15", "37", "1.5", "mi", "WITHCOORD", "WITHDIST", "COUNT", "3", "ANY", "ASC"}));
    EXPECT_EQ(bytes_of(cmd::georadius("g", 0, 0, 10, opt::ft, opt::storedist("d"))),
              resp_of({"GEORADIUS", "g", "0", "0", "10", "ft", "STOREDIST", "d"}));
    EXPECT_EQ(bytes_of(cmd::georadius("g", 0, 0, 10, opt::m)), resp_of({"GEORADIUS", "g", "0", "0", "10", "m"}));
}

TEST(command_bytes, migrate_empty_key_placeholder_is_an_empty_bulk) {
    EXPECT_EQ(bytes_of(cmd::migrate("h", 6379, opt::empty_string, 0, 5000, opt::keys("a", "b"))),
              "*9\r\n$7\r\nMIGRATE\r\n$1\r\nh\r\n$4\r\n6379\r\n$0\r\n\r\n$1\r\n0\r\n$4\r\n5000\r\n$4\r\nKEYS\r\n"
              "$1\r\na\r\n$1\r\nb\r\n");
    EXPECT_EQ(bytes_of(cmd::migrate("h", 6379, "k", 0, 5000, opt::copy, opt::replace, opt::auth2("user", "pw"))),
              resp_of({"MIGRATE", "h", "6379", "k", "0", "5000", "COPY", "REPLACE", "AUTH2", "user", "pw"}));
}

TEST(command_bytes, subcommands_ranges_and_appending) {
    EXPECT_EQ(bytes_of(cmd::object_encoding("k")), resp_of({"OBJECT", "ENCODING", "k"}));
    EXPECT_EQ(bytes_of(cmd::config_get("maxmemory", "save")), resp_of({"CONFIG", "GET", "maxmemory", "save"}));
    EXPECT_EQ(bytes_of(cmd::del(std::vector<std::string>{"a", "b", "c"})), resp_of({"DEL", "a", "b", "c"}));
    EXPECT_EQ(bytes_of(cmd::hset("h", std::map<std::string, int>{{"f", 1}, {"g", 2}})),
              resp_of({"HSET", "h", "f", "1", "g", "2"}));
    EXPECT_EQ(bytes_of(cmd::ping()), resp_of({"PING"}));
    EXPECT_EQ(bytes_of(cmd::scan(0, opt::match("a*"), opt::count(100), opt::type("hash"))),
              resp_of({"SCAN", "0", "MATCH", "a*", "COUNT", "100", "TYPE", "hash"}));
    // write() appends: a buffer of queued commands keeps what it had.
    std::string buf = "prefix";
    cmd::get("k").write(buf);
    EXPECT_EQ(buf, "prefix" + resp_of({"GET", "k"}));
    // Lowercase tokens and aliases mean the same wire bytes.
    EXPECT_EQ(bytes_of(cmd::getex("k", opt::persist)), resp_of({"GETEX", "k", "PERSIST"}));
}

TEST(command_bytes, bound_commands_keep_copies_of_their_arguments) {
    std::string key = "before";
    auto c = cmd::get(key);
    key = "after";
    EXPECT_EQ(bytes_of(c), resp_of({"GET", "before"}));
    EXPECT_EQ(std::get<0>(c.arguments()), "before");
}

//
// Result types
//

TEST(command_result_types, per_command) {
    static_assert(result_is<decltype(cmd::get("k")), std::optional<std::string>>);
    static_assert(result_is<decltype(cmd::incr("k")), std::int64_t>);
    static_assert(result_is<decltype(cmd::hgetall("h")), std::map<std::string, std::string>>);
    static_assert(result_is<decltype(cmd::zrange("z", 0, -1)), std::vector<std::string>>);
    static_assert(result_is<decltype(cmd::zrange("z", 0, -1, opt::withscores)), std::vector<std::pair<std::string, double>>>);
    static_assert(result_is<decltype(cmd::zrange("z", 0, 10, opt::byscore, opt::rev, opt::limit(0, 5), opt::withscores)),
                            std::vector<std::pair<std::string, double>>>);
    static_assert(result_is<decltype(cmd::zrangebyscore("z", 0, 1, opt::withscores)),
                            std::vector<std::pair<std::string, double>>>);
    static_assert(result_is<decltype(cmd::set("k", "v")), std::optional<ok>>);
    static_assert(result_is<decltype(cmd::set("k", "v", opt::nx)), std::optional<ok>>);
    static_assert(result_is<decltype(cmd::set("k", "v", opt::get)), std::optional<std::string>>);
    static_assert(result_is<decltype(cmd::set("k", "v", opt::nx, opt::get, opt::ex(1))), std::optional<std::string>>);
    static_assert(result_is<decltype(cmd::scan(0)), std::pair<std::string, std::vector<std::string>>>);
    static_assert(result_is<decltype(cmd::cluster_shards()), std::vector<cluster_shard>>);
    static_assert(result_is<decltype(cmd::exists("a", "b")), std::int64_t>);
    static_assert(result_is<decltype(cmd::expire("k", 10)), bool>);
    static_assert(result_is<decltype(cmd::mget("a", "b")), std::vector<std::optional<std::string>>>);
    static_assert(result_is<decltype(cmd::zadd("z", 1, "m")), std::int64_t>);
    static_assert(result_is<decltype(cmd::zadd("z", opt::incr, 1, "m")), std::optional<double>>);
    static_assert(result_is<decltype(cmd::zscore("z", "m")), std::optional<double>>);
    static_assert(result_is<decltype(cmd::blpop("a", 0)), std::optional<std::pair<std::string, std::string>>>);
    static_assert(result_is<decltype(cmd::blmpop(0, 1, "a", opt::left)),
                            std::optional<std::pair<std::string, std::vector<std::string>>>>);
    static_assert(result_is<decltype(cmd::bzpopmin("z", 0)), std::optional<std::tuple<std::string, std::string, double>>>);
    static_assert(result_is<decltype(cmd::xrange("s", "-", "+")), std::vector<stream_entry>>);
    static_assert(result_is<decltype(cmd::xread(opt::streams("s", "0"))),
                            std::optional<std::vector<std::pair<std::string, std::vector<stream_entry>>>>>);
    static_assert(result_is<decltype(cmd::config_get("maxmemory")), std::map<std::string, std::string>>);
    static_assert(result_is<decltype(cmd::hello()), value>);
    static_assert(result_is<decltype(cmd::del("k")), std::int64_t>);
    static_assert(result_is<decltype(cmd::sismember("s", "m")), bool>);
    static_assert(result_is<decltype(cmd::dbsize()), std::int64_t>);
    static_assert(result_is<decltype(cmd::info()), std::string>);
    static_assert(result_is<decltype(cmd::mset("a", "1")), ok>);
    static_assert(result_is<decltype(cmd::hrandfield("h", 2, opt::withvalues)),
                            std::vector<std::pair<std::string, std::string>>>);
    static_assert(result_is<decltype(cmd::zrandmember("z", 2, opt::withscores)),
                            std::vector<std::pair<std::string, double>>>);
    static_assert(result_is<decltype(cmd::hget("h", "f")), std::optional<std::string>>);
    static_assert(result_is<decltype(cmd::lrange("l", 0, -1)), std::vector<std::string>>);
    static_assert(result_is<decltype(cmd::publish("c", "m")), std::int64_t>);
    // Typed results read real replies of both protocols.
    SUCCEED();
}

TEST(command_result_types, every_descriptor_result_type_is_readable) {
    // Instantiated for all descriptors above (a type no adapter can read fails to compile); every
    // reader finishes on a null reply, whether it holds a null, an empty value or reports an error.
    for (const auto& c : all_commands) EXPECT_TRUE(c.reads_a_null()) << c.desc_meta->name;
}

//
// command_info facts
//

TEST(command_info_facts, flags) {
    EXPECT_TRUE(cmd::get.info().is(command_flag::readonly));
    EXPECT_TRUE(cmd::get.info().is(command_flag::fast));
    EXPECT_FALSE(cmd::get.info().is(command_flag::write));
    EXPECT_TRUE(cmd::set.info().is(command_flag::write));
    EXPECT_TRUE(cmd::set.info().is(command_flag::denyoom));
    EXPECT_FALSE(cmd::set.info().is(command_flag::readonly));
    EXPECT_TRUE(cmd::blpop.info().is(command_flag::blocking));
    EXPECT_TRUE(cmd::blpop.info().is(command_flag::write));
    EXPECT_TRUE(cmd::xread.info().is(command_flag::blocking));
    EXPECT_TRUE(cmd::xread.info().is(command_flag::readonly));
    EXPECT_FALSE(cmd::lpop.info().is(command_flag::blocking));
    EXPECT_TRUE(cmd::subscribe.info().is(command_flag::pubsub));
    EXPECT_TRUE(cmd::flushall.info().is(command_flag::write));
    EXPECT_TRUE(cmd::config_set.info().is(command_flag::admin));
    EXPECT_TRUE(cmd::auth.info().is(command_flag::no_auth));
    EXPECT_TRUE(cmd::multi.info().is(command_flag::fast));
    EXPECT_EQ(cmd::get.info().arity, 2);
    EXPECT_EQ(cmd::set.info().arity, -3);
    EXPECT_EQ(cmd::client_kill.info().name, "CLIENT KILL");
    EXPECT_EQ(cmd::client_kill.info().group, "connection");
    EXPECT_EQ(cmd::getdel.info().since, "6.2.0");
}

TEST(command_info_facts, request_and_response_policies) {
    struct row {
        std::string_view name;
        request_policy request;
        response_policy response;
    };
    const row rows[] = {
        {"DBSIZE", request_policy::all_shards, response_policy::agg_sum},
        {"MGET", request_policy::multi_shard, response_policy::default_keyed},
        {"MSET", request_policy::multi_shard, response_policy::all_succeeded},
        {"DEL", request_policy::multi_shard, response_policy::agg_sum},
        {"EXISTS", request_policy::multi_shard, response_policy::agg_sum},
        {"KEYS", request_policy::all_shards, response_policy::default_keyless},
        {"FLUSHALL", request_policy::all_shards, response_policy::all_succeeded},
        {"SCRIPT LOAD", request_policy::all_nodes, response_policy::all_succeeded},
        {"SCRIPT FLUSH", request_policy::all_nodes, response_policy::all_succeeded},
        {"CONFIG SET", request_policy::all_nodes, response_policy::all_succeeded},
        {"PING", request_policy::all_shards, response_policy::all_succeeded},
        {"RANDOMKEY", request_policy::all_shards, response_policy::special},
        {"SCAN", request_policy::special, response_policy::special},
        {"WAIT", request_policy::all_shards, response_policy::agg_min},
        {"INFO", request_policy::all_shards, response_policy::special},
        {"GET", request_policy::default_keyed, response_policy::default_keyed},
        {"PUBLISH", request_policy::default_keyless, response_policy::default_keyless},
        {"CLUSTER SHARDS", request_policy::default_keyless, response_policy::default_keyless},
    };
    for (const auto& r : rows) {
        EXPECT_EQ(info_of(r.name).request, r.request) << r.name;
        EXPECT_EQ(info_of(r.name).response, r.response) << r.name;
    }
}

TEST(command_info_facts, where_the_block_time_is) {
    EXPECT_EQ(cmd::blpop.info().block_index, -1);
    EXPECT_FALSE(cmd::blpop.info().block_in_milliseconds);
    EXPECT_EQ(cmd::brpoplpush.info().block_index, -1);
    EXPECT_EQ(cmd::blmpop.info().block_index, 1);
    EXPECT_FALSE(cmd::blmpop.info().block_in_milliseconds);
    EXPECT_EQ(cmd::bzmpop.info().block_index, 1);
    EXPECT_EQ(cmd::xread.info().block_index, 0);
    EXPECT_EQ(cmd::xread.info().block_keyword, "BLOCK");
    EXPECT_TRUE(cmd::xread.info().block_in_milliseconds);
    EXPECT_EQ(cmd::xreadgroup.info().block_keyword, "BLOCK");
    EXPECT_EQ(cmd::wait.info().block_index, 2);
    EXPECT_TRUE(cmd::wait.info().block_in_milliseconds);
    EXPECT_EQ(cmd::waitaof.info().block_index, 3);
    EXPECT_EQ(cmd::get.info().block_index, 0);
    EXPECT_TRUE(cmd::get.info().block_keyword.empty());
}

TEST(command_info_facts, block_time_read_from_the_request) {
    using ms = std::chrono::milliseconds;
    auto time_of = [](const auto& c) { return respio::detail::block_time(c.info(), bytes_of(c)); };
    EXPECT_EQ(time_of(cmd::blpop("a", "b", 0)), ms(0)) << "0: block forever";
    EXPECT_EQ(time_of(cmd::blpop("a", 1.5)), ms(1500)) << "seconds";
    EXPECT_EQ(time_of(cmd::blmpop(0.25, 1, "a", opt::left)), ms(250));
    EXPECT_EQ(time_of(cmd::bzpopmin("z", 0.0001)), ms(1)) << "rounded up, never shorter than asked";
    EXPECT_EQ(time_of(cmd::xread(opt::block(100), opt::streams("s", "$"))), ms(100)) << "milliseconds";
    EXPECT_EQ(time_of(cmd::xread(opt::streams("s", "$"))), std::nullopt) << "XREAD without BLOCK does not block";
    EXPECT_EQ(time_of(cmd::wait(1, 500)), ms(500));
    EXPECT_EQ(time_of(cmd::get("k")), std::nullopt);
    EXPECT_EQ(respio::detail::block_time(cmd::blpop.info(), resp_of({"BLPOP", "a", "soon"})), std::nullopt);
    EXPECT_EQ(respio::detail::block_time(cmd::blpop.info(), resp_of({"BLPOP", "a", "-1"})), std::nullopt);
}

TEST(command_info_facts, blocking_flag_and_block_time_go_together) {
    std::size_t blocking = 0;
    for (const auto& c : all_commands) {
        const command_info& i = *c.desc_meta;
        const bool has_time = i.block_index != 0 || !i.block_keyword.empty();
        EXPECT_EQ(i.is(command_flag::blocking), has_time) << i.name;
        if (i.is(command_flag::blocking)) ++blocking;
        // The block time is an argument of the command (negative: from the end).
        EXPECT_LT(i.block_index, 8) << i.name;
    }
    EXPECT_GE(blocking, 12u);
}

//
// Every descriptor
//

TEST(command_descriptors, every_descriptor_is_reachable_and_consistent) {
    std::set<std::string_view> names, idents;
    for (const auto& c : all_commands) {
        const command_info& i = *c.desc_meta;
        EXPECT_EQ(c.callable_meta, c.desc_meta) << c.ident << ": cmd:: and desc:: name the same command";
        EXPECT_TRUE(names.insert(i.name).second) << "duplicate name " << i.name;
        EXPECT_TRUE(idents.insert(c.ident).second) << "duplicate identifier " << c.ident;
        // The name tokens spell the name.
        std::string joined;
        for (std::string_view t : c.name_tokens) joined += (joined.empty() ? "" : " ") + std::string(t);
        EXPECT_EQ(joined, i.name);
        EXPECT_NE(i.arity, 0) << i.name;
        EXPECT_FALSE(i.group.empty()) << i.name;
        EXPECT_FALSE(i.since.empty()) << i.name;
        EXPECT_EQ(i.key_spec_count == 0, i.keys == nullptr) << i.name;
        // Commands with keys route by them unless a tip says otherwise; commands without, never.
        if (i.key_spec_count == 0 && i.finder == key_finder::specs) {
            EXPECT_NE(i.request, request_policy::default_keyed) << i.name;
            EXPECT_NE(i.request, request_policy::multi_shard) << i.name;
        }
    }
}

TEST(command_descriptors, count_matches_the_headers_and_the_specs) {
    namespace fs = std::filesystem;
    const fs::path headers = fs::path(RESPIO_SOURCE_DIR) / "include" / "respio" / "commands";
    ASSERT_TRUE(fs::is_directory(headers)) << headers;
    std::size_t declared = 0;
    for (const auto& entry : fs::directory_iterator(headers)) {
        if (entry.path().extension() != ".hpp") continue;
        std::ifstream in(entry.path());
        for (std::string line; std::getline(in, line);)
            if (line.rfind("inline constexpr ::respio::command<", 0) == 0) ++declared;
    }
    EXPECT_EQ(declared, all_commands.size()) << "every descriptor in the headers is reachable from this test";
    EXPECT_EQ(all_commands.size(), 399u) << "the specs of this checkout describe 399 commands";

    const fs::path specs = fs::path(RESPIO_SOURCE_DIR) / ".." / "shared" / "valkey-commands";
    if (!fs::is_directory(specs)) GTEST_SKIP() << "no command specs at " << specs << ": the count is not compared";
    std::set<std::string> spec_files;
    for (const auto& entry : fs::directory_iterator(specs))
        if (entry.path().extension() == ".json") spec_files.insert(entry.path().stem().string());
    EXPECT_EQ(spec_files.size(), declared) << "one descriptor per spec file";
    for (const auto& c : all_commands)
        EXPECT_TRUE(spec_files.count(lower_dashed(c.desc_meta->name))) << c.desc_meta->name << " has no spec file";
}
