// Typed results against real servers: every command below is sent in RESP2 and in RESP3 and its
// reply must read into the descriptor's result type without a mismatch — the same C++ value from
// both protocols where the value is deterministic. Covers every command group.
#include <respio/commands.hpp>
#include <respio_test/fixture.hpp>
#include <respio_test/process.hpp>
#include <respio_test/raw_connection.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

using namespace respio;
using respio_test::raw_connection;

namespace {

// Commands checked so far in this process, by name and group (for the coverage assertions).
std::set<std::string>& checked_names() {
    static std::set<std::string> names;
    return names;
}
std::set<std::string>& checked_groups() {
    static std::set<std::string> groups;
    return groups;
}

// Sends the command and checks that its reply fits its result type; returns the value.
template <class Command>
typename Command::result_type check(raw_connection& c, const Command& command) {
    auto r = c.exec(command);
    EXPECT_TRUE(r.ok()) << command.info().name << ": " << r.problem();
    if (r.ok()) {
        checked_names().insert(std::string(command.info().name));
        checked_groups().insert(std::string(command.info().group));
    }
    return r.value;
}

// A connection speaking the given protocol version.
std::unique_ptr<raw_connection> connect(std::uint16_t port, int protocol) {
    auto c = std::make_unique<raw_connection>("127.0.0.1", port);
    auto hello = c->exec(cmd::hello(protocol));
    EXPECT_TRUE(hello.ok()) << hello.problem();
    return c;
}

// Runs `body` once per protocol and returns both results, to compare them.
template <class F>
auto both_protocols(std::uint16_t port, F body) {
    auto c2 = connect(port, 2);
    auto c3 = connect(port, 3);
    auto r2 = body(*c2, "resp2:");
    auto r3 = body(*c3, "resp3:");
    return std::pair{r2, r3};
}

class commands_against_server : public ::testing::Test {
protected:
    static std::uint16_t port() { return respio_test::shared_standalone().port(); }
};

} // namespace

TEST_F(commands_against_server, strings_read_the_same_in_resp2_and_resp3) {
    auto [a, b] = both_protocols(port(), [](raw_connection& c, std::string p) {
        std::vector<std::string> out;
        check(c, cmd::del(p + "s", p + "n", p + "f", p + "m1", p + "m2"));
        EXPECT_TRUE(check(c, cmd::set(p + "s", "hello")).has_value());
        EXPECT_FALSE(check(c, cmd::set(p + "s", "x", opt::nx)).has_value()); // NX on an existing key: null
        EXPECT_EQ(check(c, cmd::set(p + "s", "hello2", opt::get)), std::optional<std::string>("hello"));
        out.push_back(check(c, cmd::get(p + "s")).value_or("?"));
        out.push_back(check(c, cmd::get(p + "missing")).value_or("<null>"));
        out.push_back(std::to_string(check(c, cmd::append(p + "s", "!"))));
        out.push_back(std::to_string(check(c, cmd::strlen(p + "s"))));
        out.push_back(std::to_string(check(c, cmd::incr(p + "n"))));
        out.push_back(std::to_string(check(c, cmd::incrby(p + "n", 41))));
        out.push_back(std::to_string(check(c, cmd::decr(p + "n"))));
        out.push_back(std::to_string(check(c, cmd::decrby(p + "n", 2))));
        out.push_back(std::to_string(check(c, cmd::incrbyfloat(p + "f", 1.5))));
        out.push_back(check(c, cmd::getrange(p + "s", 0, 3)));
        out.push_back(std::to_string(check(c, cmd::setrange(p + "s", 0, "J"))));
        check(c, cmd::mset(p + "m1", "a", p + "m2", "b"));
        for (auto& v : check(c, cmd::mget(p + "m1", p + "nope", p + "m2"))) out.push_back(v.value_or("<null>"));
        out.push_back(std::to_string(check(c, cmd::msetnx(p + "m1", "z", p + "m3", "y"))));
        out.push_back(check(c, cmd::getset(p + "m1", "c")).value_or("?"));
        out.push_back(check(c, cmd::getex(p + "m1", opt::px(100000))).value_or("?"));
        out.push_back(check(c, cmd::getdel(p + "m2")).value_or("?"));
        check(c, cmd::setex(p + "e", 100, "v"));
        check(c, cmd::psetex(p + "e", 100000, "v"));
        out.push_back(std::to_string(check(c, cmd::setnx(p + "e", "w"))));
        check(c, cmd::set(p + "l1", "ohmytext"));
        check(c, cmd::set(p + "l2", "mynewtext"));
        out.push_back(check(c, cmd::lcs(p + "l1", p + "l2")).string);
        out.push_back(std::to_string(check(c, cmd::lcs(p + "l1", p + "l2", opt::len)).integer));
        return out;
    });
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0], "hello2");
    EXPECT_EQ(a[1], "<null>");
    EXPECT_EQ(a[5], "42");
    EXPECT_EQ(a[8], std::to_string(1.5));
}

