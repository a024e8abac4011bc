// The cluster client's sans-io parts: CRC16 and hash slots (hash tags), the topology built from
// CLUSTER SHARDS (RESP3 map and RESP2 flat array replies, parsed from bytes) and CLUSTER SLOTS,
// MOVED patches, fingerprints and the consensus of several views, and MOVED / ASK parsing.
#include <respio/adapt.hpp>
#include <respio/detail/cluster/slots.hpp>
#include <respio/detail/cluster/topology.hpp>
#include <respio/resp.hpp>
#include <respio/types.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using respio::address;
using respio::cluster_shard;
using respio::cluster_shard_node;
using respio::value;
using respio::detail::consensus;
using respio::detail::crc16;
using respio::detail::hash_tag;
using respio::detail::key_slot;
using respio::detail::parse_redirect;
using respio::detail::shard_info;
using respio::detail::topology;

//
// RESP bytes, written by hand.
//
std::string bulk(std::string_view s) { return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n"; }
std::string integer(std::int64_t i) { return ":" + std::to_string(i) + "\r\n"; }
std::string arr(std::size_t n) { return "*" + std::to_string(n) + "\r\n"; }
std::string map_of(std::size_t n) { return "%" + std::to_string(n) + "\r\n"; }
const std::string null3 = "_\r\n";   // RESP3 null
const std::string null2 = "$-1\r\n"; // RESP2 null bulk string

// Reads the one reply in `bytes` into a T, as the connection does (parser + reply_reader).
template <class T>
T parse_reply(std::string_view bytes) {
    T out{};
    respio::reply_reader<T> reader(out);
    respio::resp::parser p;
    boost::system::error_code ec;
    bool complete = false;
    for (;;) {
        auto n = p.next(bytes, ec);
        if (ec || !n) break;
        reader.on_node(*n);
        if (p.done()) {
            complete = true;
            break;
        }
    }
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_TRUE(complete) << "the reply is incomplete";
    EXPECT_EQ(p.consumed(), bytes.size());
    EXPECT_FALSE(reader.status().ec) << reader.status().message();
    EXPECT_FALSE(reader.server_error_reply().has_value());
    return out;
}

// One node of a CLUSTER SHARDS reply, and its bytes in either protocol.
struct node_spec {
    std::string id;
    std::int64_t port = 0;
    std::optional<std::int64_t> tls_port;
    std::string ip = "127.0.0.1";
    std::string endpoint = "127.0.0.1";
    std::optional<std::string> hostname;
    std::string role = "master";
    std::int64_t offset = 100;
    std::string health = "online";
};

std::string encode(const node_spec& n, bool resp3) {
    std::size_t fields = 7 + (n.tls_port ? 1 : 0) + (n.hostname ? 1 : 0);
    std::string out = resp3 ? map_of(fields) : arr(2 * fields);
    out += bulk("id") + bulk(n.id);
    out += bulk("port") + integer(n.port);
    if (n.tls_port) out += bulk("tls-port") + integer(*n.tls_port);
    out += bulk("ip") + bulk(n.ip);
    out += bulk("endpoint") + bulk(n.endpoint);
    if (n.hostname) out += bulk("hostname") + bulk(*n.hostname);
    out += bulk("role") + bulk(n.role);
    out += bulk("replication-offset") + integer(n.offset);
    out += bulk("health") + bulk(n.health);
    return out;
}

struct shard_spec {
    std::vector<std::int64_t> slots; // flat: first, last, first, last ...
    std::vector<node_spec> nodes;
};

std::string encode(const std::vector<shard_spec>& shards, bool resp3) {
    std::string out = arr(shards.size());
    for (const auto& s : shards) {
        out += resp3 ? map_of(2) : arr(4);
        out += bulk("slots") + arr(s.slots.size());
        for (auto x : s.slots) out += integer(x);
        out += bulk("nodes") + arr(s.nodes.size());
        for (const auto& n : s.nodes) out += encode(n, resp3);
    }
    return out;
}

// CLUSTER SHARDS of a 3 x 2 cluster as Redis 7.0 answers it (ranges in arbitrary order).
std::vector<shard_spec> three_shards() {
    auto primary = [](std::string id, std::int64_t port) {
        node_spec n;
        n.id = std::move(id);
        n.port = port;
        return n;
    };
    auto replica = [](std::string id, std::int64_t port) {
        node_spec n;
        n.id = std::move(id);
        n.port = port;
        n.role = "replica";
        return n;
    };
    return {
        {{0, 5460}, {primary("a1", 30001), replica("a2", 30004)}},
        {{10923, 16383}, {replica("c2", 30006), primary("c1", 30003)}},
        {{5461, 6000, 6001, 10922}, {primary("b1", 30002), replica("b2", 30005)}},
    };
}

address at(std::string host, std::uint16_t port) { return address{std::move(host), port, ""}; }

const address asked = at("10.9.8.7", 30001);

topology from_bytes(const std::vector<shard_spec>& shards, bool resp3, bool tls = false,
                    const address& from = asked) {
    return topology::from_shards(parse_reply<std::vector<cluster_shard>>(encode(shards, resp3)), from, tls);
}

const shard_info* owner(const topology& t, std::uint16_t slot) { return t.shard_of(slot); }

std::optional<address> primary_of(const topology& t, std::uint16_t slot) {
    const shard_info* s = t.shard_of(slot);
    if (s == nullptr) return std::nullopt;
    return s->primary;
}

// A topology from hand-made shards (host 127.0.0.1): {{first, last, port}, ...}.
struct range_owner {
    std::int64_t first, last;
    std::int64_t port;
};
topology make_topology(const std::vector<range_owner>& ranges) {
    std::vector<cluster_shard> shards;
    for (const auto& r : ranges) {
        auto it = std::find_if(shards.begin(), shards.end(),
                               [&](const cluster_shard& s) { return s.nodes.front().port == r.port; });
        if (it == shards.end()) {
            cluster_shard s;
            cluster_shard_node n;
            n.id = "n" + std::to_string(r.port);
            n.port = r.port;
            n.ip = n.endpoint = "127.0.0.1";
            n.role = "master";
            n.health = "online";
            s.nodes.push_back(n);
            shards.push_back(s);
            it = shards.end() - 1;
        }
        it->slots.emplace_back(r.first, r.last);
    }
    return topology::from_shards(shards, asked, false);
}

} // namespace

