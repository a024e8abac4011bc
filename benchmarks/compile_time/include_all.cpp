// Compile-time: the baseline plus every respio header (the client, the cluster client and all 399
// command descriptors).
#include <respio.hpp>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

int main() {}