TEST_F(commands_against_server, lists_sets_and_hashes) {
    auto [a, b] = both_protocols(port(), [](raw_connection& c, std::string p) {
        std::vector<std::string> out;
        check(c, cmd::del(p + "l", p + "l2", p + "s", p + "s2", p + "h"));
        out.push_back(std::to_string(check(c, cmd::rpush(p + "l", "a", "b", "c", "d"))));
        out.push_back(std::to_string(check(c, cmd::lpush(p + "l", "z"))));
        out.push_back(std::to_string(check(c, cmd::llen(p + "l"))));
        for (auto& s : check(c, cmd::lrange(p + "l", 0, -1))) out.push_back(s);
        out.push_back(check(c, cmd::lindex(p + "l", 1)).value_or("?"));
        out.push_back(std::to_string(check(c, cmd::linsert(p + "l", opt::before, "b", "x"))));
        check(c, cmd::lset(p + "l", 0, "y"));
        out.push_back(std::to_string(check(c, cmd::lrem(p + "l", 0, "x"))));
        out.push_back(check(c, cmd::lpop(p + "l")).string);
        out.push_back(std::to_string(check(c, cmd::lpop(p + "l", 2)).elements.size()));
        out.push_back(check(c, cmd::rpop(p + "l")).string);
        out.push_back(check(c, cmd::lpos(p + "l", "c")).is_null() ? "null" : "pos");
        check(c, cmd::rpush(p + "l", "m", "n"));
        out.push_back(check(c, cmd::rpoplpush(p + "l", p + "l2")).value_or("?"));
        out.push_back(check(c, cmd::lmove(p + "l", p + "l2", opt::left, opt::right)));
        auto mp = check(c, cmd::lmpop(1, p + "l2", opt::left, opt::count(1)));
        out.push_back(mp ? mp->first.substr(p.size()) + ":" + mp->second.at(0) : "null");
        auto bp = check(c, cmd::blpop(p + "l2", 1));
        out.push_back(bp ? bp->second : "null");
        check(c, cmd::rpush(p + "l", "t"));
        out.push_back(check(c, cmd::blmove(p + "l", p + "l2", opt::right, opt::left, 1)).value_or("?"));
        check(c, cmd::ltrim(p + "l", 0, 0));

        out.push_back(std::to_string(check(c, cmd::sadd(p + "s", "a", "b", "c"))));
        out.push_back(std::to_string(check(c, cmd::scard(p + "s"))));
        out.push_back(std::to_string(check(c, cmd::sismember(p + "s", "a"))));
        for (bool m : check(c, cmd::smismember(p + "s", "a", "q"))) out.push_back(m ? "1" : "0");
        auto members = check(c, cmd::smembers(p + "s"));
        out.push_back(std::to_string(std::set<std::string>(members.begin(), members.end()).size()));
        check(c, cmd::sadd(p + "s2", "b", "c", "d"));
        auto inter = check(c, cmd::sinter(p + "s", p + "s2"));
        out.push_back(std::to_string(inter.size()));
        out.push_back(std::to_string(check(c, cmd::sunion(p + "s", p + "s2")).size()));
        out.push_back(std::to_string(check(c, cmd::sdiff(p + "s", p + "s2")).size()));
        out.push_back(std::to_string(check(c, cmd::sintercard(2, p + "s", p + "s2"))));
        out.push_back(std::to_string(check(c, cmd::srem(p + "s", "a"))));
        out.push_back(std::to_string(check(c, cmd::smove(p + "s", p + "s2", "b"))));
        out.push_back(std::to_string(check(c, cmd::srandmember(p + "s2", 2)).elements.size()));
        out.push_back(check(c, cmd::spop(p + "s")).string);
        auto sscan = check(c, cmd::sscan(p + "s2", 0));
        out.push_back(sscan.first);

        out.push_back(std::to_string(check(c, cmd::hset(p + "h", "f1", "1", "f2", "2"))));
        out.push_back(check(c, cmd::hget(p + "h", "f1")).value_or("?"));
        auto all = check(c, cmd::hgetall(p + "h"));
        for (auto& [k, v] : all) out.push_back(k + "=" + v);
        for (auto& v : check(c, cmd::hmget(p + "h", "f2", "nope"))) out.push_back(v.value_or("<null>"));
        out.push_back(std::to_string(check(c, cmd::hincrby(p + "h", "f1", 10))));
        out.push_back(std::to_string(check(c, cmd::hincrbyfloat(p + "h", "f2", 0.5))));
        out.push_back(std::to_string(check(c, cmd::hlen(p + "h"))));
        out.push_back(std::to_string(check(c, cmd::hexists(p + "h", "f1"))));
        out.push_back(std::to_string(check(c, cmd::hstrlen(p + "h", "f1"))));
        out.push_back(std::to_string(check(c, cmd::hkeys(p + "h")).size()));
        out.push_back(std::to_string(check(c, cmd::hvals(p + "h")).size()));
        out.push_back(std::to_string(check(c, cmd::hsetnx(p + "h", "f1", "x"))));
        out.push_back(std::to_string(check(c, cmd::hrandfield(p + "h", 2, opt::withvalues)).size()));
        out.push_back(check(c, cmd::hscan(p + "h", 0)).first);
        out.push_back(std::to_string(check(c, cmd::hdel(p + "h", "f1"))));
        check(c, cmd::hmset(p + "h", "f3", "3"));
        return out;
    });
    EXPECT_EQ(a, b);
}

