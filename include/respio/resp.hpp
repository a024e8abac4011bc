// The RESP protocol layer in one include: types, node views, parser, serializer, generic tree.
// No Asio here: usable and fuzzable on its own.
#ifndef RESPIO_RESP_HPP
#define RESPIO_RESP_HPP

#include <respio/resp/error.hpp>
#include <respio/resp/node.hpp>
#include <respio/resp/parser.hpp>
#include <respio/resp/serializer.hpp>
#include <respio/resp/tree.hpp>
#include <respio/resp/type.hpp>

#endif // RESPIO_RESP_HPP
