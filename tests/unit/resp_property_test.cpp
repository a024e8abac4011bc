// RESP properties over generated values: decode(encode(v)) == v; every split of the input parses
// like the whole; bytes consumed equal the frame length. Deterministic seeds, so failures replay.
#include "resp_test_util.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <random>

using namespace respio::resp;
using respio_test::parse_all;
using respio_test::parse_pieces;

namespace {

// Builds a random reply as the node list the parser must produce, and its wire bytes.
class generator {
public:
    explicit generator(std::uint32_t seed) : rng_(seed) {}

    // One top-level value (maybe preceded by an attribute). Returns the bytes; appends nodes.
    std::string value(std::vector<node>& nodes, std::size_t depth = 0, bool in_attr = false) {
        std::string out;
        if (coin(8)) out += attribute(nodes, depth);
        out += element(nodes, depth, in_attr, /*allow_push=*/depth == 0);
        return out;
    }

private:
    bool coin(int one_in) { return std::uniform_int_distribution<int>(0, one_in - 1)(rng_) == 0; }
    std::size_t pick(std::size_t lo, std::size_t hi) { return std::uniform_int_distribution<std::size_t>(lo, hi)(rng_); }

    std::string bytes(std::size_t max_len, bool binary) {
        std::string s(pick(0, max_len), 'x');
        for (auto& c : s) {
            c = binary ? static_cast<char>(pick(0, 255)) : static_cast<char>(pick('a', 'z'));
        }
        return s;
    }

    std::string attribute(std::vector<node>& nodes, std::size_t depth) {
        const std::size_t n = pick(1, 2);
        nodes.push_back(node{type::attribute, n, depth, "", "", 0, 0.0, true});
        std::string out = "|" + std::to_string(n) + "\r\n";
        for (std::size_t i = 0; i < 2 * n; ++i) out += element(nodes, depth + 1, true, false);
        return out;
    }

    std::string element(std::vector<node>& nodes, std::size_t depth, bool in_attr, bool allow_push) {
        const bool aggregate_ok = depth < 6;
        for (;;) {
            switch (pick(0, 16)) {
            case 0: {
                auto s = bytes(12, false);
                nodes.push_back(node{type::simple_string, 1, depth, s, "", 0, 0.0, in_attr});
                return "+" + s + "\r\n";
            }
            case 1: {
                auto s = "ERR " + bytes(12, false);
                nodes.push_back(node{type::simple_error, 1, depth, s, "", 0, 0.0, in_attr});
                return "-" + s + "\r\n";
            }
            case 2: {
                std::int64_t v = coin(4) ? std::numeric_limits<std::int64_t>::min()
                                         : static_cast<std::int64_t>(rng_()) - (1ll << 31);
                if (coin(5)) v = std::numeric_limits<std::int64_t>::max();
                nodes.push_back(node{type::integer, 1, depth, std::to_string(v), "", v, 0.0, in_attr});
                return ":" + std::to_string(v) + "\r\n";
            }
            case 3:
            case 4: {
                auto s = bytes(coin(20) ? 3000 : 40, true);
                nodes.push_back(node{type::bulk_string, 1, depth, s, "", 0, 0.0, in_attr});
                return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
            }
            case 5: {
                nodes.push_back(node{type::null, 1, depth, "", "", 0, 0.0, in_attr});
                const char* forms[] = {"_\r\n", "$-1\r\n", "*-1\r\n"};
                return forms[pick(0, 2)];
            }
            case 6: {
                const bool b = coin(2);
                nodes.push_back(node{type::boolean, 1, depth, b ? "t" : "f", "", b ? 1 : 0, 0.0, in_attr});
                return b ? "#t\r\n" : "#f\r\n";
            }
            case 7: {
                double d = std::ldexp(static_cast<double>(rng_()), static_cast<int>(pick(0, 60)) - 40);
                if (coin(2)) d = -d;
                std::string text;
                if (coin(10)) { d = std::numeric_limits<double>::infinity(); text = "inf"; }
                else if (coin(10)) { d = -std::numeric_limits<double>::infinity(); text = "-inf"; }
                else if (coin(10)) { d = std::numeric_limits<double>::quiet_NaN(); text = "nan"; }
                else {
                    char buf[40];
                    auto r = std::to_chars(buf, buf + sizeof buf, d);
                    text.assign(buf, r.ptr);
                }
                nodes.push_back(node{type::double_type, 1, depth, text, "", 0, d, in_attr});
                return "," + text + "\r\n";
            }
            case 8: {
                std::string digits = std::to_string(rng_()) + std::to_string(rng_()) + std::to_string(rng_());
                if (coin(2)) digits = "-" + digits;
                nodes.push_back(node{type::big_number, 1, depth, digits, "", 0, 0.0, in_attr});
                return "(" + digits + "\r\n";
            }
            case 9: {
                auto s = "ERR " + bytes(20, true);
                nodes.push_back(node{type::bulk_error, 1, depth, s, "", 0, 0.0, in_attr});
                return "!" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
            }
            case 10: {
                auto s = bytes(30, true);
                nodes.push_back(node{type::verbatim_string, 1, depth, s, "txt", 0, 0.0, in_attr});
                return "=" + std::to_string(s.size() + 4) + "\r\ntxt:" + s + "\r\n";
            }
            case 11: { // streamed string
                nodes.push_back(node{type::streamed_string, unknown_size, depth, "", "", 0, 0.0, in_attr});
                std::string out = "$?\r\n";
                for (std::size_t i = pick(0, 3); i > 0; --i) {
                    auto s = bytes(10, true);
                    if (s.empty()) s = "z";
                    nodes.push_back(node{type::streamed_string_part, 1, depth + 1, s, "", 0, 0.0, in_attr});
                    out += ";" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
                }
                nodes.push_back(node{type::stream_end, 1, depth + 1, "", "", 0, 0.0, in_attr});
                return out + ";0\r\n";
            }
            case 12:
            case 13:
            case 14:
            case 15: {
                if (!aggregate_ok) continue;
                const type kinds[] = {type::array, type::map, type::set, type::push};
                type k = kinds[pick(0, allow_push ? 3 : 2)];
                const char prefix = k == type::array ? '*' : k == type::map ? '%' : k == type::set ? '~' : '>';
                const std::size_t n = pick(0, 4);
                nodes.push_back(node{k, n, depth, "", "", 0, 0.0, in_attr});
                std::string out = std::string(1, prefix) + std::to_string(n) + "\r\n";
                for (std::size_t i = 0; i < n * element_multiplicity(k); ++i)
                    out += child(nodes, depth + 1, in_attr);
                return out;
            }
            case 16: { // streamed aggregate
                if (!aggregate_ok) continue;
                const bool is_map = coin(2);
                nodes.push_back(node{is_map ? type::map : type::array, unknown_size, depth, "", "", 0, 0.0, in_attr});
                std::string out = is_map ? "%?\r\n" : "*?\r\n";
                for (std::size_t i = pick(0, 3) * (is_map ? 2 : 1); i > 0; --i) out += child(nodes, depth + 1, in_attr);
                nodes.push_back(node{type::stream_end, 1, depth + 1, "", "", 0, 0.0, in_attr});
                return out + ".\r\n";
            }
            }
        }
    }