TEST_F(commands_against_server, sorted_sets_with_and_without_scores) {
    auto [a, b] = both_protocols(port(), [](raw_connection& c, std::string p) {
        std::vector<std::string> out;
        check(c, cmd::del(p + "z", p + "z2", p + "zd"));
        out.push_back(std::to_string(check(c, cmd::zadd(p + "z", 1, "a", 2.5, "b", 3, "c"))));
        out.push_back(std::to_string(check(c, cmd::zadd(p + "z", opt::incr, 1, "a")).value_or(-1)));
        out.push_back(std::to_string(check(c, cmd::zcard(p + "z"))));
        out.push_back(std::to_string(check(c, cmd::zscore(p + "z", "b")).value_or(-1)));
        for (auto& s : check(c, cmd::zrange(p + "z", 0, -1))) out.push_back(s);
        for (auto& [m, s] : check(c, cmd::zrange(p + "z", 0, -1, opt::withscores))) out.push_back(m + std::to_string(s));
        for (auto& [m, s] : check(c, cmd::zrangebyscore(p + "z", "-inf", "+inf", opt::withscores))) out.push_back(m);
        for (auto& s : check(c, cmd::zrevrange(p + "z", 0, 0))) out.push_back(s);
        out.push_back(std::to_string(check(c, cmd::zrank(p + "z", "c")).integer));
        out.push_back(std::to_string(check(c, cmd::zrevrank(p + "z", "c")).integer));
        out.push_back(std::to_string(check(c, cmd::zcount(p + "z", 0, 10))));
        out.push_back(std::to_string(check(c, cmd::zincrby(p + "z", 1, "c"))));
        for (auto s : check(c, cmd::zmscore(p + "z", "a", "nope"))) out.push_back(s ? std::to_string(*s) : "null");
        out.push_back(std::to_string(check(c, cmd::zlexcount(p + "z", "-", "+"))));
        check(c, cmd::zadd(p + "z2", 1, "a", 1, "q"));
        out.push_back(std::to_string(check(c, cmd::zinter(2, p + "z", p + "z2", opt::withscores)).size()));
        out.push_back(std::to_string(check(c, cmd::zunion(2, p + "z", p + "z2")).size()));
        out.push_back(std::to_string(check(c, cmd::zdiff(2, p + "z", p + "z2")).size()));
        out.push_back(std::to_string(check(c, cmd::zunionstore(p + "zd", 2, p + "z", p + "z2"))));
        out.push_back(std::to_string(check(c, cmd::zinterstore(p + "zd", 2, p + "z", p + "z2"))));
        out.push_back(std::to_string(check(c, cmd::zintercard(2, p + "z", p + "z2"))));
        out.push_back(std::to_string(check(c, cmd::zrangestore(p + "zd", p + "z", 0, 1))));
        out.push_back(std::to_string(check(c, cmd::zpopmin(p + "z")).elements.size()));
        auto zm = check(c, cmd::zmpop(1, p + "z", opt::max));
        out.push_back(zm ? zm->second.at(0).first : "null");
        auto bz = check(c, cmd::bzpopmin(p + "z2", 1));
        out.push_back(bz ? std::get<0>(*bz).substr(p.size()) : "null");
        out.push_back(std::to_string(check(c, cmd::zrandmember(p + "z2", 1, opt::withscores)).size()));
        out.push_back(check(c, cmd::zscan(p + "z2", 0)).first);
        out.push_back(std::to_string(check(c, cmd::zrem(p + "z2", "q"))));
        out.push_back(std::to_string(check(c, cmd::zremrangebyscore(p + "zd", 0, 1))));
        return out;
    });
    EXPECT_EQ(a, b);
}

