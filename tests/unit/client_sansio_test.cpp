// The client's sans-io parts, driven by scripted bytes: the multiplexer (pipelining, reply pairing,
// pushes, cancellation, timeouts, connection loss, write errors), the handshake state machine, the
// error classification, the block time of blocking commands and the reconnect backoff.
#include <respio/adapt.hpp>
#include <respio/commands/generic.hpp>
#include <respio/commands/list.hpp>
#include <respio/commands/stream.hpp>
#include <respio/commands/string.hpp>
#include <respio/config.hpp>
#include <respio/impl/internal/connection.hpp> // backoff_delay, is_final_connect_error
#include <respio/detail/handshake.hpp>
#include <respio/detail/keys.hpp>
#include <respio/detail/multiplexer.hpp>
#include <respio/error.hpp>
#include <respio/resp.hpp>
#include <respio/version.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using respio::error;
using respio::detail::clock;
using respio::detail::multiplexer;
using respio::detail::request_base;
using respio::resp::node;
using respio::resp::node_view;
using respio::resp::type;
using error_code = boost::system::error_code;
using ms = std::chrono::milliseconds;

// RESP bytes of a command, written by hand (independent of the serializer under test elsewhere).
std::string resp_cmd(std::initializer_list<std::string_view> args) {
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (std::string_view a : args) {
        out += "$" + std::to_string(a.size()) + "\r\n";
        out.append(a);
        out += "\r\n";
    }
    return out;
}

//
// A request that records what the multiplexer does to it.
//
class fake_request final : public request_base {
public:
    explicit fake_request(std::string b, std::uint64_t request_id, std::size_t replies = 1) {
        bytes = std::move(b);
        id = request_id;
        expected_replies = replies;
    }

    std::vector<std::vector<node>> replies; // nodes per reply index
    std::vector<error_code> completions;
    int releases = 0;
    bool misuse = false; // a node after completion, a release before it, ...

    void on_node(std::size_t reply_index, const node_view& n) override {
        if (!completions.empty() || releases != 0) misuse = true;
        if (replies.size() <= reply_index) replies.resize(reply_index + 1);
        replies[reply_index].push_back(node::from_view(n));
    }
    void complete(error_code ec) noexcept override {
        if (releases != 0) misuse = true;
        completions.push_back(ec);
    }
    void release() noexcept override {
        if (completions.empty()) misuse = true;
        ++releases;
    }

    bool pending() const { return completions.empty() && releases == 0 && !misuse; }
    // The value of the first node of a reply (enough for scalar replies).
    std::string text(std::size_t reply = 0) const {
        if (reply >= replies.size() || replies[reply].empty()) return "<none>";
        return replies[reply][0].value;
    }
};

// Completed exactly once with `ec`, released exactly once, nothing out of order.
::testing::AssertionResult settled(const fake_request& r, error_code ec) {
    if (r.misuse) return ::testing::AssertionFailure() << "request " << r.id << ": callbacks out of order";
    if (r.completions.size() != 1)
        return ::testing::AssertionFailure() << "request " << r.id << ": " << r.completions.size() << " completions";
    if (r.completions[0] != ec)
        return ::testing::AssertionFailure() << "request " << r.id << ": completed with " << r.completions[0].message()
                                             << ", expected " << ec.message();
    if (r.releases != 1) return ::testing::AssertionFailure() << "request " << r.id << ": " << r.releases << " releases";
    return ::testing::AssertionSuccess();
}

class recording_sink final : public respio::detail::push_sink {
public:
    std::vector<std::vector<node>> pushes;
    bool open = false;
    void on_push_node(const node_view& n) override {
        if (!open) pushes.emplace_back();
        open = true;
        pushes.back().push_back(node::from_view(n));
    }
    void on_push_end() override {
        EXPECT_TRUE(open) << "push end without nodes";
        open = false;
    }
};

// Copies `bytes` into the multiplexer's read buffer (pieces of at most `chunk` bytes) and commits.
error_code feed(multiplexer& m, std::string_view bytes, std::size_t chunk = static_cast<std::size_t>(-1)) {
    while (!bytes.empty()) {
        auto room = m.prepare_read();
        const std::size_t n = std::min({room.size(), bytes.size(), chunk});
        std::memcpy(room.data(), bytes.data(), n);
        bytes.remove_prefix(n);
        if (auto ec = m.commit_read(n)) return ec;
    }
    return {};
}

// Owns the fake requests of one test.
struct requests {
    std::vector<std::unique_ptr<fake_request>> all;
    std::uint64_t next_id = 1;
    fake_request& make(std::string bytes, std::size_t replies = 1) {
        all.push_back(std::make_unique<fake_request>(std::move(bytes), next_id++, replies));
        return *all.back();
    }
    fake_request& make_cmd(std::initializer_list<std::string_view> args) { return make(resp_cmd(args)); }
};

const clock::time_point t0 = clock::time_point{} + std::chrono::hours(1);

//
// Pipelining and pairing
//

TEST(multiplexer_pipelining, queued_requests_go_out_in_one_write_with_their_bytes_concatenated) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"SET", "k", "v"});
    auto& b = rs.make_cmd({"GET", "k"});
    auto& c = rs.make_cmd({"INCR", "n"});
    EXPECT_FALSE(m.want_write());
    m.enqueue(&a);
    m.enqueue(&b);
    m.enqueue(&c);
    EXPECT_TRUE(m.want_write());
    EXPECT_EQ(m.queued(), 3u);
    const std::string_view out = m.begin_write();
    EXPECT_EQ(out, a.bytes + b.bytes + c.bytes);
    EXPECT_EQ(m.queued(), 0u);
    EXPECT_EQ(m.written(), 3u);
    EXPECT_FALSE(m.want_write()) << "nothing queued, and a write is under way";

    auto& d = rs.make_cmd({"PING"});
    m.enqueue(&d);
    EXPECT_FALSE(m.want_write()) << "one write at a time";
    m.end_write({}, out.size());
    EXPECT_EQ(m.bytes_written(), out.size());
    EXPECT_TRUE(m.want_write());
    EXPECT_EQ(m.begin_write(), d.bytes) << "the second write holds only what was queued since";
    m.end_write({}, d.bytes.size());
    EXPECT_EQ(m.in_flight(), 4u);
    EXPECT_TRUE(a.pending() && b.pending() && c.pending() && d.pending());
}

TEST(multiplexer_pairing, replies_split_at_any_two_points_pair_in_order_and_complete_once) {
    const std::string replies = "+OK\r\n$5\r\nhello\r\n*2\r\n:1\r\n:2\r\n";
    std::size_t runs = 0;
    for (std::size_t i = 0; i <= replies.size(); ++i) {
        for (std::size_t j = i; j <= replies.size(); ++j) {
            multiplexer m;
            requests rs;
            auto& a = rs.make_cmd({"SET", "k", "v"});
            auto& b = rs.make_cmd({"GET", "k"});
            auto& c = rs.make_cmd({"LRANGE", "l", "0", "-1"});
            m.enqueue(&a);
            m.enqueue(&b);
            m.enqueue(&c);
            const auto out = m.begin_write();
            m.end_write({}, out.size());
            ASSERT_FALSE(feed(m, std::string_view(replies).substr(0, i))) << i << "," << j;
            ASSERT_FALSE(feed(m, std::string_view(replies).substr(i, j - i))) << i << "," << j;
            ASSERT_FALSE(feed(m, std::string_view(replies).substr(j))) << i << "," << j;
            ASSERT_TRUE(settled(a, {})) << i << "," << j;
            ASSERT_TRUE(settled(b, {})) << i << "," << j;
            ASSERT_TRUE(settled(c, {})) << i << "," << j;
            ASSERT_EQ(a.text(), "OK");
            ASSERT_EQ(b.text(), "hello");
            ASSERT_EQ(c.replies.size(), 1u);
            ASSERT_EQ(c.replies[0].size(), 3u);
            ASSERT_EQ(c.replies[0][0].data_type, type::array);
            ASSERT_EQ(c.replies[0][1].integer, 1);
            ASSERT_EQ(c.replies[0][2].integer, 2);
            ASSERT_EQ(m.in_flight(), 0u);
            ASSERT_EQ(m.bytes_read(), replies.size());
            ++runs;
        }
    }
    EXPECT_EQ(runs, (replies.size() + 1) * (replies.size() + 2) / 2) << "every pair of split points";
}

