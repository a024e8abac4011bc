// expect: compiles
// Harness check (WILL_FAIL): a control case that does not compile; the harness must report it.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::get(); }
