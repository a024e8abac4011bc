// client_core: the non-template part of every client — its connections, their executor (a
// strand), and where each request goes. Declared with an opaque implementation so that this
// header stays light: the engine (sockets, TLS, coroutines) lives in impl/.
#ifndef RESPIO_DETAIL_CLIENT_CORE_HPP
#define RESPIO_DETAIL_CLIENT_CORE_HPP

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

class client_core_impl;

class client_core {
public:
    /// Starts connecting at once (in the background). Throws std::invalid_argument when the
    /// configuration cannot work (the message names the field).
    RESPIO_DECL client_core(boost::asio::any_io_executor ex, client_config config);
    RESPIO_DECL ~client_core();
    client_core(const client_core&) = delete;
    client_core& operator=(const client_core&) = delete;

    /// Hands a request over (from any thread). It completes exactly once, on the core's strand.
    RESPIO_DECL void submit(request_base* r, const command_info& info);
    /// Cancels a request by id (from any thread); no effect if it already completed.
    RESPIO_DECL void cancel(std::uint64_t id);
    /// What a cancellation slot may hold on to: cancels by id while the client lives, nothing after.
    std::weak_ptr<client_core_impl> weak_impl() const noexcept { return impl_; }
    RESPIO_DECL static void cancel(const std::weak_ptr<client_core_impl>& core, std::uint64_t id);
    /// Fails every request with client_stopped and closes the connections (from any thread).
    RESPIO_DECL void close();
    /// New credentials for every later connection attempt; with `reauthenticate`, live
    /// connections send AUTH (with the username) at once (from any thread).
    RESPIO_DECL void set_credentials(credentials auth, bool reauthenticate);

    const client_config& config() const noexcept { return config_; }
    /// The strand every request completes on (handlers are then dispatched to their own).
    RESPIO_DECL boost::asio::any_io_executor strand() const;
    std::uint64_t next_id() noexcept { return ++last_id_; }
    /// A snapshot of the statistics (taken on the strand: call from it, or with the client idle).
    RESPIO_DECL client_stats stats() const;

private:
    client_config config_;
    std::shared_ptr<client_core_impl> impl_;
    std::atomic<std::uint64_t> last_id_{0};
};

} // namespace respio::detail

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/client_core.ipp>
#endif

#endif // RESPIO_DETAIL_CLIENT_CORE_HPP