TEST(multiplexer_pairing, a_request_completes_only_when_its_last_reply_is_in) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "x"});
    m.enqueue(&a);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "*2\r\n$1\r\na\r\n"));
    EXPECT_TRUE(a.pending()) << "half an array is no reply";
    ASSERT_FALSE(feed(m, "$1"));
    EXPECT_TRUE(a.pending());
    ASSERT_FALSE(feed(m, "\r\nb\r\n"));
    EXPECT_TRUE(settled(a, {}));
    EXPECT_EQ(a.replies[0].size(), 3u);
}

TEST(multiplexer_pairing, a_batch_completes_after_its_last_reply_with_replies_indexed) {
    multiplexer m;
    requests rs;
    auto& batch = rs.make(resp_cmd({"SET", "a", "1"}) + resp_cmd({"INCR", "a"}) + resp_cmd({"GET", "a"}), 3);
    auto& after = rs.make_cmd({"PING"});
    m.enqueue(&batch);
    m.enqueue(&after);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "+OK\r\n"));
    EXPECT_TRUE(batch.pending());
    ASSERT_FALSE(feed(m, ":2\r\n"));
    EXPECT_TRUE(batch.pending()) << "two replies of three";
    ASSERT_FALSE(feed(m, "$1\r\n2\r\n"));
    EXPECT_TRUE(settled(batch, {}));
    EXPECT_TRUE(after.pending()) << "the batch took exactly three replies";
    ASSERT_EQ(batch.replies.size(), 3u);
    EXPECT_EQ(batch.text(0), "OK");
    EXPECT_EQ(batch.replies[1][0].integer, 2);
    EXPECT_EQ(batch.text(2), "2");
    ASSERT_FALSE(feed(m, "+PONG\r\n"));
    EXPECT_TRUE(settled(after, {}));
    EXPECT_EQ(after.text(), "PONG");
}

TEST(multiplexer_pairing, byte_by_byte_delivery_pairs_like_one_read) {
    const std::string replies = "+OK\r\n%1\r\n+k\r\n,1.5\r\n_\r\n";
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"SET", "k", "v"});
    auto& b = rs.make_cmd({"HGETALL", "h"});
    auto& c = rs.make_cmd({"GET", "none"});
    for (auto* r : {&a, &b, &c}) m.enqueue(r);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, replies, 1));
    EXPECT_TRUE(settled(a, {}));
    EXPECT_TRUE(settled(b, {}));
    EXPECT_TRUE(settled(c, {}));
    ASSERT_EQ(b.replies[0].size(), 3u);
    EXPECT_EQ(b.replies[0][0].data_type, type::map);
    EXPECT_EQ(b.replies[0][2].real, 1.5);
    EXPECT_EQ(c.replies[0][0].data_type, type::null);
}

//
// Read buffer
//

TEST(multiplexer_reading, reads_of_at_least_64_kib_are_offered) {
    multiplexer m;
    EXPECT_GE(m.prepare_read().size(), 64u * 1024u);
    EXPECT_GE(m.prepare_read(200'000).size(), 200'000u) << "a larger minimum is honoured";
    requests rs;
    auto& a = rs.make_cmd({"GET", "k"});
    m.enqueue(&a);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "+partial"));
    EXPECT_GE(m.prepare_read().size(), 64u * 1024u) << "also with a partial reply in the buffer";
    ASSERT_FALSE(feed(m, "\r\n"));
    EXPECT_TRUE(settled(a, {}));
    EXPECT_EQ(a.text(), "partial");
}

// 17 MiB: past what the buffer keeps after a reply (16 MiB, so that streams of 1 MiB values do
// not shrink and re-grow it every time).
TEST(multiplexer_reading, a_17_mib_bulk_fed_in_pieces_arrives_whole_and_the_buffer_shrinks_back) {
    constexpr std::size_t size = 17 * 1024 * 1024;
    std::string payload(size, '\0');
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + i % 26);
    payload[size / 2] = '\r'; // bulk payloads are binary: CRLF inside is data
    payload[size / 2 + 1] = '\n';
    const std::string reply = "$" + std::to_string(size) + "\r\n" + payload + "\r\n";

    multiplexer m;
    requests rs;
    auto& big = rs.make_cmd({"GET", "big"});
    auto& next = rs.make_cmd({"PING"});
    m.enqueue(&big);
    m.enqueue(&next);
    const auto out = m.begin_write();
    m.end_write({}, out.size());

    ASSERT_FALSE(feed(m, std::string_view(reply).substr(0, 100)));
    EXPECT_EQ(m.read_hint(), reply.size() - 100) << "the parser knows how much of the bulk is missing";
    EXPECT_GE(m.prepare_read().size(), m.read_hint()) << "the rest of a large bulk fits one read";
    ASSERT_FALSE(feed(m, std::string_view(reply).substr(100), 65536));
    ASSERT_TRUE(settled(big, {}));
    ASSERT_EQ(big.replies[0].size(), 1u);
    EXPECT_EQ(big.replies[0][0].value.size(), size);
    EXPECT_TRUE(big.replies[0][0].value == payload);
    EXPECT_LT(m.prepare_read().size(), 1024u * 1024u) << "the buffer is given back after the large reply";
    EXPECT_GE(m.prepare_read().size(), 64u * 1024u);

    ASSERT_FALSE(feed(m, "+PONG\r\n"));
    EXPECT_TRUE(settled(next, {}));
}

//
// Pushes and attributes
//

constexpr std::string_view push_frame = ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n";


TEST(multiplexer_reading, a_1_mib_reply_keeps_the_buffer_for_the_next_one) {
    constexpr std::size_t size = 1024 * 1024;
    const std::string reply = "$" + std::to_string(size) + "\r\n" + std::string(size, 'x') + "\r\n";
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "big"});
    m.enqueue(&a);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, reply, 65536));
    ASSERT_TRUE(settled(a, {}));
    EXPECT_GE(m.prepare_read().size(), size) << "no shrink and zero-filled re-growth per 1 MiB value";
}

TEST(multiplexer_pushes, a_push_between_replies_goes_to_the_push_sink_never_to_a_request) {
    for (std::size_t cut = 0; cut <= push_frame.size(); ++cut) {
        multiplexer m;
        recording_sink sink;
        m.set_push_sink(&sink);
        requests rs;
        auto& a = rs.make_cmd({"GET", "a"});
        auto& b = rs.make_cmd({"GET", "b"});
        m.enqueue(&a);
        m.enqueue(&b);
        const auto out = m.begin_write();
        m.end_write({}, out.size());
        const std::string bytes = "$1\r\n1\r\n" + std::string(push_frame) + "$1\r\n2\r\n";
        const std::size_t at = 7 + cut; // split inside (or at the edges of) the push
        ASSERT_FALSE(feed(m, std::string_view(bytes).substr(0, at)));
        ASSERT_FALSE(feed(m, std::string_view(bytes).substr(at)));
        ASSERT_TRUE(settled(a, {}));
        ASSERT_TRUE(settled(b, {}));
        EXPECT_EQ(a.text(), "1");
        EXPECT_EQ(b.text(), "2");
        EXPECT_EQ(a.replies[0].size(), 1u);
        EXPECT_EQ(b.replies[0].size(), 1u);
        ASSERT_EQ(sink.pushes.size(), 1u);
        EXPECT_FALSE(sink.open) << "every push is ended";
        ASSERT_EQ(sink.pushes[0].size(), 4u);
        EXPECT_EQ(sink.pushes[0][0].data_type, type::push);
        EXPECT_EQ(sink.pushes[0][1].value, "message");
        EXPECT_EQ(sink.pushes[0][2].value, "ch");
        EXPECT_EQ(sink.pushes[0][3].value, "hi");
        EXPECT_EQ(m.pushes_received(), 1u);
    }
}

