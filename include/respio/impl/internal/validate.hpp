// The configuration checks every client core makes before it starts. Internal.
#ifndef RESPIO_IMPL_INTERNAL_VALIDATE_HPP
#define RESPIO_IMPL_INTERNAL_VALIDATE_HPP

#include <respio/config.hpp>

#include <stdexcept>
#include <string>

namespace respio::detail {

namespace core_impl {
/// Throws std::invalid_argument naming the field of a configuration that cannot work.
inline void validate(const client_config& c) {
    auto bad = [](const std::string& field, const std::string& why) {
        throw std::invalid_argument("respio: invalid configuration, " + field + ": " + why);
    };
    if (c.addresses.empty()) bad("addresses", "no address given");
    for (const auto& a : c.addresses) {
        if (!a.is_unix() && a.host.empty()) bad("addresses", "empty host");
        if (!a.is_unix() && a.port == 0) bad("addresses", "port 0");
        if (a.is_unix() && a.unix_path.size() > 107) bad("addresses", "unix socket path longer than 107 bytes");
    }
    if (!c.auth.username.empty() && c.auth.password.empty()) bad("auth", "a username without a password");
    if (c.database < 0) bad("database", "negative");
    if (c.request_timeout.count() <= 0) bad("request_timeout", "must be positive");
    if (c.connect_timeout.count() <= 0) bad("connect_timeout", "must be positive");
    if (c.health_check_interval.count() <= 0) bad("health_check_interval", "must be positive");
    if (c.max_in_flight == 0) bad("max_in_flight", "must be positive");
    if (c.reconnect.exponent_base < 1) bad("reconnect.exponent_base", "must be at least 1");
#ifndef RESPIO_HAS_TLS
    if (c.tls.enabled) bad("tls", "TLS needs respio::tls (OpenSSL); this build has no TLS");
#endif
    if (!c.tls.cert_file.empty() != !c.tls.key_file.empty()) bad("tls", "a client certificate needs its key (and the other way round)");
}
} // namespace core_impl

} // namespace respio::detail

#endif // RESPIO_IMPL_INTERNAL_VALIDATE_HPP
