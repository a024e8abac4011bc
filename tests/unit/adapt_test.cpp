// Adapters: replies → C++ values for every adapter in adapt.hpp, the RESP2 and the RESP3 encoding
// of one logical value giving equal results, mismatches with their error codes and messages, and
// adapters that finish exactly where their reply ends.
#include <respio/adapt.hpp>
#include <respio/resp.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace respio {
// Readable failure messages for the library's own value types.
void PrintTo(const value& v, std::ostream* os) {
    *os << resp::to_string(v.data_type);
    if (!v.string.empty()) *os << " \"" << v.string << '"';
    if (v.data_type == resp::type::integer || v.data_type == resp::type::boolean) *os << ' ' << v.integer;
    if (v.data_type == resp::type::double_type) *os << ' ' << v.real;
    if (!v.elements.empty()) {
        *os << " [";
        for (const auto& e : v.elements) {
            PrintTo(e, os);
            *os << "; ";
        }
        *os << ']';
    }
}
void PrintTo(const ok&, std::ostream* os) { *os << "ok"; }
void PrintTo(const stream_entry& e, std::ostream* os) {
    *os << e.id << " {";
    for (const auto& [f, v] : e.fields) *os << f << '=' << v << ' ';
    *os << '}';
}
} // namespace respio

namespace {

using namespace respio;
using resp::type;

//
// Building replies without counting bytes by hand.
//

std::string bulk(std::string_view s) { return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n"; }
std::string simple(std::string_view s) { return "+" + std::string(s) + "\r\n"; }
std::string integer(long long v) { return ":" + std::to_string(v) + "\r\n"; }
std::string arr(std::size_t n) { return "*" + std::to_string(n) + "\r\n"; }
std::string map_of(std::size_t n) { return "%" + std::to_string(n) + "\r\n"; }

// "\r\n" shown as such, for traces.
std::string show(std::string_view bytes) {
    std::string out;
    for (char c : bytes) {
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

//
// Reading one reply through reply_reader<T>, node by node, as the connection does.
//

template <class T>
struct read_outcome {
    T value{};
    adapt_status status;
    std::optional<server_error> top_error;
    std::size_t nodes = 0;    // nodes of the first reply (attributes included)
    std::size_t done_at = 0;  // nodes fed when the reader first said done(); 0: never
    std::size_t consumed = 0; // bytes of the first reply; 0 when it is incomplete
    boost::system::error_code parse_error;
};

// Reads the first reply of `bytes` into a T that starts as `initial` (to show old contents go).
template <class T>
read_outcome<T> read_reply(std::string_view bytes, T initial = T{}) {
    read_outcome<T> out;
    out.value = std::move(initial);
    reply_reader<T> reader(out.value);
    resp::parser p;
    for (;;) {
        auto n = p.next(bytes, out.parse_error);
        if (out.parse_error || !n) break;
        ++out.nodes;
        reader.on_node(*n);
        if (reader.done() && out.done_at == 0) out.done_at = out.nodes;
        if (p.done()) {
            out.consumed = p.consumed();
            break;
        }
    }
    out.status = reader.status();
    out.top_error = reader.server_error_reply();
    return out;
}

// A read that worked: whole input is one reply, no error, and the reader finished on its last node.
template <class T>
::testing::AssertionResult clean(const read_outcome<T>& r, std::string_view bytes) {
    if (r.parse_error) return ::testing::AssertionFailure() << "parse error: " << r.parse_error.message();
    if (r.consumed != bytes.size())
        return ::testing::AssertionFailure() << "the reply is " << r.consumed << " bytes of " << bytes.size();
    if (r.status.ec) return ::testing::AssertionFailure() << "adapt error: " << r.status.message();
    if (r.top_error) return ::testing::AssertionFailure() << "server error: " << r.top_error->message;
    if (r.done_at != r.nodes)
        return ::testing::AssertionFailure() << "reader done after node " << r.done_at << " of " << r.nodes;
    return ::testing::AssertionSuccess();
}

template <class T>
T read_ok(std::string_view bytes, T initial = T{}) {
    SCOPED_TRACE(show(bytes));
    auto r = read_reply<T>(bytes, std::move(initial));
    EXPECT_TRUE(clean(r, bytes));
    return std::move(r.value);
}

// Where a failed read may stop. A top-level scalar given an aggregate may finish on its first
// node (the reader ignores the rest; the parser delimits the reply). Anything inside an aggregate
// must finish exactly on the reply's last node, or later elements would be read out of step.
enum class ends { exactly, early_allowed };

// A read that must fail with `e` and a message naming both types.
template <class T>
adapt_status expect_failure(std::string_view bytes, respio::error e, std::string_view expected,
                            std::string_view received, ends end = ends::exactly) {
    SCOPED_TRACE(show(bytes));
    auto r = read_reply<T>(bytes);
    EXPECT_FALSE(r.parse_error) << r.parse_error.message();
    EXPECT_EQ(r.consumed, bytes.size());
    EXPECT_EQ(r.status.ec, e) << r.status.message();
    const std::string m = r.status.message();
    EXPECT_NE(m.find("expected " + std::string(expected) + ", received " + std::string(received)), std::string::npos)
        << m;
    EXPECT_NE(m.find(make_error_code(e).message()), std::string::npos) << m;
    if (end == ends::exactly) {
        EXPECT_EQ(r.done_at, r.nodes) << "the reader must finish exactly on the reply's last node";
    } else {
        EXPECT_GE(r.done_at, 1u) << "the reader must finish by the reply's last node";
    }
    return r.status;
}

// One logical value in its RESP2 and its RESP3 encoding.
template <class T>
struct same_value {
    std::string resp2;
    std::string resp3;
    T expected;
};

template <class T>
void expect_same_values(const std::vector<same_value<T>>& table) {
    for (const auto& c : table) {
        SCOPED_TRACE("RESP2 " + show(c.resp2) + "  RESP3 " + show(c.resp3));
        auto a = read_reply<T>(c.resp2);
        auto b = read_reply<T>(c.resp3);
        EXPECT_TRUE(clean(a, c.resp2));
        EXPECT_TRUE(clean(b, c.resp3));
        EXPECT_EQ(a.value, c.expected);
        EXPECT_EQ(b.value, c.expected);
        EXPECT_EQ(a.value, b.value);
    }
}

} // namespace

//
// Strings
//

TEST(adapt_string, reads_every_text_type) {
    EXPECT_EQ(read_ok<std::string>("$5\r\nhello\r\n"), "hello");
    EXPECT_EQ(read_ok<std::string>("+hello\r\n"), "hello");
    EXPECT_EQ(read_ok<std::string>("=9\r\ntxt:hello\r\n"), "hello");
    EXPECT_EQ(read_ok<std::string>("(12345678901234567890123\r\n"), "12345678901234567890123");
    EXPECT_EQ(read_ok<std::string>(":-42\r\n"), "-42");
    EXPECT_EQ(read_ok<std::string>(",1.5\r\n"), "1.5");
    EXPECT_EQ(read_ok<std::string>("$0\r\n\r\n", "old"), "");
    EXPECT_EQ(read_ok<std::string>(std::string("$3\r\n\0\r\n\r\n", 9)), std::string("\0\r\n", 3));
}

TEST(adapt_string, streamed_string_parts_are_joined) {
    EXPECT_EQ(read_ok<std::string>("$?\r\n;4\r\nHell\r\n;1\r\no\r\n;0\r\n", "old"), "Hello");
    EXPECT_EQ(read_ok<std::string>("$?\r\n;0\r\n", "old"), "");
    // The same string in one piece (RESP2 has no streamed strings).
    expect_same_values<std::string>({{"$5\r\nHello\r\n", "$?\r\n;2\r\nHe\r\n;3\r\nllo\r\n;0\r\n", "Hello"}});
}

TEST(adapt_string, resp2_and_resp3_encodings_read_alike) {
    expect_same_values<std::string>({
        {"$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n", "hello"},
        {"+OK\r\n", "+OK\r\n", "OK"},
        {"$3\r\n1.5\r\n", ",1.5\r\n", "1.5"},
        {"$20\r\n12345678901234567890\r\n", "(12345678901234567890\r\n", "12345678901234567890"},
    });
}

TEST(adapt_string, rejects_nulls_booleans_and_aggregates) {
    expect_failure<std::string>("_\r\n", error::unexpected_null, "string", "null");
    expect_failure<std::string>("$-1\r\n", error::unexpected_null, "string", "null");
    expect_failure<std::string>("*-1\r\n", error::unexpected_null, "string", "null");
    expect_failure<std::string>("#t\r\n", error::unexpected_type, "string", "boolean");
    expect_failure<std::string>("*2\r\n$1\r\na\r\n$1\r\nb\r\n", error::unexpected_type, "string", "array", ends::early_allowed);
    expect_failure<std::string>("%1\r\n+a\r\n+b\r\n", error::unexpected_type, "string", "map", ends::early_allowed);
}

TEST(adapt_string_view, views_into_the_read_buffer) {
    const std::string bytes = "*2\r\n$5\r\nhello\r\n+world\r\n";
    auto r = read_ok<std::vector<std::string_view>>(bytes);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0], "hello");
    EXPECT_EQ(r[1], "world");
    // No copy: the views point into the bytes read.
    EXPECT_GE(r[0].data(), bytes.data());
    EXPECT_LE(r[1].data() + r[1].size(), bytes.data() + bytes.size());
    EXPECT_EQ(read_ok<std::string_view>(":12\r\n"), "12");
}

TEST(adapt_string_view, streamed_strings_and_nulls_are_refused) {
    // A streamed string has no single view.
    expect_failure<std::string_view>("$?\r\n;1\r\na\r\n;0\r\n", error::unexpected_type, "string", "streamed-string",
                                     ends::early_allowed);
    expect_failure<std::vector<std::string_view>>("*2\r\n$?\r\n;1\r\na\r\n;0\r\n+b\r\n", error::unexpected_type,
                                                  "string", "streamed-string");
    expect_failure<std::string_view>("_\r\n", error::unexpected_null, "string", "null");
}

//
// Integers
//

template <class T>
class adapt_integer : public ::testing::Test {};
using integer_types = ::testing::Types<std::int8_t, std::int16_t, std::int32_t, std::int64_t, std::uint8_t,
                                       std::uint16_t, std::uint32_t, std::uint64_t, long long, unsigned short>;
TYPED_TEST_SUITE(adapt_integer, integer_types);

TYPED_TEST(adapt_integer, reads_its_whole_range_and_rejects_one_past_it) {
    using T = TypeParam;
    constexpr std::int64_t lo = static_cast<std::int64_t>(std::numeric_limits<T>::min());
    // Values above INT64_MAX cannot arrive as a RESP integer; uint64 is tested up to INT64_MAX.
    constexpr std::int64_t hi = std::in_range<std::int64_t>(std::numeric_limits<T>::max())
                                    ? static_cast<std::int64_t>(std::numeric_limits<T>::max())
                                    : std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(read_ok<T>(integer(lo)), static_cast<T>(lo));
    EXPECT_EQ(read_ok<T>(integer(hi)), static_cast<T>(hi));
    EXPECT_EQ(read_ok<T>(integer(0), T{7}), T{0});
    if (lo > std::numeric_limits<std::int64_t>::min()) {
        auto r = read_reply<T>(integer(lo - 1), T{7});
        EXPECT_EQ(r.status.ec, error::number_out_of_range);
        EXPECT_EQ(r.value, T{7}) << "a value out of range must not be stored truncated";
        expect_failure<T>(integer(lo - 1), error::number_out_of_range, "integer", "integer");
    }
    if (hi < std::numeric_limits<std::int64_t>::max()) {
        expect_failure<T>(integer(hi + 1), error::number_out_of_range, "integer", "integer");
        // The same range check for a number sent as text.
        expect_failure<T>(bulk(std::to_string(hi + 1)), error::number_out_of_range, "integer", "bulk-string");
    }
}

TYPED_TEST(adapt_integer, reads_integer_text_of_strings_and_big_numbers) {
    using T = TypeParam;
    expect_same_values<T>({
        {bulk("42"), ":42\r\n", T{42}},
        {bulk("+42"), "(42\r\n", T{42}},
        {simple("7"), ":+7\r\n", T{7}},
    });
}

TEST(adapt_integer_text, invalid_text_is_invalid_number) {
    for (std::string text : {"", "abc", "1.5", "12a", " 1", "1 ", "+", "-", "0x10", "1e3"}) {
        expect_failure<std::int64_t>(bulk(text), error::invalid_number, "integer", "bulk-string");
    }
    expect_failure<std::int64_t>("+abc\r\n", error::invalid_number, "integer", "simple-string");
    // Beyond int64 as text: reported (as invalid or out of range), never wrapped or clamped.
    auto big = read_reply<std::int64_t>(bulk("9223372036854775808"), 5);
    EXPECT_TRUE(big.status.ec == error::invalid_number || big.status.ec == error::number_out_of_range)
        << big.status.message();
    EXPECT_EQ(big.value, 5);
}

TEST(adapt_integer_text, other_types_are_unexpected) {
    expect_failure<std::int64_t>(",1.5\r\n", error::unexpected_type, "integer", "double");
    expect_failure<std::int64_t>("#t\r\n", error::unexpected_type, "integer", "boolean");
    expect_failure<std::int64_t>("=5\r\ntxt:1\r\n", error::unexpected_type, "integer", "verbatim-string");
    expect_failure<std::int64_t>("_\r\n", error::unexpected_null, "integer", "null");
    expect_failure<std::int64_t>("*1\r\n:1\r\n", error::unexpected_type, "integer", "array", ends::early_allowed);
}

//
// Doubles
//

TEST(adapt_double, resp3_doubles_and_resp2_text_read_alike) {
    const double inf = std::numeric_limits<double>::infinity();
    expect_same_values<double>({
        {bulk("1.5"), ",1.5\r\n", 1.5},
        {bulk("-0.25"), ",-0.25\r\n", -0.25},
        {bulk("inf"), ",inf\r\n", inf},
        {bulk("-inf"), ",-inf\r\n", -inf},
        {bulk("+inf"), ",inf\r\n", inf},
        {bulk("3"), ":3\r\n", 3.0},
        {bulk("1e3"), ",1e3\r\n", 1000.0},
        {simple("2.5"), ",2.5\r\n", 2.5},
        {bulk("12345678901234567890"), "(12345678901234567890\r\n", 12345678901234567890.0},
    });
    EXPECT_EQ(read_ok<float>(",1.5\r\n"), 1.5f);
    EXPECT_EQ(read_ok<float>(bulk("0.5")), 0.5f);
}

TEST(adapt_double, nan_in_both_encodings) {
    EXPECT_TRUE(std::isnan(read_ok<double>(",nan\r\n")));
    EXPECT_TRUE(std::isnan(read_ok<double>(bulk("nan"))));
}

TEST(adapt_double, rejects_bad_text_and_other_types) {
    for (std::string text : {"", "abc", "1.5x", " 1", "1,5"}) {
        expect_failure<double>(bulk(text), error::invalid_number, "double", "bulk-string");
    }
    expect_failure<double>("#f\r\n", error::unexpected_type, "double", "boolean");
    expect_failure<double>("$-1\r\n", error::unexpected_null, "double", "null");
    expect_failure<double>("~1\r\n,1\r\n", error::unexpected_type, "double", "set", ends::early_allowed);
}

//
// Booleans and ok
//

TEST(adapt_bool, resp3_booleans_and_resp2_zero_one_read_alike) {
    expect_same_values<bool>({
        {":1\r\n", "#t\r\n", true},
        {":0\r\n", "#f\r\n", false},
    });
    EXPECT_FALSE(read_ok<bool>("#f\r\n", true));
}

TEST(adapt_bool, other_integers_and_types_are_errors) {
    expect_failure<bool>(":2\r\n", error::unexpected_type, "boolean", "integer");
    expect_failure<bool>(":-1\r\n", error::unexpected_type, "boolean", "integer");
    expect_failure<bool>(bulk("1"), error::unexpected_type, "boolean", "bulk-string");
    expect_failure<bool>("_\r\n", error::unexpected_null, "boolean", "null");
}

TEST(adapt_bool, vector_of_bool_smismember_shapes) {
    using vb = std::vector<bool>;
    expect_same_values<vb>({
        {"*3\r\n:1\r\n:0\r\n:1\r\n", "*3\r\n#t\r\n#f\r\n#t\r\n", vb{true, false, true}},
        {"*0\r\n", "~0\r\n", vb{}},
    });
    EXPECT_EQ(read_ok<vb>("*1\r\n:0\r\n", vb{true, true}), vb{false}) << "old contents go";
    expect_failure<vb>("*2\r\n:1\r\n:2\r\n", error::unexpected_type, "boolean", "integer");
}

TEST(adapt_ok, accepts_status_lines_only) {
    EXPECT_EQ(read_ok<ok>("+OK\r\n"), ok{});
    EXPECT_EQ(read_ok<ok>("+QUEUED\r\n"), ok{});
    expect_failure<ok>(bulk("OK"), error::unexpected_type, "simple-string", "bulk-string");
    expect_failure<ok>(":1\r\n", error::unexpected_type, "simple-string", "integer");
    expect_failure<ok>("_\r\n", error::unexpected_null, "simple-string", "null");
    // SET ... NX that did not set: null in both protocols.
    expect_same_values<std::optional<ok>>({
        {"$-1\r\n", "_\r\n", std::nullopt},
        {"+OK\r\n", "+OK\r\n", ok{}},
    });
}

//
// optional and result
//

TEST(adapt_optional, every_null_encoding_is_nullopt) {
    expect_same_values<std::optional<std::string>>({
        {"$-1\r\n", "_\r\n", std::nullopt},
        {"*-1\r\n", "_\r\n", std::nullopt},
        {bulk("v"), bulk("v"), "v"},
    });
    EXPECT_EQ(read_ok<std::optional<std::string>>("_\r\n", "old"), std::nullopt);
    EXPECT_EQ(read_ok<std::optional<std::int64_t>>("$-1\r\n", 5), std::nullopt);
    // A null array is "no value", an empty one is a value.
    expect_same_values<std::optional<std::vector<std::string>>>({
        {"*-1\r\n", "_\r\n", std::nullopt},
        {"*0\r\n", "*0\r\n", std::vector<std::string>{}},
    });
}

TEST(adapt_optional, null_elements_inside_arrays) {
    using mget = std::vector<std::optional<std::string>>;
    expect_same_values<mget>({
        {"*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n", "*3\r\n$1\r\na\r\n_\r\n$1\r\nc\r\n", mget{"a", std::nullopt, "c"}},
    });
    // Without optional, a null element is an error.
    expect_failure<std::vector<std::string>>("*2\r\n$1\r\na\r\n_\r\n", error::unexpected_null, "string", "null");
}

TEST(adapt_result, top_level_error_is_kept_with_code_and_detail) {
    auto r = read_reply<result<std::int64_t>>("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    ASSERT_TRUE(clean(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"));
    ASSERT_TRUE(r.value.has_error());
    EXPECT_FALSE(r.value);
    EXPECT_EQ(r.value.error().code(), "WRONGTYPE");
    EXPECT_EQ(r.value.error().detail(), "Operation against a key holding the wrong kind of value");
    EXPECT_THROW(r.value.value(), server_error_exception);

