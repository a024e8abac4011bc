// expect: wrong kind, or is out of order
// A bool is no argument: true would have to be spelled somehow, and no spelling is right.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get(true); }
