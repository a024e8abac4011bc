// Messages of respio::error.
#ifndef RESPIO_IMPL_ERROR_IPP
#define RESPIO_IMPL_ERROR_IPP

#include <respio/error.hpp>

#include <string>

namespace respio {
namespace detail {

class client_category_impl final : public boost::system::error_category {
public:
    client_category_impl() noexcept : error_category(0x7265737069ULL + 2) {}
    const char* name() const noexcept override { return "respio"; }
    std::string message(int ev) const override { return message(ev, nullptr, 0); }
    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<error>(ev)) {
        case error::unexpected_type: return "the reply's type does not fit the requested C++ type";
        case error::unexpected_null: return "null reply where the C++ type cannot hold one";
        case error::number_out_of_range: return "integer reply out of range for the requested type";
        case error::invalid_number: return "string reply is not a valid number";
        case error::unexpected_size: return "aggregate reply has an unexpected number of elements";
        case error::server_error_nested: return "server error inside an aggregate reply";
        }
        return "respio: unknown error";
    }
};

} // namespace detail

RESPIO_DECL const boost::system::error_category& client_category() noexcept {
    static const detail::client_category_impl instance;
    return instance;
}

} // namespace respio

#endif // RESPIO_IMPL_ERROR_IPP