TEST_F(commands_against_server, streams_entries_and_groups) {
    auto [a, b] = both_protocols(port(), [](raw_connection& c, std::string p) {
        std::vector<std::string> out;
        check(c, cmd::del(p + "x"));
        out.push_back(check(c, cmd::xadd(p + "x", "1-1", "f", "v")).value_or("?"));
        out.push_back(check(c, cmd::xadd(p + "x", "2-1", "g", "w", "h", "u")).value_or("?"));
        check(c, cmd::xadd(p + "x", opt::auto_id, "k", "z"));
        out.push_back(std::to_string(check(c, cmd::xlen(p + "x"))));
        auto range = check(c, cmd::xrange(p + "x", "-", "+", opt::count(2)));
        for (auto& e : range) out.push_back(e.id + ":" + e.fields.at(0).first + "=" + e.fields.at(0).second);
        out.push_back(std::to_string(check(c, cmd::xrevrange(p + "x", "+", "-")).size()));
        auto read = check(c, cmd::xread(opt::count(1), opt::streams(p + "x", "0")));
        out.push_back(read ? read->at(0).first.substr(p.size()) + "/" + read->at(0).second.at(0).id : "null");
        check(c, cmd::xgroup_create(p + "x", "g", "0"));
        auto rg = check(c, cmd::xreadgroup(opt::group("g", "c1"), opt::count(2), opt::streams(p + "x", ">")));
        out.push_back(rg ? std::to_string(rg->at(0).second.size()) : "null");
        out.push_back(std::to_string(check(c, cmd::xack(p + "x", "g", "1-1"))));
        out.push_back(std::to_string(check(c, cmd::xpending(p + "x", "g")).elements.size()));
        check(c, cmd::xclaim(p + "x", "g", "c2", 0, "2-1"));
        check(c, cmd::xautoclaim(p + "x", "g", "c3", 0, "0"));
        check(c, cmd::xinfo_stream(p + "x"));
        check(c, cmd::xinfo_groups(p + "x"));
        check(c, cmd::xinfo_consumers(p + "x", "g"));
        out.push_back(std::to_string(check(c, cmd::xgroup_createconsumer(p + "x", "g", "c9"))));
        out.push_back(std::to_string(check(c, cmd::xgroup_delconsumer(p + "x", "g", "c9"))));
        out.push_back(std::to_string(check(c, cmd::xtrim(p + "x", opt::maxlen, 2))));
        out.push_back(std::to_string(check(c, cmd::xdel(p + "x", "2-1"))));
        out.push_back(std::to_string(check(c, cmd::xgroup_destroy(p + "x", "g"))));
        return out;
    });
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0], "1-1");
    EXPECT_EQ(a[3], "1-1:f=v");
}

