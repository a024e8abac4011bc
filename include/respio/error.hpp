// respio's own error codes (category "respio"): what went wrong on the client side, and whether
// a request was sent. Server errors keep the server's code and text (see result.hpp).
#ifndef RESPIO_ERROR_HPP
#define RESPIO_ERROR_HPP

#include <respio/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <string_view>
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

    // What happened to a request. Each says whether the server may have run it.
    not_sent = 100,         ///< never written to any server: safe to retry
    outcome_unknown,        ///< written, then the connection was lost before the reply: it may have run
    timeout_not_sent,       ///< request_timeout passed before the request could be written
    timeout_outcome_unknown,///< request_timeout passed after it was written: it may have run
    too_many_in_flight,     ///< max_in_flight requests are already queued or in flight
    server_replied_error,   ///< the server answered with an error (its text: diagnostics, result<T>)
    cancelled_not_sent,     ///< cancelled before it was written
    cancelled_outcome_unknown, ///< cancelled after it was written; its reply is discarded
    client_stopped,         ///< the client was closed (or destroyed) first
    cross_slot,             ///< cluster: the command's keys are in different slots; refused before sending

    // Why a connection could not be set up. Requests waiting for it fail with these when they
    // are final (bad credentials, bad TLS configuration), instead of waiting for their timeout.
    connect_timeout = 200,  ///< TCP connect + TLS + handshake took longer than connect_timeout
    auth_failed,            ///< WRONGPASS / NOAUTH / a user without the right to authenticate
    permission_denied,      ///< NOPERM for a handshake command (HELLO, SELECT, CLIENT SETNAME)
    handshake_failed,       ///< another error reply to a handshake command
    tls_failed,             ///< TLS handshake or verification failed (wrong CA, name, no client cert)
    protocol_error,         ///< the server sent bytes that are no valid RESP: connection closed
    resp3_unsupported,      ///< protocol resp3 was required and the server refused HELLO 3
    invalid_configuration,  ///< the configuration cannot work (the message names the field)
    no_address,             ///< no address to connect to (or none resolved)
};

/// The server's error codes respio tells apart (category "respio.server"); the text is kept too.
enum class server_errc : int {
    other = 1,   ///< ERR and anything not listed
    wrongtype,
    noauth,
    wrongpass,
    noperm,
    moved,
    ask,
    tryagain,
    clusterdown,
    crossslot,
    loading,
    masterdown,
    readonly,
    oom,
    busy,
    noscript,
    execabort,
    noproto,
    unknown_command,
    denied,
};

/// The category of server_errc.
RESPIO_DECL const boost::system::error_category& server_category() noexcept;

inline boost::system::error_code make_error_code(server_errc e) noexcept {
    return {static_cast<int>(e), server_category()};
}

/// The server_errc of an error reply's text ("MOVED 3999 127.0.0.1:6381" -> moved).
RESPIO_DECL server_errc classify_server_error(std::string_view text) noexcept;

/// True when the request was certainly not run by the server (safe to send again).
inline bool is_not_sent(const boost::system::error_code& ec) noexcept;
/// True when the request may or may not have run (written, then no reply).
inline bool is_outcome_unknown(const boost::system::error_code& ec) noexcept;

/// The category of respio::error ("respio").
RESPIO_DECL const boost::system::error_category& client_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), client_category()};
}

} // namespace respio

template <>
struct boost::system::is_error_code_enum<respio::error> : std::true_type {};
template <>
struct boost::system::is_error_code_enum<respio::server_errc> : std::true_type {};

namespace respio {
inline bool is_not_sent(const boost::system::error_code& ec) noexcept {
    return ec == error::not_sent || ec == error::timeout_not_sent || ec == error::cancelled_not_sent ||
           ec == error::too_many_in_flight || ec == error::client_stopped || ec == error::auth_failed ||
           ec == error::tls_failed || ec == error::connect_timeout || ec == error::no_address ||
           ec == error::invalid_configuration || ec == error::permission_denied ||
           ec == error::handshake_failed || ec == error::resp3_unsupported || ec == error::cross_slot;
}
inline bool is_outcome_unknown(const boost::system::error_code& ec) noexcept {
    return ec == error::outcome_unknown || ec == error::timeout_outcome_unknown ||
           ec == error::cancelled_outcome_unknown;
}
} // namespace respio

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/error.ipp>
#endif

#endif // RESPIO_ERROR_HPP
