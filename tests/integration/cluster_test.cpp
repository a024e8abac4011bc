// The cluster client against a real cluster (3 primaries + 3 replicas, shared by the tests of this
// process): hash slots as the server computes them, keyed commands routed to the slot's owner,
// multi-slot MGET / MSET / DEL / EXISTS / UNLINK / TOUCH split and put back together, fan-out to
// every primary or every node with the response policies' aggregation, CROSSSLOT refused before
// sending, and discovery of the topology from one seed or from a seed list with a dead address.
#include <respio/cluster_client.hpp>
#include <respio/commands.hpp>
#include <respio/detail/cluster/slots.hpp>
#include <respio_test/client_helpers.hpp>
#include <respio_test/fixture.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace respio;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;
using respio::detail::key_slot;

namespace {

using respio_test::pause;
using respio_test::try_exec;

// Runs `body(client)` as a coroutine against a fresh client (tests/support/respio_test/client_helpers.hpp).
template <class Body>
void run(client_config cfg, Body body, std::chrono::seconds limit = 60s) {
    respio_test::run_client<cluster_client>(std::move(cfg), std::move(body), limit);
}

client_config config_for(std::vector<std::uint16_t> ports) {
    client_config c;
    c.addresses.clear();
    for (auto p : ports) c.addresses.push_back(address{"127.0.0.1", p, ""});
    c.request_timeout = 2000ms; // generous: CI machines are shared and slow
    return c;
}

client_config config_for(respio_test::cluster& cl, std::size_t seed = 0) { return config_for({cl.node(seed).port()}); }



// The fixture index of the primary owning `slot` in a CLUSTER NODES view.
std::size_t owner_in(const std::vector<respio_test::cluster_node_info>& view, int slot) {
    for (const auto& n : view) {
        if (!n.primary || !n.index) continue;
        for (const auto& r : n.slots)
            if (r.first <= slot && slot <= r.last) return *n.index;
    }
    throw std::runtime_error("nobody owns slot " + std::to_string(slot));
}

// A loopback port nobody listens on (bound, then released).
std::uint16_t unused_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

std::vector<std::string> numbered(const std::string& prefix, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

std::string hex_digest_of_none() { return std::string(40, '0'); }

// Waits until every node's CLUSTER SHARDS reports every node online. Redis 7.0 reports a replica
// as "loading" until gossip has carried its replication offset to the node asked, and the client
// leaves such replicas out of its topology (all_nodes fan-out, replica reads).
void wait_all_online(respio_test::cluster& cl, std::chrono::milliseconds timeout = 20s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::string problem;
        for (std::size_t i = 0; i < cl.size() && problem.empty(); ++i) {
            const std::string shards = cl.node(i).cli_output({"CLUSTER", "SHARDS"});
            std::size_t online = 0, at = 0;
            while ((at = shards.find("\nonline", at)) != std::string::npos) {
                ++online;
                ++at;
            }
            if (online != cl.size()) problem = "node " + std::to_string(i) + " sees " + std::to_string(online) + " nodes online";
        }
        if (problem.empty()) return;
        if (std::chrono::steady_clock::now() > until) throw std::runtime_error("wait_all_online: " + problem);
        std::this_thread::sleep_for(50ms);
    }
}

} // namespace

//
// Slots
//

