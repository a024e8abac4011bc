// Helpers for the RESP unit tests: drive the parser over whole inputs, one-shot or in pieces.
#ifndef RESPIO_TESTS_UNIT_RESP_TEST_UTIL_HPP
#define RESPIO_TESTS_UNIT_RESP_TEST_UTIL_HPP

#include <respio/resp.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace respio_test {

struct parse_outcome {
    std::vector<respio::resp::node> nodes;
    std::vector<std::size_t> reply_lengths; // consumed() of each complete reply, in order
    std::vector<bool> pushes;               // is_push() of each complete reply
    boost::system::error_code ec;
    std::size_t leftover = 0;               // bytes after the last complete reply

    bool operator==(const parse_outcome&) const = default;
};

/// Feeds `input` to a parser through growing prefixes ending at `cuts` (ascending offsets into
/// input; input.size() is implied last), as a socket would deliver it. Parses every reply.
inline parse_outcome parse_pieces(std::string_view input, const std::vector<std::size_t>& cuts,
                                  const respio::resp::parser_limits& limits = {}) {
    parse_outcome out;
    respio::resp::parser p(limits);
    std::size_t reply_start = 0;
    std::vector<std::size_t> ends = cuts;
    ends.push_back(input.size());
    for (std::size_t visible : ends) {
        for (;;) {
            auto n = p.next(input.substr(reply_start, visible - reply_start), out.ec);
            if (out.ec) {
                out.leftover = input.size() - reply_start;
                return out;
            }
            if (!n) break;
            out.nodes.push_back(respio::resp::node::from_view(*n));
            if (p.done()) {
                out.reply_lengths.push_back(p.consumed());
                out.pushes.push_back(p.is_push());
                reply_start += p.consumed();
                p.reset();
            }
        }
    }
    out.leftover = input.size() - reply_start;
    return out;
}

inline parse_outcome parse_all(std::string_view input, const respio::resp::parser_limits& limits = {}) {
    return parse_pieces(input, {}, limits);
}

} // namespace respio_test

#endif // RESPIO_TESTS_UNIT_RESP_TEST_UTIL_HPP
