// expect: make_command\([^)]*void ?\*|.void \*. does not satisfy .command_arg.
// A pointer that is no string: refused, never printed as an address.
#include <respio/resp/serializer.hpp>

void f() {
    void* p = nullptr;
    (void)respio::resp::make_command("GET", p);
}
