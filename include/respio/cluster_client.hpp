// respio::cluster_client: a Valkey / Redis cluster (basic_client<cluster>). The same API as
// respio::client; requests are routed by their keys' slots, fanned out by the command tips'
// request policy and their replies combined by the response policy.
#ifndef RESPIO_CLUSTER_CLIENT_HPP
#define RESPIO_CLUSTER_CLIENT_HPP

#include <respio/detail/basic_client.hpp>
#include <respio/detail/cluster_core.hpp>

#include <string_view>

namespace respio {

/// Topology tag of a cluster.
struct cluster {};

namespace detail {
template <>
struct core_of<cluster> {
    using type = cluster_core;
};

template <class Command>
    requires requires { Command::descriptor::meta.name; }
inline constexpr bool refused_by<cluster, Command> =
    Command::descriptor::meta.name == std::string_view("SELECT") || Command::descriptor::meta.name == std::string_view("SWAPDB") ||
    Command::descriptor::meta.name == std::string_view("MOVE");
} // namespace detail

/// A client of a cluster: give one or several seed nodes in config.addresses.
using cluster_client = basic_client<cluster>;

} // namespace respio

#endif // RESPIO_CLUSTER_CLIENT_HPP
