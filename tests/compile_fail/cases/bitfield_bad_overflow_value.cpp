// expect: wrong kind, or is out of order
// OVERFLOW takes WRAP, SAT or FAIL.
#include <respio/commands/bitmap.hpp>

void f() { (void)respio::cmd::bitfield("k", respio::opt::overflow(respio::opt::nx)); }
