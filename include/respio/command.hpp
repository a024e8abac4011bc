// Command descriptors and their call syntax: `cmd::set("k", "v", opt::nx, opt::ex(10))` is checked
// against the command's argument grammar at compile time and becomes a bound_command that knows
// its bytes, its command_info (keys, flags, policies) and its result type.
#ifndef RESPIO_COMMAND_HPP
#define RESPIO_COMMAND_HPP

#include <respio/command_info.hpp>
#include <respio/types.hpp>
#include <respio/detail/fixed_string.hpp>
#include <respio/resp/serializer.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace respio {

//
// Option tokens: `opt::nx` (a pure token) and `opt::ex(10)` (a token with values).
//

template <detail::fixed_string Name, class... Values>
struct token_value;

/// A command option keyword. Used bare it is a pure token (`opt::nx`); called, it carries values
/// (`opt::ex(10)`, `opt::limit(0, 10)`). Tokens are shared by all commands; each command's grammar
/// decides where a token may go and what it carries.
template <detail::fixed_string Name>
struct token {
    static constexpr std::string_view name = Name.view();

    template <class... Values>
        requires(sizeof...(Values) > 0)
    constexpr token_value<Name, std::decay_t<Values>...> operator()(Values&&... values) const {
        return {{std::forward<Values>(values)...}};
    }

    // The token's bytes when used bare. The specs spell MIGRATE's empty-key placeholder `""`: on the
    // wire it is an empty string.
    std::size_t respio_bulk_count() const noexcept { return 1; }
    void respio_write(resp::bulk_writer& w) const { w.bulk(name == "\"\"" ? std::string_view() : name); }
};

/// A token followed by its values: `EX 10`, `LIMIT 0 10`, `STREAMS k1 k2 0 0`.
template <detail::fixed_string Name, class... Values>
struct token_value {
    static constexpr std::string_view name = Name.view();
    std::tuple<Values...> values;

    std::size_t respio_bulk_count() const noexcept { return 1 + resp::detail::count_bulks(values); }
    void respio_write(resp::bulk_writer& w) const {
        w.bulk(name);
        resp::detail::write_bulks(w, values);
    }
};

