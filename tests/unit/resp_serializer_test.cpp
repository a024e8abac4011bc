// Request serializer: exact bytes per argument kind, expansion of ranges/pairs/maps, user types,
// round trip through the parser, and the strong exception guarantee.
#include "resp_test_util.hpp"

#include <gtest/gtest.h>

#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <list>
#include <map>
#include <random>
#include <span>
#include <vector>

using namespace respio::resp;

namespace userns {
struct point {
    int x, y;
};
// One bulk "x,y" per point, through the customization point.
void respio_to_bulk(bulk_writer& w, const point& p) { w.bulk(std::to_string(p.x) + "," + std::to_string(p.y)); }

struct faulty {}; // writes two bulks: a bug the serializer must catch
void respio_to_bulk(bulk_writer& w, const faulty&) {
    w.bulk(std::string_view("a"));
    w.bulk(std::string_view("b"));
}
} // namespace userns

namespace {
// The bulk strings of one command, parsed back.
std::vector<std::string> bulks_of(const std::string& bytes) {
    auto r = respio_test::parse_all(bytes);
    EXPECT_FALSE(r.ec);
    EXPECT_EQ(r.reply_lengths.size(), 1u);
    std::vector<std::string> out;
    if (r.nodes.empty()) return out;
    EXPECT_EQ(r.nodes[0].data_type, type::array);
    EXPECT_EQ(r.nodes[0].size, r.nodes.size() - 1);
    for (std::size_t i = 1; i < r.nodes.size(); ++i) {
        EXPECT_EQ(r.nodes[i].data_type, type::bulk_string);
        out.push_back(r.nodes[i].value);
    }
    return out;
}
} // namespace

TEST(resp_serializer, get_is_exactly_the_documented_bytes) {
    EXPECT_EQ(make_command("GET", "key"), "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n");
    EXPECT_EQ(make_command("PING"), "*1\r\n$4\r\nPING\r\n");
    EXPECT_EQ(make_command("SET", "k", ""), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

TEST(resp_serializer, string_likes_and_byte_spans) {
    std::string s = "str";
    std::string_view sv = "view";
    const char* cs = "cstr";
    std::vector<char> vc{'v', 'c'};
    std::array<std::byte, 3> bytes{std::byte{0}, std::byte{'\r'}, std::byte{0xff}};
    std::span<const std::byte> sp(bytes);
    EXPECT_EQ(bulks_of(make_command(s, sv, cs, vc, sp)),
              (std::vector<std::string>{"str", "view", "cstr", "vc", std::string("\0\r\xff", 3)}));
}

TEST(resp_serializer, integers_of_every_width) {
    EXPECT_EQ(bulks_of(make_command(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max(),
                                    short(-3), 0u, 42L)),
              (std::vector<std::string>{"-9223372036854775808", "18446744073709551615", "-3", "0", "42"}));
}

TEST(resp_serializer, doubles_use_the_shortest_round_trip_text) {
    EXPECT_EQ(bulks_of(make_command(0.1, 2.5, 1e300, -0.0, 3.0f)),
              (std::vector<std::string>{"0.1", "2.5", "1e+300", "-0", "3"}));
    EXPECT_EQ(bulks_of(make_command(std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity())),
              (std::vector<std::string>{"inf", "-inf"}));
    std::mt19937_64 rng(3);
    for (int i = 0; i < 10000; ++i) {
        std::uint64_t bits = rng();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (d != d || d == std::numeric_limits<double>::infinity() || d == -std::numeric_limits<double>::infinity())
            continue;
        auto text = bulks_of(make_command(d)).at(0);
        double back = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), back);
        ASSERT_EQ(r.ptr, text.data() + text.size());
        ASSERT_EQ(std::memcmp(&back, &d, sizeof d), 0) << text;
    }
}

TEST(resp_serializer, ranges_pairs_and_maps_expand_in_place) {
    std::vector<std::string> keys{"a", "b", "c"};
    std::list<int> numbers{1, 2};
    std::map<std::string, int> fields{{"f1", 1}, {"f2", 2}};
    std::vector<std::pair<std::string, double>> scored{{"m", 1.5}};
    EXPECT_EQ(bulks_of(make_command("DEL", keys)), (std::vector<std::string>{"DEL", "a", "b", "c"}));
    EXPECT_EQ(bulks_of(make_command("X", numbers, std::pair{"p", 7})),
              (std::vector<std::string>{"X", "1", "2", "p", "7"}));
    EXPECT_EQ(bulks_of(make_command("HSET", "h", fields)), (std::vector<std::string>{"HSET", "h", "f1", "1", "f2", "2"}));
    EXPECT_EQ(bulks_of(make_command("ZADD", "z", scored)), (std::vector<std::string>{"ZADD", "z", "m", "1.5"}));
    std::vector<std::vector<std::string>> nested{{"x"}, {}, {"y", "z"}};
    EXPECT_EQ(bulks_of(make_command(nested)), (std::vector<std::string>{"x", "y", "z"}));
    EXPECT_EQ(make_command("MGET", std::vector<std::string>{}), "*1\r\n$4\r\nMGET\r\n");
}

TEST(resp_serializer, user_types_through_the_customization_point) {
    std::vector<userns::point> pts{{1, 2}, {3, 4}};
    EXPECT_EQ(bulks_of(make_command("GEO", userns::point{5, -6}, pts)),
              (std::vector<std::string>{"GEO", "5,-6", "1,2", "3,4"}));
}

TEST(resp_serializer, appends_after_existing_commands_and_buffer_is_reusable) {
    std::string buf;
    append_command(buf, "GET", "a");
    append_command(buf, "GET", "b");
    auto r = respio_test::parse_all(buf);
    EXPECT_EQ(r.reply_lengths.size(), 2u);
    const std::string once = buf; // a serialized batch can be written any number of times
    EXPECT_EQ(buf, once);
}

TEST(resp_serializer, faulty_user_type_leaves_the_buffer_untouched) {
    std::string buf = "*1\r\n$4\r\nPING\r\n";
    EXPECT_THROW(append_command(buf, "X", userns::faulty{}), std::logic_error);
    EXPECT_EQ(buf, "*1\r\n$4\r\nPING\r\n");
}

TEST(resp_serializer, concepts_accept_and_refuse_the_right_kinds) {
    static_assert(bulk_arg<std::string>);
    static_assert(bulk_arg<const char*>);
    static_assert(bulk_arg<int>);
    static_assert(bulk_arg<double>);
    static_assert(bulk_arg<std::vector<char>>);
    static_assert(bulk_arg<userns::point>);
    static_assert(!bulk_arg<bool>); // "1"/"0" or "true"? Ambiguous: refused, say what you mean
    static_assert(!bulk_arg<char>); // a char is a character, not the number 97
    static_assert(command_arg<std::vector<std::string>>);
    static_assert(command_arg<std::map<std::string, int>>);
    static_assert(!command_arg<std::vector<bool>>);
    static_assert(!command_arg<void*>);
    SUCCEED();
}

TEST(resp_serializer, random_argument_vectors_round_trip) {
    std::mt19937 rng(11);
    for (int round = 0; round < 500; ++round) {
        std::vector<std::string> args(std::uniform_int_distribution<int>(1, 20)(rng));
        for (auto& a : args) {
            a.resize(std::uniform_int_distribution<int>(0, round % 50 == 0 ? 5000 : 30)(rng));
            for (auto& c : a) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
        }
        ASSERT_EQ(bulks_of(make_command(args)), args);
    }
}