//
// Slots
//

TEST(cluster_slots, crc16_is_xmodem) {
    EXPECT_EQ(crc16("123456789"), 0x31C3); // the CRC-16/XMODEM check value
    EXPECT_EQ(crc16(""), 0);
    EXPECT_EQ(crc16(std::string_view("\0", 1)), 0);
    EXPECT_EQ(crc16("A"), 0x58E5);
    // Every byte value goes through the table (no sign extension of chars >= 0x80).
    EXPECT_EQ(crc16("\xff"), 0x1EF0);
}

TEST(cluster_slots, key_slot_of_known_keys) {
    // What CLUSTER KEYSLOT answers (Redis 7.0).
    EXPECT_EQ(key_slot("foo"), 12182);
    EXPECT_EQ(key_slot("bar"), 5061);
    EXPECT_EQ(key_slot("hello"), 866);
    EXPECT_EQ(key_slot("somekey"), 11058);
    EXPECT_EQ(key_slot("123456789"), 0x31C3 % 16384);
    EXPECT_EQ(key_slot(""), 0);
    for (std::string_view k : {"a", "b", "user:1000", "\x80\xff binary", "{", "}", "{}"})
        EXPECT_LT(key_slot(k), 16384) << k;
}

TEST(cluster_slots, hash_tags) {
    // The text between the first '{' and the next '}' is hashed, when not empty.
    EXPECT_EQ(hash_tag("{user1000}.following"), "user1000");
    EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
    EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
    EXPECT_EQ(key_slot("x{foo}"), 12182);
    EXPECT_EQ(key_slot("{foo}"), 12182);
    // An empty tag is no tag: the whole key is hashed.
    EXPECT_EQ(hash_tag("foo{}{bar}"), "foo{}{bar}");
    EXPECT_EQ(key_slot("foo{}{bar}"), crc16("foo{}{bar}") % 16384);
    EXPECT_NE(key_slot("foo{}{bar}"), key_slot("bar"));
    EXPECT_EQ(hash_tag("{}"), "{}");
    EXPECT_EQ(hash_tag("{}foo"), "{}foo");
    // Only the first tag counts.
    EXPECT_EQ(hash_tag("foo{bar}{zap}"), "bar");
    EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
    EXPECT_EQ(hash_tag("foo{{bar}}zap"), "{bar");
    // No closing brace (after the first opening one): no tag.
    EXPECT_EQ(hash_tag("foo{bar"), "foo{bar");
    EXPECT_EQ(hash_tag("foo}bar{"), "foo}bar{");
    EXPECT_EQ(hash_tag("a}b{c}"), "c");
    EXPECT_EQ(hash_tag("plain"), "plain");
}

