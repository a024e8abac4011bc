// Compile-time baseline: what any Asio + TLS program pays before it uses respio.
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

int main() {}
