// libFuzzer target: parse arbitrary bytes in one shot, reply after reply, once with the default
// limits and once with tiny limits taken from the first 4 bytes, checking the parser's
// invariants on every node. Also builds node_tree from the nodes (its reservation is capped).
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace respio::resp;

volatile std::uint64_t sink; // keeps the byte reads below from being optimised away

void check_node(const node_view& n, std::string_view buf, const parser_limits& limits) {
    RESPIO_FUZZ_CHECK(n.depth <= limits.max_depth);
    RESPIO_FUZZ_CHECK(respio_fuzz::inside(n.value, buf));
    RESPIO_FUZZ_CHECK(respio_fuzz::inside(n.format, buf));
    if (!is_aggregate(n.data_type)) RESPIO_FUZZ_CHECK(n.size == 1);
    if (n.data_type == type::attribute) RESPIO_FUZZ_CHECK(n.in_attribute);
    if (n.data_type == type::boolean) RESPIO_FUZZ_CHECK(n.integer == (n.value == "t" ? 1 : 0));
    if (n.data_type == type::verbatim_string) RESPIO_FUZZ_CHECK(n.format.size() == 3);
    else RESPIO_FUZZ_CHECK(n.format.empty());
    if (n.data_type == type::bulk_string || n.data_type == type::bulk_error ||
        n.data_type == type::streamed_string_part)
        RESPIO_FUZZ_CHECK(n.value.size() <= limits.max_bulk_length);
}

// Parses replies back to back until an error or an incomplete reply (no more bytes will come).
void parse_all(std::string_view input, const parser_limits& limits) {
    parser p(limits);
    node_tree tree;
    std::string_view buf = input;
    std::uint64_t checksum = 0;
    for (;;) {
        boost::system::error_code ec;
        const auto n = p.next(buf, ec);
        RESPIO_FUZZ_CHECK(p.consumed() <= buf.size());
        RESPIO_FUZZ_CHECK(p.depth() <= limits.max_depth);
        if (ec) {
            RESPIO_FUZZ_CHECK(!n && p.failed() && p.failure() == ec);
            // Failed stays failed: the stream cannot be trusted any more.
            boost::system::error_code again;
            RESPIO_FUZZ_CHECK(!p.next(buf, again) && again == ec);
            break;
        }
        if (!n) {
            RESPIO_FUZZ_CHECK(!p.done() && p.needed() >= 1);
            break;
        }
        check_node(*n, buf, limits);
        // Read every byte the node points at, so ASan sees a bad view.
        for (char c : n->value) checksum = checksum * 31 + static_cast<unsigned char>(c);
        tree.on_node(*n);
        if (p.done()) {
            RESPIO_FUZZ_CHECK(p.consumed() > 0);
            buf.remove_prefix(p.consumed());
            p.reset();
            tree.clear();
        }
    }
    sink = checksum;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    parse_all(input, parser_limits{});
    if (size >= 4) parse_all(input.substr(4), respio_fuzz::small_limits(data));
    return 0;
}