    auto b = read_ok<result<std::string>>("!21\r\nSYNTAX invalid syntax\r\n");
    ASSERT_TRUE(b.has_error());
    EXPECT_EQ(b.error().code(), "SYNTAX");
    EXPECT_EQ(b.error().detail(), "invalid syntax");

    auto bare = read_ok<result<ok>>("-ERR\r\n");
    ASSERT_TRUE(bare.has_error());
    EXPECT_EQ(bare.error().code(), "ERR");
    EXPECT_EQ(bare.error().detail(), "");
}

TEST(adapt_result, values_and_errors_inside_an_exec_reply) {
    auto v = read_ok<result<std::int64_t>>(":5\r\n");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, 5);
    // EXEC: one element per queued command, some of them errors.
    auto exec = read_ok<std::vector<result<std::int64_t>>>("*3\r\n:1\r\n-ERR value is not an integer\r\n:3\r\n");
    ASSERT_EQ(exec.size(), 3u);
    EXPECT_EQ(exec[0].value(), 1);
    ASSERT_TRUE(exec[1].has_error());
    EXPECT_EQ(exec[1].error().message, "ERR value is not an integer");
    EXPECT_EQ(exec[2].value(), 3);
}

TEST(adapt_result, plain_types_report_a_top_level_error_aside) {
    auto r = read_reply<std::int64_t>("-ERR no such key\r\n", 9);
    EXPECT_FALSE(r.status.ec) << "a top-level error is no adapt error";
    ASSERT_TRUE(r.top_error.has_value());
    EXPECT_EQ(r.top_error->code(), "ERR");
    EXPECT_EQ(r.value, 9) << "the target is left alone";
    EXPECT_EQ(r.done_at, 1u);
}

