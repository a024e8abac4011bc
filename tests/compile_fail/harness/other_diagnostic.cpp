// expect: this diagnostic never appears
// Harness check (WILL_FAIL): the code fails to compile, but not with the expected diagnostic;
// the harness must report that as a failure.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get(); }
