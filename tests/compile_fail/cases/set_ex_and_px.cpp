// expect: options that exclude each other
// SET key value [EX seconds | PX milliseconds | ...]: one expiry.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::set("k", "v", respio::opt::ex(10), respio::opt::px(10000)); }