//
// Sequences
//

TEST(adapt_vector, arrays_sets_pushes_and_streamed_arrays_read_alike) {
    using v = std::vector<std::string>;
    const std::string elements = "$1\r\na\r\n$1\r\nb\r\n";
    expect_same_values<v>({
        {"*2\r\n" + elements, "~2\r\n" + elements, v{"a", "b"}},
        {"*2\r\n" + elements, ">2\r\n" + elements, v{"a", "b"}},
        {"*2\r\n" + elements, "*?\r\n" + elements + ".\r\n", v{"a", "b"}},
        {"*0\r\n", "~0\r\n", v{}},
        {"*0\r\n", "*?\r\n.\r\n", v{}},
    });
}

TEST(adapt_vector, null_is_an_empty_vector_and_old_contents_go) {
    EXPECT_EQ(read_ok<std::vector<std::string>>("*-1\r\n", {"old"}), std::vector<std::string>{});
    EXPECT_EQ(read_ok<std::vector<std::string>>("_\r\n", {"old"}), std::vector<std::string>{});
    EXPECT_EQ(read_ok<std::vector<std::string>>("*1\r\n+new\r\n", {"old", "older"}), std::vector<std::string>{"new"});
}

TEST(adapt_vector, nested_vectors) {
    using vv = std::vector<std::vector<std::int64_t>>;
    expect_same_values<vv>({
        {"*2\r\n*2\r\n:1\r\n:2\r\n*0\r\n", "*2\r\n~2\r\n:1\r\n:2\r\n*?\r\n.\r\n", vv{{1, 2}, {}}},
    });
}

