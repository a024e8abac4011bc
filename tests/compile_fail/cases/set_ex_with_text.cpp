// expect: wrong kind, or is out of order
// EX takes an integer number of seconds.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::set("k", "v", respio::opt::ex("x")); }
