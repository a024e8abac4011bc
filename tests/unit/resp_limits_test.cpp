// RESP parser limits: each is enforced before allocating or waiting, with its own error code;
// allocation is bounded whatever a reply declares; dripped bytes are not rescanned.
#include "resp_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

using namespace respio::resp;
using respio_test::parse_all;

//
// A counting global allocator, active only inside a measured window.
//
// GCC pairs the replaced operator delete's free() with a new it inlined as something else and
// warns; the replacement pair is consistent (malloc/free).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};
std::atomic<std::size_t> largest_allocation{0};

struct count_allocations {
    count_allocations() {
        allocations = 0;
        largest_allocation = 0;
        counting = true;
    }
    ~count_allocations() { counting = false; }
};
} // namespace

void* operator new(std::size_t n) {
    if (counting) {
        ++allocations;
        std::size_t prev = largest_allocation;
        while (n > prev && !largest_allocation.compare_exchange_weak(prev, n)) {
        }
    }
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

parser_limits small_limits() {
    parser_limits l;
    l.max_bulk_length = 10;
    l.max_aggregate_elements = 10;
    l.max_depth = 3;
    l.max_line_length = 8;
    return l;
}

// Error after feeding exactly `input` once (no more bytes will come).
boost::system::error_code first_error(std::string_view input, const parser_limits& limits) {
    parser p(limits);
    boost::system::error_code ec;
    while (p.next(input, ec) && !p.done()) {
    }
    return ec;
}

} // namespace

TEST(resp_limits, defaults_match_the_documented_values) {
    parser_limits l;
    EXPECT_EQ(l.max_bulk_length, 512u * 1024 * 1024);
    EXPECT_EQ(l.max_line_length, 64u * 1024);
    EXPECT_EQ(l.max_depth, 1024u);
    EXPECT_EQ(l.max_aggregate_elements, 4294967295u);
}

TEST(resp_limits, bulk_length_is_rejected_from_the_header_alone) {
    // The header says 512 MiB + 1; no payload byte is sent and none is awaited.
    EXPECT_EQ(first_error("$536870913\r\n", {}), error::bulk_too_long);
    EXPECT_EQ(first_error("$9999999999\r\n", {}), error::bulk_too_long);
    EXPECT_EQ(first_error("$11\r\n", small_limits()), error::bulk_too_long);
    EXPECT_EQ(first_error("!11\r\n", small_limits()), error::bulk_too_long);
    EXPECT_EQ(first_error("=11\r\n", small_limits()), error::bulk_too_long);
    EXPECT_FALSE(first_error("$10\r\n0123456789\r\n", small_limits()));
}

TEST(resp_limits, streamed_string_total_counts_against_the_bulk_limit) {
    EXPECT_FALSE(first_error("$?\r\n;5\r\n01234\r\n;5\r\n56789\r\n;0\r\n", small_limits()));
    EXPECT_EQ(first_error("$?\r\n;5\r\n01234\r\n;6\r\n", small_limits()), error::bulk_too_long);
}

TEST(resp_limits, aggregate_elements_with_maps_counting_twice) {
    EXPECT_EQ(first_error("*11\r\n", small_limits()), error::aggregate_too_large);
    EXPECT_EQ(first_error("~11\r\n", small_limits()), error::aggregate_too_large);
    EXPECT_EQ(first_error(">11\r\n", small_limits()), error::aggregate_too_large);
    EXPECT_EQ(first_error("%6\r\n", small_limits()), error::aggregate_too_large);
    EXPECT_EQ(first_error("|6\r\n", small_limits()), error::aggregate_too_large);
    EXPECT_FALSE(first_error("%5\r\n", small_limits()));
    EXPECT_FALSE(first_error("*10\r\n", small_limits()));
}

TEST(resp_limits, map_count_doubling_cannot_overflow) {
    parser_limits l;
    l.max_aggregate_elements = static_cast<std::size_t>(-1); // limit off: only overflow safety remains
    EXPECT_EQ(first_error("%9223372036854775808\r\n", l), error::aggregate_too_large);
    EXPECT_EQ(first_error("|18446744073709551615\r\n", l), error::aggregate_too_large);
    EXPECT_FALSE(first_error("%9223372036854775807\r\n", l)); // doubles to SIZE_MAX - 1: representable
    EXPECT_EQ(first_error("*18446744073709551615\r\n", l), error::aggregate_too_large); // the "unknown" marker
}

TEST(resp_limits, streamed_aggregate_elements_are_counted_as_they_arrive) {
    std::string ten = "*?\r\n";
    for (int i = 0; i < 10; ++i) ten += ":1\r\n";
    EXPECT_FALSE(first_error(ten + ".\r\n", small_limits()));
    EXPECT_EQ(first_error(ten + ":1\r\n", small_limits()), error::aggregate_too_large);
}