TEST(adapt_vector, a_huge_declared_count_reserves_a_bounded_amount) {
    std::vector<std::int64_t> v;
    adapter<std::vector<std::int64_t>> a(v);
    adapt_status st;
    resp::node_view header;
    header.data_type = type::array;
    header.size = 4294967295u;
    a.on_node(header, st);
    EXPECT_LE(v.capacity(), resp::max_reserve);
    resp::node_view one;
    one.data_type = type::integer;
    one.depth = 1;
    one.integer = 1;
    a.on_node(one, st);
    EXPECT_EQ(v, std::vector<std::int64_t>{1});
    EXPECT_FALSE(a.done());
    EXPECT_FALSE(st.ec);

    // And a real reply longer than the cap is read whole.
    std::string big = arr(3000);
    for (int i = 0; i < 3000; ++i) big += integer(i);
    auto r = read_ok<std::vector<std::int64_t>>(big);
    ASSERT_EQ(r.size(), 3000u);
    EXPECT_EQ(r.back(), 2999);
}

TEST(adapt_set, sets_and_arrays_read_alike) {
    using s = std::set<std::string>;
    using us = std::unordered_set<std::string>;
    expect_same_values<s>({
        {"*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nb\r\n", "~2\r\n$1\r\nb\r\n$1\r\na\r\n", s{"a", "b"}},
        {"*-1\r\n", "~0\r\n", s{}},
    });
    expect_same_values<us>({
        {"*2\r\n$1\r\nb\r\n$1\r\na\r\n", "~2\r\n$1\r\na\r\n$1\r\nb\r\n", us{"a", "b"}},
    });
    EXPECT_EQ(read_ok<std::set<std::int64_t>>("~2\r\n:2\r\n:1\r\n", {9}), (std::set<std::int64_t>{1, 2}));
}

//
// Maps and pairs
//

TEST(adapt_map, resp3_map_resp2_flat_array_and_array_of_pairs_read_alike) {
    using m = std::map<std::string, std::string>;
    const m expected{{"a", "1"}, {"b", "2"}};
    const std::string flat = arr(4) + bulk("a") + bulk("1") + bulk("b") + bulk("2");
    const std::string resp3 = map_of(2) + bulk("a") + bulk("1") + bulk("b") + bulk("2");
    const std::string pairs = arr(2) + arr(2) + bulk("a") + bulk("1") + arr(2) + bulk("b") + bulk("2");
    expect_same_values<m>({
        {flat, resp3, expected},
        {pairs, resp3, expected},
        {"*0\r\n", "%0\r\n", m{}},
        {"*-1\r\n", "_\r\n", m{}},
        {flat, "%?\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2") + ".\r\n", expected},
    });
    EXPECT_EQ(read_ok<m>(resp3, m{{"old", "x"}}), expected);
}

TEST(adapt_map, unordered_maps_and_typed_values) {
    using um = std::unordered_map<std::string, std::string>;
    expect_same_values<um>({
        {arr(2) + bulk("k") + bulk("v"), map_of(1) + bulk("k") + bulk("v"), um{{"k", "v"}}},
    });
    // HGETALL with numbers, ZSCORE-like doubles, PUBSUB NUMSUB: typed values.
    using md = std::map<std::string, double>;
    expect_same_values<md>({
        {arr(4) + bulk("a") + bulk("1.5") + bulk("b") + bulk("-inf"),
         map_of(2) + bulk("a") + ",1.5\r\n" + bulk("b") + ",-inf\r\n",
         md{{"a", 1.5}, {"b", -std::numeric_limits<double>::infinity()}}},
    });
    using mi = std::unordered_map<std::string, std::int64_t>;
    expect_same_values<mi>({
        {arr(4) + bulk("ch1") + integer(3) + bulk("ch2") + integer(0),
         map_of(2) + bulk("ch1") + integer(3) + bulk("ch2") + integer(0), mi{{"ch1", 3}, {"ch2", 0}}},
    });
    // Map values that are aggregates themselves.
    using mv = std::map<std::string, std::vector<std::int64_t>>;
    expect_same_values<mv>({
        {arr(4) + bulk("a") + arr(2) + integer(1) + integer(2) + bulk("b") + arr(0),
         map_of(2) + bulk("a") + "~2\r\n" + integer(1) + integer(2) + bulk("b") + "~0\r\n",
         mv{{"a", {1, 2}}, {"b", {}}}},
    });
}

