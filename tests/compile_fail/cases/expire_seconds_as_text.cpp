// expect: wrong kind, or is out of order
// EXPIRE key seconds: seconds is an integer, not text.
#include <respio/commands/generic.hpp>

void f() { (void)respio::cmd::expire("k", "ten"); }
