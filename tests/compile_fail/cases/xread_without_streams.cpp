// expect: a required argument of this command is missing
// XREAD needs STREAMS; COUNT alone is not enough.
#include <respio/commands/stream.hpp>

void f() { (void)respio::cmd::xread(respio::opt::count(10)); }
