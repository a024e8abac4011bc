// RESP parser: every RESP2/RESP3 type, attributes, pushes, streams, reply boundaries, malformed input.
#include "resp_test_util.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace respio::resp;
using respio_test::parse_all;

namespace {

// The single node of a one-node reply.
node only(std::string_view input) {
    auto r = parse_all(input);
    EXPECT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.nodes.size(), 1u);
    EXPECT_EQ(r.reply_lengths.size(), 1u);
    if (!r.reply_lengths.empty()) {
        EXPECT_EQ(r.reply_lengths[0], input.size());
    }
    return r.nodes.empty() ? node{} : r.nodes[0];
}

boost::system::error_code error_of(std::string_view input) { return parse_all(input).ec; }

} // namespace

//
// Scalars
//

TEST(resp_parser, simple_string_and_error) {
    auto s = only("+OK\r\n");
    EXPECT_EQ(s.data_type, type::simple_string);
    EXPECT_EQ(s.value, "OK");
    auto e = only("-WRONGTYPE Operation against a key\r\n");
    EXPECT_EQ(e.data_type, type::simple_error);
    EXPECT_EQ(e.value, "WRONGTYPE Operation against a key");
    EXPECT_EQ(only("+\r\n").value, "");
}

TEST(resp_parser, integers_are_decoded_strictly) {
    EXPECT_EQ(only(":0\r\n").integer, 0);
    EXPECT_EQ(only(":-42\r\n").integer, -42);
    EXPECT_EQ(only(":+7\r\n").integer, 7);
    EXPECT_EQ(only(":9223372036854775807\r\n").integer, std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(only(":-9223372036854775808\r\n").integer, std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(error_of(":9223372036854775808\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(":-9223372036854775809\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(":99999999999999999999\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(":\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(":-\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(":12a\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(": 1\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of(":1.5\r\n"), error::invalid_integer);
}

TEST(resp_parser, bulk_strings_hold_any_bytes) {
    auto b = only("$11\r\nHello World\r\n");
    EXPECT_EQ(b.data_type, type::bulk_string);
    EXPECT_EQ(b.value, "Hello World");
    EXPECT_EQ(only("$0\r\n\r\n").value, "");
    const std::string binary("$4\r\n\r\n\0\xff\r\n", 10);
    EXPECT_EQ(only(binary).value, std::string("\r\n\0\xff", 4));
}

TEST(resp_parser, bulk_payload_must_end_in_crlf) {
    EXPECT_EQ(error_of("$3\r\nfooX\r\n"), error::missing_crlf);
    EXPECT_EQ(error_of("$3\r\nfoo\rX"), error::missing_crlf);
    EXPECT_EQ(error_of("$2\r\nfoo\r\n"), error::missing_crlf);
}

TEST(resp_parser, lengths_are_validated) {
    EXPECT_EQ(error_of("$\r\n"), error::invalid_length);
    EXPECT_EQ(error_of("$-2\r\n"), error::invalid_length);
    EXPECT_EQ(error_of("$+3\r\nfoo\r\n"), error::invalid_length);
    EXPECT_EQ(error_of("$3x\r\nfoo\r\n"), error::invalid_length);
    EXPECT_EQ(error_of("*-5\r\n"), error::invalid_length);
    EXPECT_EQ(error_of("*99999999999999999999999\r\n"), error::invalid_length);
    EXPECT_EQ(error_of("%-1\r\n"), error::invalid_length); // RESP2 nulls exist only for $ and *
    EXPECT_EQ(error_of("$18446744073709551616\r\n"), error::invalid_length);
}

TEST(resp_parser, doubles_including_inf_and_nan) {
    EXPECT_DOUBLE_EQ(only(",3.141\r\n").real, 3.141);
    EXPECT_DOUBLE_EQ(only(",-1.5e10\r\n").real, -1.5e10);
    EXPECT_DOUBLE_EQ(only(",+2\r\n").real, 2.0);
    EXPECT_DOUBLE_EQ(only(",10\r\n").real, 10.0);
    EXPECT_EQ(only(",inf\r\n").real, std::numeric_limits<double>::infinity());
    EXPECT_EQ(only(",-inf\r\n").real, -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(only(",nan\r\n").real));
    EXPECT_EQ(only(",1.5\r\n").value, "1.5");
    EXPECT_EQ(error_of(",\r\n"), error::invalid_double);
    EXPECT_EQ(error_of(",abc\r\n"), error::invalid_double);
    EXPECT_EQ(error_of(",infinity\r\n"), error::invalid_double);
    EXPECT_EQ(error_of(",0x10\r\n"), error::invalid_double);
    EXPECT_EQ(error_of(",1.5.5\r\n"), error::invalid_double);
    EXPECT_EQ(error_of(", 1\r\n"), error::invalid_double);
}

TEST(resp_parser, booleans) {
    auto t = only("#t\r\n");
    EXPECT_EQ(t.data_type, type::boolean);
    EXPECT_EQ(t.integer, 1);
    EXPECT_EQ(only("#f\r\n").integer, 0);
    EXPECT_EQ(error_of("#x\r\n"), error::invalid_boolean);
    EXPECT_EQ(error_of("#\r\n"), error::invalid_boolean);
    EXPECT_EQ(error_of("#tt\r\n"), error::invalid_boolean);
}

TEST(resp_parser, big_numbers) {
    auto b = only("(1234567999999999999999999999999999999\r\n");
    EXPECT_EQ(b.data_type, type::big_number);
    EXPECT_EQ(b.value, "1234567999999999999999999999999999999");
    EXPECT_EQ(only("(-12\r\n").value, "-12");
    EXPECT_EQ(error_of("(\r\n"), error::invalid_big_number);
    EXPECT_EQ(error_of("(12a\r\n"), error::invalid_big_number);
    EXPECT_EQ(error_of("(-\r\n"), error::invalid_big_number);
}

TEST(resp_parser, bulk_errors) {
    auto e = only("!21\r\nSYNTAX invalid syntax\r\n");
    EXPECT_EQ(e.data_type, type::bulk_error);
    EXPECT_EQ(e.value, "SYNTAX invalid syntax");
    EXPECT_TRUE(is_error(e.data_type));
}

TEST(resp_parser, verbatim_strings_split_format_and_text) {
    auto v = only("=29\r\ntxt:This is a verbatim\nstring\r\n");
    EXPECT_EQ(v.data_type, type::verbatim_string);
    EXPECT_EQ(v.format, "txt");
    EXPECT_EQ(v.value, "This is a verbatim\nstring");
    EXPECT_EQ(only("=4\r\nmkd:\r\n").value, "");
    EXPECT_EQ(error_of("=3\r\ntxt\r\n"), error::invalid_verbatim);
    EXPECT_EQ(error_of("=5\r\ntxt-x\r\n"), error::invalid_verbatim);
}

//
// Nulls: RESP3's _ and RESP2's $-1 / *-1 are one null
//

TEST(resp_parser, resp2_and_resp3_nulls_are_the_same_node) {
    EXPECT_EQ(only("_\r\n").data_type, type::null);
    EXPECT_EQ(only("$-1\r\n").data_type, type::null);
    EXPECT_EQ(only("*-1\r\n").data_type, type::null);
    EXPECT_EQ(only("_\r\n"), only("$-1\r\n"));
    EXPECT_EQ(only("_\r\n"), only("*-1\r\n"));
    EXPECT_EQ(error_of("_x\r\n"), error::invalid_null);
}

TEST(resp_parser, null_inside_array_counts_as_an_element) {
    auto r = parse_all("*3\r\n$-1\r\n_\r\n*-1\r\n+after\r\n");
    ASSERT_FALSE(r.ec);
    ASSERT_EQ(r.reply_lengths.size(), 2u);
    EXPECT_EQ(r.reply_lengths[0], 17u);
    EXPECT_EQ(r.nodes[1].data_type, type::null);
    EXPECT_EQ(r.nodes[3].data_type, type::null);
    EXPECT_EQ(r.nodes[4].value, "after");
}

//
// Aggregates
//

TEST(resp_parser, nested_aggregates_in_preorder_with_depths) {
    auto r = parse_all("*2\r\n*2\r\n:1\r\n:2\r\n%1\r\n+k\r\n~2\r\n#t\r\n#f\r\n");
    ASSERT_FALSE(r.ec);
    ASSERT_EQ(r.reply_lengths.size(), 1u);
    std::vector<std::pair<type, std::size_t>> shape;
    for (auto& n : r.nodes) shape.emplace_back(n.data_type, n.depth);
    std::vector<std::pair<type, std::size_t>> expected{
        {type::array, 0},         {type::array, 1},   {type::integer, 2}, {type::integer, 2},
        {type::map, 1},           {type::simple_string, 2}, {type::set, 2}, {type::boolean, 3},
        {type::boolean, 3}};
    EXPECT_EQ(shape, expected);
    EXPECT_EQ(r.nodes[0].size, 2u);
    EXPECT_EQ(r.nodes[4].size, 1u); // a map's size counts pairs
}

TEST(resp_parser, empty_aggregates_complete_at_once) {
    auto r = parse_all("*0\r\n%0\r\n~0\r\n*1\r\n*0\r\n");
    ASSERT_FALSE(r.ec);
    EXPECT_EQ(r.reply_lengths, (std::vector<std::size_t>{4, 4, 4, 8}));
}

TEST(resp_parser, map_needs_key_and_value_per_pair) {
    auto r = parse_all("%2\r\n+a\r\n:1\r\n+b\r\n");
    EXPECT_FALSE(r.ec);
    EXPECT_TRUE(r.reply_lengths.empty()); // still waiting for the value of b
    EXPECT_EQ(parse_all("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n").reply_lengths.size(), 1u);
}

//
// Reply boundaries: the bytes of the next reply are left alone
//

TEST(resp_parser, stops_exactly_at_the_end_of_a_reply) {
    respio::resp::parser p;
    boost::system::error_code ec;
    const std::string_view two = "*2\r\n+a\r\n+b\r\n:5\r\n";
    int nodes = 0;
    while (auto n = p.next(two, ec)) {
        ++nodes;
        if (p.done()) break;
    }
    ASSERT_FALSE(ec);
    EXPECT_EQ(nodes, 3);
    EXPECT_TRUE(p.done());
    EXPECT_EQ(p.consumed(), 12u);
    EXPECT_FALSE(p.next(two, ec)); // nothing more until reset()
    p.reset();
    auto n = p.next(two.substr(12), ec);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->integer, 5);
    EXPECT_TRUE(p.done());
}

TEST(resp_parser, many_pipelined_replies_split_exactly) {
    std::string input;
    for (int i = 0; i < 100; ++i) input += "$3\r\nabc\r\n:" + std::to_string(i) + "\r\n";
    auto r = parse_all(input);
    ASSERT_FALSE(r.ec);
    ASSERT_EQ(r.reply_lengths.size(), 200u);
    std::size_t total = 0;
    for (auto l : r.reply_lengths) total += l;
    EXPECT_EQ(total, input.size());
    EXPECT_EQ(r.nodes[199].integer, 99);
}

//
// Attributes and pushes
//

TEST(resp_parser, attribute_is_flagged_and_does_not_end_the_reply) {
    const std::string input = "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
                              "$39\r\nSome real reply following the attribute\r\n";
    auto r = parse_all(input);
    ASSERT_FALSE(r.ec);
    ASSERT_EQ(r.reply_lengths.size(), 1u);
    EXPECT_EQ(r.reply_lengths[0], input.size());
    ASSERT_EQ(r.nodes.size(), 6u);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(r.nodes[i].in_attribute) << i;
    EXPECT_FALSE(r.nodes[5].in_attribute);
    EXPECT_EQ(r.nodes[5].value, "Some real reply following the attribute");
    EXPECT_EQ(r.nodes[5].depth, 0u);
}

TEST(resp_parser, attribute_inside_an_array_does_not_count_as_an_element) {
    auto r = parse_all("*2\r\n:1\r\n|1\r\n+ttl\r\n:3\r\n:2\r\n+next\r\n");
    ASSERT_FALSE(r.ec);
    ASSERT_EQ(r.reply_lengths.size(), 2u);
    EXPECT_EQ(r.nodes[5].integer, 2);
    EXPECT_FALSE(r.nodes[5].in_attribute);
    EXPECT_EQ(r.nodes[5].depth, 1u);
    EXPECT_EQ(r.nodes[6].value, "next");
}

TEST(resp_parser, push_frames_are_flagged) {
    const std::string input = ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
                              "$40\r\nSome real reply following the push reply\r\n";
    auto r = parse_all(input);
    ASSERT_FALSE(r.ec);
    EXPECT_EQ(r.pushes, (std::vector<bool>{true, false}));
    EXPECT_EQ(r.nodes[0].data_type, type::push);
    // An invalidation push, as CLIENT TRACKING sends it.
    auto inv = parse_all(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\ntk\r\n");
    EXPECT_EQ(inv.pushes, std::vector<bool>{true});
}

TEST(resp_parser, push_after_attribute_is_still_a_push) {
    auto r = parse_all("|1\r\n+a\r\n+b\r\n>1\r\n+message\r\n");
    ASSERT_FALSE(r.ec);
    EXPECT_EQ(r.pushes, std::vector<bool>{true});
}

//
// Streamed strings and aggregates
//

TEST(resp_parser, streamed_string_parts_and_end) {
    auto r = parse_all("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n+x\r\n");
    ASSERT_FALSE(r.ec);
    ASSERT_EQ(r.reply_lengths.size(), 2u);
    EXPECT_EQ(r.nodes[0].data_type, type::streamed_string);
    EXPECT_EQ(r.nodes[0].size, unknown_size);
    std::string joined;
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(r.nodes[i].data_type, type::streamed_string_part);
        EXPECT_EQ(r.nodes[i].depth, 1u);
        joined += r.nodes[i].value;
    }
    EXPECT_EQ(joined, "Hello word");
    EXPECT_EQ(r.nodes[4].data_type, type::stream_end);
    EXPECT_EQ(r.nodes[4].depth, 1u);
}

TEST(resp_parser, streamed_aggregates_end_with_a_dot) {
    auto r = parse_all("*?\r\n:1\r\n*?\r\n+a\r\n.\r\n%?\r\n+k\r\n:2\r\n.\r\n.\r\n:9\r\n");
    ASSERT_FALSE(r.ec) << r.ec.message();
    ASSERT_EQ(r.reply_lengths.size(), 2u);
    EXPECT_EQ(r.nodes.back().integer, 9);
    EXPECT_EQ(r.nodes[4].data_type, type::stream_end);
    EXPECT_EQ(r.nodes[4].depth, 2u);
    EXPECT_EQ(r.nodes[9].data_type, type::stream_end);
    EXPECT_EQ(r.nodes[9].depth, 1u);
}

TEST(resp_parser, streamed_forms_outside_their_context_are_rejected) {
    EXPECT_EQ(error_of(";4\r\nHell\r\n"), error::unexpected_chunk);
    EXPECT_EQ(error_of(".\r\n"), error::unexpected_chunk);
    EXPECT_EQ(error_of("*1\r\n.\r\n"), error::unexpected_chunk);
    EXPECT_EQ(error_of("$?\r\n+x\r\n"), error::unexpected_chunk);
    EXPECT_EQ(error_of("$?\r\n.\r\n"), error::unexpected_chunk);
    EXPECT_EQ(error_of(":?\r\n"), error::invalid_integer);
    EXPECT_EQ(error_of("!?\r\n"), error::invalid_streamed_type);
    EXPECT_EQ(error_of("=?\r\n"), error::invalid_streamed_type);
    EXPECT_EQ(error_of("%?\r\n+k\r\n.\r\n"), error::invalid_streamed_type); // ends between key and value
    EXPECT_EQ(error_of("*?\r\n.x\r\n"), error::unexpected_chunk);
}

//
// Malformed input
//

TEST(resp_parser, unknown_type_bytes_are_rejected) {
    EXPECT_EQ(error_of("?\r\n"), error::invalid_type_byte);
    EXPECT_EQ(error_of("hello\r\n"), error::invalid_type_byte);
    EXPECT_EQ(error_of("\r\n"), error::invalid_type_byte);
    EXPECT_EQ(error_of("*1\r\nX\r\n"), error::invalid_type_byte);
    EXPECT_EQ(error_of("X"), error::invalid_type_byte); // judged on the first byte, no waiting
}

TEST(resp_parser, bare_cr_or_lf_in_a_line_is_rejected) {
    EXPECT_EQ(error_of("+OK\rX\r\n"), error::invalid_line);
    EXPECT_EQ(error_of("+O\nK\r\n"), error::invalid_line);
    EXPECT_EQ(error_of("$3\nfoo\r\n"), error::invalid_line);
}

TEST(resp_parser, stays_failed_after_an_error) {
    respio::resp::parser p;
    boost::system::error_code ec;
    EXPECT_FALSE(p.next("?bad\r\n", ec));
    EXPECT_EQ(ec, error::invalid_type_byte);
    EXPECT_TRUE(p.failed());
    EXPECT_FALSE(p.next("+OK\r\n", ec));
    EXPECT_EQ(ec, error::invalid_type_byte);
    p.reset(); // reset() starts a new reply, it does not forgive a broken stream
    EXPECT_FALSE(p.next("+OK\r\n", ec));
    EXPECT_EQ(ec, error::invalid_type_byte);
    EXPECT_EQ(p.failure(), error::invalid_type_byte);
}

TEST(resp_parser, error_codes_have_messages_and_a_category) {
    boost::system::error_code ec = error::bulk_too_long;
    EXPECT_STREQ(ec.category().name(), "respio.resp");
    EXPECT_NE(ec.message().find("bulk"), std::string::npos);
    for (int e = 1; e <= static_cast<int>(error::line_too_long); ++e) {
        boost::system::error_code c = static_cast<error>(e);
        EXPECT_NE(c.message(), "RESP: unknown error") << e;
    }
}

//
// Incremental delivery
//

TEST(resp_parser, waits_for_partial_input_without_consuming) {
    respio::resp::parser p;
    boost::system::error_code ec;
    std::string buf = "$11\r\nhel";
    EXPECT_FALSE(p.next(buf, ec));
    EXPECT_FALSE(ec);
    EXPECT_EQ(p.consumed(), 0u);
    EXPECT_EQ(p.needed(), 10u); // 8 payload bytes + CRLF: the caller can read exactly that
    buf += "lo worl";
    EXPECT_FALSE(p.next(buf, ec));
    EXPECT_EQ(p.needed(), 3u);
    buf += "d\r";
    EXPECT_FALSE(p.next(buf, ec));
    buf += "\n";
    auto n = p.next(buf, ec);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->value, "hello world");
    EXPECT_EQ(p.consumed(), buf.size());
}

TEST(resp_parser, cr_at_the_end_of_the_input_waits_for_lf) {
    respio::resp::parser p;
    boost::system::error_code ec;
    EXPECT_FALSE(p.next("+OK\r", ec));
    EXPECT_FALSE(ec);
    auto n = p.next("+OK\r\n", ec);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->value, "OK");
}
