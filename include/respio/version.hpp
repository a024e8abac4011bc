// The library version, as a number and as the string sent in CLIENT SETINFO lib-ver.
#ifndef RESPIO_VERSION_HPP
#define RESPIO_VERSION_HPP

#define RESPIO_VERSION_MAJOR 0
#define RESPIO_VERSION_MINOR 1
#define RESPIO_VERSION_PATCH 0
// MMmmpp, so that `RESPIO_VERSION >= 100` reads "0.1.0 or later".
#define RESPIO_VERSION (RESPIO_VERSION_MAJOR * 10000 + RESPIO_VERSION_MINOR * 100 + RESPIO_VERSION_PATCH)

#define RESPIO_DETAIL_STR2(x) #x
#define RESPIO_DETAIL_STR(x) RESPIO_DETAIL_STR2(x)

namespace respio {
inline constexpr char version_string[] = RESPIO_DETAIL_STR(RESPIO_VERSION_MAJOR) "." RESPIO_DETAIL_STR(
    RESPIO_VERSION_MINOR) "." RESPIO_DETAIL_STR(RESPIO_VERSION_PATCH);
inline constexpr char library_name[] = "respio";
} // namespace respio

#endif // RESPIO_VERSION_HPP
