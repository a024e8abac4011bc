// Adapters: a reply's nodes (in pre-order, as the parser emits them) → a C++ value. One adapter
// per C++ type, composed for nested types, accepting the RESP2 and the RESP3 shape of the same
// logical value: map or flat array, double or bulk text, boolean or 0/1, set or array, any null.
//
// Customization: specialize respio::adapter<T> (constructor from T&, on_node, done), or give a
// struct a `respio_fields` tuple of (name, member pointer) pairs to read it from a map reply.
#ifndef RESPIO_ADAPT_HPP
#define RESPIO_ADAPT_HPP

#include <respio/error.hpp>
#include <respio/resp/node.hpp>
#include <respio/resp/tree.hpp>
#include <respio/resp/type.hpp>
#include <respio/result.hpp>
#include <respio/types.hpp>

#include <boost/system/error_code.hpp>

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace respio {

/// How adapting a reply went: the error (respio::error), and for messages what was expected and
/// what arrived (and the text of a server error found inside an aggregate).
struct adapt_status {
    boost::system::error_code ec;
    resp::type received = resp::type::null;
    std::string_view expected;
    std::string server_text;

    void fail(error e, const resp::node_view& n, std::string_view what) {
        if (ec) return; // keep the first problem
        ec = e;
        received = n.data_type;
        expected = what;
        if (resp::is_error(n.data_type)) server_text.assign(n.value);
    }
    /// "expected integer, received bulk-string" (plus the server text, if any).
    std::string message() const {
        std::string m = ec.message();
        if (!expected.empty()) {
            m += ": expected ";
            m += expected;
            m += ", received ";
            m += resp::to_string(received);
        }
        if (!server_text.empty()) m += " (" + server_text + ")";
        return m;
    }
};

/// Discards a reply of any shape.
struct ignore_t {
    friend bool operator==(ignore_t, ignore_t) = default;
};
inline constexpr ignore_t ignore{};

template <class T, class Enable = void>
class adapter; // specialized below and by users

namespace detail {

// Tracks where one value ends: counts the nodes still expected per open aggregate.
class extent {
public:
    // Feeds one node of the value; returns true when the value is complete.
    bool on_node(const resp::node_view& n) {
        if (n.data_type == resp::type::stream_end) {
            if (!open_.empty()) open_.pop_back();
            return close_one();
        }
        if (resp::is_aggregate(n.data_type) && n.size != 0) {
            open_.push_back(n.size == resp::unknown_size ? resp::unknown_size
                                                         : n.size * resp::element_multiplicity(n.data_type));
            return false;
        }
        return close_one();
    }

private:
    bool close_one() {
        while (!open_.empty()) {
            if (open_.back() == resp::unknown_size) return false;
            if (--open_.back() > 0) return false;
            open_.pop_back();
        }
        return true;
    }
    std::vector<std::size_t> open_;
};

inline bool is_text(resp::type t) noexcept {
    using resp::type;
    return t == type::simple_string || t == type::bulk_string || t == type::verbatim_string ||
           t == type::big_number || t == type::double_type || t == type::integer;
}

inline bool parse_integer_text(std::string_view s, std::int64_t& out) noexcept {
    if (!s.empty() && s[0] == '+') {
        s.remove_prefix(1);
        if (s.empty() || s[0] == '-') return false; // "+-1"
    }
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

inline bool parse_double_text(std::string_view s, double& out) noexcept {
    if (s == "inf" || s == "+inf" || s == "infinity") {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == "-inf" || s == "-infinity") {
        out = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == "nan" || s == "-nan") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (!s.empty() && s[0] == '+') {
        s.remove_prefix(1);
        if (s.empty() || s[0] == '-') return false; // "+-1.5"
    }
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// What every adapter does with a node that is an error, or a null it cannot hold.
inline bool reject_error_or_null(const resp::node_view& n, adapt_status& st, std::string_view expected) {
    if (resp::is_error(n.data_type)) {
        st.fail(error::server_error_nested, n, expected);
        return true;
    }
    if (n.data_type == resp::type::null) {
        st.fail(error::unexpected_null, n, expected);
        return true;
    }
    return false;
}

// Base for adapters of one scalar node.
class scalar_adapter_base {
public:
    bool done() const noexcept { return done_; }

protected:
    bool done_ = false;
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
concept has_fields = requires { T::respio_fields; };

template <class T>
concept has_elements = requires { T::respio_elements; };

template <class T>
concept pair_like = requires { typename std::tuple_size<T>::type; } && std::tuple_size<T>::value == 2;

} // namespace detail

//
// Scalars
//

template <>
class adapter<std::string> : public detail::scalar_adapter_base {
public:
    explicit adapter(std::string& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (streaming_) {
            if (n.data_type == resp::type::stream_end) done_ = true;
            else t_->append(n.value);
            return;
        }
        if (n.data_type == resp::type::streamed_string) {
            t_->clear();
            streaming_ = true;
            return;
        }
        done_ = true;
        if (detail::reject_error_or_null(n, st, "string")) return;
        if (!detail::is_text(n.data_type)) return st.fail(error::unexpected_type, n, "string");
        t_->assign(n.value);
    }

private:
    std::string* t_;
    bool streaming_ = false;
};

/// std::string_view: a view into the read buffer, valid only until the completion handler returns
/// (for callbacks that inspect a large value without copying it). Streamed strings cannot be one
/// view and are refused.
template <>
class adapter<std::string_view> : public detail::scalar_adapter_base {
public:
    explicit adapter(std::string_view& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        done_ = true;
        if (detail::reject_error_or_null(n, st, "string")) return;
        if (!detail::is_text(n.data_type)) return st.fail(error::unexpected_type, n, "string");
        *t_ = n.value;
    }

private:
    std::string_view* t_;
};

template <class T>
    requires(std::integral<T> && !std::same_as<T, bool>)
class adapter<T> : public detail::scalar_adapter_base {
public:
    explicit adapter(T& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        done_ = true;
        if (detail::reject_error_or_null(n, st, "integer")) return;
        std::int64_t v = 0;
        if (n.data_type == resp::type::integer) {
            v = n.integer;
        } else if (n.data_type == resp::type::bulk_string || n.data_type == resp::type::simple_string ||
                   n.data_type == resp::type::big_number) {
            if (!detail::parse_integer_text(n.value, v)) {
                // Beyond int64: an unsigned target may still hold it; otherwise out of range.
                std::uint64_t u = 0;
                const std::string_view text = n.value;
                auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), u);
                if (ec == std::errc() && p == text.data() + text.size() && !text.empty()) {
                    if (!std::in_range<T>(u)) return st.fail(error::number_out_of_range, n, "integer");
                    *t_ = static_cast<T>(u);
                    return;
                }
                if (ec == std::errc::result_out_of_range) return st.fail(error::number_out_of_range, n, "integer");
                return st.fail(error::invalid_number, n, "integer");
            }
        } else {
            return st.fail(error::unexpected_type, n, "integer");
        }
        if (!std::in_range<T>(v)) return st.fail(error::number_out_of_range, n, "integer");
        *t_ = static_cast<T>(v);
    }

private:
    T* t_;
};

template <class T>
    requires std::floating_point<T>
class adapter<T> : public detail::scalar_adapter_base {
public:
    explicit adapter(T& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        done_ = true;
        if (detail::reject_error_or_null(n, st, "double")) return;
        double v = 0;
        switch (n.data_type) {
        case resp::type::double_type: v = n.real; break;
        case resp::type::integer: v = static_cast<double>(n.integer); break;
        case resp::type::bulk_string:
        case resp::type::simple_string:
        case resp::type::big_number:
            if (!detail::parse_double_text(n.value, v)) return st.fail(error::invalid_number, n, "double");
            break;
        default: return st.fail(error::unexpected_type, n, "double");
        }
        *t_ = static_cast<T>(v);
    }

private:
    T* t_;
};

template <>
class adapter<bool> : public detail::scalar_adapter_base {
public:
    explicit adapter(bool& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        done_ = true;
        if (detail::reject_error_or_null(n, st, "boolean")) return;
        // RESP3 booleans, and RESP2's 0/1 integers for the same answers.
        if (n.data_type == resp::type::boolean || (n.data_type == resp::type::integer && (n.integer == 0 || n.integer == 1)))
            *t_ = n.integer != 0;
        else
            st.fail(error::unexpected_type, n, "boolean");
    }

private:
    bool* t_;
};

template <>
class adapter<ok> : public detail::scalar_adapter_base {
public:
    explicit adapter(ok&) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        done_ = true;
        if (detail::reject_error_or_null(n, st, "simple-string")) return;
        if (n.data_type != resp::type::simple_string) st.fail(error::unexpected_type, n, "simple-string");
    }
};

template <>
class adapter<ignore_t> {
public:
    explicit adapter(ignore_t&) {}
    void on_node(const resp::node_view& n, adapt_status&) { done_ = extent_.on_node(n); }
    bool done() const noexcept { return done_; }

private:
    detail::extent extent_;
    bool done_ = false;
};

//
// Nullable and fallible wrappers
//

template <class T>
class adapter<std::optional<T>> {
public:
    explicit adapter(std::optional<T>& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!inner_) {
            if (n.data_type == resp::type::null) {
                t_->reset();
                null_ = true;
                return;
            }
            inner_.emplace(t_->emplace());
        }
        inner_->on_node(n, st);
    }
    bool done() const noexcept { return null_ || (inner_ && inner_->done()); }

private:
    std::optional<T>* t_;
    std::optional<adapter<T>> inner_;
    bool null_ = false;
};

