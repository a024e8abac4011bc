// result<T>: a command's value, or the error the server answered with (its code and text).
#ifndef RESPIO_RESULT_HPP
#define RESPIO_RESULT_HPP

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace respio {

/// An error reply: `-WRONGTYPE Operation against a key holding the wrong kind of value`.
struct server_error {
    std::string message; ///< the whole text, code included

    /// The first word: "WRONGTYPE", "MOVED", "NOPERM", "ERR", ...
    std::string_view code() const noexcept {
        std::string_view m = message;
        return m.substr(0, m.find(' '));
    }
    /// The text after the code.
    std::string_view detail() const noexcept {
        std::string_view m = message;
        const auto space = m.find(' ');
        return space == std::string_view::npos ? std::string_view{} : m.substr(space + 1);
    }
    friend bool operator==(const server_error&, const server_error&) = default;
};

/// Thrown by result<T>::value() when the server answered with an error.
class server_error_exception : public std::runtime_error {
public:
    explicit server_error_exception(server_error e) : std::runtime_error(e.message), error_(std::move(e)) {}
    const server_error& error() const noexcept { return error_; }

private:
    server_error error_;
};

/// The outcome of one command whose request reached the server and was answered.
template <class T>
class result {
public:
    using value_type = T;
    using respio_result_tag = void; // lets readers hand top-level errors to it
    result() = default;
    result(T v) : v_(std::in_place_index<0>, std::move(v)) {}
    result(server_error e) : v_(std::in_place_index<1>, std::move(e)) {}

    bool has_value() const noexcept { return v_.index() == 0; }
    bool has_error() const noexcept { return v_.index() == 1; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & {
        check();
        return std::get<0>(v_);
    }
    const T& value() const& {
        check();
        return std::get<0>(v_);
    }
    T&& value() && {
        check();
        return std::get<0>(std::move(v_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const server_error& error() const { return std::get<1>(v_); }

    /// Storage the adapters fill in place.
    T& emplace_value() { return v_.template emplace<0>(); }
    void set_error(server_error e) { v_.template emplace<1>(std::move(e)); }

    friend bool operator==(const result&, const result&) = default;

private:
    void check() const {
        if (v_.index() == 1) throw server_error_exception(std::get<1>(v_));
    }
    std::variant<T, server_error> v_;
};

} // namespace respio

#endif // RESPIO_RESULT_HPP
