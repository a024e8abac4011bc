// expect: options that exclude each other
// SET key value [NX | XX]: one of them.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::set("k", "v", respio::opt::nx, respio::opt::xx); }
