// expect: a required argument of this command is missing
// Harness check (WILL_FAIL): the code compiles although a diagnostic is expected; the harness
// must report that as a failure.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get("k"); }