TEST(multiplexer_pushes, a_push_with_no_request_written_is_fine) {
    multiplexer m;
    recording_sink sink;
    m.set_push_sink(&sink);
    EXPECT_FALSE(feed(m, push_frame));
    EXPECT_FALSE(feed(m, push_frame));
    EXPECT_EQ(sink.pushes.size(), 2u);
    EXPECT_EQ(m.pushes_received(), 2u);

    // Without a sink, pushes are counted and dropped.
    multiplexer quiet;
    EXPECT_FALSE(feed(quiet, push_frame));
    EXPECT_EQ(quiet.pushes_received(), 1u);
}

TEST(multiplexer_pushes, a_reply_with_nothing_written_is_a_protocol_error) {
    multiplexer m;
    EXPECT_EQ(feed(m, "+OK\r\n"), error::protocol_error);

    // Queued but not written does not count either: the server cannot answer it yet.
    multiplexer m2;
    requests rs;
    auto& a = rs.make_cmd({"PING"});
    m2.enqueue(&a);
    EXPECT_EQ(feed(m2, "+PONG\r\n"), error::protocol_error);
    EXPECT_TRUE(a.pending());

    // One reply too many.
    multiplexer m3;
    auto& b = rs.make_cmd({"PING"});
    m3.enqueue(&b);
    const auto out = m3.begin_write();
    m3.end_write({}, out.size());
    EXPECT_EQ(feed(m3, "+PONG\r\n+PONG\r\n"), error::protocol_error);
    EXPECT_TRUE(settled(b, {}));
}

TEST(multiplexer_attributes, attributes_before_a_reply_do_not_shift_pairing) {
    // An attribute before a reply, one before the next, and one inside an aggregate.
    const std::string bytes = "|1\r\n+a\r\n+b\r\n+first\r\n|1\r\n+a\r\n+b\r\n:2\r\n*2\r\n|1\r\n+k\r\n+v\r\n:7\r\n:8\r\n";
    for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, bytes.size()}) {
        multiplexer m;
        requests rs;
        auto& x = rs.make_cmd({"GET", "a"});
        auto& y = rs.make_cmd({"GET", "b"});
        auto& z = rs.make_cmd({"LRANGE", "l", "0", "1"});
        for (auto* r : {&x, &y, &z}) m.enqueue(r);
        const auto out = m.begin_write();
        m.end_write({}, out.size());
        ASSERT_FALSE(feed(m, bytes, chunk)) << chunk;
        ASSERT_TRUE(settled(x, {})) << chunk;
        ASSERT_TRUE(settled(y, {})) << chunk;
        ASSERT_TRUE(settled(z, {})) << chunk;
        ASSERT_EQ(x.replies[0].size(), 1u) << "attribute nodes are no part of a reply";
        EXPECT_EQ(x.text(), "first");
        ASSERT_EQ(y.replies[0].size(), 1u);
        EXPECT_EQ(y.replies[0][0].integer, 2);
        ASSERT_EQ(z.replies[0].size(), 3u);
        EXPECT_EQ(z.replies[0][1].integer, 7);
        EXPECT_EQ(z.replies[0][2].integer, 8);
    }
}

TEST(multiplexer_reading, malformed_bytes_are_a_protocol_error_and_a_reconnect_starts_clean) {
    for (std::string_view bad : {std::string_view("?what\r\n"), std::string_view(":12x\r\n"),
                                 std::string_view("$-5\r\n"), std::string_view("*1\r\n$2\r\nabcd\r\n")}) {
        multiplexer m;
        requests rs;
        auto& a = rs.make_cmd({"GET", "a"});
        m.enqueue(&a);
        const auto out = m.begin_write();
        m.end_write({}, out.size());
        EXPECT_EQ(feed(m, bad), error::protocol_error) << bad;
        m.connection_lost();
        EXPECT_TRUE(settled(a, error::outcome_unknown)) << bad;

        auto& b = rs.make_cmd({"GET", "b"});
        m.enqueue(&b);
        const auto out2 = m.begin_write();
        m.end_write({}, out2.size());
        EXPECT_FALSE(feed(m, "+fine\r\n")) << "a new parser after the connection was lost";
        EXPECT_TRUE(settled(b, {}));
    }
}

//
// Cancellation
//

TEST(multiplexer_cancel, a_queued_request_is_removed_completed_not_sent_and_released) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    m.enqueue(&a);
    m.enqueue(&b);
    EXPECT_TRUE(m.cancel(a.id));
    EXPECT_TRUE(settled(a, error::cancelled_not_sent));
    EXPECT_EQ(m.queued(), 1u);
    EXPECT_EQ(m.begin_write(), b.bytes) << "the cancelled request is not written";
    EXPECT_FALSE(m.cancel(a.id)) << "it is gone";
    EXPECT_EQ(a.completions.size(), 1u);
}

TEST(multiplexer_cancel, a_written_request_completes_at_once_and_its_late_reply_is_dropped) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    m.enqueue(&a);
    m.enqueue(&b);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    EXPECT_TRUE(m.cancel(a.id));
    ASSERT_EQ(a.completions.size(), 1u);
    EXPECT_EQ(a.completions[0], error::cancelled_outcome_unknown);
    EXPECT_EQ(a.releases, 0) << "still in line until its reply is read";
    EXPECT_EQ(m.in_flight(), 2u);
    EXPECT_FALSE(m.cancel(a.id)) << "cancelling twice does nothing";

    ASSERT_FALSE(feed(m, "*2\r\n$6\r\nfor-a!\r\n"));
    EXPECT_EQ(a.releases, 0) << "half its reply is in";
    ASSERT_FALSE(feed(m, ":1\r\n$6\r\nfor-b!\r\n"));
    EXPECT_TRUE(settled(a, error::cancelled_outcome_unknown));
    EXPECT_TRUE(a.replies.empty()) << "the dropped reply reaches nobody";
    EXPECT_TRUE(settled(b, {}));
    EXPECT_EQ(b.text(), "for-b!") << "the next request still gets its own reply";
    EXPECT_EQ(m.in_flight(), 0u);
}

TEST(multiplexer_cancel, cancelling_in_the_middle_of_a_reply_stops_its_nodes_and_keeps_pairing) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"LRANGE", "l", "0", "-1"});
    auto& b = rs.make_cmd({"GET", "b"});
    m.enqueue(&a);
    m.enqueue(&b);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "*3\r\n$1\r\nx\r\n"));
    ASSERT_EQ(a.replies.size(), 1u);
    EXPECT_EQ(a.replies[0].size(), 2u);
    EXPECT_TRUE(m.cancel(a.id));
    ASSERT_FALSE(feed(m, "$1\r\ny\r\n$1\r\nz\r\n$2\r\nbb\r\n"));
    EXPECT_TRUE(settled(a, error::cancelled_outcome_unknown)) << "no node after its completion";
    EXPECT_EQ(a.replies[0].size(), 2u);
    EXPECT_TRUE(settled(b, {}));
    EXPECT_EQ(b.text(), "bb");
}

