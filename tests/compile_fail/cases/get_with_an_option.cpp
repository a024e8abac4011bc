// expect: more arguments than this command takes
// GET has no options.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get("k", respio::opt::nx); }