TEST(cluster_client, key_slot_equals_cluster_keyslot_for_5000_keys) {
    auto& cl = respio_test::shared_cluster();
    // Keys of every shape: plain, with hash tags (empty, nested, several), binary bytes.
    std::mt19937 rng(20240611);
    const std::string alphabet = "abcxyz019:_-{}{}{}";
    std::vector<std::string> keys = {"", "{", "}", "{}", "{}{a}", "a{b}c{d}", "{{a}}", "foo", "\xff\xfe"};
    while (keys.size() < 5000) {
        std::string k;
        const int len = static_cast<int>(rng() % 24);
        for (int i = 0; i < len; ++i) {
            if (rng() % 8 == 0) k += static_cast<char>(rng() % 256); // any byte, NUL included
            else k += alphabet[rng() % alphabet.size()];
        }
        keys.push_back(std::move(k));
    }
    std::vector<std::int64_t> server_slot(keys.size(), -1);
    int errors = 0;
    auto cfg = config_for(cl);
    cfg.max_in_flight = 2000;
    run(cfg, [&](cluster_client& c) -> asio::awaitable<void> {
        std::size_t pending = 0;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            ++pending;
            c.async_exec(cmd::cluster_keyslot(keys[i]), [&, i](error_code ec, std::int64_t slot) {
                if (ec) ++errors;
                else server_slot[i] = slot;
                --pending;
            });
            while (pending >= 500) co_await pause(1ms);
        }
        while (pending > 0) co_await pause(1ms);
    });
    EXPECT_EQ(errors, 0);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (server_slot[i] != key_slot(keys[i])) {
            if (++mismatches <= 10)
                ADD_FAILURE() << "key #" << i << " (" << keys[i].size() << " bytes): server " << server_slot[i]
                              << ", respio " << key_slot(keys[i]);
        }
    }
    EXPECT_EQ(mismatches, 0u);
}

//
// Routing
//

TEST(cluster_client, keyed_commands_land_on_the_slot_owner) {
    auto& cl = respio_test::shared_cluster();
    const auto keys = numbered("route:", 30);
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        for (const auto& k : keys) co_await c.async_exec(cmd::set(k, "v-" + k), asio::use_awaitable);
        for (const auto& k : keys) {
            auto v = co_await c.async_exec(cmd::get(k), asio::use_awaitable);
            EXPECT_EQ(v, std::optional<std::string>("v-" + k));
        }
    });
    const auto view = cl.topology();
    const auto primaries = cl.primaries();
    ASSERT_EQ(primaries.size(), 3u);
    std::set<std::size_t> owners;
    for (const auto& k : keys) {
        const std::size_t owner = owner_in(view, key_slot(k));
        owners.insert(owner);
        EXPECT_EQ(cl.node(owner).cli_output({"GET", k}), "v-" + k) << k;
        // Any other primary does not hold it (it redirects).
        for (std::size_t p : primaries) {
            if (p == owner) continue;
            auto r = cl.node(p).cli({"GET", k});
            EXPECT_NE(r.output.find("MOVED"), std::string::npos) << k << " on node " << p << ": " << r.output;
        }
    }
    EXPECT_EQ(owners.size(), 3u) << "the keys should cover every shard";
}

TEST(cluster_client, hash_tagged_keys_share_a_slot_and_multi_key_commands_work) {
    auto& cl = respio_test::shared_cluster();
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::mset("{tag}a", "1", "{tag}b", "2"), asio::use_awaitable);
        co_await c.async_exec(cmd::rename("{tag}a", "{tag}c"), asio::use_awaitable);
        auto v = co_await c.async_exec(cmd::mget("{tag}a", "{tag}b", "{tag}c"), asio::use_awaitable);
        EXPECT_EQ(v, (std::vector<std::optional<std::string>>{std::nullopt, "2", "1"}));
        co_await c.async_exec(cmd::sadd("{tag}s1", "x", "y"), asio::use_awaitable);
        co_await c.async_exec(cmd::sadd("{tag}s2", "y", "z"), asio::use_awaitable);
        auto inter = co_await c.async_exec(cmd::sinter("{tag}s1", "{tag}s2"), asio::use_awaitable);
        EXPECT_EQ(inter, std::vector<std::string>{"y"});
    });
    EXPECT_EQ(cl.node(cl.slot_owner(key_slot("tag"))).cli_output({"GET", "{tag}c"}), "1");
}

TEST(cluster_client, keys_in_different_slots_are_refused_before_sending) {
    auto& cl = respio_test::shared_cluster();
    ASSERT_NE(key_slot("xs:a"), key_slot("xs:b"));
    ASSERT_NE(key_slot("xs:s1"), key_slot("xs:s2"));
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("xs:a", "1"), asio::use_awaitable);
        auto [ec, v] = co_await try_exec(c, cmd::rename("xs:a", "xs:b"));
        EXPECT_EQ(ec, error::cross_slot);
        EXPECT_TRUE(is_not_sent(ec));
        auto [ec2, v2] = co_await try_exec(c, cmd::sinter("xs:s1", "xs:s2"));
        EXPECT_EQ(ec2, error::cross_slot);
        EXPECT_TRUE(is_not_sent(ec2));
        // Nothing ran: the key was not renamed.
        auto a = co_await c.async_exec(cmd::get("xs:a"), asio::use_awaitable);
        EXPECT_EQ(a, std::optional<std::string>("1"));
        auto b = co_await c.async_exec(cmd::exists("xs:b"), asio::use_awaitable);
        EXPECT_EQ(b, 0);
    });
}