TEST(multiplexer_cancel, an_unknown_or_completed_id_is_refused) {
    multiplexer m;
    requests rs;
    EXPECT_FALSE(m.cancel(42));
    auto& a = rs.make_cmd({"PING"});
    m.enqueue(&a);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "+PONG\r\n"));
    EXPECT_FALSE(m.cancel(a.id));
    EXPECT_TRUE(settled(a, {}));
}

//
// Deadlines
//

TEST(multiplexer_expire, earliest_deadline_covers_queued_and_written_requests) {
    multiplexer m;
    EXPECT_EQ(m.earliest_deadline(), clock::time_point::max());
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    a.deadline = t0 + ms(50);
    b.deadline = t0 + ms(20);
    m.enqueue(&a);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    EXPECT_EQ(m.earliest_deadline(), t0 + ms(50)) << "a written request";
    m.enqueue(&b);
    EXPECT_EQ(m.earliest_deadline(), t0 + ms(20)) << "a queued request";
    EXPECT_TRUE(m.cancel(b.id));
    EXPECT_EQ(m.earliest_deadline(), t0 + ms(50));
    EXPECT_TRUE(m.cancel(a.id));
    EXPECT_EQ(m.earliest_deadline(), clock::time_point::max()) << "an abandoned request has no deadline";
}

TEST(multiplexer_expire, a_queued_request_past_its_deadline_times_out_not_sent) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    a.deadline = t0 + ms(10);
    b.deadline = t0 + ms(30);
    m.enqueue(&a);
    m.enqueue(&b);
    EXPECT_FALSE(m.expire(t0 + ms(9)));
    EXPECT_TRUE(a.pending());
    EXPECT_FALSE(m.expire(t0 + ms(10))) << "no connection needs closing for a queued request";
    EXPECT_TRUE(settled(a, error::timeout_not_sent)) << "a deadline equal to now has passed";
    EXPECT_TRUE(b.pending());
    EXPECT_EQ(m.queued(), 1u);
    EXPECT_EQ(m.begin_write(), b.bytes);
    EXPECT_EQ(m.earliest_deadline(), t0 + ms(30));
}

TEST(multiplexer_expire, a_written_request_past_its_deadline_times_out_outcome_unknown) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    a.deadline = t0 + ms(10);
    b.deadline = t0 + ms(100);
    m.enqueue(&a);
    m.enqueue(&b);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    EXPECT_TRUE(m.expire(t0 + ms(10))) << "its reply may still come: the connection must close";
    ASSERT_EQ(a.completions.size(), 1u);
    EXPECT_EQ(a.completions[0], error::timeout_outcome_unknown);
    EXPECT_EQ(a.releases, 0);
    EXPECT_TRUE(b.pending());
    EXPECT_FALSE(m.expire(t0 + ms(20))) << "expired once";
    EXPECT_EQ(a.completions.size(), 1u);
    m.connection_lost();
    EXPECT_TRUE(settled(a, error::timeout_outcome_unknown)) << "released by the connection loss";
    EXPECT_TRUE(settled(b, error::outcome_unknown));
}

TEST(multiplexer_expire, a_timed_out_request_still_consumes_its_reply_if_it_comes) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    a.deadline = t0;
    m.enqueue(&a);
    m.enqueue(&b);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    EXPECT_TRUE(m.expire(t0));
    ASSERT_FALSE(feed(m, "$1\r\na\r\n$1\r\nb\r\n"));
    EXPECT_TRUE(settled(a, error::timeout_outcome_unknown));
    EXPECT_TRUE(a.replies.empty());
    EXPECT_TRUE(settled(b, {}));
    EXPECT_EQ(b.text(), "b");
}

//
// Connection loss
//

TEST(multiplexer_connection_lost, written_requests_are_settled_by_retryability_and_queued_ones_stay) {
    multiplexer m;
    requests rs;
    auto& w1 = rs.make_cmd({"INCR", "a"});          // written, retryable
    auto& w2 = rs.make_cmd({"INCR", "b"});          // written, not retryable
    auto& w3 = rs.make_cmd({"GET", "c"});           // written, retryable
    auto& gone = rs.make_cmd({"GET", "d"});         // written, then cancelled
    auto& q = rs.make_cmd({"GET", "e"});            // queued after the write
    w1.retryable = true;
    w3.retryable = true;
    for (auto* r : {&w1, &w2, &w3, &gone}) m.enqueue(r);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    m.enqueue(&q);
    ASSERT_TRUE(m.cancel(gone.id));

    m.connection_lost();
    EXPECT_TRUE(settled(w2, error::outcome_unknown));
    EXPECT_TRUE(settled(gone, error::cancelled_outcome_unknown)) << "abandoned: released, not completed again";
    EXPECT_TRUE(w1.pending());
    EXPECT_TRUE(w3.pending());
    EXPECT_TRUE(q.pending());
    EXPECT_EQ(m.written(), 0u);
    EXPECT_EQ(m.queued(), 3u);
    EXPECT_EQ(m.begin_write(), w1.bytes + w3.bytes + q.bytes)
        << "retried requests go first, in their order, ahead of the queued ones";
    m.end_write({}, w1.bytes.size() + w3.bytes.size() + q.bytes.size());
    ASSERT_FALSE(feed(m, ":1\r\n$1\r\nc\r\n$1\r\ne\r\n"));
    EXPECT_TRUE(settled(w1, {}));
    EXPECT_TRUE(settled(w3, {}));
    EXPECT_TRUE(settled(q, {}));
    EXPECT_EQ(w1.replies[0].back().integer, 1);
    EXPECT_EQ(w3.text(), "c");
    EXPECT_EQ(q.text(), "e");
}

TEST(multiplexer_connection_lost, a_half_received_reply_is_forgotten) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    a.retryable = true;
    b.retryable = true;
    m.enqueue(&a);
    m.enqueue(&b);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "$11\r\nstale-h"));
    m.connection_lost();
    EXPECT_TRUE(a.pending());
    EXPECT_EQ(m.queued(), 2u);
    EXPECT_EQ(m.begin_write(), a.bytes + b.bytes);
    m.end_write({}, a.bytes.size() + b.bytes.size());
    ASSERT_FALSE(feed(m, "+fresh\r\n+other\r\n")) << "the new connection's first reply starts a new reply";
    EXPECT_TRUE(settled(a, {}));
    EXPECT_TRUE(settled(b, {}));
    EXPECT_EQ(a.text(), "fresh");
    EXPECT_EQ(b.text(), "other");
}

TEST(multiplexer_connection_lost, a_retryable_request_that_has_seen_part_of_its_replies_is_not_retried) {
    // Its result already holds nodes of the first attempt: fed the new reply from the start, it
    // would mix both (LRANGE giving ["a", "x"] for [a, b] then [x, y]).
    multiplexer m;
    requests rs;
    auto& batch = rs.make(resp_cmd({"GET", "a"}) + resp_cmd({"GET", "b"}), 2);
    auto& half = rs.make_cmd({"LRANGE", "l", "0", "-1"});
    auto& untouched = rs.make_cmd({"GET", "c"});
    for (auto* r : {&batch, &half, &untouched}) {
        r->retryable = true;
        m.enqueue(r);
    }
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    ASSERT_FALSE(feed(m, "+first\r\n+second\r\n*2\r\n$1\r\na\r\n"));
    EXPECT_TRUE(settled(batch, {}));
    ASSERT_EQ(half.replies.size(), 1u);
    EXPECT_EQ(half.replies[0].size(), 2u) << "the array header and its first element went out";
    m.connection_lost();
    EXPECT_TRUE(settled(half, error::outcome_unknown));
    EXPECT_TRUE(untouched.pending()) << "nothing of its reply arrived: retried";
    EXPECT_EQ(m.begin_write(), untouched.bytes);

    // A batch with some of its replies in.
    multiplexer m2;
    auto& b2 = rs.make(resp_cmd({"GET", "a"}) + resp_cmd({"GET", "b"}), 2);
    b2.retryable = true;
    m2.enqueue(&b2);
    const auto out2 = m2.begin_write();
    m2.end_write({}, out2.size());
    ASSERT_FALSE(feed(m2, "+first\r\n"));
    m2.connection_lost();
    EXPECT_TRUE(settled(b2, error::outcome_unknown));
    EXPECT_FALSE(m2.want_write());
}