namespace detail {

//
// The argument grammar of a command, as constexpr data (generated from the "arguments" of its spec).
//

enum class arg_kind : std::uint8_t { key, string, integer, double_type, pattern, unix_time, pure_token, oneof, block };

struct arg_node {
    arg_kind kind = arg_kind::string;
    bool optional = false;
    bool multiple = false;
    bool multiple_token = false; // the token is repeated with every item ("GET p1 GET p2")
    std::uint16_t first_child = 0;
    std::uint16_t child_count = 0;
    std::string_view token;      // "" when the argument has no token
};

//
// What the caller passed, flattened into constexpr data.
//

enum class user_kind : std::uint8_t { str, integer, real, token, group, range, other };

struct user_arg {
    user_kind kind = user_kind::other;
    std::string_view token;
    std::uint16_t first = 0; // children: token values, pair/tuple members, a range's element
    std::uint16_t count = 0;
};

template <class T>
struct is_token : std::false_type {};
template <fixed_string N>
struct is_token<token<N>> : std::true_type {};

template <class T>
struct is_token_value : std::false_type {};
template <fixed_string N, class... V>
struct is_token_value<token_value<N, V...>> : std::true_type {};

template <class T>
struct group_members;
template <class A, class B>
struct group_members<std::pair<A, B>> {
    using type = std::tuple<std::remove_cvref_t<A>, std::remove_cvref_t<B>>;
};
template <class... Ts>
struct group_members<std::tuple<Ts...>> {
    using type = std::tuple<std::remove_cvref_t<Ts>...>;
};
template <fixed_string N, class... V>
struct group_members<token_value<N, V...>> {
    using type = std::tuple<V...>;
};

template <class T>
constexpr user_kind kind_of() {
    if constexpr (is_token<T>::value || is_token_value<T>::value) return user_kind::token;
    else if constexpr (resp::detail::is_pair<T>::value || resp::detail::is_tuple<T>::value) return user_kind::group;
    else if constexpr (std::convertible_to<const T&, std::string_view> || resp::detail::byte_range<T> ||
                       resp::user_bulk<T>)
        return user_kind::str;
    else if constexpr (std::integral<T> && !std::same_as<T, bool>) return user_kind::integer;
    else if constexpr (std::floating_point<T>) return user_kind::real;
    else if constexpr (std::ranges::forward_range<T>) return user_kind::range;
    else return user_kind::other;
}

template <class T>
constexpr std::size_t node_count();

template <class Tuple>
struct tuple_node_count;
template <class... Ts>
struct tuple_node_count<std::tuple<Ts...>> {
    static constexpr std::size_t value = (std::size_t{0} + ... + node_count<Ts>());
};

// Nodes a user argument occupies in the flattened array (itself and everything below it).
template <class T>
constexpr std::size_t node_count() {
    constexpr user_kind k = kind_of<T>();
    if constexpr (k == user_kind::token && is_token_value<T>::value)
        return 1 + tuple_node_count<typename group_members<T>::type>::value;
    else if constexpr (k == user_kind::group) return 1 + tuple_node_count<typename group_members<T>::type>::value;
    else if constexpr (k == user_kind::range)
        return 1 + node_count<std::remove_cvref_t<std::ranges::range_value_t<T>>>();
    else return 1;
}

template <class T, std::size_t N>
constexpr void fill_node(user_arg (&out)[N], std::size_t self, std::size_t& next);

template <class... Ts, std::size_t N>
constexpr void fill_children(user_arg (&out)[N], std::size_t self, std::size_t& next, std::tuple<Ts...>*) {
    const std::size_t first = next;
    out[self].first = static_cast<std::uint16_t>(first);
    out[self].count = static_cast<std::uint16_t>(sizeof...(Ts));
    next += sizeof...(Ts);
    std::size_t i = first;
    (fill_node<Ts>(out, i++, next), ...);
}

template <class T, std::size_t N>
constexpr void fill_node(user_arg (&out)[N], std::size_t self, std::size_t& next) {
    constexpr user_kind k = kind_of<T>();
    out[self].kind = k;
    if constexpr (k == user_kind::token) {
        out[self].token = T::name;
        if constexpr (is_token_value<T>::value)
            fill_children(out, self, next, static_cast<typename group_members<T>::type*>(nullptr));
    } else if constexpr (k == user_kind::group) {
        fill_children(out, self, next, static_cast<typename group_members<T>::type*>(nullptr));
    } else if constexpr (k == user_kind::range) {
        fill_children(out, self, next,
                      static_cast<std::tuple<std::remove_cvref_t<std::ranges::range_value_t<T>>>*>(nullptr));
    }
}

template <class... Args>
struct user_args {
    static constexpr std::size_t size = (std::size_t{1} + ... + node_count<Args>());
    user_arg nodes[size]{};
    std::uint16_t top = sizeof...(Args);

    constexpr user_args() {
        [[maybe_unused]] std::size_t next = 1 + sizeof...(Args); // slot 0 unused; top-level args 1..n
        [[maybe_unused]] std::size_t i = 1;
        (fill_node<Args>(nodes, i++, next), ...);
    }
};

//
// The matcher: which prefixes of a user argument list a grammar node can consume, computed as sets
// of positions (bit p = "p arguments consumed") — an NFA walk, no backtracking. Lists hold at most
// 63 arguments; a range counts as one, however many elements it has at run time.
//

using posset = std::uint64_t;

struct matcher {
    const arg_node* g;
    const user_arg* u;

    static constexpr bool iequal(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            char x = a[i], y = b[i];
            if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
            if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
            if (x != y) return false;
        }
        return true;
    }

    static constexpr bool scalar_accepts(arg_kind g, user_kind u) {
        switch (g) {
        case arg_kind::key:
        case arg_kind::string:
        case arg_kind::pattern: return u == user_kind::str || u == user_kind::integer || u == user_kind::real;
        case arg_kind::integer:
        case arg_kind::unix_time: return u == user_kind::integer;
        // Score bounds are doubles that may be written as text: "(1.5", "-inf", "+inf".
        case arg_kind::double_type: return u == user_kind::real || u == user_kind::integer || u == user_kind::str;
        default: return false;
        }
    }