template <class T>
class adapter<result<T>> {
public:
    explicit adapter(result<T>& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!inner_) {
            if (resp::is_error(n.data_type)) {
                t_->set_error(server_error{std::string(n.value)});
                failed_ = true;
                return;
            }
            inner_.emplace(t_->emplace_value());
        }
        inner_->on_node(n, st);
    }
    bool done() const noexcept { return failed_ || (inner_ && inner_->done()); }

private:
    result<T>* t_;
    std::optional<adapter<T>> inner_;
    bool failed_ = false;
};

//
// Aggregates
//

namespace detail {

// Shared by sequences and maps: the aggregate header, the element count, and one child adapter at
// a time. Children may take one element node each (nested) or two (a pair read from a flat array
// or a RESP3 map).
template <class Element>
class aggregate_reader {
public:
    // Returns false when the node was the header of an empty (or null) aggregate: nothing follows.
    bool header(const resp::node_view& n, adapt_status& st, std::string_view expected) {
        started_ = true;
        depth_ = n.depth;
        if (n.data_type == resp::type::null) { // RESP2 null array and friends: an empty collection
            done_ = true;
            return false;
        }
        if (resp::is_error(n.data_type)) {
            st.fail(error::server_error_nested, n, expected);
            done_ = true;
            return false;
        }
        if (!resp::is_aggregate(n.data_type) || n.data_type == resp::type::streamed_string) {
            st.fail(error::unexpected_type, n, expected);
            done_ = true;
            return false;
        }
        total_ = n.size == resp::unknown_size ? resp::unknown_size : n.size * resp::element_multiplicity(n.data_type);
        if (total_ == 0) done_ = true;
        return total_ != 0;
    }

