// Optional separate compilation: define RESPIO_SEPARATE_COMPILATION for the whole project and
// include this header in exactly one .cpp file. It compiles every non-template body once.
#ifndef RESPIO_SRC_HPP
#define RESPIO_SRC_HPP

#ifndef RESPIO_SEPARATE_COMPILATION
#error "respio/src.hpp is only for RESPIO_SEPARATE_COMPILATION builds: define it project-wide, or do not include this file"
#endif

#include <respio/detail/config.hpp>

#include <respio/resp/impl/error.ipp>
#include <respio/resp/impl/parser.ipp>
#include <respio/impl/client_core.ipp>
#include <respio/impl/cluster_core.ipp>
#include <respio/impl/config.ipp>
#include <respio/impl/error.ipp>
#include <respio/impl/handshake.ipp>
#include <respio/impl/keys.ipp>
#include <respio/impl/multiplexer.ipp>

#endif // RESPIO_SRC_HPP