    // One occurrence of the node's content (its token, optional and multiple flags aside).
    constexpr posset item(std::size_t node, std::size_t lf, std::size_t lc, posset from, bool allow_range) const {
        const arg_node& n = g[node];
        posset out = 0;
        if (lc > 63) return 0; // beyond what a position set can hold: refused as a wrong kind
        for (std::size_t p = 0; p < lc; ++p) {
            if (!(from >> p & 1)) continue;
            const user_arg& a = u[lf + p];
            switch (n.kind) {
            case arg_kind::pure_token:
                if (a.kind == user_kind::token && a.count == 0 && iequal(a.token, n.token)) out |= posset(1) << (p + 1);
                break;
            case arg_kind::oneof:
                for (std::size_t c = 0; c < n.child_count; ++c) out |= reach(n.first_child + c, lf, lc, posset(1) << p);
                break;
            case arg_kind::block:
                out |= sequence(n.first_child, n.child_count, lf, lc, posset(1) << p);
                if (a.kind == user_kind::group &&
                    (sequence(n.first_child, n.child_count, a.first, a.count, 1) >> a.count & 1))
                    out |= posset(1) << (p + 1);
                // A block led by a token argument (GEOSEARCH's `BYRADIUS radius unit`) also reads
                // as one token carrying the whole block: opt::byradius(200, opt::km).
                if (a.kind == user_kind::token && n.child_count > 0 && !g[n.first_child].token.empty() &&
                    g[n.first_child].kind != arg_kind::pure_token && iequal(a.token, g[n.first_child].token)) {
                    const arg_node& lead = g[n.first_child];
                    posset v = content(n.first_child, a.first, a.count, 1, lead.multiple && !lead.multiple_token);
                    v = sequence(n.first_child + 1, n.child_count - 1, a.first, a.count, v);
                    if (v >> a.count & 1) out |= posset(1) << (p + 1);
                }
                break;
            default:
                if (scalar_accepts(n.kind, a.kind)) out |= posset(1) << (p + 1);
                break;
            }
            // A range stands for any number of occurrences, when the node may repeat here.
            if (allow_range && a.kind == user_kind::range && (item(node, a.first, 1, 1, false) >> 1 & 1))
                out |= posset(1) << (p + 1);
        }
        return out;
    }

    // One or more occurrences when `repeat`, else exactly one.
    constexpr posset content(std::size_t node, std::size_t lf, std::size_t lc, posset from, bool repeat) const {
        posset cur = item(node, lf, lc, from, repeat);
        if (!repeat) return cur;
        posset all = cur;
        while (cur) {
            cur = item(node, lf, lc, cur, true) & ~all;
            all |= cur;
        }
        return all;
    }

    constexpr posset reach(std::size_t node, std::size_t lf, std::size_t lc, posset from) const {
        const arg_node& n = g[node];
        posset out = 0;
        if (!n.token.empty() && n.kind != arg_kind::pure_token) {
            // A token argument: one user token of that name whose values are the content (repeated
            // inside the token for "KEYS k1 k2 ..."; the token itself repeats for "GET p1 GET p2").
            auto occurrence = [&](posset s) {
                posset r = 0;
                for (std::size_t p = 0; p < lc; ++p) {
                    if (!(s >> p & 1)) continue;
                    const user_arg& a = u[lf + p];
                    if (a.kind != user_kind::token || !iequal(a.token, n.token) || a.count == 0) continue;
                    const bool inner_repeat = n.multiple && !n.multiple_token;
                    posset v = n.kind == arg_kind::block && !inner_repeat
                                   ? sequence(n.first_child, n.child_count, a.first, a.count, 1)
                                   : content(node, a.first, a.count, 1, inner_repeat);
                    if (v >> a.count & 1) r |= posset(1) << (p + 1);
                }
                return r;
            };
            posset cur = occurrence(from);
            out = cur;
            if (n.multiple && n.multiple_token) {
                while (cur) {
                    cur = occurrence(cur) & ~out;
                    out |= cur;
                }
            }
        } else {
            out = content(node, lf, lc, from, n.multiple);
        }
        if (n.optional) out |= from;
        return out;
    }

    constexpr posset sequence(std::size_t first, std::size_t count, std::size_t lf, std::size_t lc, posset from) const {
        posset s = from;
        for (std::size_t i = 0; i < count && s; ++i) s = reach(first + i, lf, lc, s);
        return s;
    }
};

enum class check_result { ok, wrong_kind, missing_argument, exclusive_options, too_many_arguments, too_many_separate };

