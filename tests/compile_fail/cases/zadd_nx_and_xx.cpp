// expect: options that exclude each other
// ZADD key [NX | XX] ...: one of them.
#include <respio/commands/sorted_set.hpp>

void f() { (void)respio::cmd::zadd("z", respio::opt::nx, respio::opt::xx, 1, "m"); }
