// expect: wrong kind, or is out of order
// SET key value [NX | XX] [GET] [EX ...]: NX comes before the expiry.
#include <respio/commands/string.hpp>

void f() { (void)respio::cmd::set("k", "v", respio::opt::ex(10), respio::opt::nx); }
