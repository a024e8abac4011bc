// libFuzzer target: decode(encode(args)) == args for the request serializer. The input becomes
// a vector of arguments (binary strings, int64, uint64, doubles including inf/-inf/nan), which
// append_command writes after bytes already in the buffer; the parser must read back an array of
// exactly those bulk strings, in one shot and when fed exactly what needed() asks for.
//
// Input layout: a sequence of tagged arguments; tag % 6 picks the kind (see decode_args).
#include "fuzz_common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace respio::resp;

struct fuzz_arg {
    enum kind_t { text, signed_int, unsigned_int, real } kind = text;
    std::string s;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;
};

// Through the customization point, so one vector can mix argument types at run time.
void respio_to_bulk(bulk_writer& w, const fuzz_arg& a) {
    switch (a.kind) {
    case fuzz_arg::text: w.bulk(std::string_view(a.s)); break;
    case fuzz_arg::signed_int: w.bulk(a.i); break;
    case fuzz_arg::unsigned_int: w.bulk(a.u); break;
    case fuzz_arg::real: w.bulk(a.d); break;
    }
}

class byte_reader {
public:
    explicit byte_reader(std::string_view in) : in_(in) {}
    bool empty() const noexcept { return in_.empty(); }
    std::uint8_t byte() {
        if (in_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(in_[0]);
        in_.remove_prefix(1);
        return b;
    }
    std::string_view bytes(std::size_t n) {
        n = std::min(n, in_.size());
        const auto r = in_.substr(0, n);
        in_.remove_prefix(n);
        return r;
    }
    std::uint64_t u64() {
        std::uint64_t v = 0;
        const auto b = bytes(8);
        std::memcpy(&v, b.data(), b.size());
        return v;
    }

private:
    std::string_view in_;
};

std::vector<fuzz_arg> decode_args(std::string_view input) {
    static constexpr double special_doubles[] = {
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN(), -0.0, 0.0, std::numeric_limits<double>::denorm_min(),
        std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(), std::numeric_limits<double>::epsilon(), 0.1, 1e22, 1e23, -2.5e-8};
    static constexpr std::int64_t special_ints[] = {
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 0, -1, 1, 10, -10};
    std::vector<fuzz_arg> args;
    byte_reader in(input);
    while (!in.empty() && args.size() < 512) {
        fuzz_arg a;
        switch (in.byte() % 6) {
        case 0: a.kind = fuzz_arg::text; a.s = in.bytes(in.byte()); break;
        case 1: a.kind = fuzz_arg::signed_int; a.i = static_cast<std::int64_t>(in.u64()); break;
        case 2: a.kind = fuzz_arg::unsigned_int; a.u = in.u64(); break;
        case 3: a.kind = fuzz_arg::real; a.d = std::bit_cast<double>(in.u64()); break;
        case 4: a.kind = fuzz_arg::real; a.d = special_doubles[in.byte() % std::size(special_doubles)]; break;
        case 5: a.kind = fuzz_arg::signed_int; a.i = special_ints[in.byte() % std::size(special_ints)]; break;
        }
        args.push_back(std::move(a));
    }
    return args;
}

// The bulk text must read back as the argument: bytes as given, integers as std::to_string
// writes them, doubles bit-exact through from_chars (NaN only as "nan").
bool reads_back_as(std::string_view t, const fuzz_arg& a) {
    switch (a.kind) {
    case fuzz_arg::text: return t == a.s;
    case fuzz_arg::signed_int: return t == std::to_string(a.i);
    case fuzz_arg::unsigned_int: return t == std::to_string(a.u);
    case fuzz_arg::real: {
        if (std::isnan(a.d)) return t == "nan";
        if (std::isinf(a.d)) return t == (a.d > 0 ? "inf" : "-inf");
        double back = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), back, std::chars_format::general);
        return ec == std::errc() && ptr == t.data() + t.size() && respio_fuzz::same_double(back, a.d);
    }
    }
    return false;
}

