// Body of respio/config.hpp: URL parsing.
#ifndef RESPIO_IMPL_CONFIG_IPP
#define RESPIO_IMPL_CONFIG_IPP

#include <respio/config.hpp>

#include <charconv>
#include <stdexcept>

namespace respio {
namespace config_impl {

inline char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

inline int hex(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

inline bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.push_back(in[i]);
            continue;
        }
        if (i + 2 >= in.size()) return false;
        const int h = hex(in[i + 1]), l = hex(in[i + 2]);
        if (h < 0 || l < 0) return false;
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
    }
    return true;
}

template <class Int>
bool to_number(std::string_view s, Int& out) noexcept {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// "250", "250ms", "2s": milliseconds.
inline bool to_duration(std::string_view s, std::chrono::milliseconds& out) noexcept {
    long long scale = 1;
    if (s.size() > 2 && s.substr(s.size() - 2) == "ms") {
        s.remove_suffix(2);
    } else if (s.size() > 1 && s.back() == 's') {
        s.remove_suffix(1);
        scale = 1000;
    }
    long long v = 0;
    if (!to_number(s, v) || v < 0 || v > 1'000'000'000) return false;
    out = std::chrono::milliseconds(v * scale);
    return true;
}

inline bool to_bool(std::string_view s, bool& out) noexcept {
    if (s == "1" || iequals(s, "true") || iequals(s, "yes") || iequals(s, "on")) out = true;
    else if (s == "0" || iequals(s, "false") || iequals(s, "no") || iequals(s, "off")) out = false;
    else return false;
    return true;
}

struct parser {
    url_error& err;

    std::nullopt_t fail(std::string field, std::string message) {
        err.field = std::move(field);
        err.message = std::move(message);
        return std::nullopt;
    }

    // host[:port] or [v6]:port
    std::optional<address> host_port(std::string_view text) {
        address a;
        std::string_view host = text, port;
        if (!text.empty() && text[0] == '[') {
            const auto close = text.find(']');
            if (close == std::string_view::npos) return fail("host", "IPv6 address without closing bracket");
            host = text.substr(1, close - 1);
            std::string_view rest = text.substr(close + 1);
            if (!rest.empty()) {
                if (rest[0] != ':') return fail("host", "unexpected text after IPv6 address");
                port = rest.substr(1);
                if (port.empty()) return fail("port", "empty port");
            }
        } else {
            const auto colon = text.rfind(':');
            if (colon != std::string_view::npos) {
                if (text.find(':') != colon) return fail("host", "IPv6 addresses go in brackets: [::1]:6379");
                host = text.substr(0, colon);
                port = text.substr(colon + 1);
                if (port.empty()) return fail("port", "empty port");
            }
        }
        if (host.empty()) return fail("host", "empty host");
        std::string decoded;
        if (!percent_decode(host, decoded)) return fail("host", "invalid percent-encoding");
        a.host = decoded;
        if (!port.empty()) {
            unsigned p = 0;
            if (!to_number(port, p) || p == 0 || p > 65535) return fail("port", "not a port number: '" + std::string(port) + "'");
            a.port = static_cast<std::uint16_t>(p);
        }
        return a;
    }

    bool option(std::string_view key, std::string_view raw, client_config& c) {
        std::string value;
        if (!percent_decode(raw, value)) {
            fail(std::string(key), "invalid percent-encoding");
            return false;
        }
        auto bad = [&](const char* what) {
            fail(std::string(key), std::string(what) + ": '" + value + "'");
            return false;
        };
        if (key == "db") {
            int db = 0;
            if (!to_number(std::string_view(value), db) || db < 0) return bad("not a database number");
            c.database = db;
        } else if (key == "protocol") {
            if (value == "2") c.protocol = protocol_version::resp2;
            else if (value == "3") c.protocol = protocol_version::resp3;
            else if (iequals(value, "auto")) c.protocol = protocol_version::resp3_or_resp2;
            else return bad("expected 2, 3 or auto");
        } else if (key == "client_name") {
            c.client_name = value;
        } else if (key == "key_prefix") {
            c.key_prefix = value;
        } else if (key == "request_timeout" || key == "connect_timeout") {
            std::chrono::milliseconds d{};
            if (!to_duration(value, d)) return bad("not a duration (milliseconds, or with ms / s)");
            (key == "request_timeout" ? c.request_timeout : c.connect_timeout) = d;
        } else if (key == "read_from") {
            if (value == "primary") c.reads = read_from::primary;
            else if (value == "prefer_replica") c.reads = read_from::prefer_replica;
            else return bad("expected primary or prefer_replica");
        } else if (key == "tls_ca_file") {
            c.tls.ca_file = value;
        } else if (key == "tls_ca_dir") {
            c.tls.ca_dir = value;
        } else if (key == "tls_cert_file") {
            c.tls.cert_file = value;
        } else if (key == "tls_key_file") {
            c.tls.key_file = value;
        } else if (key == "tls_server_name") {
            c.tls.server_name = value;
        } else if (key == "tls_verify") {
            bool b = true;
            if (!to_bool(value, b)) return bad("expected true or false");
            c.tls.verify_peer = c.tls.verify_hostname = b;
        } else if (key == "tls_verify_hostname") {
            bool b = true;
            if (!to_bool(value, b)) return bad("expected true or false");
            c.tls.verify_hostname = b;
        } else {
            fail(std::string(key), "unknown option");
            return false;
        }
        return true;
    }
};

} // namespace config_impl

RESPIO_DECL std::optional<client_config> parse_url(std::string_view url, url_error& error, client_config c) {
    using namespace config_impl;
    parser p{error};
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return p.fail("scheme", "missing scheme (redis://, rediss://, valkey://, valkeys://, unix://)");
    const std::string_view scheme = url.substr(0, sep);
    bool unix_socket = false;
    if (iequals(scheme, "redis") || iequals(scheme, "valkey")) {
        c.tls.enabled = false;
    } else if (iequals(scheme, "rediss") || iequals(scheme, "valkeys")) {
        c.tls.enabled = true;
    } else if (iequals(scheme, "unix")) {
        unix_socket = true;
    } else {
        return p.fail("scheme", "unknown scheme '" + std::string(scheme) + "'");
    }
    std::string_view rest = url.substr(sep + 3);
    if (rest.find('#') != std::string_view::npos) return p.fail("url", "fragments (#...) are not allowed");

    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    // A '/' or '?' left unencoded in a user or password ends the host part early: the rest of the
    // password would be read as a port, a database or an option name, and quoted in the error.
    // No host, database or option name holds an '@', so an '@' there means exactly that.
    if ((!unix_socket && rest.find('/') != std::string_view::npos && rest.find('@', rest.find('/')) != std::string_view::npos) ||
        query.substr(0, query.find('=')).find('@') != std::string_view::npos)
        return p.fail("url", "'/' and '?' in a user name or password must be percent-encoded (%2F, %3F)");

    // Credentials: everything before the last '@' of the authority (a password may hold '@'
    // percent-encoded or not; the host never does).
    std::string_view authority = rest, path;
    if (!unix_socket) {
        const auto slash = rest.find('/');
        if (slash != std::string_view::npos) {
            authority = rest.substr(0, slash);
            path = rest.substr(slash);
        }
    }
    if (const auto at = (unix_socket ? rest.find("@/") : authority.rfind('@')); at != std::string_view::npos) {
        const std::string_view userinfo = (unix_socket ? rest : authority).substr(0, at);
        if (unix_socket) rest = rest.substr(at + 1);
        else authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        std::string user, password;
        if (!percent_decode(userinfo.substr(0, colon), user)) return p.fail("user", "invalid percent-encoding");
        if (colon != std::string_view::npos) {
            if (!percent_decode(userinfo.substr(colon + 1), password)) return p.fail("password", "invalid percent-encoding");
        }
        if (colon == std::string_view::npos) { // redis://password@host is common: one word is the password
            password = user;
            user.clear();
        }
        if (password.empty()) return p.fail("password", "a user without a password");
        c.auth = credentials{user, password};
    }

    if (unix_socket) {
        if (rest.empty() || rest[0] != '/') return p.fail("path", "unix:// needs an absolute socket path");
        std::string decoded;
        if (!percent_decode(rest, decoded)) return p.fail("path", "invalid percent-encoding");
        if (decoded.size() > 107) return p.fail("path", "unix socket paths are limited to 107 bytes");
        address a;
        a.unix_path = decoded;
        c.addresses = {a};
    } else {
        if (authority.empty()) return p.fail("host", "empty host");
        std::vector<address> hosts;
        std::size_t start = 0;
        while (start <= authority.size()) {
            const auto comma = authority.find(',', start);
            const auto item = authority.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            auto a = p.host_port(item);
            if (!a) return std::nullopt;
            hosts.push_back(*a);
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        c.addresses = std::move(hosts);
        if (!path.empty() && path != "/") {
            int db = 0;
            if (!to_number(path.substr(1), db) || db < 0) return p.fail("database", "not a database number: '" + std::string(path.substr(1)) + "'");
            c.database = db;
        }
    }

    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) return p.fail(std::string(pair), "option without a value");
        if (!p.option(pair.substr(0, eq), pair.substr(eq + 1), c)) return std::nullopt;
    }
    return c;
}

RESPIO_DECL client_config parse_url(std::string_view url, client_config base) {
    url_error e;
    auto c = parse_url(url, e, std::move(base));
    if (!c) throw std::invalid_argument("respio: invalid URL, " + e.field + ": " + e.message);
    return std::move(*c);
}

} // namespace respio

#endif // RESPIO_IMPL_CONFIG_IPP
