// Optional separate compilation, as a user would set it up: with RESPIO_SEPARATE_COMPILATION (and
// BOOST_ASIO_SEPARATE_COMPILATION) defined for the whole project, this one file compiles the
// non-template code of respio and Asio once, instead of in every file that includes them.
#include <respio/src.hpp>

#include <boost/asio/impl/src.hpp>
#ifdef RESPIO_HAS_TLS
#include <boost/asio/ssl/impl/src.hpp>
#endif
