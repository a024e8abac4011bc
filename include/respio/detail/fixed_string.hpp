// A string usable as a template argument (token names of command options).
#ifndef RESPIO_DETAIL_FIXED_STRING_HPP
#define RESPIO_DETAIL_FIXED_STRING_HPP

#include <cstddef>
#include <string_view>

namespace respio::detail {

template <std::size_t N>
struct fixed_string {
    char data[N]{};
    constexpr fixed_string(const char (&s)[N]) noexcept {
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
    constexpr std::string_view view() const noexcept { return {data, N - 1}; }
};

} // namespace respio::detail

#endif // RESPIO_DETAIL_FIXED_STRING_HPP