//
// Topology from CLUSTER SHARDS
//

TEST(cluster_topology, from_shards_reads_resp3_and_resp2_replies_alike) {
    const auto spec = three_shards();
    const topology t3 = from_bytes(spec, true);
    const topology t2 = from_bytes(spec, false);
    ASSERT_EQ(t3.shards().size(), 3u);
    EXPECT_EQ(t3.shards(), t2.shards());
    EXPECT_EQ(t3.fingerprint(), t2.fingerprint());
    EXPECT_TRUE(t3.covers_all_slots());
    EXPECT_TRUE(t2.covers_all_slots());

    // Slot ownership, at range borders.
    const std::vector<std::pair<std::uint16_t, std::uint16_t>> expected_owner = {
        {0, 30001},     {5460, 30001},  {5461, 30002},  {6000, 30002}, {6001, 30002},
        {10922, 30002}, {10923, 30003}, {16383, 30003}, {12182, 30003}};
    for (const topology* t : {&t3, &t2}) {
        for (auto [slot, port] : expected_owner) {
            auto p = primary_of(*t, slot);
            ASSERT_TRUE(p) << slot;
            EXPECT_EQ(*p, at("127.0.0.1", port)) << slot;
        }
    }
    // Replicas belong to their shard, whatever their order in the reply.
    EXPECT_EQ(owner(t3, 0)->replicas, std::vector<address>{at("127.0.0.1", 30004)});
    EXPECT_EQ(owner(t3, 16383)->replicas, std::vector<address>{at("127.0.0.1", 30006)});
    EXPECT_EQ(owner(t3, 6000)->slots.size(), 2u);
    // addresses(): primaries first, then replicas.
    const auto all = t3.addresses();
    ASSERT_EQ(all.size(), 6u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_LE(all[i].port, 30003);
    for (std::size_t i = 3; i < 6; ++i) EXPECT_GE(all[i].port, 30004);
}

TEST(cluster_topology, from_shards_accepts_primary_as_role_name) {
    auto spec = three_shards();
    spec[0].nodes[0].role = "primary"; // Valkey 8 may say so
    const topology t = from_bytes(spec, true);
    ASSERT_TRUE(primary_of(t, 0));
    EXPECT_EQ(primary_of(t, 0)->port, 30001);
}

TEST(cluster_topology, empty_or_unknown_endpoint_means_the_asked_host) {
    auto spec = three_shards();
    spec[0].nodes[0].endpoint = "";     // empty endpoint: the host we asked
    spec[0].nodes[0].ip = "";
    spec[1].nodes[1].endpoint = "?";    // unknown endpoint: the ip when known
    spec[1].nodes[1].ip = "10.0.0.3";
    spec[2].nodes[0].endpoint = "?";    // unknown endpoint and no ip: the host we asked
    spec[2].nodes[0].ip = "";
    spec[2].nodes[1].endpoint = "redis-b2.example"; // a hostname endpoint is used as it is
    spec[0].nodes[1].endpoint = "";     // empty endpoint with an ip: the ip
    spec[0].nodes[1].ip = "10.0.0.4";
    for (bool resp3 : {true, false}) {
        const topology t = from_bytes(spec, resp3);
        EXPECT_EQ(*primary_of(t, 0), at("10.9.8.7", 30001)) << resp3;
        EXPECT_EQ(*primary_of(t, 16383), at("10.0.0.3", 30003)) << resp3;
        EXPECT_EQ(*primary_of(t, 5461), at("10.9.8.7", 30002)) << resp3;
        EXPECT_EQ(owner(t, 5461)->replicas, std::vector<address>{at("redis-b2.example", 30005)}) << resp3;
        EXPECT_EQ(owner(t, 0)->replicas, std::vector<address>{at("10.0.0.4", 30004)}) << resp3;
    }
}

TEST(cluster_topology, tls_selects_tls_port) {
    auto spec = three_shards();
    for (auto& s : spec) {
        for (auto& n : s.nodes) {
            n.tls_port = n.port + 100;
        }
    }
    spec[2].nodes[0].port = 0; // TLS only (--port 0): no plaintext port
    const topology tls = from_bytes(spec, true, true);
    ASSERT_EQ(tls.shards().size(), 3u);
    EXPECT_EQ(primary_of(tls, 0)->port, 30101);
    EXPECT_EQ(primary_of(tls, 6000)->port, 30102);
    EXPECT_EQ(owner(tls, 0)->replicas, std::vector<address>{at("127.0.0.1", 30104)});
    // Without TLS the plaintext port; a node without one cannot be used (its shard has no
    // usable primary, so its slots stay unowned).
    const topology plain = from_bytes(spec, false, false);
    EXPECT_EQ(primary_of(plain, 0)->port, 30001);
    EXPECT_EQ(plain.shards().size(), 2u);
    EXPECT_EQ(owner(plain, 6000), nullptr);
    EXPECT_FALSE(plain.covers_all_slots());
    // A TLS cluster that reports no tls-port (tls-port 0 or missing): the port it reports.
    const topology fallback = from_bytes(three_shards(), true, true);
    EXPECT_EQ(primary_of(fallback, 0)->port, 30001);
}

TEST(cluster_topology, failed_nodes_are_left_out_and_replicas_must_be_online) {
    auto spec = three_shards();
    spec[0].nodes[1].health = "loading"; // replica still loading: not used
    spec[1].nodes[0].health = "failed";  // replica failed
    spec[2].nodes[0].health = "fail";    // primary failed: the whole shard is left out
    for (bool resp3 : {true, false}) {
        const topology t = from_bytes(spec, resp3);
        ASSERT_EQ(t.shards().size(), 2u) << resp3;
        EXPECT_TRUE(owner(t, 0)->replicas.empty()) << resp3;
        EXPECT_TRUE(owner(t, 16383)->replicas.empty()) << resp3;
        EXPECT_EQ(owner(t, 5461), nullptr) << resp3;
        EXPECT_EQ(owner(t, 10922), nullptr) << resp3;
        EXPECT_FALSE(t.covers_all_slots()) << resp3;
        for (const auto& a : t.addresses()) {
            EXPECT_NE(a.port, 30002) << resp3;
            EXPECT_NE(a.port, 30004) << resp3;
            EXPECT_NE(a.port, 30006) << resp3;
        }
    }
    // A failed primary next to a promoted one (after a failover the old one lingers as "failed").
    auto after = three_shards();
    after[0].nodes[0].health = "failed";
    after[0].nodes[0].role = "master";
    after[0].nodes[1].role = "master";
    const topology t = from_bytes(after, true);
    EXPECT_EQ(*primary_of(t, 0), at("127.0.0.1", 30004));
}

TEST(cluster_topology, from_shards_skips_bad_ranges_and_ports) {
    auto spec = three_shards();
    spec[0].slots = {0, 5460, 16384, 16400, 10, 5}; // out of range and reversed: ignored
    spec[1].nodes[1].port = 70000;                   // no valid port: no primary, shard left out
    const topology t = from_bytes(spec, true);
    EXPECT_EQ(owner(t, 0)->slots.size(), 1u);
    EXPECT_EQ(owner(t, 16383), nullptr);
    EXPECT_EQ(t.shards().size(), 2u);
    EXPECT_TRUE(topology::from_shards({}, asked, false).shards().empty());
}

//
// Topology from CLUSTER SLOTS
//

TEST(cluster_topology, from_slots_with_metadata_and_null_or_empty_hosts) {
    for (bool resp3 : {true, false}) {
        SCOPED_TRACE(resp3 ? "RESP3" : "RESP2");
        const std::string empty_meta = resp3 ? map_of(0) : arr(0);
        const std::string host_meta = resp3 ? map_of(1) + bulk("hostname") + bulk("host-b")
                                            : arr(2) + bulk("hostname") + bulk("host-b");
        std::string reply = arr(4);
        // [first, last, primary, replica]: each node [host, port, id, metadata] (7.0's 4th element)
        reply += arr(4) + integer(0) + integer(5460) + arr(4) + bulk("127.0.0.1") + integer(30001) + bulk("a1") +
                 empty_meta + arr(4) + bulk("127.0.0.1") + integer(30004) + bulk("a2") + empty_meta;
        // A hostname endpoint with metadata, no replica.
        reply += arr(3) + integer(5461) + integer(10922) + arr(4) + bulk("host-b.example") + integer(30002) +
                 bulk("b1") + host_meta;
        // NULL endpoint: the host we asked; an empty one too (replica); pre-7.0 nodes without metadata.
        reply += arr(4) + integer(10923) + integer(16000) + arr(3) + (resp3 ? null3 : null2) + integer(30003) +
                 bulk("c1") + arr(3) + bulk("") + integer(30006) + bulk("c2");
        // A second range of the first primary: joins its shard.
        reply += arr(3) + integer(16001) + integer(16383) + arr(4) + bulk("127.0.0.1") + integer(30001) +
                 bulk("a1") + empty_meta;
        const auto parsed = parse_reply<std::vector<std::vector<value>>>(reply);
        ASSERT_EQ(parsed.size(), 4u);
        const topology t = topology::from_slots(parsed, asked);
        ASSERT_EQ(t.shards().size(), 3u);
        EXPECT_TRUE(t.covers_all_slots());
        EXPECT_EQ(*primary_of(t, 0), at("127.0.0.1", 30001));
        EXPECT_EQ(*primary_of(t, 16383), at("127.0.0.1", 30001));
        EXPECT_EQ(owner(t, 0)->slots.size(), 2u);
        EXPECT_EQ(owner(t, 0)->replicas, std::vector<address>{at("127.0.0.1", 30004)});
        EXPECT_EQ(*primary_of(t, 6000), at("host-b.example", 30002));
        EXPECT_TRUE(owner(t, 6000)->replicas.empty());
        EXPECT_EQ(*primary_of(t, 12182), at("10.9.8.7", 30003));
        EXPECT_EQ(owner(t, 12182)->replicas, std::vector<address>{at("10.9.8.7", 30006)});
    }
}

TEST(cluster_topology, from_slots_skips_malformed_ranges) {
    std::string reply = arr(4);
    reply += arr(2) + integer(0) + integer(100);                                                       // no node
    reply += arr(3) + integer(200) + integer(100) + arr(2) + bulk("127.0.0.1") + integer(30001);      // reversed
    reply += arr(3) + integer(300) + integer(400) + arr(2) + bulk("127.0.0.1") + integer(0);          // bad port
    reply += arr(3) + integer(500) + integer(600) + arr(2) + bulk("127.0.0.1") + integer(30002);      // fine
    const topology t = topology::from_slots(parse_reply<std::vector<std::vector<value>>>(reply), asked);
    ASSERT_EQ(t.shards().size(), 1u);
    EXPECT_EQ(owner(t, 50), nullptr);
    EXPECT_EQ(owner(t, 150), nullptr);
    EXPECT_EQ(owner(t, 350), nullptr);
    EXPECT_EQ(primary_of(t, 550)->port, 30002);
    EXPECT_FALSE(t.covers_all_slots());
}

TEST(cluster_topology, covers_all_slots) {
    EXPECT_FALSE(topology{}.covers_all_slots());
    EXPECT_EQ(topology{}.shard_of(0), nullptr);
    EXPECT_TRUE(make_topology({{0, 16383, 1}}).covers_all_slots());
    EXPECT_TRUE(make_topology({{0, 8000, 1}, {8001, 16383, 2}}).covers_all_slots());
    EXPECT_FALSE(make_topology({{0, 8000, 1}, {8002, 16383, 2}}).covers_all_slots()); // 8001 missing
    EXPECT_FALSE(make_topology({{1, 16383, 1}}).covers_all_slots());
    EXPECT_FALSE(make_topology({{0, 16382, 1}}).covers_all_slots());
}

//
// MOVED patches
//

TEST(cluster_topology, moved_patches_one_slot_to_a_known_primary) {
    topology t = from_bytes(three_shards(), true);
    const address b = at("127.0.0.1", 30002);
    t.moved(100, b);
    EXPECT_EQ(*primary_of(t, 100), b);
    EXPECT_EQ(primary_of(t, 99)->port, 30001);
    EXPECT_EQ(primary_of(t, 101)->port, 30001);
    EXPECT_EQ(t.shards().size(), 3u); // no new shard for a known primary
    EXPECT_EQ(owner(t, 100), owner(t, 6000));
    EXPECT_TRUE(t.covers_all_slots());
}

TEST(cluster_topology, moved_to_an_unknown_node_adds_a_shard) {
    topology t = from_bytes(three_shards(), true);
    const address d = at("127.0.0.1", 30007);
    t.moved(12182, d);
    ASSERT_EQ(t.shards().size(), 4u);
    EXPECT_EQ(*primary_of(t, 12182), d);
    EXPECT_EQ(primary_of(t, 12181)->port, 30003);
    EXPECT_EQ(primary_of(t, 12183)->port, 30003);
    EXPECT_TRUE(owner(t, 12182)->replicas.empty());
    // Patching again to the same node reuses that shard.
    t.moved(12183, d);
    EXPECT_EQ(t.shards().size(), 4u);
    EXPECT_EQ(owner(t, 12183), owner(t, 12182));
    // The new node is among the addresses to connect to.
    const auto all = t.addresses();
    EXPECT_NE(std::find(all.begin(), all.end(), d), all.end());
}

//
// Fingerprints and consensus
//

TEST(cluster_topology, fingerprint_ignores_order) {
    auto spec = three_shards();
    auto reordered = spec;
    std::reverse(reordered.begin(), reordered.end());
    reordered[0].slots = {6001, 10922, 5461, 6000}; // the same ranges, listed the other way round
    std::swap(reordered[0].nodes[0], reordered[0].nodes[1]);
    EXPECT_EQ(from_bytes(spec, true).fingerprint(), from_bytes(reordered, false).fingerprint());
    // Replicas do not count: only who owns which slots.
    auto fewer_replicas = spec;
    fewer_replicas[1].nodes.erase(fewer_replicas[1].nodes.begin());
    EXPECT_EQ(from_bytes(spec, true).fingerprint(), from_bytes(fewer_replicas, true).fingerprint());
    // Another owner of one range, or another border: another fingerprint.
    auto other_owner = spec;
    other_owner[0].nodes[0].port = 30009;
    EXPECT_NE(from_bytes(spec, true).fingerprint(), from_bytes(other_owner, true).fingerprint());
    EXPECT_NE(make_topology({{0, 8000, 1}, {8001, 16383, 2}}).fingerprint(),
              make_topology({{0, 8001, 1}, {8002, 16383, 2}}).fingerprint());
    EXPECT_EQ(make_topology({{0, 8000, 1}, {8001, 16383, 2}}).fingerprint(),
              make_topology({{8001, 16383, 2}, {0, 8000, 1}}).fingerprint());
}

TEST(cluster_topology, consensus_picks_the_majority_view) {
    const topology a = make_topology({{0, 8000, 1}, {8001, 16383, 2}});
    const topology a_reordered = make_topology({{8001, 16383, 2}, {0, 8000, 1}});
    const topology b = make_topology({{0, 8001, 1}, {8002, 16383, 2}}); // one slot moved
    // The odd one first: the two that agree still win.
    std::vector<topology> views{b, a, a_reordered};
    const topology* best = consensus(views);
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->fingerprint(), a.fingerprint());
    EXPECT_EQ(best->shard_of(8001)->primary.port, 2);
    views = {a, b, b};
    EXPECT_EQ(consensus(views)->fingerprint(), b.fingerprint());
    // A tie: the first.
    views = {b, a};
    EXPECT_EQ(consensus(views), &views[0]);
    views = {a};
    EXPECT_EQ(consensus(views), &views[0]);
    EXPECT_EQ(consensus({}), nullptr);
}

