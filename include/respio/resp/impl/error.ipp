// Messages of respio::resp::error.
#ifndef RESPIO_RESP_IMPL_ERROR_IPP
#define RESPIO_RESP_IMPL_ERROR_IPP

#include <respio/resp/error.hpp>

#include <string>

namespace respio::resp {
namespace detail {

class resp_category_impl final : public boost::system::error_category {
public:
    // A fixed id keeps categories comparable across shared libraries that each instantiate one.
    resp_category_impl() noexcept : error_category(0x7265737069ULL + 1) {}
    const char* name() const noexcept override { return "respio.resp"; }
    std::string message(int ev) const override { return message(ev, nullptr, 0); }
    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<error>(ev)) {
        case error::invalid_type_byte: return "RESP: invalid type byte";
        case error::invalid_line: return "RESP: line contains a bare CR or LF";
        case error::invalid_integer: return "RESP: invalid integer";
        case error::invalid_length: return "RESP: invalid length or element count";
        case error::invalid_double: return "RESP: invalid double";
        case error::invalid_boolean: return "RESP: invalid boolean";
        case error::invalid_null: return "RESP: invalid null";
        case error::invalid_big_number: return "RESP: invalid big number";
        case error::invalid_verbatim: return "RESP: verbatim string without a format prefix";
        case error::missing_crlf: return "RESP: bulk payload not terminated by CRLF";
        case error::unexpected_chunk: return "RESP: stream chunk or end marker out of place";
        case error::invalid_streamed_type: return "RESP: invalid streamed type";
        case error::bulk_too_long: return "RESP: bulk length exceeds the configured maximum";
        case error::aggregate_too_large: return "RESP: aggregate exceeds the configured element maximum";
        case error::nesting_too_deep: return "RESP: nesting exceeds the configured maximum depth";
        case error::line_too_long: return "RESP: line exceeds the configured maximum length";
        }
        return "RESP: unknown error";
    }
};

} // namespace detail

RESPIO_DECL const boost::system::error_category& resp_category() noexcept {
    static const detail::resp_category_impl instance;
    return instance;
}

} // namespace respio::resp

#endif // RESPIO_RESP_IMPL_ERROR_IPP
