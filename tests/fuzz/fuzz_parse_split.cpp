// libFuzzer target: incremental parsing equals one-shot parsing. The first bytes choose chunk
// sizes (and optionally tiny limits); the rest is fed as a socket would deliver it, by growing
// the visible prefix of one buffer. Nodes, reply lengths, push flags and the final error must
// match the one-shot parse, the line search must not rescan, and the parser's invariants must
// hold at every call.
//
// Input layout: byte 0 = h; k = h & 15 chunk-size bytes follow (k = 0: one byte at a time);
// if h & 0x10, 4 bytes of limits come first. Chunk i has size byte[i % k] + 1.
#include "fuzz_common.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define RESPIO_FUZZ_ASAN 1
#endif
#endif

namespace {

using namespace respio::resp;

struct outcome {
    std::vector<node> nodes;
    std::vector<std::size_t> reply_lengths; // consumed() of each complete reply
    std::vector<bool> pushes;               // is_push() of each complete reply
    boost::system::error_code error;
    std::size_t scanned = 0; // bytes_scanned() at the end
    std::size_t waits = 0;   // calls that returned "need more bytes"
};

bool same_node(const node& a, const node& b) {
    return a.data_type == b.data_type && a.size == b.size && a.depth == b.depth && a.value == b.value &&
           a.format == b.format && a.integer == b.integer && a.in_attribute == b.in_attribute &&
           respio_fuzz::same_double(a.real, b.real);
}

void check_call(const parser& p, const std::optional<node_view>& n, const boost::system::error_code& ec,
                std::string_view buf) {
    RESPIO_FUZZ_CHECK(p.consumed() <= buf.size());
    RESPIO_FUZZ_CHECK(p.depth() <= p.limits().max_depth);
    if (n) {
        RESPIO_FUZZ_CHECK(n->depth <= p.limits().max_depth);
        RESPIO_FUZZ_CHECK(respio_fuzz::inside(n->value, buf));
        RESPIO_FUZZ_CHECK(respio_fuzz::inside(n->format, buf));
    }
    if (ec) {
        RESPIO_FUZZ_CHECK(!n && p.failed() && p.failure() == ec);
    }
}

// The reference: everything visible at once.
outcome parse_one_shot(std::string_view input, const parser_limits& limits) {
    outcome out;
    parser p(limits);
    std::string_view buf = input;
    for (;;) {
        const auto n = p.next(buf, out.error);
        check_call(p, n, out.error, buf);
        if (!n) {
            out.scanned = p.bytes_scanned();
            return out;
        }
        out.nodes.push_back(node::from_view(*n));
        if (p.done()) {
            out.reply_lengths.push_back(p.consumed());
            out.pushes.push_back(p.is_push());
            buf.remove_prefix(p.consumed());
            p.reset();
        }
    }
}

// The bytes beyond the visible prefix are poisoned, so ASan reports any read past what the
// parser was given (the bytes are there in memory, which would otherwise hide the bug).
class growing_buffer {
public:
    explicit growing_buffer(std::string_view bytes) : size_(bytes.size()), data_(new char[bytes.size() + 1]) {
        std::memcpy(data_.get(), bytes.data(), bytes.size());
        poison(0, size_ + 1);
    }
    ~growing_buffer() { unpoison(0, size_ + 1); }
    growing_buffer(const growing_buffer&) = delete;
    growing_buffer& operator=(const growing_buffer&) = delete;

    void grow_to(std::size_t visible) {
        unpoison(visible_, visible - visible_);
        visible_ = visible;
    }
    std::size_t visible() const noexcept { return visible_; }
    std::size_t size() const noexcept { return size_; }
    std::string_view view(std::size_t from) const noexcept { return {data_.get() + from, visible_ - from}; }

private:
    void poison([[maybe_unused]] std::size_t from, [[maybe_unused]] std::size_t n) {
#ifdef RESPIO_FUZZ_ASAN
        ASAN_POISON_MEMORY_REGION(data_.get() + from, n);
#endif
    }
    void unpoison([[maybe_unused]] std::size_t from, [[maybe_unused]] std::size_t n) {
#ifdef RESPIO_FUZZ_ASAN
        ASAN_UNPOISON_MEMORY_REGION(data_.get() + from, n);
#endif
    }

