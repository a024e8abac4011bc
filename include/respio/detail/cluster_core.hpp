// cluster_core: the non-template part of a cluster client — the topology, one connection per
// node, slot routing, redirects, fan-out with aggregation. Same surface as client_core.
#ifndef RESPIO_DETAIL_CLUSTER_CORE_HPP
#define RESPIO_DETAIL_CLUSTER_CORE_HPP

#include <respio/command_info.hpp>
#include <respio/config.hpp>
#include <respio/detail/client_stats.hpp>
#include <respio/detail/config.hpp>
#include <respio/detail/request.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

namespace respio::detail {

class cluster_core_impl;

class cluster_core {
public:
    /// Starts discovering the topology from the seeds (config.addresses) at once.
    RESPIO_DECL cluster_core(boost::asio::any_io_executor ex, client_config config);
    RESPIO_DECL ~cluster_core();
    cluster_core(const cluster_core&) = delete;
    cluster_core& operator=(const cluster_core&) = delete;

    RESPIO_DECL void submit(request_base* r, const command_info& info);
    RESPIO_DECL void cancel(std::uint64_t id);
    std::weak_ptr<cluster_core_impl> weak_impl() const noexcept { return impl_; }
    RESPIO_DECL static void cancel(const std::weak_ptr<cluster_core_impl>& core, std::uint64_t id);
    RESPIO_DECL void close();
    RESPIO_DECL void set_credentials(credentials auth, bool reauthenticate);

    const client_config& config() const noexcept { return config_; }
    RESPIO_DECL boost::asio::any_io_executor strand() const;
    std::uint64_t next_id() noexcept { return ++last_id_; }
    RESPIO_DECL client_stats stats() const;

private:
    client_config config_;
    std::shared_ptr<cluster_core_impl> impl_;
    std::atomic<std::uint64_t> last_id_{0};
};

} // namespace respio::detail

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/cluster_core.ipp>
#endif

#endif // RESPIO_DETAIL_CLUSTER_CORE_HPP