TEST(adapt_map, a_flat_array_with_an_odd_count_is_an_error) {
    expect_failure<std::map<std::string, std::string>>(arr(3) + bulk("a") + bulk("1") + bulk("b"),
                                                       error::unexpected_size, "pair", "bulk-string");
    expect_failure<std::vector<std::pair<std::string, std::int64_t>>>(
        "*?\r\n" + bulk("a") + integer(1) + bulk("b") + ".\r\n", error::unexpected_size, "pair", "stream-end");
}

TEST(adapt_map, an_error_value_is_server_error_nested) {
    auto st = expect_failure<std::map<std::string, std::string>>(map_of(1) + bulk("a") + "-ERR nope\r\n",
                                                                 error::server_error_nested, "string", "simple-error");
    EXPECT_EQ(st.server_text, "ERR nope");
}

TEST(adapt_pair, nested_pair_top_level) {
    using p = std::pair<std::string, std::string>;
    // BLPOP: the same two-element array in both protocols, or streamed.
    expect_same_values<p>({
        {arr(2) + bulk("list") + bulk("v"), arr(2) + bulk("list") + bulk("v"), p{"list", "v"}},
        {arr(2) + bulk("list") + bulk("v"), "*?\r\n" + bulk("list") + bulk("v") + ".\r\n", p{"list", "v"}},
    });
    expect_same_values<std::optional<p>>({
        {"*-1\r\n", "_\r\n", std::nullopt},
    });
}

TEST(adapt_pair, wrong_sizes_are_unexpected_size) {
    using p = std::pair<std::string, std::string>;
    expect_failure<p>(arr(3) + bulk("a") + bulk("b") + bulk("c"), error::unexpected_size, "pair", "array");
    expect_failure<p>(arr(1) + bulk("a"), error::unexpected_size, "pair", "array");
    expect_failure<p>(arr(0), error::unexpected_size, "pair", "array");
    expect_failure<p>("*?\r\n" + bulk("a") + ".\r\n", error::unexpected_size, "pair", "stream-end");
}

TEST(adapt_pair, a_scalar_where_the_whole_pair_belongs_fails_and_finishes) {
    // A whole reply can only be a pair as an aggregate (SENTINEL GET-PRIMARY-ADDR-BY-NAME answers
    // null for an unknown name): a scalar there is an error, and the reader must still finish.
    using p = std::pair<std::string, std::string>;
    auto null_reply = read_reply<p>("_\r\n");
    EXPECT_EQ(null_reply.status.ec, error::unexpected_null) << null_reply.status.message();
    EXPECT_EQ(null_reply.done_at, 1u) << "the reader must finish on the only node";
    auto text_reply = read_reply<std::pair<std::int64_t, std::int64_t>>(":1\r\n");
    EXPECT_TRUE(text_reply.status.ec);
    EXPECT_EQ(text_reply.done_at, 1u) << "the reader must finish on the only node";
}

TEST(adapt_pair, flat_and_nested_pairs_inside_a_vector_read_alike) {
    using vp = std::vector<std::pair<std::string, std::string>>;
    const vp expected{{"f1", "v1"}, {"f2", "v2"}};
    const std::string flat = arr(4) + bulk("f1") + bulk("v1") + bulk("f2") + bulk("v2");
    const std::string nested = arr(2) + arr(2) + bulk("f1") + bulk("v1") + arr(2) + bulk("f2") + bulk("v2");
    const std::string resp3_map = map_of(2) + bulk("f1") + bulk("v1") + bulk("f2") + bulk("v2");
    expect_same_values<vp>({
        {flat, nested, expected},
        {flat, resp3_map, expected},
    });
}

TEST(adapt_pair, zrange_withscores_shapes_read_alike) {
    using scored = std::vector<std::pair<std::string, double>>;
    // RESP3: [[member, score], ...] with doubles; RESP2: [member, score-text, ...] flat.
    expect_same_values<scored>({
        {arr(4) + bulk("a") + bulk("1.5") + bulk("b") + bulk("2"),
         arr(2) + arr(2) + bulk("a") + ",1.5\r\n" + arr(2) + bulk("b") + ",2\r\n", scored{{"a", 1.5}, {"b", 2.0}}},
        {arr(2) + bulk("x") + bulk("-inf"), arr(1) + arr(2) + bulk("x") + ",-inf\r\n",
         scored{{"x", -std::numeric_limits<double>::infinity()}}},
        {arr(0), arr(0), scored{}},
    });
}

TEST(adapt_pair, slot_ranges_as_flat_integer_pairs) {
    using ranges = std::vector<std::pair<std::int64_t, std::int64_t>>;
    expect_same_values<ranges>({
        {arr(4) + integer(0) + integer(5460) + integer(10923) + integer(16383),
         arr(2) + arr(2) + integer(0) + integer(5460) + arr(2) + integer(10923) + integer(16383),
         ranges{{0, 5460}, {10923, 16383}}},
    });
}

//
// Tuples
//

TEST(adapt_tuple, bzpopmin_shapes_read_alike) {
    using t = std::tuple<std::string, std::string, double>;
    expect_same_values<t>({
        {arr(3) + bulk("z") + bulk("m") + bulk("1.5"), arr(3) + bulk("z") + bulk("m") + ",1.5\r\n", t{"z", "m", 1.5}},
        {arr(3) + bulk("z") + bulk("m") + bulk("1.5"), "*?\r\n" + bulk("z") + bulk("m") + ",1.5\r\n.\r\n",
         t{"z", "m", 1.5}},
    });
    expect_same_values<std::optional<t>>({
        {"*-1\r\n", "_\r\n", std::nullopt},
    });
    using mixed = std::tuple<std::int64_t, std::vector<std::string>, std::optional<std::string>>;
    EXPECT_EQ(read_ok<mixed>(arr(3) + integer(1) + arr(1) + bulk("x") + "_\r\n"), (mixed{1, {"x"}, std::nullopt}));
}