TEST(multiplexer_fail_queued, completes_every_queued_request_with_the_error_and_leaves_written_ones) {
    multiplexer m;
    requests rs;
    auto& w = rs.make_cmd({"GET", "w"});
    m.enqueue(&w);
    const auto out = m.begin_write();
    m.end_write({}, out.size());
    auto& q1 = rs.make_cmd({"GET", "a"});
    auto& q2 = rs.make_cmd({"GET", "b"});
    m.enqueue(&q1);
    m.enqueue(&q2);
    m.fail_queued(error::auth_failed);
    EXPECT_TRUE(settled(q1, error::auth_failed));
    EXPECT_TRUE(settled(q2, error::auth_failed));
    EXPECT_EQ(m.queued(), 0u);
    EXPECT_FALSE(m.want_write());
    EXPECT_TRUE(w.pending());
    ASSERT_FALSE(feed(m, "+w\r\n"));
    EXPECT_TRUE(settled(w, {}));
}

//
// Write errors
//

TEST(multiplexer_write_error, requests_not_started_go_back_to_the_queue_and_the_rest_is_outcome_unknown) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"SET", "a", "1"});
    auto& b = rs.make_cmd({"SET", "b", "2"});
    auto& c = rs.make_cmd({"SET", "c", "3"});
    auto& later = rs.make_cmd({"GET", "later"});
    for (auto* r : {&a, &b, &c}) m.enqueue(r);
    const auto out = m.begin_write();
    m.enqueue(&later);
    // a wholly written, b partly, c not at all.
    m.end_write(boost::asio::error::broken_pipe, a.bytes.size() + 3);
    EXPECT_EQ(m.bytes_written(), a.bytes.size() + 3);
    EXPECT_EQ(m.queued(), 2u);
    m.connection_lost();
    EXPECT_TRUE(settled(a, error::outcome_unknown));
    EXPECT_TRUE(settled(b, error::outcome_unknown)) << "partly written: the server may have it";
    EXPECT_TRUE(c.pending());
    EXPECT_TRUE(later.pending());
    EXPECT_EQ(m.begin_write(), c.bytes + later.bytes) << "c first: order kept";
    (void)out;
}

// Every request of a 3-request write, for an I/O error after every possible byte count: started
// requests are outcome_unknown (or retried, if retryable), the others not sent and written again,
// in order; each completes exactly once.
TEST(multiplexer_write_error, an_error_at_every_byte_offset_is_classified_consistently) {
    const std::string bytes[] = {resp_cmd({"SET", "a", "1"}), resp_cmd({"GET", "bb"}), resp_cmd({"INCR", "ccc"})};
    const std::size_t total = bytes[0].size() + bytes[1].size() + bytes[2].size();
    for (bool middle_retryable : {false, true}) {
        for (std::size_t n = 0; n <= total; ++n) {
            multiplexer m;
            requests rs;
            fake_request* r[3];
            std::size_t start[3];
            std::size_t offset = 0;
            for (int i = 0; i < 3; ++i) {
                r[i] = &rs.make(bytes[i]);
                start[i] = offset;
                offset += bytes[i].size();
                m.enqueue(r[i]);
            }
            r[1]->retryable = middle_retryable;
            const auto out = m.begin_write();
            ASSERT_EQ(out.size(), total);
            m.end_write(boost::asio::error::connection_reset, n);
            m.connection_lost();

            std::string expected_rewrite;
            for (int i = 0; i < 3; ++i) {
                const bool started = start[i] < n;
                if (!started || (i == 1 && middle_retryable)) {
                    ASSERT_TRUE(r[i]->pending()) << "n=" << n << " request " << i;
                    expected_rewrite += bytes[i];
                } else {
                    ASSERT_TRUE(settled(*r[i], error::outcome_unknown)) << "n=" << n << " request " << i;
                }
            }
            ASSERT_EQ(m.written(), 0u) << n;
            ASSERT_EQ(m.want_write(), !expected_rewrite.empty()) << n;
            if (expected_rewrite.empty()) continue;
            const auto again = m.begin_write();
            ASSERT_EQ(again, expected_rewrite) << "n=" << n;
            m.end_write({}, again.size());
            std::string replies;
            for (int i = 0; i < 3; ++i)
                if (r[i]->pending()) replies += "+r" + std::to_string(i) + "\r\n";
            ASSERT_FALSE(feed(m, replies)) << n;
            for (int i = 0; i < 3; ++i) {
                if (r[i]->completions.size() == 1 && r[i]->completions[0] == error::outcome_unknown) continue;
                ASSERT_TRUE(settled(*r[i], {})) << "n=" << n << " request " << i;
                ASSERT_EQ(r[i]->text(), "r" + std::to_string(i)) << "n=" << n;
            }
            ASSERT_EQ(m.in_flight(), 0u);
        }
    }
}

TEST(multiplexer_write_error, a_cancelled_request_that_was_never_sent_is_released_by_the_failed_write) {
    multiplexer m;
    requests rs;
    auto& a = rs.make_cmd({"GET", "a"});
    auto& b = rs.make_cmd({"GET", "b"});
    m.enqueue(&a);
    m.enqueue(&b);
    (void)m.begin_write();
    ASSERT_TRUE(m.cancel(b.id)); // during the write
    m.end_write(boost::asio::error::broken_pipe, 1);
    EXPECT_TRUE(settled(b, error::cancelled_outcome_unknown));
    EXPECT_EQ(m.queued(), 0u) << "a cancelled request is not written again";
    m.connection_lost();
    EXPECT_TRUE(settled(a, error::outcome_unknown));
    EXPECT_EQ(m.in_flight(), 0u);
}

//
// Error classification
//

TEST(error_classification, every_request_error_is_not_sent_outcome_unknown_or_neither) {
    struct row {
        error e;
        bool not_sent;
        bool outcome_unknown;
    };
    const row rows[] = {
        {error::unexpected_type, false, false},        {error::unexpected_null, false, false},
        {error::number_out_of_range, false, false},    {error::invalid_number, false, false},
        {error::unexpected_size, false, false},        {error::server_error_nested, false, false},
        {error::not_sent, true, false},                {error::outcome_unknown, false, true},
        {error::timeout_not_sent, true, false},        {error::timeout_outcome_unknown, false, true},
        {error::too_many_in_flight, true, false},      {error::server_replied_error, false, false},
        {error::cancelled_not_sent, true, false},      {error::cancelled_outcome_unknown, false, true},
        {error::client_stopped, true, false},          {error::connect_timeout, true, false},
        {error::auth_failed, true, false},             {error::permission_denied, true, false},
        {error::handshake_failed, true, false},        {error::tls_failed, true, false},
        {error::protocol_error, false, false},         {error::resp3_unsupported, true, false},
        {error::invalid_configuration, true, false},   {error::no_address, true, false},
    };
    for (const auto& r : rows) {
        const error_code ec = r.e;
        EXPECT_EQ(respio::is_not_sent(ec), r.not_sent) << ec.message();
        EXPECT_EQ(respio::is_outcome_unknown(ec), r.outcome_unknown) << ec.message();
        EXPECT_EQ(ec.category().name(), std::string("respio"));
        EXPECT_NE(ec.message(), "respio: unknown error") << static_cast<int>(r.e);
    }
    // Other categories are neither, even with a colliding number.
    for (const error_code ec : {error_code(boost::asio::error::eof), error_code(boost::asio::error::connection_reset),
                                error_code(100, boost::system::generic_category()), error_code(),
                                make_error_code(respio::server_errc::wrongpass)}) {
        EXPECT_FALSE(respio::is_not_sent(ec)) << ec.message();
        EXPECT_FALSE(respio::is_outcome_unknown(ec)) << ec.message();
    }
}

