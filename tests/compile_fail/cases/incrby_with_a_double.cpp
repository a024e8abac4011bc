// expect: wrong kind, or is out of order
// INCRBY key increment: an integer; INCRBYFLOAT takes doubles.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::incrby("k", 1.5); }
