// Reconnect and health-check decisions, fed scripted events (no server, no timers).
#include <respio/detail/liveness.hpp>

#include <gtest/gtest.h>

#include <set>

#include <boost/asio/error.hpp>

using namespace respio;
using namespace respio::detail;
using namespace std::chrono_literals;

TEST(reconnect_fsm, a_successful_attempt_serves_at_once) {
    reconnect_fsm r(backoff_options{}, 1);
    auto a = r.on_attempt({});
    EXPECT_EQ(a.what, reconnect_fsm::action::kind::serve);
    EXPECT_FALSE(a.fail_queued);
    EXPECT_EQ(r.consecutive_failures(), 0u);
}

TEST(reconnect_fsm, failures_back_off_within_the_growing_ceiling_and_stop_growing) {
    backoff_options o;
    o.factor = 10ms;
    o.exponent_base = 2;
    o.num_of_retries = 4;
    o.max_delay = 10000ms;
    reconnect_fsm r(o, 7);
    for (unsigned n = 1; n <= 10; ++n) {
        auto a = r.on_attempt(boost::asio::error::connection_refused);
        EXPECT_EQ(a.what, reconnect_fsm::action::kind::wait_then_retry);
        const auto ceiling = 10ms * (1u << std::min(n, 4u)); // constant once N reaches num_of_retries
        EXPECT_LE(a.delay, ceiling) << n;
        EXPECT_GE(a.delay, 0ms);
        EXPECT_FALSE(a.fail_queued); // a refused connection is no reason to fail requests early
    }
    EXPECT_EQ(r.consecutive_failures(), 10u);
    EXPECT_EQ(r.on_attempt({}).what, reconnect_fsm::action::kind::serve);
    EXPECT_EQ(r.consecutive_failures(), 0u);
}

TEST(reconnect_fsm, delays_are_spread_not_synchronised) {
    backoff_options o;
    o.factor = 100ms;
    o.num_of_retries = 3;
    reconnect_fsm r(o, 3);
    std::set<long long> seen;
    for (int i = 0; i < 50; ++i) {
        r.on_attempt({}); // reset to the same N each time
        for (int k = 0; k < 3; ++k) r.on_attempt(boost::asio::error::connection_refused);
        seen.insert(r.on_attempt(boost::asio::error::connection_refused).delay.count());
    }
    EXPECT_GT(seen.size(), 20u); // random in [0, ceiling], so clients reconnecting together spread out
}

TEST(reconnect_fsm, the_cap_bounds_every_delay) {
    backoff_options o;
    o.factor = 1000ms;
    o.exponent_base = 10;
    o.num_of_retries = 16;
    o.max_delay = 1500ms;
    reconnect_fsm r(o, 11);
    for (int i = 0; i < 30; ++i) EXPECT_LE(r.on_attempt(boost::asio::error::timed_out).delay, 1500ms);
}

TEST(reconnect_fsm, final_errors_fail_queued_requests_until_credentials_change_or_success) {
    for (error e : {error::auth_failed, error::permission_denied, error::tls_failed, error::resp3_unsupported,
                    error::handshake_failed, error::invalid_configuration}) {
        reconnect_fsm r(backoff_options{}, 5);
        auto a = r.on_attempt(e);
        EXPECT_EQ(a.what, reconnect_fsm::action::kind::wait_then_retry); // attempts go on
        EXPECT_EQ(a.fail_queued, e);
        EXPECT_EQ(r.final_error(), e);
        r.on_credentials_changed();
        EXPECT_FALSE(r.final_error());
        r.on_attempt(e);
        r.on_attempt({});
        EXPECT_FALSE(r.final_error());
    }
    for (error e : {error::connect_timeout, error::protocol_error, error::no_address}) {
        reconnect_fsm r(backoff_options{}, 5);
        EXPECT_FALSE(r.on_attempt(e).fail_queued) << static_cast<int>(e);
    }
}

TEST(reconnect_fsm, a_lost_session_reconnects_without_waiting) {
    reconnect_fsm r(backoff_options{}, 9);
    r.on_attempt(boost::asio::error::connection_refused);
    r.on_attempt({});
    r.on_session_end();
    EXPECT_EQ(r.consecutive_failures(), 0u);
}

TEST(health_fsm, an_idle_connection_is_probed_and_declared_dead_when_silent) {
    health_fsm h;
    EXPECT_EQ(h.on_tick(false, false), health_fsm::action::send_ping);
    EXPECT_TRUE(h.probe_outstanding());
    EXPECT_EQ(h.on_tick(false, false), health_fsm::action::connection_dead);
}

TEST(health_fsm, an_answered_probe_keeps_the_connection) {
    health_fsm h;
    EXPECT_EQ(h.on_tick(false, false), health_fsm::action::send_ping);
    EXPECT_EQ(h.on_tick(true, false), health_fsm::action::none); // its reply arrived
    EXPECT_FALSE(h.probe_outstanding());
    EXPECT_EQ(h.on_tick(false, false), health_fsm::action::send_ping);
    h.on_probe_done();
    EXPECT_EQ(h.on_tick(false, false), health_fsm::action::send_ping);
}

TEST(health_fsm, traffic_and_written_requests_need_no_probe) {
    health_fsm h;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(h.on_tick(true, true), health_fsm::action::none);
    // A long command in flight (BLPOP 10): no probe queued behind it; its deadline guards it.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(h.on_tick(false, true), health_fsm::action::none);
    h.reset();
    EXPECT_FALSE(h.probe_outstanding());
}