// Checks the caller's arguments against a descriptor's grammar and names the first problem.
template <class Desc, class... Args>
constexpr check_result check_arguments() {
    if constexpr (((kind_of<Args>() == user_kind::other) || ...)) {
        return check_result::wrong_kind;
    } else {
        constexpr user_args<Args...> ua{};
        if constexpr (sizeof...(Args) > 63) return check_result::too_many_separate;
        matcher m{Desc::args, ua.nodes};
        const std::size_t n = sizeof...(Args);
        posset s = 1;
        bool all_consumed_early = false;
        for (std::size_t i = 0; i < Desc::top_args && s; ++i) {
            if (s >> n & 1) all_consumed_early = true;
            s = m.reach(i, 1, n, s);
        }
        if (s >> n & 1) return check_result::ok;
        // Two tokens of one top-level one-of group?
        for (std::size_t i = 0; i < Desc::top_args; ++i) {
            const arg_node& g = Desc::args[i];
            if (g.kind != arg_kind::oneof || g.multiple) continue;
            int hits = 0;
            for (std::size_t p = 1; p <= n; ++p) {
                const user_arg& a = ua.nodes[p];
                if (a.kind != user_kind::token) continue;
                for (std::size_t c = 0; c < g.child_count; ++c) {
                    if (matcher::iequal(Desc::args[g.first_child + c].token, a.token)) {
                        ++hits;
                        break;
                    }
                }
            }
            if (hits > 1) return check_result::exclusive_options;
        }
        // Every argument was used before the grammar was through: something required is missing.
        if (all_consumed_early) return check_result::missing_argument;
        // The grammar ran to its end with arguments left over: too many, unless the first one left
        // is an option this command knows (then it was misused: wrong values, wrong place).
        if (s != 0) {
            std::size_t furthest = 0;
            for (std::size_t p = 0; p < n; ++p)
                if (s >> p & 1) furthest = p;
            const user_arg& next = ua.nodes[furthest + 1];
            if (next.kind != user_kind::token) return check_result::too_many_arguments;
            for (const arg_node& g : Desc::args)
                if (!g.token.empty() && matcher::iequal(g.token, next.token)) return check_result::wrong_kind;
            return check_result::too_many_arguments;
        }
        return check_result::wrong_kind;
    }
}

template <class Desc, class... Args>
struct result_of_call {
    using type = typename Desc::result_type;
};
template <class Desc, class... Args>
    requires requires { typename Desc::template result_for<Args...>; }
struct result_of_call<Desc, Args...> {
    using type = typename Desc::template result_for<Args...>;
};

template <class T>
constexpr std::string_view token_name_of() {
    if constexpr (is_token<T>::value || is_token_value<T>::value) return T::name;
    else return {};
}

/// True when one of Args is the token (bare or with values) named `Name`, e.g. WITHSCORES: some
/// replies change shape with an option.
template <fixed_string Name, class... Args>
inline constexpr bool has_token = (matcher::iequal(Name.view(), token_name_of<Args>()) || ...);

} // namespace detail

template <class Bound, class Result>
class bound_command_as;

namespace detail {
struct adopt_bytes {};
} // namespace detail

/// A command with its arguments, ready to be written. Holds decayed copies of the arguments
/// (string literals as pointers; pass std::string_view to avoid copying a std::string — then the
/// viewed bytes must outlive the request).
template <class Desc, class... Args>
class bound_command {
public:
    using descriptor = Desc;
    using result_type = typename detail::result_of_call<Desc, Args...>::type;

    /// The same command read into another type: a struct of your own (with an adapter), a
    /// respio::value, or std::string_view (valid only inside a completion callback).
    template <class Result>
    bound_command_as<bound_command, Result> as() const& {
        return bound_command_as<bound_command, Result>(*this);
    }
    template <class Result>
    bound_command_as<bound_command, Result> as() && {
        return bound_command_as<bound_command, Result>(std::move(*this));
    }

    template <class... A>
    constexpr explicit bound_command(std::in_place_t, A&&... a) : args_(std::forward<A>(a)...) {}

    static constexpr const command_info& info() noexcept { return Desc::meta; }

    /// Appends the command's bytes (name tokens, then the arguments) to `out`.
    void write(std::string& out) const {
        std::apply([&](const auto&... a) { resp::append_command(out, name_tokens{}, a...); }, args_);
    }

    const std::tuple<Args...>& arguments() const noexcept { return args_; }

private:
    // The name ("GET", or "CLIENT" "SETNAME") as one expanding argument.
    struct name_tokens {
        std::size_t respio_bulk_count() const noexcept { return std::size(Desc::name_tokens); }
        void respio_write(resp::bulk_writer& w) const {
            for (std::string_view t : Desc::name_tokens) w.bulk(t);
        }
    };

