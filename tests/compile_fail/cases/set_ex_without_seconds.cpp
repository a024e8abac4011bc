// expect: wrong kind, or is out of order
// EX used bare: the token needs its value.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::set("k", "v", respio::opt::ex); }