TEST(resp_limits, nesting_depth) {
    EXPECT_FALSE(first_error("*1\r\n*1\r\n*1\r\n:1\r\n", small_limits()));
    EXPECT_EQ(first_error("*1\r\n*1\r\n*1\r\n*1\r\n", small_limits()), error::nesting_too_deep);
    EXPECT_EQ(first_error("*?\r\n*?\r\n*?\r\n*?\r\n", small_limits()), error::nesting_too_deep);
    EXPECT_EQ(first_error("*1\r\n%1\r\n~1\r\n>1\r\n", small_limits()), error::nesting_too_deep);
    EXPECT_FALSE(first_error("*1\r\n*1\r\n*1\r\n*0\r\n", small_limits())); // empty: nothing below it
}

TEST(resp_limits, default_depth_of_1024_without_recursion) {
    std::string deep;
    for (int i = 0; i < 1024; ++i) deep += "*1\r\n";
    auto ok = parse_all(deep + ":1\r\n");
    ASSERT_FALSE(ok.ec);
    EXPECT_EQ(ok.nodes.back().depth, 1024u);
    EXPECT_EQ(parse_all(deep + "*1\r\n:1\r\n").ec, error::nesting_too_deep);
    // A hostile depth far past the limit fails at the limit, whatever follows.
    std::string hostile;
    for (int i = 0; i < 100000; ++i) hostile += "*1\r\n";
    EXPECT_EQ(parse_all(hostile).ec, error::nesting_too_deep);
}

TEST(resp_limits, line_length_is_rejected_without_waiting_for_crlf) {
    EXPECT_EQ(first_error("+123456789\r\n", small_limits()), error::line_too_long);
    EXPECT_EQ(first_error("+123456789", small_limits()), error::line_too_long); // no CRLF yet
    EXPECT_FALSE(first_error("+12345678\r\n", small_limits()));
    EXPECT_EQ(first_error(":1234567890", small_limits()), error::line_too_long);
    // Default 64 KiB: a server that never ends its line is cut off at the limit.
    std::string endless = "+" + std::string(64 * 1024 + 1, 'x');
    EXPECT_EQ(first_error(endless, {}), error::line_too_long);
    EXPECT_FALSE(first_error("+" + std::string(64 * 1024, 'x'), {})); // at the limit: waits
}

TEST(resp_limits, dripped_bytes_are_not_rescanned) {
    // A 60 KiB simple string delivered one byte at a time: a parser that searched from the line's
    // start on every call would examine ~1.8e9 bytes; ours examines each byte about once.
    const std::string input = "+" + std::string(60 * 1024, 'x') + "\r\n";
    parser p;
    boost::system::error_code ec;
    std::optional<node_view> n;
    for (std::size_t visible = 1; visible <= input.size() && !n; ++visible) {
        n = p.next(std::string_view(input).substr(0, visible), ec);
        ASSERT_FALSE(ec);
    }
    ASSERT_TRUE(n);
    EXPECT_EQ(n->value.size(), 60u * 1024);
    EXPECT_LE(p.bytes_scanned(), input.size() + 2);
}

TEST(resp_limits, declared_huge_array_reserves_at_most_1024_slots) {
    node_tree tree;
    parser p;
    boost::system::error_code ec;
    std::string input = "*4294967295\r\n";
    for (int i = 0; i < 3; ++i) input += ":1\r\n";
    {
        count_allocations window;
        while (auto n = p.next(input, ec)) tree.on_node(*n);
    }
    ASSERT_FALSE(ec);
    EXPECT_EQ(tree.nodes().size(), 4u);
    EXPECT_GT(allocations.load(), 0u);
    EXPECT_LE(largest_allocation.load(), (1 + max_reserve) * sizeof(node));
    EXPECT_LE(tree.nodes().capacity(), 1 + max_reserve);
}

TEST(resp_limits, declared_huge_map_reserves_at_most_2048_nodes) {
    node_tree tree;
    parser p;
    boost::system::error_code ec;
    {
        count_allocations window;
        auto n = p.next("%2147483647\r\n", ec);
        ASSERT_TRUE(n);
        tree.on_node(*n);
    }
    EXPECT_LE(largest_allocation.load(), (1 + 2 * max_reserve) * sizeof(node));
}

TEST(resp_limits, parsing_allocates_nothing_per_node) {
    std::string input = "*1000\r\n";
    for (int i = 0; i < 1000; ++i) input += "$5\r\nhello\r\n";
    input += "*3\r\n*2\r\n:1\r\n:2\r\n%1\r\n+a\r\n,1.5\r\n#t\r\n";
    parser p; // constructed outside the window: its small stack is reserved once
    boost::system::error_code ec;
    std::size_t nodes = 0, replies = 0, start = 0;
    {
        count_allocations window;
        while (auto n = p.next(std::string_view(input).substr(start), ec)) {
            ++nodes;
            if (p.done()) {
                ++replies;
                start += p.consumed();
                p.reset();
            }
        }
    }
    ASSERT_FALSE(ec);
    EXPECT_EQ(replies, 2u);
    EXPECT_EQ(nodes, 1001u + 8u);
    EXPECT_EQ(allocations.load(), 0u);
}