//
// MOVED / ASK
//

TEST(cluster_redirect, parses_moved_and_ask) {
    const address from = at("10.1.1.1", 7000);
    auto m = parse_redirect("MOVED 3999 127.0.0.1:6381", from);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->first, 3999);
    EXPECT_EQ(m->second, at("127.0.0.1", 6381));
    auto a = parse_redirect("ASK 12182 127.0.0.1:27100", from);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->first, 12182);
    EXPECT_EQ(a->second, at("127.0.0.1", 27100));
    auto host = parse_redirect("MOVED 0 redis-3.example.com:6379", from);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->first, 0);
    EXPECT_EQ(host->second, at("redis-3.example.com", 6379));
    auto last = parse_redirect("MOVED 16383 h:65535", from);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->first, 16383);
    EXPECT_EQ(last->second.port, 65535);
}

TEST(cluster_redirect, ipv6_hosts_keep_their_colons) {
    const address from = at("10.1.1.1", 7000);
    auto v6 = parse_redirect("MOVED 1 ::1:7000", from);
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->first, 1);
    EXPECT_EQ(v6->second, at("::1", 7000));
    auto full = parse_redirect("ASK 42 2001:db8::17:6380", from);
    ASSERT_TRUE(full);
    EXPECT_EQ(full->second, at("2001:db8::17", 6380));
}

