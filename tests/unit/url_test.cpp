// parse_url(): every scheme, credentials, hosts, database, every option, and errors that name the
// field and never show the password.
#include <respio/config.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using respio::address;
using respio::client_config;
using respio::parse_url;
using respio::protocol_version;
using respio::read_from;
using respio::url_error;
using ms = std::chrono::milliseconds;

// Parses a URL that must be valid.
client_config ok(std::string_view url, client_config base = {}) {
    url_error e;
    auto c = parse_url(url, e, std::move(base));
    EXPECT_TRUE(c.has_value()) << url << " -> " << e.field << ": " << e.message;
    return c ? *c : client_config{};
}

// Parses a URL that must be refused; returns the error.
url_error bad(std::string_view url) {
    url_error e;
    auto c = parse_url(url, e);
    EXPECT_FALSE(c.has_value()) << url;
    EXPECT_FALSE(e.field.empty()) << url;
    EXPECT_FALSE(e.message.empty()) << url;
    return e;
}

address tcp(std::string host, std::uint16_t port) {
    address a;
    a.host = std::move(host);
    a.port = port;
    return a;
}

TEST(parse_url, every_tcp_scheme_with_tls_where_the_name_says_so) {
    struct row {
        std::string_view url;
        bool tls;
    };
    for (const row r : {row{"redis://cache", false}, row{"rediss://cache", true}, row{"valkey://cache", false},
                        row{"valkeys://cache", true}, row{"REDISS://cache", true}, row{"Valkey://cache", false}}) {
        const auto c = ok(r.url);
        EXPECT_EQ(c.tls.enabled, r.tls) << r.url;
        ASSERT_EQ(c.addresses.size(), 1u) << r.url;
        EXPECT_EQ(c.addresses[0], tcp("cache", 6379)) << r.url;
        EXPECT_FALSE(c.addresses[0].is_unix());
        EXPECT_EQ(c.database, 0);
        EXPECT_TRUE(c.auth.password.empty());
    }
    // The scheme decides, whatever the base said.
    client_config tls_base;
    tls_base.tls.enabled = true;
    EXPECT_FALSE(ok("redis://cache", tls_base).tls.enabled);
}

TEST(parse_url, host_port_and_database) {
    const auto c = ok("redis://db.example.com:6380/3");
    ASSERT_EQ(c.addresses.size(), 1u);
    EXPECT_EQ(c.addresses[0], tcp("db.example.com", 6380));
    EXPECT_EQ(c.database, 3);
    EXPECT_EQ(ok("redis://h/").database, 0) << "an empty path selects nothing";
    EXPECT_EQ(ok("redis://h:1").addresses[0].port, 1);
    EXPECT_EQ(ok("redis://h:65535").addresses[0].port, 65535);
    EXPECT_EQ(ok("redis://10.0.0.7:7000/15").addresses[0], tcp("10.0.0.7", 7000));
}

TEST(parse_url, unix_socket_with_credentials_and_options) {
    auto c = ok("unix:///var/run/valkey.sock");
    ASSERT_EQ(c.addresses.size(), 1u);
    EXPECT_TRUE(c.addresses[0].is_unix());
    EXPECT_EQ(c.addresses[0].unix_path, "/var/run/valkey.sock");

    c = ok("unix://app:p%40ss@/tmp/my%20sock.sock?db=4&client_name=w");
    EXPECT_EQ(c.addresses[0].unix_path, "/tmp/my sock.sock");
    EXPECT_EQ(c.auth.username, "app");
    EXPECT_EQ(c.auth.password, "p@ss");
    EXPECT_EQ(c.database, 4);
    EXPECT_EQ(c.client_name, "w");

    EXPECT_EQ(ok("unix:///tmp/a@b.sock").addresses[0].unix_path, "/tmp/a@b.sock") << "an @ in the path is no userinfo";
    EXPECT_TRUE(ok("unix:///tmp/a@b.sock").auth.password.empty());
    const std::string longest = "/" + std::string(106, 'x');
    EXPECT_EQ(ok("unix://" + longest).addresses[0].unix_path, longest) << "107 bytes fit sun_path";
}