void check_one_shot(std::string_view cmd, const std::vector<const fuzz_arg*>& expected) {
    parser p;
    boost::system::error_code ec;
    auto n = p.next(cmd, ec);
    RESPIO_FUZZ_CHECK(!ec && n && n->data_type == type::array && n->size == expected.size() && n->depth == 0);
    if (expected.empty()) RESPIO_FUZZ_CHECK(p.done());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        RESPIO_FUZZ_CHECK(!p.done());
        n = p.next(cmd, ec);
        RESPIO_FUZZ_CHECK(!ec && n && n->data_type == type::bulk_string && n->depth == 1 && !n->in_attribute);
        RESPIO_FUZZ_CHECK(reads_back_as(n->value, *expected[i]));
    }
    RESPIO_FUZZ_CHECK(p.done() && p.consumed() == cmd.size() && !p.is_push());
}

// Feeds the command as needed() asks: fewer bytes than announced must not be enough, and when a
// bulk payload is awaited (needed() > 1) exactly the announced count must be.
void check_needed_driven(std::string_view cmd, std::size_t expected_nodes) {
    parser p;
    boost::system::error_code ec;
    std::size_t visible = 0;
    std::size_t nodes = 0;
    while (!p.done()) {
        auto n = p.next(cmd.substr(0, visible), ec);
        RESPIO_FUZZ_CHECK(!ec);
        if (n) {
            ++nodes;
            continue;
        }
        const std::size_t k = p.needed();
        RESPIO_FUZZ_CHECK(k >= 1 && visible + k <= cmd.size());
        if (k > 1) {
            visible += k - 1;
            RESPIO_FUZZ_CHECK(!p.next(cmd.substr(0, visible), ec) && !ec);
            ++visible;
            n = p.next(cmd.substr(0, visible), ec);
            RESPIO_FUZZ_CHECK(n && !ec);
            ++nodes;
        } else {
            ++visible;
        }
    }
    RESPIO_FUZZ_CHECK(nodes == expected_nodes && p.consumed() == cmd.size());
}

void check_command(std::string_view cmd, const std::vector<const fuzz_arg*>& expected) {
    check_one_shot(cmd, expected);
    check_needed_driven(cmd, expected.size() + 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<fuzz_arg> args = decode_args({reinterpret_cast<const char*>(data), size});
    const fuzz_arg name{fuzz_arg::text, "FUZZ"};

    // 1. One mixed vector after a queued command: appending must leave earlier bytes alone.
    std::string out = "*1\r\n$4\r\nPING\r\n";
    const std::string before = out;
    append_command(out, "FUZZ", args);
    RESPIO_FUZZ_CHECK(out.compare(0, before.size(), before) == 0);
    std::vector<const fuzz_arg*> expected{&name};
    for (const auto& a : args) expected.push_back(&a);
    check_command(std::string_view(out).substr(before.size()), expected);

    // 2. The same values through the built-in overloads: ranges of native types, in kind order.
    std::vector<std::string> strings;
    std::vector<std::int64_t> signed_ints;
    std::vector<std::uint64_t> unsigned_ints;
    std::vector<double> reals;
    std::vector<const fuzz_arg*> by_kind;
    for (auto kind : {fuzz_arg::text, fuzz_arg::signed_int, fuzz_arg::unsigned_int, fuzz_arg::real}) {
        for (const auto& a : args) {
            if (a.kind != kind) continue;
            by_kind.push_back(&a);
            switch (kind) {
            case fuzz_arg::text: strings.push_back(a.s); break;
            case fuzz_arg::signed_int: signed_ints.push_back(a.i); break;
            case fuzz_arg::unsigned_int: unsigned_ints.push_back(a.u); break;
            case fuzz_arg::real: reals.push_back(a.d); break;
            }
        }
    }
    std::string native;
    append_command(native, strings, signed_ints, unsigned_ints, reals);
    check_command(native, by_kind);
    return 0;
}