TEST(adapt_tuple, wrong_size_is_unexpected_size) {
    using t = std::tuple<std::string, std::string, double>;
    expect_failure<t>(arr(2) + bulk("z") + bulk("m"), error::unexpected_size, "tuple", "array");
    expect_failure<t>(arr(4) + bulk("z") + bulk("m") + bulk("1") + bulk("x"), error::unexpected_size, "tuple", "array");
    expect_failure<t>("*?\r\n" + bulk("z") + bulk("m") + bulk("1") + bulk("x") + ".\r\n", error::unexpected_size,
                      "tuple", "bulk-string");
    expect_failure<t>(bulk("z"), error::unexpected_type, "tuple", "bulk-string");
    expect_failure<t>("_\r\n", error::unexpected_null, "tuple", "null");
    auto st = expect_failure<t>(arr(3) + bulk("z") + "-ERR inner\r\n" + bulk("1"), error::server_error_nested,
                                "string", "simple-error");
    EXPECT_EQ(st.server_text, "ERR inner");
}

//
// value, node_tree, ignore
//

TEST(adapt_value, every_resp_type) {
    struct expectation {
        std::string bytes;
        type t;
        std::string text;
        std::int64_t integer = 0;
    };
    const std::vector<expectation> table{
        {"+OK\r\n", type::simple_string, "OK"},
        {"-ERR x\r\n", type::simple_error, "ERR x"},
        {":-7\r\n", type::integer, "-7", -7},
        {bulk("bulk"), type::bulk_string, "bulk"},
        {"$-1\r\n", type::null, ""},
        {"*-1\r\n", type::null, ""},
        {"_\r\n", type::null, ""},
        {"#t\r\n", type::boolean, "t", 1},
        {"#f\r\n", type::boolean, "f", 0},
        {"(123456789012345678901234567890\r\n", type::big_number, "123456789012345678901234567890"},
        {"!5\r\nERR y\r\n", type::bulk_error, "ERR y"},
        {"=8\r\ntxt:some\r\n", type::verbatim_string, "some"},
    };
    for (const auto& e : table) {
        SCOPED_TRACE(show(e.bytes));
        auto v = read_ok<value>(e.bytes);
        EXPECT_EQ(v.data_type, e.t);
        EXPECT_EQ(v.string, e.text);
        EXPECT_EQ(v.integer, e.integer);
        EXPECT_TRUE(v.elements.empty());
    }
    auto d = read_ok<value>(",2.5\r\n");
    EXPECT_EQ(d.data_type, type::double_type);
    EXPECT_EQ(d.real, 2.5);
    EXPECT_TRUE(read_ok<value>("_\r\n").is_null());
    EXPECT_TRUE(read_ok<value>("-ERR\r\n").is_error());
    EXPECT_TRUE(read_ok<value>("!3\r\nERR\r\n").is_error());
}

TEST(adapt_value, aggregates_and_nesting) {
    auto v = read_ok<value>(arr(3) + integer(1) + arr(2) + bulk("a") + "~1\r\n" + "#t\r\n" + map_of(1) + simple("k") +
                            "_\r\n");
    ASSERT_EQ(v.data_type, type::array);
    ASSERT_EQ(v.elements.size(), 3u);
    EXPECT_EQ(v.elements[0].integer, 1);
    ASSERT_EQ(v.elements[1].elements.size(), 2u);
    EXPECT_EQ(v.elements[1].elements[0].string, "a");
    EXPECT_EQ(v.elements[1].elements[1].data_type, type::set);
    ASSERT_EQ(v.elements[1].elements[1].elements.size(), 1u);
    EXPECT_EQ(v.elements[1].elements[1].elements[0].data_type, type::boolean);
    EXPECT_EQ(v.elements[2].data_type, type::map);
    ASSERT_EQ(v.elements[2].elements.size(), 2u) << "maps keep key, value, key, value";
    EXPECT_EQ(v.elements[2].elements[0].string, "k");
    EXPECT_TRUE(v.elements[2].elements[1].is_null());

    auto push = read_ok<value>(">2\r\n" + bulk("message") + bulk("hi"));
    EXPECT_EQ(push.data_type, type::push);
    EXPECT_EQ(push.elements.size(), 2u);
    auto empty = read_ok<value>("*0\r\n");
    EXPECT_EQ(empty.data_type, type::array);
    EXPECT_TRUE(empty.elements.empty());
    // An old value is replaced, not merged into.
    value old;
    old.data_type = type::array;
    old.elements.resize(3);
    EXPECT_EQ(read_ok<value>(":1\r\n", old).elements.size(), 0u);
}

TEST(adapt_value, streamed_strings_are_joined_and_streamed_aggregates_closed) {
    auto s = read_ok<value>("$?\r\n;2\r\nab\r\n;1\r\nc\r\n;0\r\n");
    EXPECT_EQ(s.data_type, type::bulk_string);
    EXPECT_EQ(s.string, "abc");
    EXPECT_TRUE(s.elements.empty());

    auto nested = read_ok<value>(arr(3) + "$?\r\n;1\r\na\r\n;2\r\nbc\r\n;0\r\n" + integer(1) + "$?\r\n;0\r\n");
    ASSERT_EQ(nested.elements.size(), 3u);
    EXPECT_EQ(nested.elements[0].data_type, type::bulk_string);
    EXPECT_EQ(nested.elements[0].string, "abc");
    EXPECT_EQ(nested.elements[1].integer, 1);
    EXPECT_EQ(nested.elements[2].string, "");

    auto streamed = read_ok<value>("*?\r\n" + integer(1) + "%?\r\n" + simple("k") + integer(2) + ".\r\n.\r\n");
    EXPECT_EQ(streamed.data_type, type::array);
    ASSERT_EQ(streamed.elements.size(), 2u);
    EXPECT_EQ(streamed.elements[1].data_type, type::map);
    EXPECT_EQ(streamed.elements[1].elements.size(), 2u);

    // Streamed and plain spellings of one reply give one value.
    EXPECT_EQ(read_ok<value>("*?\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n"), read_ok<value>(arr(1) + bulk("x")));
}

TEST(adapt_value, attributes_are_skipped) {
    const std::string bytes = "|1\r\n+ttl\r\n:3\r\n" + arr(1) + bulk("v");
    auto v = read_ok<value>(bytes);
    EXPECT_EQ(v, read_ok<value>(arr(1) + bulk("v")));
    EXPECT_EQ(read_ok<std::vector<std::string>>(bytes), std::vector<std::string>{"v"});
}

