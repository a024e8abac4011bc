// expect: compiles
// The control case of cluster_select: the same client and the same call with GET compile.
#include <respio/client.hpp>
#include <respio/cluster_client.hpp>
#include <respio/commands/connection.hpp>
#include <respio/commands/string.hpp>

void f(respio::cluster_client& c, respio::client& s) {
    c.async_exec(respio::cmd::get("k"), [](boost::system::error_code, std::optional<std::string>) {});
    s.async_exec(respio::cmd::select(1), [](boost::system::error_code, respio::ok) {});
}
