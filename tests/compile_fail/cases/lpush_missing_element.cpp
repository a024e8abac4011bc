// expect: a required argument of this command is missing
// LPUSH key element [element ...]: one element at least.
#include <respio/commands/list.hpp>

void f() { (void)respio::cmd::lpush("k"); }