TEST(parse_url, user_and_password_are_percent_decoded) {
    auto c = ok("redis://alice:p%40ss%3Aw%2Frd%25@h");
    EXPECT_EQ(c.auth.username, "alice");
    EXPECT_EQ(c.auth.password, "p@ss:w/rd%");

    c = ok("redis://us%65r%20x:pw@h");
    EXPECT_EQ(c.auth.username, "user x");

    c = ok("redis://alice:p@ss:w@h:6380");
    EXPECT_EQ(c.auth.password, "p@ss:w") << "the last @ ends the userinfo; the first : splits it";
    EXPECT_EQ(c.addresses[0], tcp("h", 6380));

    c = ok("redis://:only-password@h");
    EXPECT_TRUE(c.auth.username.empty());
    EXPECT_EQ(c.auth.password, "only-password");
}

TEST(parse_url, one_word_userinfo_is_the_password) {
    const auto c = ok("redis://s3cret@h");
    EXPECT_TRUE(c.auth.username.empty()) << "the default user";
    EXPECT_EQ(c.auth.password, "s3cret");
    EXPECT_EQ(ok("redis://s%2F3cret@h").auth.password, "s/3cret");
}

TEST(parse_url, ipv6_hosts_go_in_brackets) {
    auto c = ok("redis://[::1]:6380");
    EXPECT_EQ(c.addresses[0], tcp("::1", 6380));
    c = ok("rediss://u:p@[2001:db8::7]/2");
    EXPECT_EQ(c.addresses[0], tcp("2001:db8::7", 6379));
    EXPECT_EQ(c.database, 2);
    EXPECT_EQ(c.auth.password, "p");
    EXPECT_EQ(ok("redis://[fe80::1%25eth0]:7000").addresses[0], tcp("fe80::1%eth0", 7000)) << "a zone id";
}

TEST(parse_url, several_hosts) {
    const auto c = ok("redis://u:p@primary:7000,replica-1,[::1]:7002,10.1.1.1:7003/1?read_from=prefer_replica");
    const std::vector<address> want = {tcp("primary", 7000), tcp("replica-1", 6379), tcp("::1", 7002),
                                       tcp("10.1.1.1", 7003)};
    EXPECT_EQ(c.addresses, want);
    EXPECT_EQ(c.database, 1);
    EXPECT_EQ(c.reads, read_from::prefer_replica);
    EXPECT_EQ(c.auth.password, "p");
}

TEST(parse_url, every_option) {
    const auto c = ok("rediss://h?db=7&protocol=2&client_name=my%20app&key_prefix=app%3A&request_timeout=120"
                      "&connect_timeout=3s&read_from=prefer_replica&tls_ca_file=/etc/ca.pem&tls_ca_dir=/etc/certs"
                      "&tls_cert_file=/c.pem&tls_key_file=/k.pem&tls_server_name=cache.internal"
                      "&tls_verify_hostname=false");
    EXPECT_EQ(c.database, 7);
    EXPECT_EQ(c.protocol, protocol_version::resp2);
    EXPECT_EQ(c.client_name, "my app");
    EXPECT_EQ(c.key_prefix, "app:");
    EXPECT_EQ(c.request_timeout, ms(120));
    EXPECT_EQ(c.connect_timeout, ms(3000));
    EXPECT_EQ(c.reads, read_from::prefer_replica);
    EXPECT_EQ(c.tls.ca_file, "/etc/ca.pem");
    EXPECT_EQ(c.tls.ca_dir, "/etc/certs");
    EXPECT_EQ(c.tls.cert_file, "/c.pem");
    EXPECT_EQ(c.tls.key_file, "/k.pem");
    EXPECT_EQ(c.tls.server_name, "cache.internal");
    EXPECT_TRUE(c.tls.enabled);
    EXPECT_TRUE(c.tls.verify_peer);
    EXPECT_FALSE(c.tls.verify_hostname);

    EXPECT_EQ(ok("redis://h/2?db=9").database, 9) << "the option wins over the path";
    EXPECT_EQ(ok("redis://h?&&db=1&").database, 1) << "empty pairs are skipped";
    EXPECT_EQ(ok("redis://h?client_name=a%40b").client_name, "a@b");
    EXPECT_EQ(ok("redis://h?client_name=a@b").client_name, "a@b") << "an @ in an option value is no userinfo";
}

