// Helpers shared by the libFuzzer targets: a check that aborts loudly, and parser limits
// derived from input bytes so the fuzzer also drives every limit check.
#ifndef RESPIO_TESTS_FUZZ_FUZZ_COMMON_HPP
#define RESPIO_TESTS_FUZZ_FUZZ_COMMON_HPP

#include <respio/resp.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>

// libFuzzer records a crash (and saves the input) on any abort; the message says which
// invariant broke, which a bare trap would not.
#define RESPIO_FUZZ_CHECK(cond)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);    \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

namespace respio_fuzz {

/// Tiny limits from 4 bytes: small enough that ordinary inputs hit them (a depth of 3, a bulk
/// of 20 bytes), and including 0, the edge every limit must handle.
inline respio::resp::parser_limits small_limits(const std::uint8_t* b) noexcept {
    respio::resp::parser_limits l;
    l.max_depth = b[0] % 8;
    l.max_bulk_length = b[1] % 64;
    l.max_line_length = b[2] % 32;
    l.max_aggregate_elements = b[3] % 16;
    return l;
}

/// Same double, bit for bit, or both NaN (NaN payloads are not something RESP carries).
inline bool same_double(double a, double b) noexcept {
    if (a != a && b != b) return true;
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

/// True when `part` is empty or lies entirely inside `whole`: node values must be views into
/// the caller's buffer, never past what it passed.
inline bool inside(std::string_view part, std::string_view whole) noexcept {
    if (part.empty()) return true;
    const auto p = reinterpret_cast<std::uintptr_t>(part.data());
    const auto w = reinterpret_cast<std::uintptr_t>(whole.data());
    return p >= w && p + part.size() <= w + whole.size();
}

} // namespace respio_fuzz

#endif // RESPIO_TESTS_FUZZ_FUZZ_COMMON_HPP