    // Feeds an element node; `make_child` is called when a new element starts without a child
    // waiting for it, `finish` when a child is complete. A child that stops early (a type
    // mismatch) has the rest of its element skipped; a child may span two elements (a pair read
    // from a flat array or a map).
    template <class MakeChild, class Finish>
    void element(const resp::node_view& n, adapt_status& st, MakeChild&& make_child, Finish&& finish) {
        if (n.depth == depth_ + 1) {
            if (n.data_type == resp::type::stream_end) {
                if (child_) { // a pair cut in half
                    st.fail(error::unexpected_size, n, "pair");
                    child_.reset();
                }
                done_ = true;
                return;
            }
            ++started_elements_;
            element_extent_ = extent{};
            if (!child_) child_.emplace(make_child());
        }
        const bool element_done = element_extent_.on_node(n);
        if (child_ && !child_->done()) child_->on_node(n, st);
        if (!element_done) return;
        if (child_ && child_->done()) {
            child_.reset();
            finish();
        }
        if (total_ != resp::unknown_size && started_elements_ >= total_) {
            if (child_) { // an odd number of elements for pairs
                st.fail(error::unexpected_size, n, "pair");
                child_.reset();
            }
            done_ = true;
        }
    }

    bool started() const noexcept { return started_; }
    bool done() const noexcept { return done_; }
    std::size_t total() const noexcept { return total_; }

private:
    std::optional<adapter<Element>> child_;
    extent element_extent_;
    std::size_t depth_ = 0;
    std::size_t total_ = 0;
    std::size_t started_elements_ = 0;
    bool started_ = false;
    bool done_ = false;
};

} // namespace detail

