// expect: make_command\([^)]*char\)|.char. does not satisfy .command_arg.
// A char is ambiguous (a number or a one-letter string?): refused.
#include <respio/resp/serializer.hpp>

void f() { (void)respio::resp::make_command("SET", "k", 'c'); }
