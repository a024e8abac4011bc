// respio::client: one server, or a primary with replicas (basic_client<standalone>). Every
// operation follows the Asio universal model; see detail/basic_client.hpp for the API.
#ifndef RESPIO_CLIENT_HPP
#define RESPIO_CLIENT_HPP

#include <respio/detail/basic_client.hpp>
#include <respio/detail/client_core.hpp>

namespace respio {

/// Topology tag of a single server or a primary with replicas.
struct standalone {};

namespace detail {
template <>
struct core_of<standalone> {
    using type = client_core;
};
} // namespace detail

/// A client of one server, or of a primary with replicas.
using client = basic_client<standalone>;

} // namespace respio

#endif // RESPIO_CLIENT_HPP
