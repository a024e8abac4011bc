// The program every packaging consumer builds, however it found respio: it uses the library for
// real, so a wrong include path, missing C++20 flag, define or link line fails here and not in a
// user's project. RESPIO_CONSUMER_TLS (0 or 1) says whether the consumer linked the TLS variant.
#include <respio/resp.hpp>
#include <respio/version.hpp>

#if !defined(RESPIO_CONSUMER_TLS)
#error "the consumer project must define RESPIO_CONSUMER_TLS to 0 or 1"
#elif RESPIO_CONSUMER_TLS
#ifndef RESPIO_HAS_TLS
#error "the TLS variant (respio::tls / respio-tls.pc) did not define RESPIO_HAS_TLS"
#endif
#include <openssl/crypto.h>
#elif defined(RESPIO_HAS_TLS)
#error "the plain variant (respio::respio / respio.pc) defined RESPIO_HAS_TLS"
#endif

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

int fail(const char* what) {
    std::fprintf(stderr, "respio consumer: %s\n", what);
    return 1;
}

} // namespace

int main() {
    const std::string bytes = respio::resp::make_command("SET", "key", 42);
    if (bytes != "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n42\r\n") return fail("make_command wrote unexpected bytes");

    respio::resp::parser parser;
    boost::system::error_code ec;
    std::vector<respio::resp::node_view> nodes;
    while (!parser.done()) {
        auto node = parser.next(bytes, ec);
        if (ec) return fail(ec.message().c_str());
        if (!node) return fail("the parser wanted more bytes than one whole command");
        nodes.push_back(*node);
    }
    if (parser.consumed() != bytes.size()) return fail("the parser did not consume exactly the command");
    if (nodes.size() != 4 || nodes[0].data_type != respio::resp::type::array || nodes[0].size != 3)
        return fail("the parsed command is not an array of 3");
    const std::string_view expected[] = {"SET", "key", "42"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& n = nodes[i + 1];
        if (n.data_type != respio::resp::type::bulk_string || n.depth != 1 || n.value != expected[i])
            return fail("a parsed argument differs from what was serialized");
    }

    std::printf("%s %s\n", respio::library_name, respio::version_string);
#if RESPIO_CONSUMER_TLS
    // Calling into libcrypto proves the TLS variant puts OpenSSL on the link line.
    std::printf("with %s\n", OpenSSL_version(OPENSSL_VERSION));
#endif
    return 0;
}
