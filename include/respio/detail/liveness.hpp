// The reconnect and health-check decisions as plain state machines (no I/O, no timers): the
// connection engine feeds them what happened and does what they say; unit tests feed them
// scripted events, errors included.
#ifndef RESPIO_DETAIL_LIVENESS_HPP
#define RESPIO_DETAIL_LIVENESS_HPP

#include <respio/config.hpp>
#include <respio/error.hpp>

#include <boost/system/error_code.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace respio::detail {

/// Errors after which reconnecting with the same settings cannot help: queued requests fail at
/// once instead of waiting for their deadline (attempts go on, in case the server is fixed).
inline bool is_final_connect_error(const boost::system::error_code& ec) {
    return ec == error::auth_failed || ec == error::permission_denied || ec == error::tls_failed ||
           ec == error::resp3_unsupported || ec == error::invalid_configuration || ec == error::handshake_failed;
}

/// The backoff delay before reconnection attempt N+1 after N consecutive failures:
/// random(0 .. min(max_delay, factor · base^min(N, num_of_retries))).
inline std::chrono::milliseconds backoff_delay(const backoff_options& o, unsigned failures, std::mt19937_64& rng) {
    const unsigned n = std::min(failures, o.num_of_retries);
    double ceiling = static_cast<double>(o.factor.count());
    for (unsigned i = 0; i < n && ceiling < static_cast<double>(o.max_delay.count()); ++i) ceiling *= o.exponent_base;
    ceiling = std::min(ceiling, static_cast<double>(o.max_delay.count()));
    std::uniform_real_distribution<double> d(0.0, ceiling);
    return std::chrono::milliseconds(static_cast<long long>(d(rng)));
}

/// What to do after a connection attempt (TCP + TLS + handshake) ended.
class reconnect_fsm {
public:
    struct action {
        enum class kind { serve, wait_then_retry } what = kind::serve;
        std::chrono::milliseconds delay{0};
        /// Queued requests should fail with this at once (bad credentials, bad TLS): set only
        /// for final errors.
        boost::system::error_code fail_queued;
    };

    explicit reconnect_fsm(const backoff_options& o, std::uint64_t seed = std::random_device{}()) : options_(o), rng_(seed) {}

    /// The attempt's result.
    action on_attempt(const boost::system::error_code& ec) {
        action a;
        if (!ec) {
            failures_ = 0;
            final_ = {};
            return a;
        }
        ++failures_;
        a.what = action::kind::wait_then_retry;
        a.delay = backoff_delay(options_, failures_, rng_);
        if (is_final_connect_error(ec)) {
            final_ = ec;
            a.fail_queued = ec;
        }
        return a;
    }

    /// The session after a successful attempt ended (connection lost): the next attempt comes
    /// at once — a lost connection is most often a restart or a failover, and waiting helps nobody.
    void on_session_end() noexcept { failures_ = 0; }

    /// New credentials: a final error is forgotten (requests wait again instead of failing fast).
    void on_credentials_changed() noexcept { final_ = {}; }

    unsigned consecutive_failures() const noexcept { return failures_; }
    /// The final error of the last attempt, while no attempt has succeeded since.
    const boost::system::error_code& final_error() const noexcept { return final_; }

private:
    backoff_options options_;
    std::mt19937_64 rng_;
    unsigned failures_ = 0;
    boost::system::error_code final_;
};

/// The health check: every `interval` the engine reports whether bytes arrived since the last
/// tick and whether requests are in flight; the machine says to do nothing, to probe with PING,
/// or that the connection is dead (a probe went unanswered for a whole interval).
class health_fsm {
public:
    enum class action { none, send_ping, connection_dead };

    action on_tick(bool bytes_arrived, bool requests_written) noexcept {
        if (bytes_arrived) {
            probe_outstanding_ = false;
            return action::none;
        }
        if (probe_outstanding_) return action::connection_dead;
        // Requests in flight have deadlines of their own; an idle connection gets a probe.
        if (requests_written) return action::none;
        probe_outstanding_ = true;
        return action::send_ping;
    }
    /// The probe's reply arrived (or the probe completed some other way).
    void on_probe_done() noexcept { probe_outstanding_ = false; }
    /// A new session starts.
    void reset() noexcept { probe_outstanding_ = false; }
    bool probe_outstanding() const noexcept { return probe_outstanding_; }

private:
    bool probe_outstanding_ = false;
};

} // namespace respio::detail

#endif // RESPIO_DETAIL_LIVENESS_HPP
