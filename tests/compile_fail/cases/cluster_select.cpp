// expect: cannot run on a cluster
// A cluster has one database: SELECT does not compile on cluster_client (it does on client).
#include <respio/cluster_client.hpp>
#include <respio/commands/connection.hpp>

void f(respio::cluster_client& c) {
    c.async_exec(respio::cmd::select(1), [](boost::system::error_code, respio::ok) {});
}