    std::size_t size_;
    std::size_t visible_ = 0;
    std::unique_ptr<char[]> data_;
};

outcome parse_split(std::string_view input, const parser_limits& limits, std::string_view chunk_sizes) {
    outcome out;
    parser p(limits);
    growing_buffer storage(input);
    std::size_t reply_start = 0;
    std::size_t chunk = 0;
    // After next() asked for more, it must not progress before `progress_at` bytes are visible;
    // when it announced more than 1 byte (a bulk payload), exactly that many must be enough.
    std::size_t progress_at = 0;
    bool exact = false;
    for (;;) {
        for (;;) {
            const std::string_view buf = storage.view(reply_start);
            const auto n = p.next(buf, out.error);
            check_call(p, n, out.error, buf);
            if (storage.visible() < progress_at) RESPIO_FUZZ_CHECK(!n && !out.error);
            else if (exact) RESPIO_FUZZ_CHECK(n || out.error);
            progress_at = 0;
            exact = false;
            if (out.error) {
                boost::system::error_code again;
                RESPIO_FUZZ_CHECK(!p.next(buf, again) && again == out.error);
                out.scanned = p.bytes_scanned();
                return out;
            }
            if (!n) {
                RESPIO_FUZZ_CHECK(!p.done() && p.needed() >= 1);
                progress_at = storage.visible() + p.needed();
                exact = p.needed() > 1;
                ++out.waits;
                break;
            }
            out.nodes.push_back(node::from_view(*n));
            if (p.done()) {
                RESPIO_FUZZ_CHECK(p.consumed() > 0);
                out.reply_lengths.push_back(p.consumed());
                out.pushes.push_back(p.is_push());
                reply_start += p.consumed();
                p.reset();
            }
        }
        if (storage.visible() == storage.size()) {
            out.scanned = p.bytes_scanned();
            return out;
        }
        const std::size_t step =
            chunk_sizes.empty() ? 1 : static_cast<unsigned char>(chunk_sizes[chunk++ % chunk_sizes.size()]) + 1u;
        storage.grow_to(std::min(storage.size(), storage.visible() + step));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    if (input.empty()) return 0;
    const auto h = static_cast<unsigned char>(input[0]);
    input.remove_prefix(1);
    parser_limits limits;
    if ((h & 0x10) != 0) {
        if (input.size() < 4) return 0;
        limits = respio_fuzz::small_limits(reinterpret_cast<const std::uint8_t*>(input.data()));
        input.remove_prefix(4);
    }
    const std::size_t k = std::min<std::size_t>(h & 15u, input.size());
    const std::string_view chunk_sizes = input.substr(0, k);
    input.remove_prefix(k);

    const outcome whole = parse_one_shot(input, limits);
    const outcome split = parse_split(input, limits, chunk_sizes);
    RESPIO_FUZZ_CHECK(whole.nodes.size() == split.nodes.size());
    for (std::size_t i = 0; i < whole.nodes.size(); ++i) RESPIO_FUZZ_CHECK(same_node(whole.nodes[i], split.nodes[i]));
    RESPIO_FUZZ_CHECK(whole.reply_lengths == split.reply_lengths);
    RESPIO_FUZZ_CHECK(whole.pushes == split.pushes);
    RESPIO_FUZZ_CHECK(whole.error == split.error);
    // No rescans (slowloris): dripping the bytes costs at most the CR re-examined once per wait
    // (a line whose LF has not arrived yet) on top of the one-shot scan.
    RESPIO_FUZZ_CHECK(split.scanned <= whole.scanned + split.waits);
    return 0;
}