TEST(parse_url, durations_in_milliseconds_or_with_a_unit) {
    EXPECT_EQ(ok("redis://h?request_timeout=250").request_timeout, ms(250));
    EXPECT_EQ(ok("redis://h?request_timeout=250ms").request_timeout, ms(250));
    EXPECT_EQ(ok("redis://h?request_timeout=2s").request_timeout, ms(2000));
    EXPECT_EQ(ok("redis://h?connect_timeout=0").connect_timeout, ms(0));
    EXPECT_EQ(ok("redis://h?connect_timeout=1500ms").connect_timeout, ms(1500));
}

TEST(parse_url, protocol_values) {
    EXPECT_EQ(ok("redis://h?protocol=2").protocol, protocol_version::resp2);
    EXPECT_EQ(ok("redis://h?protocol=3").protocol, protocol_version::resp3);
    EXPECT_EQ(ok("redis://h?protocol=auto").protocol, protocol_version::resp3_or_resp2);
    client_config base;
    base.protocol = protocol_version::resp2;
    EXPECT_EQ(ok("redis://h?protocol=AUTO", base).protocol, protocol_version::resp3_or_resp2);
}

TEST(parse_url, read_from_values) {
    EXPECT_EQ(ok("redis://h?read_from=prefer_replica").reads, read_from::prefer_replica);
    client_config base;
    base.reads = read_from::prefer_replica;
    EXPECT_EQ(ok("redis://h?read_from=primary", base).reads, read_from::primary);
}

TEST(parse_url, tls_verify_false_turns_off_peer_and_name_checks) {
    auto c = ok("rediss://h?tls_verify=false");
    EXPECT_FALSE(c.tls.verify_peer);
    EXPECT_FALSE(c.tls.verify_hostname);
    EXPECT_FALSE(c.tls.insecure_skip_verification_for_testing_only) << "a separate, louder switch";
    c = ok("rediss://h?tls_verify=0&tls_verify=true");
    EXPECT_TRUE(c.tls.verify_peer) << "the last one wins";
    EXPECT_TRUE(c.tls.verify_hostname);
    c = ok("rediss://h?tls_verify_hostname=no");
    EXPECT_TRUE(c.tls.verify_peer);
    EXPECT_FALSE(c.tls.verify_hostname);
}

TEST(parse_url, fields_not_in_the_url_come_from_the_base) {
    client_config base;
    base.request_timeout = ms(999);
    base.key_prefix = "base:";
    base.max_in_flight = 7;
    base.auth = {"u", "p"};
    const auto c = ok("redis://h:1?request_timeout=5", base);
    EXPECT_EQ(c.request_timeout, ms(5));
    EXPECT_EQ(c.key_prefix, "base:");
    EXPECT_EQ(c.max_in_flight, 7u);
    EXPECT_EQ(c.auth.password, "p") << "no userinfo in the URL keeps the base's credentials";
    EXPECT_EQ(c.addresses, std::vector<address>{tcp("h", 1)}) << "the URL's hosts replace the base's";
}