/// std::vector<T>: arrays, sets, pushes (and maps, flat, when T is a pair).
template <class T, class A>
class adapter<std::vector<T, A>> {
public:
    explicit adapter(std::vector<T, A>& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!reader_.started()) {
            t_->clear();
            if (reader_.header(n, st, "array")) t_->reserve(resp::reserve_hint(reader_.total()));
            return;
        }
        reader_.element(n, st, [&] { return adapter<T>(t_->emplace_back()); }, [] {});
    }
    bool done() const noexcept { return reader_.done(); }

private:
    std::vector<T, A>* t_;
    detail::aggregate_reader<T> reader_;
};

namespace detail {

// Containers filled through insert(): read each element into a temporary, then insert it.
template <class Container, class Element>
class inserting_adapter {
public:
    explicit inserting_adapter(Container& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!reader_.started()) {
            t_->clear();
            reader_.header(n, st, "aggregate");
            return;
        }
        reader_.element(
            n, st,
            [&] {
                tmp_ = Element{};
                return adapter<Element>(tmp_);
            },
            [&] {
                if constexpr (requires { t_->push_back(std::move(tmp_)); }) t_->push_back(std::move(tmp_));
                else t_->insert(std::move(tmp_));
            });
    }
    bool done() const noexcept { return reader_.done(); }

private:
    Container* t_;
    Element tmp_{};
    aggregate_reader<Element> reader_;
};

} // namespace detail

/// std::vector<bool>: its elements are proxies, so each is read into a bool first.
template <class A>
class adapter<std::vector<bool, A>> : public detail::inserting_adapter<std::vector<bool, A>, bool> {
    using detail::inserting_adapter<std::vector<bool, A>, bool>::inserting_adapter;
};

/// std::map<K, V>: RESP3 maps, and RESP2's flat arrays of key, value, ... (or arrays of pairs).
template <class K, class V, class C, class A>
class adapter<std::map<K, V, C, A>> : public detail::inserting_adapter<std::map<K, V, C, A>, std::pair<K, V>> {
    using detail::inserting_adapter<std::map<K, V, C, A>, std::pair<K, V>>::inserting_adapter;
};
template <class K, class V, class H, class E, class A>
class adapter<std::unordered_map<K, V, H, E, A>>
    : public detail::inserting_adapter<std::unordered_map<K, V, H, E, A>, std::pair<K, V>> {
    using detail::inserting_adapter<std::unordered_map<K, V, H, E, A>, std::pair<K, V>>::inserting_adapter;
};
template <class K, class C, class A>
class adapter<std::set<K, C, A>> : public detail::inserting_adapter<std::set<K, C, A>, K> {
    using detail::inserting_adapter<std::set<K, C, A>, K>::inserting_adapter;
};
template <class K, class H, class E, class A>
class adapter<std::unordered_set<K, H, E, A>> : public detail::inserting_adapter<std::unordered_set<K, H, E, A>, K> {
    using detail::inserting_adapter<std::unordered_set<K, H, E, A>, K>::inserting_adapter;
};

/// std::pair<A, B>: an aggregate of two elements, or — inside a map or a flat array — two
/// consecutive elements (a RESP3 map's key and value; RESP2's flat HGETALL reply).
template <class A, class B>
class adapter<std::pair<A, B>> {
public:
    explicit adapter(std::pair<A, B>& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!started_) {
            started_ = true;
            if (resp::is_aggregate(n.data_type) && n.data_type != resp::type::streamed_string &&
                n.data_type != resp::type::map) { // nested: *2 first second
                nested_ = true;
                element_depth_ = n.depth + 1;
                outer_.on_node(n);
                if (n.size != 2 && n.size != resp::unknown_size) {
                    st.fail(error::unexpected_size, n, "pair");
                    bad_ = true;
                }
                finished_ = n.size == 0;
                return;
            }
            if (n.depth == 0) { // a whole reply that is no aggregate cannot be a pair
                st.fail(resp::is_error(n.data_type)          ? error::server_error_nested
                        : n.data_type == resp::type::null ? error::unexpected_null
                                                          : error::unexpected_type,
                        n, "pair");
                finished_ = true;
                return;
            }
            element_depth_ = n.depth; // flat: this node is the first element
        }
        if (nested_ && outer_.on_node(n)) finished_ = true;
        if (bad_) return;
        if (n.depth == element_depth_) {
            if (n.data_type == resp::type::stream_end) { // end of a *? pair
                if (index_ != 2) st.fail(error::unexpected_size, n, "pair");
                return;
            }
            if (++index_ > 2) {
                st.fail(error::unexpected_size, n, "pair");
                bad_ = true;
                return;
            }
            element_ = detail::extent{};
        }
        const bool element_done = element_.on_node(n);
        if (index_ == 1) {
            if (!first_) first_.emplace(t_->first);
            if (!first_->done()) first_->on_node(n, st);
        } else {
            if (!second_) second_.emplace(t_->second);
            if (!second_->done()) second_->on_node(n, st);
            if (element_done && !nested_) finished_ = true;
        }
    }
    bool done() const noexcept { return finished_; }