//
// Multi-slot commands: split by slot, put back together
//

TEST(cluster_client, mget_across_slots_returns_values_in_the_callers_order) {
    auto& cl = respio_test::shared_cluster();
    const auto keys = numbered("mget:", 24);
    std::set<int> slots;
    for (const auto& k : keys) slots.insert(key_slot(k));
    ASSERT_GT(slots.size(), 10u);
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::del(keys), asio::use_awaitable);
        for (std::size_t i = 0; i < keys.size(); i += 2)
            co_await c.async_exec(cmd::set(keys[i], "value" + std::to_string(i)), asio::use_awaitable);
        // Reversed, with a missing key in the middle and a duplicate.
        std::vector<std::string> asked(keys.rbegin(), keys.rend());
        asked.insert(asked.begin() + 5, "mget:missing");
        asked.push_back(keys[0]);
        auto v = co_await c.async_exec(cmd::mget(asked), asio::use_awaitable);
        EXPECT_EQ(v.size(), asked.size());
        if (v.size() != asked.size()) co_return;
        for (std::size_t j = 0; j < asked.size(); ++j) {
            const auto it = std::find(keys.begin(), keys.end(), asked[j]);
            const std::size_t i = static_cast<std::size_t>(it - keys.begin());
            if (it == keys.end() || i % 2 == 1) EXPECT_FALSE(v[j].has_value()) << asked[j];
            else EXPECT_EQ(v[j], std::optional<std::string>("value" + std::to_string(i))) << asked[j];
        }
    });
}

TEST(cluster_client, mset_across_slots_writes_every_key_on_its_owner) {
    auto& cl = respio_test::shared_cluster();
    const auto keys = numbered("mset:", 20);
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& k : keys) pairs.emplace_back(k, "m-" + k);
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        auto [ec, ok_reply] = co_await try_exec(c, cmd::mset(pairs));
        EXPECT_FALSE(ec) << ec.message();
        auto v = co_await c.async_exec(cmd::mget(keys), asio::use_awaitable);
        EXPECT_EQ(v.size(), keys.size());
        if (v.size() != keys.size()) co_return;
        for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(v[i], std::optional<std::string>("m-" + keys[i]));
    });
    const auto view = cl.topology();
    for (const auto& k : keys) EXPECT_EQ(cl.node(owner_in(view, key_slot(k))).cli_output({"GET", k}), "m-" + k);
}

TEST(cluster_client, del_exists_unlink_touch_across_slots_return_the_sum) {
    auto& cl = respio_test::shared_cluster();
    const auto keys = numbered("sum:", 12);
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::del(keys), asio::use_awaitable);
        for (std::size_t i = 0; i < 10; ++i) co_await c.async_exec(cmd::set(keys[i], "x"), asio::use_awaitable);
        // keys[10], keys[11] do not exist; EXISTS counts a key given twice twice.
        auto with_dup = keys;
        with_dup.push_back(keys[3]);
        EXPECT_EQ(co_await c.async_exec(cmd::exists(with_dup), asio::use_awaitable), 11);
        EXPECT_EQ(co_await c.async_exec(cmd::touch(keys), asio::use_awaitable), 10);
        const std::vector<std::string> first(keys.begin(), keys.begin() + 5);
        EXPECT_EQ(co_await c.async_exec(cmd::unlink(first), asio::use_awaitable), 5);
        EXPECT_EQ(co_await c.async_exec(cmd::exists(keys), asio::use_awaitable), 5);
        EXPECT_EQ(co_await c.async_exec(cmd::del(keys), asio::use_awaitable), 5);
        EXPECT_EQ(co_await c.async_exec(cmd::exists(keys), asio::use_awaitable), 0);
    });
    const auto view = cl.topology();
    for (const auto& k : keys) EXPECT_EQ(cl.node(owner_in(view, key_slot(k))).cli_output({"EXISTS", k}), "0");
}