TEST_F(commands_against_server, keys_geo_bitmaps_hyperloglog) {
    auto [a, b] = both_protocols(port(), [](raw_connection& c, std::string p) {
        std::vector<std::string> out;
        check(c, cmd::del(p + "k", p + "k2", p + "g", p + "b", p + "hl", p + "hl2", p + "srt"));
        check(c, cmd::set(p + "k", "v"));
        out.push_back(std::to_string(check(c, cmd::exists(p + "k", p + "nope"))));
        out.push_back(std::to_string(check(c, cmd::expire(p + "k", 100))));
        out.push_back(std::to_string(check(c, cmd::ttl(p + "k")) > 0));
        out.push_back(std::to_string(check(c, cmd::pttl(p + "k")) > 0));
        out.push_back(std::to_string(check(c, cmd::expiretime(p + "k")) > 0));
        out.push_back(std::to_string(check(c, cmd::persist(p + "k"))));
        out.push_back(std::to_string(check(c, cmd::pexpire(p + "k", 100000))));
        out.push_back(check(c, cmd::type(p + "k")));
        out.push_back(check(c, cmd::object_encoding(p + "k")).value_or("?"));
        out.push_back(std::to_string(check(c, cmd::copy(p + "k", p + "k2"))));
        check(c, cmd::rename(p + "k2", p + "k3"));
        out.push_back(std::to_string(check(c, cmd::renamenx(p + "k3", p + "k"))));
        out.push_back(std::to_string(check(c, cmd::touch(p + "k", p + "k3"))));
        out.push_back(std::to_string(check(c, cmd::unlink(p + "k3"))));
        out.push_back(std::to_string(check(c, cmd::dump(p + "k")).has_value()));
        check(c, cmd::randomkey());
        out.push_back(std::to_string(check(c, cmd::keys(p + "k*")).size()));
        auto sc = check(c, cmd::scan(0, opt::match(p + "*"), opt::count(1000)));
        out.push_back(std::to_string(!sc.first.empty()));
        check(c, cmd::rpush(p + "srt", 3, 1, 2));
        out.push_back(check(c, cmd::sort(p + "srt")).elements.at(0).string);
        out.push_back(check(c, cmd::sort_ro(p + "srt", opt::desc)).at(0).value_or("?"));

        out.push_back(std::to_string(check(c, cmd::geoadd(p + "g", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania"))));
        out.push_back(std::to_string(static_cast<int>(check(c, cmd::geodist(p + "g", "Palermo", "Catania", opt::km)).value_or(-1))));
        out.push_back(std::to_string(check(c, cmd::geopos(p + "g", "Palermo", "Nowhere")).size()));
        out.push_back(check(c, cmd::geohash(p + "g", "Palermo")).at(0));
        out.push_back(std::to_string(check(c, cmd::geosearch(p + "g", opt::fromlonlat(15, 37), opt::byradius(200, opt::km), opt::asc)).elements.size()));
        out.push_back(std::to_string(check(c, cmd::georadius(p + "g", 15, 37, 200, opt::km)).elements.size()));

        out.push_back(std::to_string(check(c, cmd::setbit(p + "b", 7, 1))));
        out.push_back(std::to_string(check(c, cmd::getbit(p + "b", 7))));
        out.push_back(std::to_string(check(c, cmd::bitcount(p + "b"))));
        out.push_back(std::to_string(check(c, cmd::bitpos(p + "b", 1))));
        out.push_back(std::to_string(check(c, cmd::bitop(opt::or_, p + "b", p + "b"))));
        out.push_back(std::to_string(check(c, cmd::bitfield(p + "b", opt::get("u8", 0))).size()));
        out.push_back(std::to_string(check(c, cmd::bitfield_ro(p + "b", opt::get("u8", 0))).at(0)));

        out.push_back(std::to_string(check(c, cmd::pfadd(p + "hl", "a", "b", "c"))));
        check(c, cmd::pfadd(p + "hl2", "c", "d"));
        out.push_back(std::to_string(check(c, cmd::pfcount(p + "hl"))));
        check(c, cmd::pfmerge(p + "hl", p + "hl2"));
        out.push_back(std::to_string(check(c, cmd::pfcount(p + "hl"))));
        return out;
    });
    EXPECT_EQ(a, b);
}

TEST_F(commands_against_server, server_connection_scripting_pubsub_transactions) {
    auto [a, b] = both_protocols(port(), [](raw_connection& c, std::string p) {
        std::vector<std::string> out;
        out.push_back(check(c, cmd::ping()));
        out.push_back(check(c, cmd::echo("hi")));
        check(c, cmd::client_setname("respio-test"));
        out.push_back(check(c, cmd::client_getname()).value_or("?"));
        out.push_back(std::to_string(check(c, cmd::client_id()) > 0));
        out.push_back(std::to_string(check(c, cmd::client_list()).find("respio-test") != std::string::npos));
        out.push_back(std::to_string(check(c, cmd::client_info()).find("name=respio-test") != std::string::npos));
        check(c, cmd::select(0));
        out.push_back(std::to_string(check(c, cmd::dbsize()) >= 0));
        out.push_back(std::to_string(check(c, cmd::info("server")).find("redis_version") != std::string::npos));
        out.push_back(std::to_string(check(c, cmd::time()).size()));
        out.push_back(std::to_string(check(c, cmd::lastsave()) >= 0));
        auto cfg = check(c, cmd::config_get("maxmemory-policy"));
        out.push_back(cfg["maxmemory-policy"]);
        check(c, cmd::config_set("slowlog-log-slower-than", 10000));
        out.push_back(std::to_string(check(c, cmd::command_count()) > 100));
        out.push_back(std::to_string(check(c, cmd::slowlog_len()) >= 0));
        check(c, cmd::slowlog_get(1));
        check(c, cmd::latency_latest());
        check(c, cmd::set(p + "mem", "v"));
        out.push_back(std::to_string(check(c, cmd::memory_usage(p + "mem")).value_or(0) > 0));
        out.push_back(check(c, cmd::role()).elements.at(0).string);
        out.push_back(std::to_string(check(c, cmd::wait(0, 10))));

        out.push_back(std::to_string(check(c, cmd::eval("return 7", 0)).integer));
        const std::string sha = check(c, cmd::script_load("return 8"));
        out.push_back(std::to_string(check(c, cmd::evalsha(sha, 0)).integer));
        for (bool e : check(c, cmd::script_exists(sha, "0000000000000000000000000000000000000000"))) out.push_back(e ? "1" : "0");
        out.push_back(check(c, cmd::function_load(opt::replace, "#!lua name=respiolib\nredis.register_function('respio_f', function() return 9 end)")));
        out.push_back(std::to_string(check(c, cmd::fcall("respio_f", 0)).integer));
        out.push_back(std::to_string(check(c, cmd::function_list()).size() >= 1));

        out.push_back(std::to_string(check(c, cmd::publish(p + "chan", "msg"))));
        check(c, cmd::pubsub_channels());
        out.push_back(std::to_string(check(c, cmd::pubsub_numsub(p + "chan")).size()));
        out.push_back(std::to_string(check(c, cmd::pubsub_numpat())));
        out.push_back(std::to_string(check(c, cmd::spublish(p + "schan", "m"))));
        check(c, cmd::pubsub_shardchannels());

        check(c, cmd::watch(p + "w"));
        check(c, cmd::unwatch());
        check(c, cmd::multi());
        c.send(resp::make_command("SET", p + "t", "1"));
        out.push_back(c.read_into<value>().value.string); // QUEUED
        c.send(resp::make_command("INCR", p + "t"));
        c.read_into<value>();
        auto exec = check(c, cmd::exec());
        out.push_back(exec ? std::to_string(exec->size()) + ":" + std::to_string(exec->at(1).integer) : "null");
        check(c, cmd::multi());
        check(c, cmd::discard());
        return out;
    });
    // CLIENT ID, the counters and the like differ between connections; the rest must agree.
    EXPECT_EQ(a, b);
}

TEST_F(commands_against_server, cluster_commands_read_their_types) {
    auto& cl = respio_test::shared_cluster();
    const auto topo = cl.topology();
    ASSERT_FALSE(topo.empty());
    auto [a, b] = both_protocols(topo[0].port, [&](raw_connection& c, std::string) {
        std::vector<std::string> out;
        out.push_back(std::to_string(check(c, cmd::cluster_keyslot("foo"))));
        out.push_back(std::to_string(check(c, cmd::cluster_info()).find("cluster_state:ok") != std::string::npos));
        out.push_back(std::to_string(check(c, cmd::cluster_myid()).size()));
        out.push_back(std::to_string(check(c, cmd::cluster_nodes()).find("myself") != std::string::npos));
        auto shards = check(c, cmd::cluster_shards());
        std::size_t slots = 0, nodes = 0;
        for (auto& s : shards) {
            for (auto& [first, last] : s.slots) slots += static_cast<std::size_t>(last - first + 1);
            nodes += s.nodes.size();
            for (auto& n : s.nodes) EXPECT_GT(n.port, 0) << n.id;
        }
        out.push_back(std::to_string(slots));
        out.push_back(std::to_string(nodes));
        out.push_back(std::to_string(check(c, cmd::cluster_slots()).size()));
        out.push_back(std::to_string(check(c, cmd::cluster_countkeysinslot(0)) >= 0));
        check(c, cmd::cluster_getkeysinslot(0, 10));
        check(c, cmd::readonly());
        check(c, cmd::readwrite());
        return out;
    });
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0], "12182");
    EXPECT_EQ(a[4], "16384");
    EXPECT_EQ(a[5], "6");
}

TEST_F(commands_against_server, sentinel_commands_read_their_types) {
    // A sentinel watching the shared replica set's primary, started for this test.
    auto& rs = respio_test::shared_replica_set();
    respio_test::temp_dir dir;
    const std::uint16_t port = respio_test::pick_free_port(false);
    const std::string conf = dir.path() + "/sentinel.conf";
    {
        std::ofstream f(conf);
        f << "port " << port << "\nbind 127.0.0.1\ndir " << dir.path() << "\n"
          << "sentinel monitor respio 127.0.0.1 " << rs.primary().port() << " 1\n";
    }
    respio_test::process::options o;
    o.log_path = dir.path() + "/sentinel.log";
    auto sentinel = respio_test::process::spawn({"redis-server", conf, "--sentinel"}, o);
    bool up = false;
    for (int i = 0; i < 250 && !up; ++i) {
        up = respio_test::port_accepts("127.0.0.1", port, std::chrono::milliseconds(20));
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(up) << "sentinel did not start";
    auto [a, b] = both_protocols(port, [&](raw_connection& c, std::string) {
        std::vector<std::string> out;
        auto addr = check(c, cmd::sentinel_get_master_addr_by_name("respio"));
        out.push_back(addr ? addr->second : "null");
        auto masters = check(c, cmd::sentinel_masters());
        out.push_back(masters.empty() ? "none" : masters[0]["name"]);
        out.push_back(check(c, cmd::sentinel_master("respio"))["port"]);
        out.push_back(std::to_string(check(c, cmd::sentinel_myid()).size()));
        check(c, cmd::sentinel_replicas("respio"));
        out.push_back(std::to_string(check(c, cmd::sentinel_ckquorum("respio")).find("OK") != std::string::npos));
        return out;
    });
    sentinel.terminate();
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0], std::to_string(rs.primary().port()));
    EXPECT_EQ(a[1], "respio");
}

TEST_F(commands_against_server, at_least_80_commands_from_every_group_were_checked) {
    // Runs last in this file (gtest keeps declaration order within a binary by default).
    EXPECT_GE(checked_names().size(), 80u);
    const std::set<std::string> groups{"bitmap", "cluster", "connection", "generic", "geo", "hash", "hyperloglog",
                                       "list", "pubsub", "scripting", "sentinel", "server", "set", "sorted_set",
                                       "stream", "string", "transactions"};
    for (auto& g : groups) EXPECT_TRUE(checked_groups().count(g)) << "no command of group " << g << " checked";
    std::cout << "commands checked in RESP2 and RESP3: " << checked_names().size() << "\n";
}
