// Build-mode macros shared by every respio header.
#ifndef RESPIO_DETAIL_CONFIG_HPP
#define RESPIO_DETAIL_CONFIG_HPP

// Header-only by default. With RESPIO_SEPARATE_COMPILATION defined project-wide, the non-template
// bodies (*.ipp) are compiled once, in the TU that includes <respio/src.hpp>.
#ifdef RESPIO_SEPARATE_COMPILATION
#define RESPIO_DECL
#else
#define RESPIO_HEADER_ONLY 1
#define RESPIO_DECL inline
#endif

#if defined(__GNUC__) || defined(__clang__)
#define RESPIO_LIKELY(x) __builtin_expect(!!(x), 1)
#define RESPIO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define RESPIO_LIKELY(x) (x)
#define RESPIO_UNLIKELY(x) (x)
#endif

#endif // RESPIO_DETAIL_CONFIG_HPP
