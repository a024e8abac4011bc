// respio's own error codes (category "respio"): what went wrong on the client side, and whether
// a request was sent. Server errors keep the server's code and text (see result.hpp).
#ifndef RESPIO_ERROR_HPP
#define RESPIO_ERROR_HPP

#include <respio/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace respio {

enum class error : int {
    // Reading a reply into a C++ type.
    unexpected_type = 1,  ///< the reply's RESP type does not fit the requested C++ type
    unexpected_null,      ///< a null where the C++ type has no room for one (use std::optional)
    number_out_of_range,  ///< an integer does not fit the requested integer type
    invalid_number,       ///< a string reply that should hold a number does not
    unexpected_size,      ///< an aggregate has another element count than the C++ type (pair, tuple)
    server_error_nested,  ///< a server error inside an aggregate whose C++ type cannot hold one
};

/// The category of respio::error ("respio").
RESPIO_DECL const boost::system::error_category& client_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), client_category()};
}

} // namespace respio

template <>
struct boost::system::is_error_code_enum<respio::error> : std::true_type {};

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/error.ipp>
#endif

#endif // RESPIO_ERROR_HPP