TEST(adapt_node_tree, copies_the_nodes_in_preorder) {
    resp::node_tree old;
    old.on_node(resp::node_view{});
    auto t = read_ok<resp::node_tree>(arr(2) + integer(1) + map_of(1) + bulk("k") + "-ERR e\r\n", old);
    const auto& n = t.nodes();
    ASSERT_EQ(n.size(), 5u);
    EXPECT_EQ(n[0].data_type, type::array);
    EXPECT_EQ(n[0].size, 2u);
    EXPECT_EQ(n[1].integer, 1);
    EXPECT_EQ(n[1].depth, 1u);
    EXPECT_EQ(n[2].data_type, type::map);
    EXPECT_EQ(n[3].value, "k");
    EXPECT_EQ(n[3].depth, 2u);
    EXPECT_EQ(n[4].data_type, type::simple_error);
    // Top-level errors are part of the tree, not a separate server error.
    auto e = read_ok<resp::node_tree>("-ERR top\r\n");
    ASSERT_EQ(e.nodes().size(), 1u);
    EXPECT_EQ(e.nodes()[0].value, "ERR top");
}

TEST(adapt_ignore, finishes_exactly_at_the_end_of_any_reply) {
    for (const std::string& bytes :
         {std::string("+OK\r\n"), std::string("-ERR x\r\n"), "*2\r\n*2\r\n:1\r\n:2\r\n" + map_of(1) + simple("a") + "~0\r\n",
          std::string("*?\r\n:1\r\n*?\r\n.\r\n.\r\n"), std::string("$?\r\n;1\r\na\r\n;0\r\n"), std::string("*0\r\n"),
          std::string("_\r\n")}) {
        read_ok<ignore_t>(bytes);
    }
}

//
// Structs
//

namespace {

std::string shard_node_fields(bool resp3, bool with_unknown) {
    std::string f = bulk("id") + bulk("e5a4c1") + bulk("port") + integer(30001) + bulk("ip") + bulk("127.0.0.1") +
                    bulk("endpoint") + bulk("127.0.0.1") + bulk("hostname") + bulk("") + bulk("role") +
                    bulk("master") + bulk("replication-offset") + integer(72156) + bulk("health") + bulk("online");
    std::size_t pairs = 8;
    if (with_unknown) {
        // Keys a newer server may add, one of them with an aggregate value.
        f = bulk("availability-zone") + (resp3 ? map_of(1) : arr(2)) + bulk("az") + arr(2) + integer(1) + integer(2) +
            f + bulk("future") + integer(1);
        pairs += 2;
    }
    return (resp3 ? map_of(pairs) : arr(2 * pairs)) + f;
}

std::string shard(bool resp3, bool with_unknown) {
    return (resp3 ? map_of(2) : arr(4)) + bulk("slots") + arr(2) + integer(0) + integer(5460) + bulk("nodes") +
           arr(1) + shard_node_fields(resp3, with_unknown);
}

cluster_shard expected_shard() {
    cluster_shard s;
    s.slots = {{0, 5460}};
    cluster_shard_node n;
    n.id = "e5a4c1";
    n.port = 30001;
    n.ip = "127.0.0.1";
    n.endpoint = "127.0.0.1";
    n.role = "master";
    n.replication_offset = 72156;
    n.health = "online";
    s.nodes.push_back(n);
    return s;
}

} // namespace

TEST(adapt_struct, cluster_shards_from_resp3_map_and_resp2_flat_array) {
    using shards = std::vector<cluster_shard>;
    expect_same_values<shards>({
        {arr(1) + shard(false, false), arr(1) + shard(true, false), shards{expected_shard()}},
        {arr(1) + shard(false, true), arr(1) + shard(true, true), shards{expected_shard()}},
        {arr(2) + shard(false, true) + shard(false, false), arr(2) + shard(true, false) + shard(true, true),
         shards{expected_shard(), expected_shard()}},
    });
}

TEST(adapt_struct, mismatches_in_fields_and_shape) {
    expect_failure<cluster_shard>(bulk("x"), error::unexpected_type, "map", "bulk-string");
    expect_failure<cluster_shard>("_\r\n", error::unexpected_null, "map", "null");
    expect_failure<cluster_shard_node>(map_of(1) + bulk("port") + bulk("abc"), error::invalid_number, "integer",
                                       "bulk-string");
    expect_failure<cluster_shard_node>(map_of(2) + bulk("port") + "#t\r\n" + bulk("id") + bulk("x"),
                                       error::unexpected_type, "integer", "boolean");
}

TEST(adapt_struct, stream_entries_from_two_element_arrays) {
    const std::string entry = arr(2) + bulk("1-0") + arr(4) + bulk("f") + bulk("v") + bulk("g") + bulk("w");
    const stream_entry expected{"1-0", {{"f", "v"}, {"g", "w"}}};
    EXPECT_EQ(read_ok<stream_entry>(entry), expected);
    // XRANGE: the same in both protocols; RESP3 may stream the array.
    expect_same_values<std::vector<stream_entry>>({
        {arr(1) + entry, "*?\r\n" + entry + ".\r\n", {expected}},
        {arr(0), arr(0), {}},
    });
    expect_failure<stream_entry>(arr(3) + bulk("1-0") + arr(0) + bulk("x"), error::unexpected_size, "array", "array");
    expect_failure<stream_entry>(bulk("1-0"), error::unexpected_type, "array", "bulk-string");
}

TEST(adapt_struct, xread_reply_as_resp3_map_and_resp2_array) {
    using xread = std::optional<std::vector<std::pair<std::string, std::vector<stream_entry>>>>;
    const std::string entries = arr(1) + arr(2) + bulk("1-0") + arr(2) + bulk("f") + bulk("v");
    const xread expected =
        std::vector<std::pair<std::string, std::vector<stream_entry>>>{{"s1", {{"1-0", {{"f", "v"}}}}}, {"s2", {}}};
    expect_same_values<xread>({
        {arr(2) + arr(2) + bulk("s1") + entries + arr(2) + bulk("s2") + arr(0),
         map_of(2) + bulk("s1") + entries + bulk("s2") + arr(0), expected},
        {"*-1\r\n", "_\r\n", std::nullopt},
    });
}

//
// Errors inside aggregates, and where a reply ends
//

TEST(adapt_errors, nested_error_gives_server_error_nested_with_the_text) {
    auto st = expect_failure<std::vector<std::int64_t>>(arr(2) + integer(1) + "-ERR boom\r\n",
                                                        error::server_error_nested, "integer", "simple-error");
    EXPECT_EQ(st.server_text, "ERR boom");
    EXPECT_NE(st.message().find("(ERR boom)"), std::string::npos) << st.message();

    auto bulk_err = expect_failure<std::vector<std::string>>(arr(1) + "!9\r\nERR inner\r\n",
                                                             error::server_error_nested, "string", "bulk-error");
    EXPECT_EQ(bulk_err.server_text, "ERR inner");
    // An error where a whole aggregate was expected.
    auto agg = expect_failure<std::vector<std::vector<std::string>>>(arr(1) + "-ERR agg\r\n",
                                                                     error::server_error_nested, "array", "simple-error");
    EXPECT_EQ(agg.server_text, "ERR agg");
}

