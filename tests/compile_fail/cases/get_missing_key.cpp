// expect: a required argument of this command is missing
// GET needs its key.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get(); }