private:
    std::pair<A, B>* t_;
    std::optional<adapter<A>> first_;
    std::optional<adapter<B>> second_;
    detail::extent outer_;
    detail::extent element_;
    std::size_t element_depth_ = 0;
    int index_ = 0;
    bool started_ = false;
    bool nested_ = false;
    bool bad_ = false;
    bool finished_ = false;
};

/// std::tuple<Ts...>: an aggregate of exactly sizeof...(Ts) elements of those types.
template <class... Ts>
class adapter<std::tuple<Ts...>> {
public:
    explicit adapter(std::tuple<Ts...>& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!started_) {
            started_ = true;
            finished_ = outer_.on_node(n);
            if (!resp::is_aggregate(n.data_type) || n.data_type == resp::type::streamed_string) {
                st.fail(resp::is_error(n.data_type)          ? error::server_error_nested
                        : n.data_type == resp::type::null ? error::unexpected_null
                                                          : error::unexpected_type,
                        n, "tuple");
                finished_ = true;
                bad_ = true;
            } else if (n.size != sizeof...(Ts) && n.size != resp::unknown_size) {
                st.fail(error::unexpected_size, n, "tuple");
                bad_ = true;
            }
            depth_ = n.depth;
            return;
        }
        finished_ = outer_.on_node(n);
        if (bad_) return;
        if (n.depth == depth_ + 1) {
            if (n.data_type == resp::type::stream_end) {
                if (started_elements_ != sizeof...(Ts)) st.fail(error::unexpected_size, n, "tuple");
                return;
            }
            if (++started_elements_ > sizeof...(Ts)) {
                st.fail(error::unexpected_size, n, "tuple");
                bad_ = true;
                return;
            }
        }
        feed(n, st, std::index_sequence_for<Ts...>{});
    }
    bool done() const noexcept { return finished_; }

private:
    template <std::size_t... I>
    void feed(const resp::node_view& n, adapt_status& st, std::index_sequence<I...>) {
        (void)((started_elements_ == I + 1 ? (feed_one<I>(n, st), true) : false) || ...);
    }
    template <std::size_t I>
    void feed_one(const resp::node_view& n, adapt_status& st) {
        auto& a = std::get<I>(children_);
        if (!a) a.emplace(std::get<I>(*t_));
        if (!a->done()) a->on_node(n, st);
    }

    std::tuple<Ts...>* t_;
    std::tuple<std::optional<adapter<Ts>>...> children_;
    detail::extent outer_;
    std::size_t depth_ = 0;
    std::size_t started_elements_ = 0;
    bool started_ = false;
    bool finished_ = false;
    bool bad_ = false;
};

//
// Generic results
//

