// client_config: every option of a client in one struct (designated-initializer friendly), with the
// defaults of the product brief, and parse_url() for redis://, rediss://, valkey://, valkeys://,
// unix:// URLs.
#ifndef RESPIO_CONFIG_HPP
#define RESPIO_CONFIG_HPP

#include <respio/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace respio {

/// A server address: host and port, or a unix socket path.
struct address {
    std::string host = "127.0.0.1"; ///< a hostname, an IPv4 or an IPv6 literal (without brackets)
    std::uint16_t port = 6379;
    std::string unix_path;          ///< when not empty: a unix socket, host and port unused

    bool is_unix() const noexcept { return !unix_path.empty(); }
    friend bool operator==(const address&, const address&) = default;
};

/// AUTH credentials. No password: no AUTH. A username without one is an error.
struct credentials {
    std::string username; ///< empty: the default user (AUTH <password>)
    std::string password;
    friend bool operator==(const credentials&, const credentials&) = default;
};

/// TLS options. Verification of the peer and of its name is on by default.
struct tls_options {
    bool enabled = false;
    std::string ca_file;   ///< PEM file of trusted CAs; with ca_dir and ca_pem empty, the system store
    std::string ca_dir;    ///< directory of hashed CA certificates
    std::string ca_pem;    ///< trusted CAs as PEM text in memory
    std::string cert_file; ///< client certificate chain (mutual TLS)
    std::string key_file;  ///< its private key
    std::string server_name; ///< name to send as SNI and to verify; empty: the host connected to
    bool verify_peer = true;
    bool verify_hostname = true; ///< an IP literal host is matched against the certificate's IP SANs
    enum class version { tls1_2, tls1_3 };
    version min_version = version::tls1_2;
    /// Accept any certificate from anyone: for tests against throwaway servers only. Named so
    /// that it reads as what it is wherever it is set.
    bool insecure_skip_verification_for_testing_only = false;
    friend bool operator==(const tls_options&, const tls_options&) = default;
};

/// Which protocol the handshake asks for.
enum class protocol_version {
    resp3_or_resp2, ///< HELLO 3; RESP2 (AUTH, CLIENT SETNAME) when the server refuses HELLO
    resp3,          ///< HELLO 3 or fail
    resp2,          ///< never HELLO 3
};

/// Where reads go when replicas are known.
enum class read_from {
    primary,        ///< everything to the primary
    prefer_replica, ///< read-only commands round-robin over healthy replicas; the primary if none
};

/// Reconnection backoff: delay = random(0 .. factor · base^N) for N consecutive failures; once N
/// reaches num_of_retries the delay stops growing; attempts go on until one succeeds. The delay is
/// also capped by max_delay.
struct backoff_options {
    unsigned num_of_retries = 16;
    std::chrono::milliseconds factor{10};
    unsigned exponent_base = 2;
    std::chrono::milliseconds max_delay{5000};
    friend bool operator==(const backoff_options&, const backoff_options&) = default;
};

/// Log levels of the logger hook.
enum class log_level { debug, info, warning, error };

/// Observer hooks: override what you need. Called on the client's strand; keep them short. Names
/// are command names only (arguments may hold secrets and never reach an observer).
class observer {
public:
    virtual ~observer() = default;
    virtual void on_request_start(std::string_view /*command*/) {}
    virtual void on_request_finish(std::string_view /*command*/, std::chrono::nanoseconds /*duration*/,
                                   const boost::system::error_code& /*ec*/) {}
    virtual void on_connect(const address& /*server*/) {}
    virtual void on_connect_failure(const address& /*server*/, const boost::system::error_code& /*ec*/) {}
    virtual void on_disconnect(const address& /*server*/, const boost::system::error_code& /*why*/) {}
    virtual void on_bytes(std::size_t /*written*/, std::size_t /*read*/) {}
};

/// Every option of a client. Defaults are the documented ones; designated initializers work:
/// `client_config{.addresses = {{.host = "cache", .port = 6380}}, .request_timeout = 100ms}`.
struct client_config {
    /// Servers to use: one for a single server; a primary and its replicas; seeds of a cluster.
    std::vector<address> addresses{address{}};
    credentials auth;
    tls_options tls;
    int database = 0;            ///< SELECT after connecting (standalone only)
    std::string client_name;     ///< CLIENT SETNAME / HELLO SETNAME; empty: none
    protocol_version protocol = protocol_version::resp3_or_resp2;
    read_from reads = read_from::primary;
    /// Covers queueing, sending, waiting, redirects, retries and reconnects of one request.
    std::chrono::milliseconds request_timeout{250};
    /// Covers TCP connect, TLS handshake and HELLO/AUTH/SELECT of one connection attempt.
    std::chrono::milliseconds connect_timeout{2000};
    /// Blocking commands (BLPOP 5, XREAD BLOCK 5000, ...) get their block time plus this margin.
    std::chrono::milliseconds blocking_margin{500};
    /// A connection idle this long is probed with PING; a probe unanswered for as long fails it.
    std::chrono::milliseconds health_check_interval{1000};
    backoff_options reconnect;
    /// Requests queued or in flight per client; past it, requests fail at once.
    std::size_t max_in_flight = 1000;
    /// Put before every key argument (and taken off key names in replies).
    std::string key_prefix;
    /// CLIENT SETINFO lib-name / lib-ver after connecting (ignored by servers that lack it).
    bool set_client_info = true;
    /// Receives log lines at or above log_threshold. Secrets never appear in them.
    std::function<void(log_level, std::string_view)> logger;
    log_level log_threshold = log_level::warning;
    /// Request, connection and traffic events (shared: it may outlive the client's callbacks).
    std::shared_ptr<observer> events;
};

/// What parse_url() could not read: the field, and what was wrong with it. Never contains the
/// password.
struct url_error {
    std::string field;
    std::string message;
};

/// Parses a URL into a configuration, on top of `base` (defaults otherwise):
///
/// `redis://[user[:password]@]host[:port][,host[:port]...][/db][?option=value&...]`
/// `rediss://` (TLS), `valkey://`, `valkeys://` (TLS), `unix://[user[:password]@]/path/to.sock[?db=N&...]`
///
/// Options: db, protocol (2, 3, auto), client_name, key_prefix, request_timeout, connect_timeout
/// (milliseconds, or with a unit: 250ms, 2s), read_from (primary, prefer_replica), tls_ca_file,
/// tls_ca_dir, tls_cert_file, tls_key_file, tls_server_name, tls_verify (true/false: peer and name),
/// tls_verify_hostname. User and password are percent-decoded. IPv6 hosts go in brackets.
RESPIO_DECL std::optional<client_config> parse_url(std::string_view url, url_error& error, client_config base = {});

/// parse_url() that throws std::invalid_argument("field: message").
RESPIO_DECL client_config parse_url(std::string_view url, client_config base = {});

} // namespace respio

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/config.ipp>
#endif

#endif // RESPIO_CONFIG_HPP
