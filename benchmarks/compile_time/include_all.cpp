// Compile-time: the baseline plus every respio header (all 399 command descriptors included).
#include <respio.hpp>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

int main() {}
