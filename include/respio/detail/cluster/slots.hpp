// Hash slots: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key, or of its hash tag
// (the text between the first '{' and the next '}', when not empty), modulo 16384.
#ifndef RESPIO_DETAIL_CLUSTER_SLOTS_HPP
#define RESPIO_DETAIL_CLUSTER_SLOTS_HPP

#include <array>
#include <cstdint>
#include <string_view>

namespace respio::detail {

inline constexpr std::uint16_t slot_count = 16384;

// The CRC16 lookup table, computed at compile time from the polynomial.
inline constexpr std::array<std::uint16_t, 256> crc16_table = [] {
    std::array<std::uint16_t, 256> t{};
    for (unsigned i = 0; i < 256; ++i) {
        std::uint16_t crc = static_cast<std::uint16_t>(i << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
        t[i] = crc;
    }
    return t;
}();

constexpr std::uint16_t crc16(std::string_view data) noexcept {
    std::uint16_t crc = 0;
    for (char c : data)
        crc = static_cast<std::uint16_t>((crc << 8) ^ crc16_table[((crc >> 8) ^ static_cast<unsigned char>(c)) & 0xff]);
    return crc;
}

/// The part of a key that is hashed: its hash tag when it has a non-empty one.
constexpr std::string_view hash_tag(std::string_view key) noexcept {
    const auto open = key.find('{');
    if (open == std::string_view::npos) return key;
    const auto close = key.find('}', open + 1);
    if (close == std::string_view::npos || close == open + 1) return key;
    return key.substr(open + 1, close - open - 1);
}

/// The slot of a key (what CLUSTER KEYSLOT answers).
constexpr std::uint16_t key_slot(std::string_view key) noexcept {
    return static_cast<std::uint16_t>(crc16(hash_tag(key)) % slot_count);
}

static_assert(crc16("123456789") == 0x31C3, "CRC16/XMODEM check value");
static_assert(key_slot("foo") == 12182);
static_assert(key_slot("{user1000}.following") == key_slot("{user1000}.followers"));
static_assert(key_slot("foo{}{bar}") == key_slot("foo{}{bar}") && hash_tag("foo{}{bar}") == "foo{}{bar}");

} // namespace respio::detail

#endif // RESPIO_DETAIL_CLUSTER_SLOTS_HPP