/// respio::value: any reply, attributes included when the driver passes them.
template <>
class adapter<value> {
public:
    explicit adapter(value& t) : root_(&t) {}
    void on_node(const resp::node_view& n, adapt_status&) {
        value* v;
        if (stack_.empty()) {
            if (started_) return;
            started_ = true;
            v = root_;
            *v = value{};
        } else {
            frame& f = stack_.back();
            if (n.data_type == resp::type::stream_end && n.depth == f.depth + 1) {
                if (f.target->data_type == resp::type::streamed_string) {
                    close(); // converts it and closes the parents
                } else {
                    stack_.pop_back();
                    close();
                }
                return;
            }
            v = &f.target->elements.emplace_back();
        }
        v->data_type = n.data_type;
        v->integer = n.integer;
        v->real = n.real;
        if (!resp::is_aggregate(n.data_type)) {
            v->string.assign(n.value);
            close();
            return;
        }
        if (n.data_type == resp::type::streamed_string) {
            stack_.push_back({v, n.depth, resp::unknown_size});
            return;
        }
        const std::size_t total =
            n.size == resp::unknown_size ? resp::unknown_size : n.size * resp::element_multiplicity(n.data_type);
        if (total == 0) {
            close();
            return;
        }
        v->elements.reserve(resp::reserve_hint(total));
        stack_.push_back({v, n.depth, total});
    }
    bool done() const noexcept { return started_ && stack_.empty() && closed_; }

private:
    struct frame {
        value* target;
        std::size_t depth;
        std::size_t remaining;
    };
    void close() {
        while (!stack_.empty()) {
            frame& f = stack_.back();
            if (f.target->data_type == resp::type::streamed_string) {
                // The parts of a streamed string are joined into one bulk string.
                if (!f.target->elements.empty()) {
                    f.target->string += f.target->elements.back().string;
                    f.target->elements.pop_back();
                    return;
                }
                f.target->data_type = resp::type::bulk_string; // its end marker arrived
                stack_.pop_back();
                continue;
            }
            if (f.remaining == resp::unknown_size) return;
            if (--f.remaining > 0) return;
            stack_.pop_back();
        }
        closed_ = true;
    }
    value* root_;
    std::vector<frame> stack_;
    bool started_ = false;
    bool closed_ = false;
};

/// resp::node_tree: the nodes themselves, copied.
template <>
class adapter<resp::node_tree> {
public:
    explicit adapter(resp::node_tree& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status&) {
        if (!started_) {
            t_->clear();
            started_ = true;
        }
        t_->on_node(n);
        done_ = extent_.on_node(n);
    }
    bool done() const noexcept { return done_; }

private:
    resp::node_tree* t_;
    detail::extent extent_;
    bool started_ = false;
    bool done_ = false;
};

//
// Structs described by `respio_fields` (map replies: CLUSTER SHARDS, XINFO, ...)
//

template <class T>
    requires detail::has_fields<T>
class adapter<T> {
public:
    explicit adapter(T& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!started_) {
            started_ = true;
            depth_ = n.depth;
            if (!resp::is_aggregate(n.data_type) || n.data_type == resp::type::streamed_string) {
                st.fail(n.data_type == resp::type::null ? error::unexpected_null : error::unexpected_type, n, "map");
                finished_ = true;
                return;
            }
            finished_ = extent_.on_node(n);
            return;
        }
        finished_ = extent_.on_node(n);
        if (n.depth == depth_ + 1 && n.data_type == resp::type::stream_end) return;
        if (field_ == nullptr) {
            if (n.depth != depth_ + 1 || !detail::is_text(n.data_type)) return; // not a key: ignore
            key_.assign(n.value);
            field_ = &skip_field_;
            field_done_ = false;
            select_field(std::make_index_sequence<std::tuple_size_v<fields_t>>{});
            return;
        }
        if (field_ == &skip_field_) { // a field this struct does not know: skip its value
            if (skip_.on_node(n)) {
                skip_ = detail::extent{};
                field_ = nullptr;
            }
            return;
        }
        field_->feed(field_->self, n, st, field_done_);
        if (field_done_) field_ = nullptr;
    }
    bool done() const noexcept { return finished_; }

private:
    struct erased_field {
        void* self = nullptr;
        void (*feed)(void*, const resp::node_view&, adapt_status&, bool&) = nullptr;
    };
    using fields_t = std::remove_cvref_t<decltype(T::respio_fields)>;
    template <std::size_t I>
    using member_t = std::remove_cvref_t<decltype(std::declval<T&>().*(std::get<I>(T::respio_fields).second))>;

    template <std::size_t... I>
    static auto make_slots(std::index_sequence<I...>) -> std::tuple<std::optional<adapter<member_t<I>>>...>;
    using slots_t = decltype(make_slots(std::make_index_sequence<std::tuple_size_v<fields_t>>{}));

    template <std::size_t... I>
    void select_field(std::index_sequence<I...>) {
        ((field_ == &skip_field_ && key_ == std::string_view(std::get<I>(T::respio_fields).first) ? select<I>() : void()),
         ...);
    }
    template <std::size_t I>
    void select() {
        auto& a = std::get<I>(slots_);
        a.emplace(t_->*(std::get<I>(T::respio_fields).second));
        chosen_.self = &a;
        chosen_.feed = [](void* self, const resp::node_view& n, adapt_status& st, bool& done) {
            auto& ad = *static_cast<std::optional<adapter<member_t<I>>>*>(self);
            ad->on_node(n, st);
            done = ad->done();
        };
        field_ = &chosen_;
    }

    T* t_;
    slots_t slots_;
    erased_field chosen_;
    erased_field skip_field_;
    erased_field* field_ = nullptr;
    detail::extent extent_;
    detail::extent skip_;
    std::string key_;
    std::size_t depth_ = 0;
    bool started_ = false;
    bool finished_ = false;
    bool field_done_ = false;
};