    std::string child(std::vector<node>& nodes, std::size_t depth, bool in_attr) {
        std::string out;
        if (!in_attr && coin(12)) out += attribute(nodes, depth);
        return out + element(nodes, depth, in_attr, false);
    }

    std::mt19937 rng_;
};

struct sample {
    std::string bytes;
    std::vector<node> nodes;
    std::vector<std::size_t> lengths;
};

sample make_sample(std::uint32_t seed, int replies) {
    generator g(seed);
    sample s;
    for (int i = 0; i < replies; ++i) {
        auto b = g.value(s.nodes);
        s.lengths.push_back(b.size());
        s.bytes += b;
    }
    return s;
}

} // namespace

TEST(resp_property, decode_of_encode_is_identity) {
    for (std::uint32_t seed = 1; seed <= 2000; ++seed) {
        auto s = make_sample(seed, 3);
        auto r = parse_all(s.bytes);
        ASSERT_FALSE(r.ec) << "seed " << seed << ": " << r.ec.message();
        ASSERT_EQ(r.nodes, s.nodes) << "seed " << seed;
        ASSERT_EQ(r.reply_lengths, s.lengths) << "seed " << seed; // consumed == frame length
        ASSERT_EQ(r.leftover, 0u);
    }
}

TEST(resp_property, every_single_split_point_equals_one_shot) {
    for (std::uint32_t seed = 1; seed <= 300; ++seed) {
        auto s = make_sample(seed, 2);
        if (s.bytes.size() > 600) continue; // exhaustive splits for small inputs only
        const auto whole = parse_all(s.bytes);
        for (std::size_t cut = 0; cut <= s.bytes.size(); ++cut) {
            ASSERT_EQ(parse_pieces(s.bytes, {cut}), whole) << "seed " << seed << " cut " << cut;
        }
    }
}

TEST(resp_property, byte_by_byte_equals_one_shot) {
    for (std::uint32_t seed = 1; seed <= 100; ++seed) {
        auto s = make_sample(seed, 3);
        std::vector<std::size_t> cuts;
        for (std::size_t i = 1; i < s.bytes.size(); ++i) cuts.push_back(i);
        ASSERT_EQ(parse_pieces(s.bytes, cuts), parse_all(s.bytes)) << "seed " << seed;
    }
}

TEST(resp_property, random_multi_splits_of_large_inputs_equal_one_shot) {
    std::mt19937 rng(42);
    for (std::uint32_t seed = 1; seed <= 100; ++seed) {
        auto s = make_sample(seed * 7919, 40);
        const auto whole = parse_all(s.bytes);
        ASSERT_FALSE(whole.ec);
        for (int round = 0; round < 5; ++round) {
            std::vector<std::size_t> cuts;
            std::size_t at = 0;
            while (true) {
                at += std::uniform_int_distribution<std::size_t>(1, 64)(rng);
                if (at >= s.bytes.size()) break;
                cuts.push_back(at);
            }
            ASSERT_EQ(parse_pieces(s.bytes, cuts), whole) << "seed " << seed << " round " << round;
        }
    }
}

TEST(resp_property, splits_of_malformed_input_fail_the_same_way) {
    // Take valid samples, corrupt one byte, and check that any split reports the same outcome.
    std::mt19937 rng(7);
    int errors_seen = 0;
    for (std::uint32_t seed = 1; seed <= 300; ++seed) {
        auto s = make_sample(seed, 2);
        if (s.bytes.size() > 400) continue;
        const std::size_t at = std::uniform_int_distribution<std::size_t>(0, s.bytes.size() - 1)(rng);
        s.bytes[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
        const auto whole = parse_all(s.bytes);
        if (whole.ec) ++errors_seen;
        for (std::size_t cut = 0; cut <= s.bytes.size(); cut += 3) {
            ASSERT_EQ(parse_pieces(s.bytes, {cut}), whole) << "seed " << seed << " cut " << cut;
        }
    }
    EXPECT_GT(errors_seen, 50); // the corruption really exercised error paths
}