TEST(error_classification, server_errors_the_handshake_relies_on) {
    using respio::server_errc;
    using respio::classify_server_error;
    EXPECT_EQ(classify_server_error("NOPROTO sorry, this protocol version is not supported"), server_errc::noproto);
    EXPECT_EQ(classify_server_error("ERR unknown command 'HELLO', with args beginning with: '3' "),
              server_errc::unknown_command);
    EXPECT_EQ(classify_server_error("ERR unknown command `HELLO`, with args beginning with: `3`, "),
              server_errc::unknown_command);
    EXPECT_EQ(classify_server_error("WRONGPASS invalid username-password pair or user is disabled."),
              server_errc::wrongpass);
    EXPECT_EQ(classify_server_error("NOAUTH Authentication required."), server_errc::noauth);
    EXPECT_EQ(classify_server_error("NOPERM User app has no permissions to run the 'select' command"),
              server_errc::noperm);
    EXPECT_EQ(classify_server_error("ERR DB index is out of range"), server_errc::other);
    EXPECT_EQ(classify_server_error("NOPROTOCOL"), server_errc::other) << "the code is a whole word";
}

TEST(error_classification, final_connect_errors_stop_waiting_requests) {
    for (error e : {error::auth_failed, error::permission_denied, error::tls_failed, error::resp3_unsupported,
                    error::invalid_configuration, error::handshake_failed})
        EXPECT_TRUE(respio::detail::is_final_connect_error(e)) << error_code(e).message();
    for (error_code ec : {error_code(error::connect_timeout), error_code(error::protocol_error),
                          error_code(boost::asio::error::connection_refused), error_code(boost::asio::error::eof)})
        EXPECT_FALSE(respio::detail::is_final_connect_error(ec)) << ec.message();
}

//
// Handshake
//

using respio::client_config;
using respio::protocol_version;
using respio::detail::handshake;
using step_kind = handshake::step::kind;

// A reply as the connection reads it: RESP bytes through the parser into a respio::value.
respio::value reply(std::string_view bytes) {
    respio::value v;
    respio::reply_reader<respio::value> reader(v);
    respio::resp::parser p;
    error_code ec;
    for (;;) {
        auto n = p.next(bytes, ec);
        EXPECT_FALSE(ec) << bytes;
        if (!n) {
            ADD_FAILURE() << "incomplete reply: " << bytes;
            break;
        }
        reader.on_node(*n);
        if (p.done()) break;
    }
    EXPECT_EQ(p.consumed(), bytes.size()) << "one reply at a time";
    return v;
}

respio::value ok() { return reply("+OK\r\n"); }
respio::value hello_ok() { return reply("%3\r\n+server\r\n+valkey\r\n+proto\r\n:3\r\n+mode\r\n+standalone\r\n"); }

std::string setinfo_bytes() {
    return resp_cmd({"CLIENT", "SETINFO", "LIB-NAME", "respio"}) +
           resp_cmd({"CLIENT", "SETINFO", "LIB-VER", respio::version_string});
}

// Feeds replies; every step before the last must be a read; returns the last step.
handshake::step run_round(handshake& hs, const std::vector<respio::value>& replies) {
    handshake::step s;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        s = hs.on_reply(replies[i]);
        if (i + 1 < replies.size()) {
            EXPECT_EQ(s.what, step_kind::read) << "reply " << i << " ended the round early";
        }
    }
    return s;
}

TEST(handshake, default_config_sends_hello_3_and_the_library_info) {
    EXPECT_EQ(std::string(respio::version_string), std::to_string(RESPIO_VERSION_MAJOR) + "." +
                                                       std::to_string(RESPIO_VERSION_MINOR) + "." +
                                                       std::to_string(RESPIO_VERSION_PATCH));
    const client_config c;
    handshake hs(c);
    EXPECT_EQ(hs.start(), resp_cmd({"HELLO", "3"}) + setinfo_bytes());
    EXPECT_EQ(hs.round_replies(), 3u);
    const auto s = run_round(hs, {hello_ok(), ok(), ok()});
    EXPECT_EQ(s.what, step_kind::done);
    EXPECT_EQ(hs.protocol(), 3);
}

TEST(handshake, credentials_name_and_database_ride_on_hello) {
    client_config c;
    c.auth = {"alice", "s3cret"};
    c.client_name = "app";
    c.database = 5;
    handshake hs(c);
    EXPECT_EQ(hs.start(), resp_cmd({"HELLO", "3", "AUTH", "alice", "s3cret", "SETNAME", "app"}) +
                              resp_cmd({"SELECT", "5"}) + setinfo_bytes());
    EXPECT_EQ(hs.round_replies(), 4u);
    const auto s = run_round(hs, {hello_ok(), ok(), ok(), ok()});
    EXPECT_EQ(s.what, step_kind::done);
    EXPECT_EQ(hs.protocol(), 3);
}

TEST(handshake, a_password_without_username_authenticates_the_default_user) {
    client_config c;
    c.auth.password = "pw";
    c.set_client_info = false;
    handshake hs(c);
    EXPECT_EQ(hs.start(), resp_cmd({"HELLO", "3", "AUTH", "default", "pw"}));
    EXPECT_EQ(hs.round_replies(), 1u);

    client_config named;
    named.client_name = "worker-1";
    named.set_client_info = false;
    handshake hs2(named);
    EXPECT_EQ(hs2.start(), resp_cmd({"HELLO", "3", "SETNAME", "worker-1"}));
}

TEST(handshake, hello_refused_falls_back_to_resp2_after_the_round_is_read) {
    const std::string refusals[] = {
        "-NOPROTO sorry, this protocol version is not supported\r\n",
        "-ERR unknown command 'HELLO', with args beginning with: '3' 'AUTH' 'alice' 'pw' 'SETNAME' 'app' \r\n",
        "-ERR unknown command `HELLO`, with args beginning with: `3`, `AUTH`, `alice`, `pw`, \r\n",
    };
    for (const auto& refusal : refusals) {
        client_config c;
        c.auth = {"alice", "pw"};
        c.client_name = "app";
        c.database = 2;
        handshake hs(c);
        ASSERT_EQ(hs.round_replies(), 4u);
        // The rest of the first round fails (or not) on an old server: ignored.
        EXPECT_EQ(hs.on_reply(reply(refusal)).what, step_kind::read) << refusal;
        EXPECT_EQ(hs.on_reply(reply("-NOAUTH Authentication required.\r\n")).what, step_kind::read);
        EXPECT_EQ(hs.on_reply(reply("-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n")).what, step_kind::read);
        const auto s = hs.on_reply(reply("-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n"));
        ASSERT_EQ(s.what, step_kind::write) << refusal;
        EXPECT_EQ(s.bytes, resp_cmd({"AUTH", "alice", "pw"}) + resp_cmd({"CLIENT", "SETNAME", "app"}) +
                               resp_cmd({"SELECT", "2"}) + setinfo_bytes());
        EXPECT_EQ(hs.round_replies(), 5u);
        const auto done = run_round(hs, {ok(), ok(), ok(), reply("-ERR unknown subcommand\r\n"),
                                         reply("-ERR unknown subcommand\r\n")});
        EXPECT_EQ(done.what, step_kind::done) << refusal;
        EXPECT_EQ(hs.protocol(), 2);
    }
}

