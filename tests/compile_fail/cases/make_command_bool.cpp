// expect: make_command\([^)]*bool\)|.bool. does not satisfy .command_arg.
// The serializer refuses bool: "1"/"0" or "true"/"false" is the caller's choice to spell.
#include <respio/resp/serializer.hpp>

void f() { (void)respio::resp::make_command("SET", "k", true); }
