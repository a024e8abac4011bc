// any_stream: TCP, TLS over TCP, or a unix socket, chosen at run time — the only place in respio
// that touches sockets. Internal: included by the engine's .ipp files only.
#ifndef RESPIO_IMPL_INTERNAL_STREAM_HPP
#define RESPIO_IMPL_INTERNAL_STREAM_HPP

#include <respio/config.hpp>
#include <respio/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#ifdef RESPIO_HAS_TLS
#include <boost/asio/ssl.hpp>
#endif

#include <optional>
#include <string>
#include <utility>

namespace respio::detail {

namespace asio = boost::asio;
using boost::system::error_code;
inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

#ifdef RESPIO_HAS_TLS
using tls_context = asio::ssl::context;
#else
struct tls_context {}; // TLS needs respio::tls (OpenSSL); configuring it without is refused
#endif

class any_stream {
public:
    explicit any_stream(asio::any_io_executor ex) : ex_(std::move(ex)) {}

    /// Resolves (again, every time: a name may point elsewhere after a failover), connects and,
    /// for TLS, runs the TLS handshake with SNI and verification.
    asio::awaitable<error_code> connect(const address& a, tls_context* tls, const tls_options& opts) {
        close();
        if (a.is_unix()) {
            unix_.emplace(ex_);
            auto [ec] = co_await unix_->async_connect(asio::local::stream_protocol::endpoint(a.unix_path), use_tuple);
            co_return ec;
        }
        auto [rec, endpoints] = co_await resolver_.async_resolve(a.host, std::to_string(a.port), use_tuple);
        if (rec) co_return rec;
        if (endpoints.empty()) co_return error_code(error::no_address);
#ifdef RESPIO_HAS_TLS
        if (opts.enabled && tls != nullptr) {
            tls_.emplace(ex_, *tls);
            auto [cec, ep] = co_await asio::async_connect(tls_->next_layer(), endpoints, use_tuple);
            if (cec) co_return cec;
            tls_->next_layer().set_option(asio::ip::tcp::no_delay(true));
            const std::string& name = opts.server_name.empty() ? a.host : opts.server_name;
            error_code not_ip;
            (void)asio::ip::make_address(name, not_ip);
            const bool ip_literal = !not_ip;
            if (!ip_literal) SSL_set_tlsext_host_name(tls_->native_handle(), name.c_str()); // SNI
            if (opts.verify_hostname && !opts.insecure_skip_verification_for_testing_only)
                tls_->set_verify_callback(asio::ssl::host_name_verification(name));
            auto [hec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, use_tuple);
            if (hec) co_return error_code(error::tls_failed);
            co_return error_code{};
        }
#else
        (void)tls;
        if (opts.enabled) co_return error_code(error::invalid_configuration);
#endif
        tcp_.emplace(ex_);
        auto [cec, ep] = co_await asio::async_connect(*tcp_, endpoints, use_tuple);
        if (!cec) tcp_->set_option(asio::ip::tcp::no_delay(true));
        co_return cec;
    }

    template <class MutableBuffer>
    asio::awaitable<std::pair<error_code, std::size_t>> read_some(MutableBuffer b) {
        std::pair<error_code, std::size_t> r{asio::error::not_connected, 0};
        if (tcp_) std::tie(r.first, r.second) = co_await tcp_->async_read_some(b, use_tuple);
        else if (unix_) std::tie(r.first, r.second) = co_await unix_->async_read_some(b, use_tuple);
#ifdef RESPIO_HAS_TLS
        else if (tls_) std::tie(r.first, r.second) = co_await tls_->async_read_some(b, use_tuple);
#endif
        co_return r;
    }

    asio::awaitable<std::pair<error_code, std::size_t>> write(asio::const_buffer b) {
        std::pair<error_code, std::size_t> r{asio::error::not_connected, 0};
        if (tcp_) std::tie(r.first, r.second) = co_await asio::async_write(*tcp_, b, use_tuple);
        else if (unix_) std::tie(r.first, r.second) = co_await asio::async_write(*unix_, b, use_tuple);
#ifdef RESPIO_HAS_TLS
        else if (tls_) std::tie(r.first, r.second) = co_await asio::async_write(*tls_, b, use_tuple);
#endif
        co_return r;
    }

    /// Closes at once (a TLS close_notify is not awaited: the server does not need it). Pending
    /// operations complete with operation_aborted.
    void close() noexcept {
        resolver_.cancel(); // a name that takes long to resolve is given up too
        error_code ignored;
        if (tcp_) tcp_->close(ignored);
        if (unix_) unix_->close(ignored);
#ifdef RESPIO_HAS_TLS
        if (tls_) tls_->next_layer().close(ignored);
#endif
    }

    /// Drops the socket objects (after close() and once no operation is pending).
    void reset() noexcept {
        tcp_.reset();
        unix_.reset();
#ifdef RESPIO_HAS_TLS
        tls_.reset();
#endif
    }

private:
    asio::any_io_executor ex_;
    asio::ip::tcp::resolver resolver_{ex_};
    std::optional<asio::ip::tcp::socket> tcp_;
    std::optional<asio::local::stream_protocol::socket> unix_;
#ifdef RESPIO_HAS_TLS
    std::optional<asio::ssl::stream<asio::ip::tcp::socket>> tls_;
#endif
};

#ifdef RESPIO_HAS_TLS
/// The TLS context of a client, from its options: verification on unless the loudly named
/// insecure option is set.
inline std::shared_ptr<tls_context> make_tls_context(const tls_options& o) {
    auto ctx = std::make_shared<tls_context>(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(),
                                  o.min_version == tls_options::version::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION);
    if (o.insecure_skip_verification_for_testing_only || !o.verify_peer) {
        ctx->set_verify_mode(asio::ssl::verify_none);
    } else {
        ctx->set_verify_mode(asio::ssl::verify_peer);
        if (!o.ca_file.empty()) ctx->load_verify_file(o.ca_file);
        if (!o.ca_dir.empty()) ctx->add_verify_path(o.ca_dir);
        if (!o.ca_pem.empty()) ctx->add_certificate_authority(asio::buffer(o.ca_pem));
        if (o.ca_file.empty() && o.ca_dir.empty() && o.ca_pem.empty()) ctx->set_default_verify_paths();
    }
    if (!o.cert_file.empty()) ctx->use_certificate_chain_file(o.cert_file);
    if (!o.key_file.empty()) ctx->use_private_key_file(o.key_file, asio::ssl::context::pem);
    return ctx;
}
#endif

} // namespace respio::detail

#endif // RESPIO_IMPL_INTERNAL_STREAM_HPP
