// Request serializer: commands as RESP arrays of bulk strings, written straight into a buffer.
#ifndef RESPIO_RESP_SERIALIZER_HPP
#define RESPIO_RESP_SERIALIZER_HPP

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace respio::resp {

/// Writes bulk strings into a std::string. Arguments of user types reach it through the
/// customization point below; it is also what they write their bytes to.
class bulk_writer {
public:
    explicit bulk_writer(std::string& out) noexcept : out_(&out) {}

    /// Appends `*n\r\n`: the header of a command of n arguments.
    void array_header(std::size_t n) { header('*', n); }

    /// Appends one bulk string: `$len\r\n<bytes>\r\n`.
    void bulk(std::string_view bytes) {
        ++bulks_;
        header('$', bytes.size());
        out_->append(bytes.data(), bytes.size());
        out_->append("\r\n", 2);
    }

    /// Appends one bulk string made of two parts (a key prefix and a key, say) without joining them.
    void bulk(std::string_view first, std::string_view second) {
        ++bulks_;
        header('$', first.size() + second.size());
        out_->append(first.data(), first.size());
        out_->append(second.data(), second.size());
        out_->append("\r\n", 2);
    }

    void bulk(std::span<const std::byte> bytes) {
        bulk(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }

    void bulk(std::int64_t v) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        bulk(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }

    void bulk(std::uint64_t v) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        bulk(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }

    /// Shortest text that reads back as the same double; inf and -inf as the server spells them.
    void bulk(double v) {
        if (v == std::numeric_limits<double>::infinity()) return bulk(std::string_view("inf"));
        if (v == -std::numeric_limits<double>::infinity()) return bulk(std::string_view("-inf"));
        if (v != v) return bulk(std::string_view("nan"));
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        bulk(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }

    std::string& buffer() noexcept { return *out_; }
    /// Bulk strings written so far (the serializer checks user types write exactly one).
    std::size_t bulks_written() const noexcept { return bulks_; }

private:
    void header(char prefix, std::size_t n) {
        char buf[24];
        buf[0] = prefix;
        auto r = std::to_chars(buf + 1, buf + sizeof buf - 2, n);
        r.ptr[0] = '\r';
        r.ptr[1] = '\n';
        out_->append(buf, static_cast<std::size_t>(r.ptr + 2 - buf));
    }

    std::string* out_;
    std::size_t bulks_ = 0;
};

/// Customization point: a type T becomes one bulk-string argument when an overload
/// `void respio_to_bulk(respio::resp::bulk_writer& w, const T& value)` calling `w.bulk(...)` exactly
/// once is found by argument-dependent lookup (declare it next to T).
template <class T>
concept user_bulk = requires(bulk_writer& w, const T& v) { respio_to_bulk(w, v); };

/// Types that stand for several bulk strings (command options such as `EX 10`) say how many and
/// write them: `std::size_t respio_bulk_count() const` and `void respio_write(bulk_writer&) const`.
template <class T>
concept multi_bulk = requires(bulk_writer& w, const T& v) {
    { v.respio_bulk_count() } -> std::convertible_to<std::size_t>;
    v.respio_write(w);
};

namespace detail {

template <class T>
concept char_like = std::same_as<T, char> || std::same_as<T, unsigned char> || std::same_as<T, std::byte> ||
                    std::same_as<T, signed char> || std::same_as<T, char8_t>;

// Contiguous ranges of bytes (std::vector<char>, std::span<const std::byte>, arrays) are one bulk.
template <class T>
concept byte_range = std::ranges::contiguous_range<T> && std::ranges::sized_range<T> &&
                     char_like<std::remove_cv_t<std::ranges::range_value_t<T>>>;

template <class T>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};

template <class T>
struct is_tuple : std::false_type {};
template <class... Ts>
struct is_tuple<std::tuple<Ts...>> : std::true_type {};

} // namespace detail

/// One argument that becomes exactly one bulk string.
template <class T>
concept bulk_arg = std::convertible_to<const T&, std::string_view> || detail::byte_range<T> ||
                   (std::integral<T> && !std::same_as<T, bool> && !detail::char_like<T>) ||
                   std::floating_point<T> || user_bulk<T>;

namespace detail {

template <class T>
constexpr bool args_ok() {
    if constexpr (bulk_arg<T> || multi_bulk<T>) {
        return true;
    } else if constexpr (is_pair<T>::value) {
        return args_ok<std::remove_cvref_t<typename T::first_type>>() &&
               args_ok<std::remove_cvref_t<typename T::second_type>>();
    } else if constexpr (is_tuple<T>::value) {
        return []<class... Ts>(std::type_identity<std::tuple<Ts...>>) {
            return (args_ok<std::remove_cvref_t<Ts>>() && ...);
        }(std::type_identity<T>{});
    } else if constexpr (std::ranges::forward_range<T>) {
        return args_ok<std::remove_cvref_t<std::ranges::range_value_t<T>>>();
    } else {
        return false;
    }
}

} // namespace detail

/// Anything that can be a command argument: a bulk_arg, or a pair or forward range of arguments
/// (maps included), expanded in place.
template <class T>
concept command_arg = detail::args_ok<std::remove_cvref_t<T>>();

namespace detail {

constexpr std::size_t sat_add(std::size_t a, std::size_t b) noexcept {
    return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}

// Number of bulks an argument expands to; saturates instead of overflowing (a count that large
// cannot be written anyway, and the caller reports it).
template <class T>
std::size_t count_bulks(const T& v) noexcept {
    if constexpr (bulk_arg<T>) {
        return 1;
    } else if constexpr (multi_bulk<T>) {
        return v.respio_bulk_count();
    } else if constexpr (is_tuple<T>::value) {
        return std::apply(
            [](const auto&... e) {
                std::size_t total = 0;
                ((total = sat_add(total, count_bulks(e))), ...);
                return total;
            },
            v);
    } else if constexpr (is_pair<T>::value) {
        return sat_add(count_bulks(v.first), count_bulks(v.second));
    } else {
        std::size_t total = 0;
        for (const auto& e : v) total = sat_add(total, count_bulks(e));
        return total;
    }
}

template <class T>
void write_bulks(bulk_writer& w, const T& v) {
    if constexpr (std::convertible_to<const T&, std::string_view>) {
        w.bulk(static_cast<std::string_view>(v));
    } else if constexpr (byte_range<T>) {
        w.bulk(std::string_view(reinterpret_cast<const char*>(std::ranges::data(v)), std::ranges::size(v)));
    } else if constexpr (std::integral<T> && std::is_signed_v<T>) {
        w.bulk(static_cast<std::int64_t>(v));
    } else if constexpr (std::integral<T>) {
        w.bulk(static_cast<std::uint64_t>(v));
    } else if constexpr (std::floating_point<T>) {
        w.bulk(static_cast<double>(v));
    } else if constexpr (user_bulk<T>) {
        // The array header already counted one bulk for this argument: anything else would
        // desynchronise the whole connection.
        const std::size_t before = w.bulks_written();
        respio_to_bulk(w, v);
        if (w.bulks_written() != before + 1)
            throw std::logic_error("respio: respio_to_bulk must write exactly one bulk string");
    } else if constexpr (multi_bulk<T>) {
        const std::size_t before = w.bulks_written();
        v.respio_write(w);
        if (w.bulks_written() != before + v.respio_bulk_count())
            throw std::logic_error("respio: respio_write wrote a different number of bulks than announced");
    } else if constexpr (is_tuple<T>::value) {
        std::apply([&](const auto&... e) { (write_bulks(w, e), ...); }, v);
    } else if constexpr (is_pair<T>::value) {
        write_bulks(w, v.first);
        write_bulks(w, v.second);
    } else {
        for (const auto& e : v) write_bulks(w, e);
    }
}

} // namespace detail

/// Appends one command to `out`: an array of bulk strings, one per argument, with ranges and pairs
/// (and so maps) expanded in place. Nothing is allocated per argument; `out` grows as a string does.
///
/// @code
/// std::string buf;
/// resp::append_command(buf, "SET", key, value, "EX", 10);
/// resp::append_command(buf, "MSET", std::map<std::string, int>{{"a", 1}, {"b", 2}});
/// @endcode
template <class... Args>
    requires(command_arg<Args> && ...)
void append_command(std::string& out, const Args&... args) {
    std::size_t count = 0;
    ((count = detail::sat_add(count, detail::count_bulks(args))), ...);
    // A saturated count cannot be written (and could not be held in memory anyway).
    if (count == std::numeric_limits<std::size_t>::max()) throw std::length_error("respio: too many command arguments");
    // Strong guarantee: on an exception (allocation, a faulty user type) `out` is as it was, so a
    // buffer holding other queued commands is never left with half a command in it.
    const std::size_t original_size = out.size();
    try {
        bulk_writer w(out);
        w.array_header(count);
        (detail::write_bulks(w, args), ...);
    } catch (...) {
        out.resize(original_size);
        throw;
    }
}

/// The bytes of one command (append_command into a new string).
template <class... Args>
    requires(command_arg<Args> && ...)
std::string make_command(const Args&... args) {
    std::string out;
    append_command(out, args...);
    return out;
}

} // namespace respio::resp

#endif // RESPIO_RESP_SERIALIZER_HPP