TEST(cluster_redirect, empty_host_means_the_node_that_answered) {
    const address from = at("10.1.1.1", 7000);
    auto m = parse_redirect("MOVED 5 :7002", from);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->first, 5);
    EXPECT_EQ(m->second, at("10.1.1.1", 7002));
}

TEST(cluster_redirect, rejects_malformed_redirects) {
    const address from = at("10.1.1.1", 7000);
    for (std::string_view bad : {
             "MOVED",                      // nothing
             "MOVED 3999",                 // no address
             "MOVED  127.0.0.1:6381",      // empty slot
             "MOVED abc 127.0.0.1:6381",   // slot not a number
             "MOVED -1 127.0.0.1:6381",    // negative
             "MOVED 16384 127.0.0.1:6381", // past the last slot
             "MOVED 99999999999999999999 127.0.0.1:6381",
             "MOVED 3999 127.0.0.1",       // no port
             "MOVED 3999 127.0.0.1:",      // empty port
             "MOVED 3999 127.0.0.1:0",     // port 0
             "MOVED 3999 127.0.0.1:65536", // past the last port
             "MOVED 3999 127.0.0.1:63x9",  // port not a number
             "ASK 12 h:99999999999999999999",
         }) {
        EXPECT_FALSE(parse_redirect(bad, from).has_value()) << bad;
    }
}