//
// Fan-out: every primary (all_shards) or every node (all_nodes), replies combined
//

TEST(cluster_client, dbsize_is_the_sum_over_primaries) {
    auto& cl = respio_test::shared_cluster();
    std::int64_t client_view = -1;
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        for (const auto& k : numbered("dbsize:", 30)) co_await c.async_exec(cmd::set(k, "1"), asio::use_awaitable);
        client_view = co_await c.async_exec(cmd::dbsize(), asio::use_awaitable);
    });
    std::int64_t truth = 0;
    for (std::size_t p : cl.primaries()) {
        const auto n = std::stoll(cl.node(p).cli_output({"DBSIZE"}));
        EXPECT_GT(n, 0) << "primary " << p << " holds none of the keys";
        truth += n;
    }
    EXPECT_GE(truth, 30);
    EXPECT_EQ(client_view, truth);
}

TEST(cluster_client, keys_concatenates_the_keys_of_every_primary) {
    auto& cl = respio_test::shared_cluster();
    const auto keys = numbered("kc:", 15);
    std::vector<std::string> found;
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        for (const auto& k : keys) co_await c.async_exec(cmd::set(k, "1"), asio::use_awaitable);
        found = co_await c.async_exec(cmd::keys("kc:*"), asio::use_awaitable);
    });
    std::set<std::size_t> owners;
    const auto view = cl.topology();
    for (const auto& k : keys) owners.insert(owner_in(view, key_slot(k)));
    EXPECT_EQ(owners.size(), 3u);
    auto expected = keys;
    std::sort(expected.begin(), expected.end());
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, expected);
}

TEST(cluster_client, ping_and_wait_fan_out_to_every_primary) {
    auto& cl = respio_test::shared_cluster();
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        EXPECT_EQ(co_await c.async_exec(cmd::ping(), asio::use_awaitable), "PONG");
        EXPECT_EQ(co_await c.async_exec(cmd::ping("hello"), asio::use_awaitable), "hello");
        // WAIT: each primary has one replica; the minimum over primaries (a sum would say 3).
        co_await c.async_exec(cmd::set("wait:k", "1"), asio::use_awaitable);
        EXPECT_EQ(co_await c.async_exec(cmd::wait(1, 1000), asio::use_awaitable), 1);
        // Asking for more replicas than any primary has: each answers 1 after the timeout.
        EXPECT_EQ(co_await c.async_exec(cmd::wait(2, 100), asio::use_awaitable), 1);
    });
}

TEST(cluster_client, script_load_reaches_every_node_and_script_exists_is_a_logical_and) {
    auto& cl = respio_test::shared_cluster();
    wait_all_online(cl); // replicas reported "loading" would be left out of all_nodes
    // A script no node has seen (unique per run).
    const std::string script =
        "return 'respio " + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "'";
    std::string sha;
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        sha = co_await c.async_exec(cmd::script_load(script), asio::use_awaitable);
        EXPECT_EQ(sha.size(), 40u);
        auto exists = co_await c.async_exec(cmd::script_exists(sha, hex_digest_of_none()), asio::use_awaitable);
        EXPECT_EQ(exists, (std::vector<bool>{true, false}));
    });
    ASSERT_EQ(sha.size(), 40u);
    for (std::size_t i = 0; i < cl.size(); ++i)
        EXPECT_EQ(cl.node(i).cli_output({"SCRIPT", "EXISTS", sha}), "1") << "node " << i << " lacks the script";

    // A script loaded on one primary only: SCRIPT EXISTS over all of them says no.
    const std::string lonely = script + " -- only on one node";
    const auto primaries = cl.primaries();
    const std::string lonely_sha = cl.node(primaries[1]).cli_output({"SCRIPT", "LOAD", lonely});
    ASSERT_EQ(lonely_sha.size(), 40u);
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        auto exists = co_await c.async_exec(cmd::script_exists(lonely_sha, sha), asio::use_awaitable);
        EXPECT_EQ(exists, (std::vector<bool>{false, true}));
    });
}