TEST(handshake, resp2_fallback_without_username_sends_auth_with_the_password_only) {
    client_config c;
    c.auth.password = "pw";
    c.set_client_info = false;
    handshake hs(c);
    const auto s = hs.on_reply(reply("-NOPROTO unsupported protocol version\r\n"));
    ASSERT_EQ(s.what, step_kind::write);
    EXPECT_EQ(s.bytes, resp_cmd({"AUTH", "pw"}));
    EXPECT_EQ(hs.on_reply(ok()).what, step_kind::done);
    EXPECT_EQ(hs.protocol(), 2);
}

TEST(handshake, resp2_fallback_with_nothing_to_say_is_done_at_once) {
    client_config c;
    c.set_client_info = false;
    handshake hs(c);
    const auto s = hs.on_reply(reply("-NOPROTO unsupported protocol version\r\n"));
    EXPECT_EQ(s.what, step_kind::done);
    EXPECT_EQ(hs.protocol(), 2);
}

TEST(handshake, hello_refused_with_resp3_required_fails_resp3_unsupported) {
    for (std::string_view refusal : {std::string_view("-NOPROTO sorry, this protocol version is not supported\r\n"),
                                     std::string_view("-ERR unknown command 'HELLO', with args beginning with: '3' \r\n")}) {
        client_config c;
        c.protocol = protocol_version::resp3;
        handshake hs(c);
        EXPECT_EQ(hs.on_reply(reply(refusal)).what, step_kind::read) << "the round is read to its end first";
        EXPECT_EQ(hs.on_reply(ok()).what, step_kind::read);
        const auto s = hs.on_reply(ok());
        EXPECT_EQ(s.what, step_kind::failed);
        EXPECT_EQ(s.ec, error::resp3_unsupported);
        EXPECT_NE(hs.protocol(), 3);
    }
}

TEST(handshake, wrong_credentials_fail_auth_failed_once_every_reply_of_the_round_is_read) {
    client_config c;
    c.auth = {"alice", "nope"};
    c.database = 1;
    handshake hs(c);
    ASSERT_EQ(hs.round_replies(), 4u);
    const auto s = run_round(hs, {reply("-WRONGPASS invalid username-password pair or user is disabled.\r\n"),
                                  reply("-NOAUTH Authentication required.\r\n"),
                                  reply("-NOAUTH Authentication required.\r\n"),
                                  reply("-NOAUTH Authentication required.\r\n")});
    EXPECT_EQ(s.what, step_kind::failed);
    EXPECT_EQ(s.ec, error::auth_failed);
    EXPECT_EQ(s.message, "WRONGPASS invalid username-password pair or user is disabled.") << "the first failure";

    // No credentials, server needs some.
    client_config none;
    handshake hs2(none);
    const auto s2 = run_round(hs2, {reply("-NOAUTH HELLO must be called with the client already authenticated, "
                                          "otherwise the HELLO <proto> AUTH <user> <pass> option can be used\r\n"),
                                    reply("-NOAUTH Authentication required.\r\n"),
                                    reply("-NOAUTH Authentication required.\r\n")});
    EXPECT_EQ(s2.what, step_kind::failed);
    EXPECT_EQ(s2.ec, error::auth_failed);
}

TEST(handshake, wrong_credentials_in_the_resp2_round_fail_auth_failed) {
    client_config c;
    c.auth.password = "nope";
    c.set_client_info = false;
    handshake hs(c);
    ASSERT_EQ(hs.on_reply(reply("-NOPROTO unsupported protocol version\r\n")).what, step_kind::write);
    const auto s = hs.on_reply(reply("-WRONGPASS invalid username-password pair or user is disabled.\r\n"));
    EXPECT_EQ(s.what, step_kind::failed);
    EXPECT_EQ(s.ec, error::auth_failed);
}

TEST(handshake, noperm_fails_permission_denied) {
    client_config c;
    c.database = 3;
    handshake hs(c);
    const auto s = run_round(hs, {hello_ok(), reply("-NOPERM User default has no permissions to run the 'select' command\r\n"),
                                  ok(), ok()});
    EXPECT_EQ(s.what, step_kind::failed);
    EXPECT_EQ(s.ec, error::permission_denied);
}

TEST(handshake, select_out_of_range_fails_with_the_server_text) {
    client_config c;
    c.database = 99;
    handshake hs(c);
    const auto s = run_round(hs, {hello_ok(), reply("-ERR DB index is out of range\r\n"), ok(), ok()});
    EXPECT_EQ(s.what, step_kind::failed);
    EXPECT_EQ(s.ec, error::handshake_failed);
    EXPECT_EQ(s.message, "ERR DB index is out of range");
}

TEST(handshake, setinfo_errors_from_old_servers_are_ignored) {
    const client_config c;
    handshake hs(c);
    const auto s = run_round(hs, {hello_ok(), reply("-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n"),
                                  reply("-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n")});
    EXPECT_EQ(s.what, step_kind::done);
    EXPECT_EQ(hs.protocol(), 3);
}

TEST(handshake, extra_commands_close_every_round_and_their_errors_fail_it) {
    client_config c;
    c.set_client_info = false;
    handshake hs(c, {resp_cmd({"READONLY"})}, 1);
    EXPECT_EQ(hs.start(), resp_cmd({"HELLO", "3"}) + resp_cmd({"READONLY"}));
    EXPECT_EQ(hs.round_replies(), 2u);
    const auto s = run_round(hs, {hello_ok(), reply("-ERR This instance has cluster support disabled\r\n")});
    EXPECT_EQ(s.what, step_kind::failed);
    EXPECT_EQ(s.ec, error::handshake_failed);

    handshake hs2(c, {resp_cmd({"READONLY"})}, 1);
    const auto w = hs2.on_reply(reply("-NOPROTO unsupported protocol version\r\n"));
    EXPECT_EQ(w.what, step_kind::read);
    const auto w2 = hs2.on_reply(ok());
    ASSERT_EQ(w2.what, step_kind::write);
    EXPECT_EQ(w2.bytes, resp_cmd({"READONLY"})) << "the RESP2 round has them too";
    EXPECT_EQ(hs2.on_reply(ok()).what, step_kind::done);
}

TEST(handshake, protocol_resp2_never_sends_hello) {
    client_config c;
    c.protocol = protocol_version::resp2;
    handshake hs(c);
    EXPECT_EQ(hs.start(), setinfo_bytes());
    EXPECT_EQ(hs.start().find("HELLO"), std::string_view::npos);
    EXPECT_EQ(run_round(hs, {ok(), ok()}).what, step_kind::done);
    EXPECT_EQ(hs.protocol(), 2);

    client_config auth = c;
    auth.auth = {"bob", "pw"};
    auth.client_name = "n";
    auth.database = 4;
    handshake hs2(auth);
    EXPECT_EQ(hs2.start(), resp_cmd({"AUTH", "bob", "pw"}) + resp_cmd({"CLIENT", "SETNAME", "n"}) +
                               resp_cmd({"SELECT", "4"}) + setinfo_bytes());
    EXPECT_EQ(run_round(hs2, {ok(), ok(), ok(), ok(), ok()}).what, step_kind::done);
    EXPECT_EQ(hs2.protocol(), 2);

    client_config nothing = c;
    nothing.set_client_info = false;
    handshake hs3(nothing);
    EXPECT_TRUE(hs3.start().empty()) << "nothing to say: no round at all";
    EXPECT_EQ(hs3.round_replies(), 0u);
}