    std::tuple<Args...> args_;
};

/// A bound command whose reply is read into `Result` instead of the descriptor's type.
template <class Bound, class Result>
class bound_command_as : public Bound {
public:
    using result_type = Result;
    explicit bound_command_as(Bound b) : Bound(std::move(b)) {}
};

/// A command that no descriptor knows (a module's, or one newer than this library): its name and
/// arguments, and the type its reply is read into (respio::value unless `as<T>()` says otherwise).
/// Nothing is known of its keys, so a key prefix does not apply and a cluster needs an explicit
/// route; `keys_at()` names key positions when they are known.
template <class Result = value>
class runtime_command {
public:
    using result_type = Result;

    template <class... Args>
        requires(resp::command_arg<Args> && ...)
    explicit runtime_command(std::string_view name, const Args&... args) {
        resp::append_command(bytes_, name, args...);
        name_length_ = name.size();
    }

    /// Appends the command's bytes to `out` (serialized once, at construction).
    void write(std::string& out) const { out.append(bytes_); }

    /// The command's facts: its name, the module flag, and keys where keys_at() gave them.
    command_info info() const noexcept {
        command_info i;
        i.name = name();
        i.flags = command_flag::module;
        i.request = key_count_ ? request_policy::default_keyed : request_policy::default_keyless;
        i.response = key_count_ ? response_policy::default_keyed : response_policy::default_keyless;
        i.keys = key_count_ ? keys_ : nullptr;
        i.key_spec_count = key_count_;
        return i;
    }

    /// The argument at `position` (0 = the command name) is a key; up to 4 calls.
    runtime_command& keys_at(int position) {
        if (key_count_ < std::size(keys_)) {
            keys_[key_count_].index = position;
            ++key_count_;
        }
        return *this;
    }

    template <class Other>
    runtime_command<Other> as() const {
        runtime_command<Other> r(detail::adopt_bytes{}, bytes_, name_length_);
        for (std::uint8_t k = 0; k < key_count_; ++k) r.keys_at(keys_[k].index);
        return r;
    }

    std::string_view name() const noexcept {
        // "*N\r\n$L\r\n<name>": the name is the first bulk.
        const auto start = bytes_.find('\n', bytes_.find('\n') + 1) + 1;
        return std::string_view(bytes_).substr(start, name_length_);
    }

private:
    template <class>
    friend class runtime_command;
    runtime_command(detail::adopt_bytes, std::string bytes, std::size_t name_length)
        : bytes_(std::move(bytes)), name_length_(name_length) {}

    std::string bytes_;
    std::size_t name_length_ = 0;
    key_spec keys_[4]{};
    std::uint8_t key_count_ = 0;
};

/// A command by name, for module commands and commands newer than the descriptors:
/// `respio::raw("JSON.GET", "doc", "$")`, `respio::raw("MY.CMD", k).keys_at(1).as<std::string>()`.
template <class... Args>
    requires(resp::command_arg<Args> && ...)
runtime_command<> raw(std::string_view name, const Args&... args) {
    return runtime_command<>(name, args...);
}

/// The callable object of one command (`respio::cmd::get`). Arguments are checked at compile time.
template <class Desc>
struct command {
    using descriptor = Desc;
    static constexpr const command_info& info() noexcept { return Desc::meta; }

    template <class... Args>
    constexpr auto operator()(Args&&... args) const {
        constexpr auto r = detail::check_arguments<Desc, std::remove_cvref_t<Args>...>();
        static_assert(r != detail::check_result::missing_argument,
                      "respio: a required argument of this command is missing");
        static_assert(r != detail::check_result::exclusive_options,
                      "respio: options that exclude each other (one of a one-of group) are given together");
        static_assert(r != detail::check_result::too_many_arguments,
                      "respio: more arguments than this command takes");
        static_assert(r != detail::check_result::too_many_separate,
                      "respio: more than 63 separate arguments; pass a range instead");
        static_assert(r != detail::check_result::wrong_kind,
                      "respio: an argument has the wrong kind, or is out of order, for this command");
        return bound_command<Desc, std::decay_t<Args>...>(std::in_place, std::forward<Args>(args)...);
    }
};

} // namespace respio

#endif // RESPIO_COMMAND_HPP