TEST(cluster_client, special_replies_read_as_a_map_per_node) {
    auto& cl = respio_test::shared_cluster();
    wait_all_online(cl); // LATENCY DOCTOR goes to every node the client knows
    std::map<std::string, std::string> info;
    value info_value;
    std::map<std::string, std::string> doctor;
    error_code as_string;
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        info = co_await c.async_exec(cmd::info("server").as<std::map<std::string, std::string>>(), asio::use_awaitable);
        info_value = co_await c.async_exec(cmd::info("server").as<value>(), asio::use_awaitable);
        doctor = co_await c.async_exec(cmd::latency_doctor().as<std::map<std::string, std::string>>(),
                                       asio::use_awaitable);
        // Read as one string (the command's own type), the per-node map does not fit.
        auto [ec, text] = co_await try_exec(c, cmd::info("server"));
        as_string = ec;
    });
    // INFO goes to every primary: one entry per primary, keyed by its address.
    const auto primaries = cl.primaries();
    ASSERT_EQ(info.size(), primaries.size());
    for (std::size_t p : primaries) {
        const auto it = info.find(cl.node(p).address());
        ASSERT_NE(it, info.end()) << cl.node(p).address();
        EXPECT_EQ(respio_test::info_field(it->second, "tcp_port"), std::to_string(cl.node(p).port()));
    }
    EXPECT_EQ(info_value.data_type, resp::type::map);
    ASSERT_EQ(info_value.elements.size(), 2 * primaries.size());
    for (std::size_t i = 0; i < info_value.elements.size(); i += 2) {
        EXPECT_TRUE(info.contains(info_value.elements[i].string)) << info_value.elements[i].string;
        EXPECT_NE(info_value.elements[i + 1].string.find("redis_version"), std::string::npos);
    }
    // LATENCY DOCTOR goes to every node, replicas included.
    EXPECT_EQ(doctor.size(), cl.size());
    for (std::size_t i = 0; i < cl.size(); ++i) EXPECT_TRUE(doctor.contains(cl.node(i).address())) << i;
    EXPECT_EQ(as_string, error::unexpected_type);
}

TEST(cluster_client, randomkey_answers_a_key_of_some_shard) {
    auto& cl = respio_test::shared_cluster();
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set("rk:1", "1"), asio::use_awaitable);
        auto k = co_await c.async_exec(cmd::randomkey(), asio::use_awaitable);
        EXPECT_TRUE(k.has_value());
        if (!k) co_return;
        EXPECT_EQ(co_await c.async_exec(cmd::exists(*k), asio::use_awaitable), 1) << *k;
    });
}

//
// Discovery
//

TEST(cluster_client, discovers_the_cluster_from_any_single_seed) {
    auto& cl = respio_test::shared_cluster();
    const auto keys = numbered("seed:", 12);
    for (std::size_t seed = 0; seed < cl.size(); ++seed) {
        SCOPED_TRACE("seed node " + std::to_string(seed));
        run(config_for(cl, seed), [&](cluster_client& c) -> asio::awaitable<void> {
            for (const auto& k : keys) {
                auto [ec, r] = co_await try_exec(c, cmd::set(k, std::to_string(seed)));
                EXPECT_FALSE(ec) << k << ": " << ec.message();
            }
            auto v = co_await c.async_exec(cmd::mget(keys), asio::use_awaitable);
            for (const auto& x : v) EXPECT_EQ(x, std::optional<std::string>(std::to_string(seed)));
        });
    }
}

TEST(cluster_client, works_over_resp2) {
    auto& cl = respio_test::shared_cluster();
    auto cfg = config_for(cl);
    cfg.protocol = protocol_version::resp2; // CLUSTER SHARDS as flat arrays, INFO as bulk strings
    const auto keys = numbered("resp2:", 12);
    std::map<std::string, std::string> info;
    run(cfg, [&](cluster_client& c) -> asio::awaitable<void> {
        for (const auto& k : keys) co_await c.async_exec(cmd::set(k, "2:" + k), asio::use_awaitable);
        auto v = co_await c.async_exec(cmd::mget(keys), asio::use_awaitable);
        EXPECT_EQ(v.size(), keys.size());
        for (std::size_t i = 0; i < v.size() && i < keys.size(); ++i)
            EXPECT_EQ(v[i], std::optional<std::string>("2:" + keys[i]));
        EXPECT_EQ(co_await c.async_exec(cmd::exists(keys), asio::use_awaitable), 12);
        info = co_await c.async_exec(cmd::info("server").as<std::map<std::string, std::string>>(), asio::use_awaitable);
    });
    EXPECT_EQ(info.size(), 3u);
    for (const auto& [node, text] : info) EXPECT_NE(text.find("redis_version"), std::string::npos) << node;
}