TEST(parse_url, errors_name_the_field) {
    struct row {
        std::string_view url;
        std::string_view field;
    };
    const row rows[] = {
        {"http://h", "scheme"},
        {"h:6379", "scheme"},
        {"redis:/h", "scheme"},
        {"redis://h:0", "port"},
        {"redis://h:65536", "port"},
        {"redis://h:abc", "port"},
        {"redis://h:-1", "port"},
        {"redis://h:", "port"},
        {"redis://[::1]:", "port"},
        {"redis://h/abc", "database"},
        {"redis://h/-1", "database"},
        {"redis://h/1/2", "database"},
        {"redis://h?db=x", "db"},
        {"redis://h?db=-2", "db"},
        {"redis://h?bogus=1", "bogus"},
        {"redis://h?db", "db"},
        {"redis://h?request_timeout", "request_timeout"},
        {"redis://h?request_timeout=soon", "request_timeout"},
        {"redis://h?request_timeout=1.5s", "request_timeout"},
        {"redis://h?connect_timeout=-5", "connect_timeout"},
        {"redis://h?connect_timeout=5m", "connect_timeout"},
        {"redis://h?connect_timeout=ms", "connect_timeout"},
        {"redis://h?protocol=4", "protocol"},
        {"redis://h?read_from=replica", "read_from"},
        {"redis://h?tls_verify=maybe", "tls_verify"},
        {"redis://h?tls_verify_hostname=2", "tls_verify_hostname"},
        {"redis://h?client_name=%zz", "client_name"},
        {"redis://::1", "host"},
        {"redis://fe80::1:6379", "host"},
        {"redis://[::1", "host"},
        {"redis://[::1]x", "host"},
        {"redis://", "host"},
        {"redis://h1,,h2", "host"},
        {"redis://:6379", "host"},
        {"unix://relative/path.sock", "path"},
        {"unix://", "path"},
        {"redis://user:@h", "password"},
        {"redis://user:p%zz@h", "password"},
        {"redis://h#frag", "url"},
    };
    for (const auto& r : rows) {
        const url_error e = bad(r.url);
        EXPECT_EQ(e.field, r.field) << r.url << " -> " << e.field << ": " << e.message;
    }
    const url_error too_long = bad("unix:///" + std::string(107, 'x'));
    EXPECT_EQ(too_long.field, "path") << too_long.message;
    EXPECT_NE(too_long.message.find("107"), std::string::npos) << too_long.message;
    EXPECT_NE(bad("redis://h:65536").message.find("65536"), std::string::npos) << "the bad value is quoted";
    EXPECT_NE(bad("ftp://h").message.find("ftp"), std::string::npos);
    EXPECT_NE(bad("redis://::1").message.find('['), std::string::npos) << "says how to write it";
}

TEST(parse_url, the_password_never_appears_in_an_error) {
    const std::string pw = "Zq9-secret";
    const std::vector<std::string> urls = {
        "redis://user:" + pw + "@h:abc",
        "redis://user:" + pw + "@h:0",
        "redis://user:" + pw + "@h/notanumber",
        "redis://user:" + pw + "@h?bogus=1",
        "redis://user:" + pw + "@h?db",
        "redis://user:" + pw + "@h?request_timeout=never",
        "redis://user:" + pw + "@::1",
        "redis://user:" + pw + "@[::1",
        "redis://user:" + pw + "@",
        "redis://" + pw + "@h:99999",
        "ftp://user:" + pw + "@h",
        "redis://user:" + pw + "@h#x",
        "redis://user:" + pw + "%zz@h",
        "unix://user:" + pw + "@relative.sock",
        "unix://user:" + pw + "@/" + std::string(120, 'x'),
        // Characters that should have been percent-encoded split the URL in odd places; no part of
        // the password may be quoted back then either.
        "redis://user:Zq9/-secret@h",
        "redis://Zq9/-secret@h:6379",
        "redis://user:Zq9?-secret@h",
        "redis://Zq9?-secret@h",
        "unix://user:Zq9?-secret@/tmp/s.sock",
    };
    for (const auto& url : urls) {
        const url_error e = bad(url);
        for (std::string_view part : {std::string_view("Zq9"), std::string_view("-secret")}) {
            EXPECT_EQ(e.message.find(part), std::string::npos) << url << " -> " << e.field << ": " << e.message;
            EXPECT_EQ(e.field.find(part), std::string::npos) << url << " -> " << e.field << ": " << e.message;
        }
        try {
            (void)parse_url(url);
            ADD_FAILURE() << url << " parsed";
        } catch (const std::invalid_argument& ex) {
            EXPECT_EQ(std::string(ex.what()).find("Zq9"), std::string::npos) << ex.what();
        }
    }
}

TEST(parse_url, the_throwing_overload_throws_invalid_argument_naming_the_field) {
    try {
        (void)parse_url("redis://h:70000");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("port"), std::string::npos) << what;
        EXPECT_NE(what.find("70000"), std::string::npos) << what;
    }
    EXPECT_THROW((void)parse_url("nope"), std::invalid_argument);
    const auto c = parse_url("valkeys://u:p@h:1/2");
    EXPECT_TRUE(c.tls.enabled);
    EXPECT_EQ(c.database, 2);
    client_config base;
    base.request_timeout = ms(77);
    EXPECT_EQ(parse_url("redis://h", base).request_timeout, ms(77));
}

} // namespace
