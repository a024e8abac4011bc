// expect: more arguments than this command takes
// GET takes one key (MGET takes several).
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get("a", "b"); }