//
// Structs described by `respio_elements` (fixed-size array replies: stream entries, ...)
//

template <class T>
    requires detail::has_elements<T>
class adapter<T> {
    using members_t = std::remove_cvref_t<decltype(T::respio_elements)>;
    static constexpr std::size_t count = std::tuple_size_v<members_t>;
    template <std::size_t I>
    using member_t = std::remove_cvref_t<decltype(std::declval<T&>().*(std::get<I>(T::respio_elements)))>;
    template <std::size_t... I>
    static auto make_slots(std::index_sequence<I...>) -> std::tuple<std::optional<adapter<member_t<I>>>...>;

public:
    explicit adapter(T& t) : t_(&t) {}
    void on_node(const resp::node_view& n, adapt_status& st) {
        if (!started_) {
            started_ = true;
            finished_ = skip_.on_node(n);
            depth_ = n.depth;
            if (!resp::is_aggregate(n.data_type) || n.data_type == resp::type::streamed_string) {
                st.fail(n.data_type == resp::type::null ? error::unexpected_null : error::unexpected_type, n, "array");
                finished_ = true;
                bad_ = true;
            } else if (n.size != count && n.size != resp::unknown_size) {
                st.fail(error::unexpected_size, n, "array");
                bad_ = true;
            }
            return;
        }
        finished_ = skip_.on_node(n);
        if (bad_) return;
        if (n.depth == depth_ + 1) {
            if (n.data_type == resp::type::stream_end) return;
            if (++started_elements_ > count) {
                st.fail(error::unexpected_size, n, "array");
                bad_ = true;
                return;
            }
        }
        feed(n, st, std::make_index_sequence<count>{});
    }
    bool done() const noexcept { return finished_; }

private:
    template <std::size_t... I>
    void feed(const resp::node_view& n, adapt_status& st, std::index_sequence<I...>) {
        (void)((started_elements_ == I + 1 ? (feed_one<I>(n, st), true) : false) || ...);
    }
    template <std::size_t I>
    void feed_one(const resp::node_view& n, adapt_status& st) {
        auto& a = std::get<I>(slots_);
        if (!a) a.emplace(t_->*(std::get<I>(T::respio_elements)));
        if (!a->done()) a->on_node(n, st);
    }

    T* t_;
    decltype(make_slots(std::make_index_sequence<count>{})) slots_;
    detail::extent skip_;
    std::size_t depth_ = 0;
    std::size_t started_elements_ = 0;
    bool started_ = false;
    bool finished_ = false;
    bool bad_ = false;
};

//
// The top-level reader: skips attributes, turns a top-level error into a server_error, and erases
// the adapter's type into two function pointers for the non-template connection code.
//

/// Reads one complete reply into a T. A server error at the top level goes to `server_error`
/// (or into T itself when T is result<U> or value).
template <class T>
class reply_reader {
public:
    explicit reply_reader(T& target) : adapter_(target) {}

    void on_node(const resp::node_view& n) {
        if (n.in_attribute) return;
        if (first_) {
            first_ = false;
            if (resp::is_error(n.data_type) && !accepts_errors) {
                error_.emplace(server_error{std::string(n.value)});
                errored_ = true;
                return;
            }
        }
        if (errored_ || adapter_.done()) return; // (the rest of a reply whose type did not fit)
        adapter_.on_node(n, status_);
    }
    bool done() const noexcept { return errored_ || adapter_.done(); }
    const adapt_status& status() const noexcept { return status_; }
    const std::optional<server_error>& server_error_reply() const noexcept { return error_; }

    static constexpr bool accepts_errors =
        std::is_same_v<T, value> || std::is_same_v<T, resp::node_tree> || std::is_same_v<T, ignore_t> ||
        requires { typename T::respio_result_tag; };

private:
    adapter<T> adapter_;
    adapt_status status_;
    std::optional<server_error> error_;
    bool first_ = true;
    bool errored_ = false;
};

} // namespace respio

#endif // RESPIO_ADAPT_HPP
