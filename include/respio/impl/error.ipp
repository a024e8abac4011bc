// Messages of respio::error.
#ifndef RESPIO_IMPL_ERROR_IPP
#define RESPIO_IMPL_ERROR_IPP

#include <respio/error.hpp>

#include <string>
#include <string_view>

namespace respio {
namespace detail {

class client_category_impl final : public boost::system::error_category {
public:
    client_category_impl() noexcept : error_category(0x7265737069ULL + 2) {}
    const char* name() const noexcept override { return "respio"; }
    std::string message(int ev) const override { return message(ev, nullptr, 0); }
    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<error>(ev)) {
        case error::unexpected_type: return "the reply's type does not fit the requested C++ type";
        case error::unexpected_null: return "null reply where the C++ type cannot hold one";
        case error::number_out_of_range: return "integer reply out of range for the requested type";
        case error::invalid_number: return "string reply is not a valid number";
        case error::unexpected_size: return "aggregate reply has an unexpected number of elements";
        case error::server_error_nested: return "server error inside an aggregate reply";
        case error::not_sent: return "request not sent (the connection was not available)";
        case error::outcome_unknown: return "connection lost after the request was sent: outcome unknown";
        case error::timeout_not_sent: return "request timed out before it was sent";
        case error::timeout_outcome_unknown: return "request timed out after it was sent: outcome unknown";
        case error::too_many_in_flight: return "too many requests in flight";
        case error::server_replied_error: return "the server replied with an error";
        case error::cancelled_not_sent: return "request cancelled before it was sent";
        case error::cancelled_outcome_unknown: return "request cancelled after it was sent: outcome unknown";
        case error::client_stopped: return "the client was stopped";
        case error::cross_slot: return "the command's keys hash to different slots (refused before sending)";
        case error::connect_timeout: return "connection attempt timed out";
        case error::auth_failed: return "authentication failed";
        case error::permission_denied: return "permission denied during the connection handshake";
        case error::handshake_failed: return "the connection handshake failed";
        case error::tls_failed: return "TLS handshake or certificate verification failed";
        case error::protocol_error: return "the server sent invalid RESP; connection closed";
        case error::resp3_unsupported: return "the server does not support RESP3 (HELLO 3)";
        case error::invalid_configuration: return "invalid configuration";
        case error::no_address: return "no address to connect to";
        }
        return "respio: unknown error";
    }
};

class server_category_impl final : public boost::system::error_category {
public:
    server_category_impl() noexcept : error_category(0x7265737069ULL + 3) {}
    const char* name() const noexcept override { return "respio.server"; }
    std::string message(int ev) const override { return message(ev, nullptr, 0); }
    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<server_errc>(ev)) {
        case server_errc::other: return "server error";
        case server_errc::wrongtype: return "WRONGTYPE: operation against a key holding the wrong kind of value";
        case server_errc::noauth: return "NOAUTH: authentication required";
        case server_errc::wrongpass: return "WRONGPASS: invalid username-password pair or user is disabled";
        case server_errc::noperm: return "NOPERM: no permission for this command or key";
        case server_errc::moved: return "MOVED: the slot is served by another node";
        case server_errc::ask: return "ASK: the key is being migrated to another node";
        case server_errc::tryagain: return "TRYAGAIN: keys split across a slot migration";
        case server_errc::clusterdown: return "CLUSTERDOWN: the cluster is down";
        case server_errc::crossslot: return "CROSSSLOT: keys in different slots";
        case server_errc::loading: return "LOADING: the server is loading its dataset";
        case server_errc::masterdown: return "MASTERDOWN: link with the primary is down";
        case server_errc::readonly: return "READONLY: write against a read-only replica";
        case server_errc::oom: return "OOM: command not allowed when used memory > maxmemory";
        case server_errc::busy: return "BUSY: the server is busy running a script";
        case server_errc::noscript: return "NOSCRIPT: no matching script";
        case server_errc::execabort: return "EXECABORT: transaction discarded because of previous errors";
        case server_errc::noproto: return "NOPROTO: protocol version not supported";
        case server_errc::unknown_command: return "unknown command";
        case server_errc::denied: return "DENIED: protected mode";
        }
        return "server error";
    }
};

} // namespace detail

RESPIO_DECL const boost::system::error_category& server_category() noexcept {
    static const detail::server_category_impl instance;
    return instance;
}

RESPIO_DECL server_errc classify_server_error(std::string_view text) noexcept {
    const std::string_view code = text.substr(0, text.find(' '));
    struct entry {
        std::string_view code;
        server_errc errc;
    };
    static constexpr entry table[] = {
        {"WRONGTYPE", server_errc::wrongtype}, {"NOAUTH", server_errc::noauth},
        {"WRONGPASS", server_errc::wrongpass}, {"NOPERM", server_errc::noperm},
        {"MOVED", server_errc::moved},         {"ASK", server_errc::ask},
        {"TRYAGAIN", server_errc::tryagain},   {"CLUSTERDOWN", server_errc::clusterdown},
        {"CROSSSLOT", server_errc::crossslot}, {"LOADING", server_errc::loading},
        {"MASTERDOWN", server_errc::masterdown}, {"READONLY", server_errc::readonly},
        {"OOM", server_errc::oom},             {"BUSY", server_errc::busy},
        {"NOSCRIPT", server_errc::noscript},   {"EXECABORT", server_errc::execabort},
        {"NOPROTO", server_errc::noproto},     {"DENIED", server_errc::denied},
    };
    for (const auto& e : table)
        if (code == e.code) return e.errc;
    if (text.substr(0, 20) == "ERR unknown command " || text.substr(0, 23) == "ERR unknown subcommand ")
        return server_errc::unknown_command;
    return server_errc::other;
}

RESPIO_DECL const boost::system::error_category& client_category() noexcept {
    static const detail::client_category_impl instance;
    return instance;
}

} // namespace respio

#endif // RESPIO_IMPL_ERROR_IPP