TEST(cluster_client, a_dead_first_seed_does_not_stop_discovery) {
    auto& cl = respio_test::shared_cluster();
    const auto dead = unused_port();
    auto cfg = config_for({dead, cl.node(1).port()});
    const auto keys = numbered("deadseed:", 9);
    run(cfg, [&](cluster_client& c) -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        auto [ec, r] = co_await try_exec(c, cmd::set(keys[0], "first"));
        EXPECT_FALSE(ec) << "the first request: " << ec.message();
        EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms) << "discovery waited for the dead seed";
        // It keeps working, on every shard, for a while.
        for (int round = 0; round < 5; ++round) {
            for (const auto& k : keys) {
                auto [e, x] = co_await try_exec(c, cmd::set(k, std::to_string(round)));
                EXPECT_FALSE(e) << k << ": " << e.message();
            }
            auto v = co_await c.async_exec(cmd::mget(keys), asio::use_awaitable);
            for (const auto& x : v) EXPECT_EQ(x, std::optional<std::string>(std::to_string(round)));
            co_await pause(100ms);
        }
    });
}

TEST(cluster_client, no_reachable_seed_fails_requests_at_their_deadline) {
    auto cfg = config_for({unused_port(), unused_port()});
    cfg.request_timeout = 300ms;
    run(cfg, [&](cluster_client& c) -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        auto [ec, v] = co_await try_exec(c, cmd::get("nobody"));
        EXPECT_EQ(ec, error::timeout_not_sent) << ec.message();
        EXPECT_TRUE(is_not_sent(ec));
        EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
        auto [ec2, v2] = co_await try_exec(c, cmd::ping());
        EXPECT_EQ(ec2, error::timeout_not_sent) << ec2.message();
    });
}

// Reads with prefer_replica are served by a replica of the key's slot (the connection sends
// READONLY); writes still go to the primary.
TEST(cluster_client, prefer_replica_reads_from_a_replica_of_the_slot) {
    auto& cl = respio_test::shared_cluster();
    const std::string key = "replica-read";
    const std::size_t owner = owner_in(cl.topology(), key_slot(key));
    const auto replicas = cl.replicas_of(owner);
    ASSERT_FALSE(replicas.empty());
    auto replica_gets = [&] {
        std::int64_t n = 0;
        for (auto r : replicas) {
            const auto line = respio_test::info_field(cl.node(r).cli_output({"INFO", "commandstats"}), "cmdstat_get");
            if (line && line->find("calls=") != std::string::npos)
                n += std::stoll(line->substr(line->find("calls=") + 6));
        }
        return n;
    };
    auto cfg = config_for(cl);
    cfg.reads = read_from::prefer_replica;
    bool served_by_replica = false;
    run(cfg, [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set(key, "v"), asio::use_awaitable);
        // Until the client knows the replica (new replicas report "loading" for a while) and its
        // connection is up: a few rounds of reads.
        for (int round = 0; round < 60 && !served_by_replica; ++round) {
            const auto before = replica_gets();
            int ok = 0;
            for (int i = 0; i < 20; ++i) {
                auto v = co_await c.async_exec(cmd::get(key), asio::use_awaitable);
                if (v == std::optional<std::string>("v")) ++ok;
            }
            EXPECT_EQ(ok, 20);
            served_by_replica = replica_gets() - before >= 10;
            if (!served_by_replica) co_await pause(200ms);
        }
    });
    EXPECT_TRUE(served_by_replica);
    EXPECT_EQ(cl.node(owner).cli_output({"GET", key}), "v");
}