TEST(handshake, a_reply_past_the_round_is_a_protocol_error) {
    client_config c;
    c.set_client_info = false;
    handshake hs(c);
    ASSERT_EQ(hs.on_reply(hello_ok()).what, step_kind::done);
    const auto s = hs.on_reply(ok());
    EXPECT_EQ(s.what, step_kind::failed);
    EXPECT_EQ(s.ec, error::protocol_error);
}

TEST(handshake, the_password_never_appears_in_a_failure_message) {
    const std::string password = "Tr0ub4dor&3";
    struct scenario {
        const char* name;
        protocol_version protocol;
        std::vector<std::string> replies; // RESP bytes; "%P" stands for the password
        error expected;
    };
    const scenario scenarios[] = {
        {"old server, resp3 required, echoes HELLO's arguments", protocol_version::resp3,
         {"-ERR unknown command 'HELLO', with args beginning with: '3' 'AUTH' 'user' '%P' 'SETNAME' 'app' \r\n",
          "-NOAUTH Authentication required.\r\n", "-NOAUTH Authentication required.\r\n",
          "-NOAUTH Authentication required.\r\n"},
         error::resp3_unsupported},
        {"redis 5 style echo", protocol_version::resp3,
         {"-ERR unknown command `HELLO`, with args beginning with: `3`, `AUTH`, `user`, `%P`, \r\n",
          "-NOAUTH Authentication required.\r\n", "+OK\r\n", "+OK\r\n"},
         error::resp3_unsupported},
        {"wrong password", protocol_version::resp3_or_resp2,
         {"-WRONGPASS invalid username-password pair or user is disabled.\r\n", "-NOAUTH x\r\n", "-NOAUTH x\r\n",
          "-NOAUTH x\r\n"},
         error::auth_failed},
        {"a proxy quoting the password", protocol_version::resp3_or_resp2,
         {"-ERR invalid password '%P' for user 'user'\r\n", "+OK\r\n", "+OK\r\n", "+OK\r\n"},
         error::handshake_failed},
        {"resp2: AUTH echoed", protocol_version::resp2,
         {"-ERR unknown command 'AUTH', with args beginning with: 'user' '%P' \r\n", "+OK\r\n", "+OK\r\n", "+OK\r\n",
          "+OK\r\n"},
         error::handshake_failed},
    };
    for (const auto& sc : scenarios) {
        client_config c;
        c.protocol = sc.protocol;
        c.auth = {"user", password};
        c.client_name = "app";
        c.database = 1;
        handshake hs(c);
        ASSERT_NE(hs.start().find(password), std::string_view::npos) << "the password is sent, of course";
        ASSERT_EQ(hs.round_replies(), sc.replies.size()) << sc.name;
        handshake::step s;
        for (std::string r : sc.replies) {
            if (auto at = r.find("%P"); at != std::string::npos) r.replace(at, 2, password);
            s = hs.on_reply(reply(r));
        }
        EXPECT_EQ(s.what, step_kind::failed) << sc.name;
        EXPECT_EQ(s.ec, sc.expected) << sc.name;
        EXPECT_EQ(s.message.find(password), std::string::npos) << sc.name << ": " << s.message;
        EXPECT_EQ(s.message.find("Tr0ub"), std::string::npos) << sc.name << ": no part of it either: " << s.message;
        EXPECT_FALSE(s.message.empty()) << sc.name << ": the server's text is kept otherwise";
    }
}

//
// Block time of blocking commands
//

template <class Bound>
std::optional<ms> block_time_of(const Bound& c) {
    std::string bytes;
    c.write(bytes);
    return respio::detail::block_time(c.info(), bytes);
}

TEST(block_time, read_from_the_arguments_of_blocking_commands) {
    namespace cmd = respio::cmd;
    namespace opt = respio::opt;
    EXPECT_EQ(block_time_of(cmd::blpop("k", 1.5)), ms(1500)) << "seconds, fractional";
    EXPECT_EQ(block_time_of(cmd::blpop("k", 0)), ms(0)) << "0: forever";
    EXPECT_EQ(block_time_of(cmd::blpop("k1", "k2", "k3", 7)), ms(7000)) << "the last argument, after every key";
    EXPECT_EQ(block_time_of(cmd::blmpop(2, 2, "a", "b", opt::left)), ms(2000)) << "before numkeys";
    EXPECT_EQ(block_time_of(cmd::blmpop(0.5, 1, "a", opt::right, opt::count(3))), ms(500));
    EXPECT_EQ(block_time_of(cmd::xread(opt::count(1), opt::block(100), opt::streams("s", "0"))), ms(100))
        << "milliseconds after BLOCK";
    EXPECT_EQ(block_time_of(cmd::xread(opt::block(0), opt::streams("s", "0"))), ms(0));
    EXPECT_EQ(block_time_of(cmd::xread(opt::count(1), opt::streams("s", "0"))), std::nullopt)
        << "XREAD without BLOCK does not block";
    EXPECT_EQ(block_time_of(cmd::wait(1, 500)), ms(500));
    EXPECT_EQ(block_time_of(cmd::get("k")), std::nullopt);
}

TEST(block_time, keyword_is_case_insensitive_and_a_stream_named_block_is_not_the_keyword) {
    const auto& info = respio::cmd::xread.info();
    EXPECT_EQ(respio::detail::block_time(info, resp_cmd({"xread", "block", "250", "streams", "s", "0"})), ms(250));
    // A stream key spelled BLOCK (after STREAMS) is no BLOCK option: only its id follows it.
    EXPECT_EQ(respio::detail::block_time(info, resp_cmd({"XREAD", "STREAMS", "BLOCK", "0"})), std::nullopt);
    EXPECT_EQ(respio::detail::block_time(respio::cmd::blpop.info(), resp_cmd({"BLPOP", "k", "nan?"})), std::nullopt);
    EXPECT_EQ(respio::detail::block_time(respio::cmd::blpop.info(), "not resp"), std::nullopt);
}

//
// Reconnect backoff
//

TEST(backoff, the_delay_ceiling_grows_exponentially_up_to_the_caps) {
    std::mt19937_64 rng(12345);
    auto ceiling_seen = [&](const respio::backoff_options& o, unsigned failures) {
        ms max{0};
        for (int i = 0; i < 400; ++i) {
            const ms d = respio::detail::backoff_delay(o, failures, rng);
            EXPECT_GE(d.count(), 0);
            max = std::max(max, d);
        }
        return max;
    };
    respio::backoff_options o; // factor 10ms, base 2, 16 retries, max 5000ms
    // After N failures the delay is random in [0, 10ms · 2^N]: never above, and near it sometimes.
    for (unsigned n : {0u, 1u, 3u, 6u}) {
        const long long ceiling = 10LL << n;
        const ms seen = ceiling_seen(o, n);
        EXPECT_LE(seen.count(), ceiling) << n;
        EXPECT_GE(seen.count(), ceiling / 2) << n;
    }
    const ms capped = ceiling_seen(o, 30);
    EXPECT_LE(capped.count(), 5000) << "max_delay caps it";
    EXPECT_GE(capped.count(), 2500);

    respio::backoff_options few = o;
    few.num_of_retries = 2;
    const ms stopped = ceiling_seen(few, 50);
    EXPECT_LE(stopped.count(), 40) << "no growth past num_of_retries";
    EXPECT_GE(stopped.count(), 20);

    respio::backoff_options zero = o;
    zero.factor = ms(0);
    EXPECT_EQ(ceiling_seen(zero, 5), ms(0));
}

} // namespace
