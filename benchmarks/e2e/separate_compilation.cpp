// The one TU of respio_bench_support: respio's and Asio's non-template code, compiled once
// (RESPIO_SEPARATE_COMPILATION, BOOST_ASIO_SEPARATE_COMPILATION), as examples/ does it.
#include <respio/src.hpp>

#include <boost/asio/impl/src.hpp>
#ifdef RESPIO_HAS_TLS
#include <boost/asio/ssl/impl/src.hpp>
#endif
