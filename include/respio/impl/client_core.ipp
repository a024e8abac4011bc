// Body of respio/detail/client_core.hpp: connections per address, routing, the strand.
#ifndef RESPIO_IMPL_CLIENT_CORE_IPP
#define RESPIO_IMPL_CLIENT_CORE_IPP

#include <respio/detail/client_core.hpp>
#include <respio/impl/internal/connection.hpp>
#include <respio/impl/internal/validate.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <stdexcept>
#include <vector>

namespace respio::detail {

class client_core_impl : public std::enable_shared_from_this<client_core_impl> {
public:
    client_core_impl(asio::any_io_executor ex, const client_config& config)
        : strand_(asio::make_strand(ex)), config_(std::make_shared<client_config>(config)),
          stats_(std::make_shared<client_stats>()) {
#ifdef RESPIO_HAS_TLS
        if (config.tls.enabled) tls_ = make_tls_context(config.tls);
#endif
        for (const address& a : config.addresses)
            connections_.push_back(std::make_shared<connection>(strand_, config_, a, tls_, stats_));
    }

    void start() {
        std::weak_ptr<client_core_impl> weak = shared_from_this();
        for (auto& c : connections_) {
            c->on_redirect([weak](request_base* r, connection& from) {
                if (auto self = weak.lock()) self->redirected(r, from);
                else r->deliver_error_reply(r->redirect_error);
            });
            c->start();
        }
    }

    // A request answered with a redirect-type error. Standalone: READONLY means a failover made
    // its server a replica — ask every server its role, then send it again to the primary;
    // LOADING / MASTERDOWN / TRYAGAIN / CLUSTERDOWN mean "not now" — try again shortly. Always
    // within the request's deadline; otherwise (and for MOVED / ASK) the error is the answer.
    void redirected(request_base* r, connection&) {
        const server_errc code = classify_server_error(r->redirect_error);
        const bool retry = code == server_errc::readonly || code == server_errc::loading ||
                           code == server_errc::masterdown || code == server_errc::tryagain ||
                           code == server_errc::clusterdown;
        const auto delay = std::chrono::milliseconds(code == server_errc::readonly ? 50 : 100);
        if (!retry || r->redirects > 20 || clock::now() + delay >= r->deadline || closed_) {
            r->deliver_error_reply(r->redirect_error);
            return;
        }
        if (code == server_errc::readonly) {
            for (auto& c : connections_) c->refresh_role();
        }
        auto timer = std::make_shared<asio::steady_timer>(strand_, delay);
        auto self = shared_from_this();
        timer->async_wait([self, timer, r](error_code) {
            if (self->closed_) return r->deliver_error_reply(r->redirect_error);
            r->status = request_base::state::queued;
            r->received_replies = 0;
            command_info info;
            info.flags = r->needs_primary ? command_flag::write : command_flag::readonly;
            self->pick(info)->submit(r);
        });
    }

    // On the strand.
    void submit(request_base* r, const command_info& info) {
        connection* target = pick(info);
        target->submit(r);
    }

    void cancel(std::uint64_t id) {
        for (auto& c : connections_)
            if (c->cancel(id)) return;
    }

    void close() {
        closed_ = true;
        for (auto& c : connections_) c->stop();
    }

    void set_credentials(credentials auth, bool reauthenticate) {
        config_->auth = std::move(auth);
        for (auto& c : connections_) c->credentials_changed(reauthenticate);
    }

    asio::any_io_executor strand_;
    std::shared_ptr<client_config> config_; // changed on the strand only (credentials)
    std::shared_ptr<client_stats> stats_;
    std::shared_ptr<tls_context> tls_;
    std::vector<std::shared_ptr<connection>> connections_;
    std::size_t next_replica_ = 0;
    bool closed_ = false;

private:
    // Writes (and everything unless reads may go to replicas) to the primary: the connection that
    // reported role master, or, while roles are unknown, the first address.
    connection* pick(const command_info& info) {
        connection* primary = nullptr;
        for (auto& c : connections_) {
            if (c->role() == connection::role_kind::primary) {
                primary = c.get();
                break;
            }
        }
        if (primary == nullptr) primary = connections_.front().get();
        if (config_->reads != read_from::prefer_replica || !info.is(command_flag::readonly) ||
            info.is(command_flag::blocking) || connections_.size() == 1)
            return primary;
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            connection* c = connections_[(next_replica_ + i) % connections_.size()].get();
            if (c->ready() && c->role() == connection::role_kind::replica) {
                next_replica_ = (next_replica_ + i + 1) % connections_.size();
                return c;
            }
        }
        return primary;
    }
};


RESPIO_DECL client_core::client_core(boost::asio::any_io_executor ex, client_config config)
    : config_(std::move(config)) {
    core_impl::validate(config_);
    try {
        impl_ = std::make_shared<client_core_impl>(ex, config_);
    } catch (const boost::system::system_error& e) { // a TLS file that cannot be loaded
        throw std::invalid_argument(std::string("respio: invalid configuration, tls: ") + e.what());
    }
    auto impl = impl_;
    asio::post(impl->strand_, [impl] { impl->start(); });
}

RESPIO_DECL client_core::~client_core() { close(); }

RESPIO_DECL void client_core::submit(request_base* r, const command_info& info) {
    auto impl = impl_;
    asio::post(impl->strand_, [impl, r, info] { impl->submit(r, info); });
}

RESPIO_DECL void client_core::cancel(const std::weak_ptr<client_core_impl>& core, std::uint64_t id) {
    if (auto impl = core.lock()) asio::post(impl->strand_, [impl, id] { impl->cancel(id); });
}

RESPIO_DECL void client_core::cancel(std::uint64_t id) {
    auto impl = impl_;
    asio::post(impl->strand_, [impl, id] { impl->cancel(id); });
}

RESPIO_DECL void client_core::close() {
    if (!impl_) return;
    auto impl = impl_;
    asio::post(impl->strand_, [impl] { impl->close(); });
}

RESPIO_DECL void client_core::set_credentials(credentials auth, bool reauthenticate) {
    if (!auth.username.empty() && auth.password.empty())
        throw std::invalid_argument("respio: invalid credentials, auth: a username without a password");
    auto impl = impl_;
    asio::post(impl->strand_, [impl, auth = std::move(auth), reauthenticate]() mutable {
        impl->set_credentials(std::move(auth), reauthenticate);
    });
}

RESPIO_DECL boost::asio::any_io_executor client_core::strand() const { return impl_->strand_; }

RESPIO_DECL client_stats client_core::stats() const { return *impl_->stats_; }

} // namespace respio::detail

#endif // RESPIO_IMPL_CLIENT_CORE_IPP