TEST(adapt_errors, the_first_problem_is_kept) {
    auto r = read_reply<std::vector<std::int64_t>>(arr(3) + bulk("x") + "-ERR later\r\n" + "_\r\n");
    EXPECT_EQ(r.status.ec, error::invalid_number);
    EXPECT_TRUE(r.status.server_text.empty());
    EXPECT_EQ(r.done_at, r.nodes);
}

TEST(adapt_errors, scalar_given_an_aggregate_skips_all_of_it) {
    // The aggregate's own elements must not be taken for the following ones.
    expect_failure<std::int64_t>(arr(2) + integer(1) + integer(2), error::unexpected_type, "integer", "array", ends::early_allowed);
    expect_failure<std::vector<std::string>>(arr(2) + arr(2) + integer(1) + integer(2) + bulk("b"),
                                             error::unexpected_type, "string", "array");
    auto v = read_reply<std::vector<std::string>>(arr(3) + arr(2) + integer(1) + integer(2) + bulk("b") + bulk("c"));
    EXPECT_EQ(v.value.size(), 3u) << "the inner array's elements are not elements of the outer one";
    if (v.value.size() == 3) {
        EXPECT_EQ(v.value[1], "b");
        EXPECT_EQ(v.value[2], "c");
    }
    expect_failure<std::vector<std::int64_t>>(arr(2) + map_of(1) + integer(1) + integer(2) + integer(3),
                                              error::unexpected_type, "integer", "map");
    expect_failure<std::tuple<std::int64_t, std::string>>(arr(2) + arr(1) + bulk("x") + bulk("y"),
                                                          error::unexpected_type, "integer", "array");
    expect_failure<std::map<std::string, std::string>>(map_of(1) + bulk("k") + arr(1) + bulk("v"),
                                                       error::unexpected_type, "string", "array");
    expect_failure<std::tuple<bool, bool>>(arr(2) + "$?\r\n;1\r\n1\r\n;0\r\n" + "#t\r\n", error::unexpected_type, "boolean",
                                      "streamed-string");
}

TEST(adapt_errors, each_code_has_its_own_message) {
    const std::set<std::string> messages{
        make_error_code(error::unexpected_type).message(),   make_error_code(error::unexpected_null).message(),
        make_error_code(error::number_out_of_range).message(), make_error_code(error::invalid_number).message(),
        make_error_code(error::unexpected_size).message(),   make_error_code(error::server_error_nested).message(),
    };
    EXPECT_EQ(messages.size(), 6u);
    EXPECT_STREQ(client_category().name(), "respio");
    EXPECT_EQ(adapt_status{}.message(), boost::system::error_code{}.message()) << "no error, no type words";
}

namespace {

// Reads `replies` (pipelined, one after the other in one buffer) with one adapter type each time,
// checking every reply ends exactly where the parser says and leaves the rest untouched.
template <class T>
std::vector<T> read_pipelined(std::string_view bytes, std::size_t count) {
    std::vector<T> out;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string before(bytes.substr(offset));
        auto r = read_reply<T>(bytes.substr(offset));
        EXPECT_FALSE(r.status.ec) << r.status.message();
        EXPECT_NE(r.consumed, 0u);
        EXPECT_EQ(r.done_at, r.nodes) << "reply " << i;
        EXPECT_EQ(std::string(bytes.substr(offset)), before);
        offset += r.consumed;
        out.push_back(std::move(r.value));
    }
    EXPECT_EQ(offset, bytes.size());
    return out;
}

} // namespace

TEST(adapt_boundaries, pipelined_replies_are_read_one_each) {
    EXPECT_EQ(read_pipelined<std::string>("$1\r\na\r\n+b\r\n$?\r\n;1\r\nc\r\n;0\r\n:4\r\n", 4),
              (std::vector<std::string>{"a", "b", "c", "4"}));
    using v = std::vector<std::int64_t>;
    EXPECT_EQ(read_pipelined<v>("*2\r\n:1\r\n:2\r\n*0\r\n*?\r\n:3\r\n.\r\n*-1\r\n~1\r\n:4\r\n", 5),
              (std::vector<v>{{1, 2}, {}, {3}, {}, {4}}));
    using m = std::map<std::string, std::int64_t>;
    EXPECT_EQ(read_pipelined<m>("%1\r\n+a\r\n:1\r\n*2\r\n+b\r\n:2\r\n%0\r\n", 3), (std::vector<m>{{{"a", 1}}, {{"b", 2}}, {}}));
    using p = std::pair<std::string, std::vector<std::string>>;
    EXPECT_EQ(read_pipelined<p>("*2\r\n+0\r\n*1\r\n+k\r\n*2\r\n+5\r\n*0\r\n", 2),
              (std::vector<p>{{"0", {"k"}}, {"5", {}}}));
    using t = std::tuple<std::int64_t, std::string>;
    EXPECT_EQ(read_pipelined<t>("*2\r\n:1\r\n+a\r\n*?\r\n:2\r\n+b\r\n.\r\n", 2), (std::vector<t>{{1, "a"}, {2, "b"}}));
    EXPECT_EQ(read_pipelined<value>("*1\r\n:1\r\n:2\r\n", 2).size(), 2u);
    EXPECT_EQ(read_pipelined<ignore_t>("*1\r\n*1\r\n:1\r\n+x\r\n", 2).size(), 2u);
    EXPECT_EQ(read_pipelined<cluster_shard>(shard(true, true) + shard(false, true), 2),
              (std::vector<cluster_shard>{expected_shard(), expected_shard()}));
    EXPECT_EQ(read_pipelined<std::optional<std::string>>("_\r\n$1\r\nx\r\n*-1\r\n", 3),
              (std::vector<std::optional<std::string>>{std::nullopt, "x", std::nullopt}));
}

TEST(adapt_boundaries, reader_is_not_done_before_the_last_node) {
    // Fed node by node, a reader must say done() on the last node and not before (checked in
    // read_reply()); here replies whose first nodes could be mistaken for a whole value.
    read_ok<std::vector<std::string>>("*1\r\n$?\r\n;1\r\na\r\n;0\r\n");
    read_ok<std::pair<std::string, std::string>>("*?\r\n+a\r\n+b\r\n.\r\n");
    read_ok<std::map<std::string, std::vector<std::string>>>("%?\r\n+a\r\n*?\r\n+x\r\n.\r\n.\r\n");
    read_ok<std::optional<std::vector<std::string>>>("*1\r\n+x\r\n");
    read_ok<result<std::vector<std::string>>>("*1\r\n+x\r\n");
    read_ok<stream_entry>("*2\r\n+1-0\r\n*?\r\n+f\r\n+v\r\n.\r\n");
}
