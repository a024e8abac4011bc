// expect: more than 63 separate arguments; pass a range instead
// 32 key/value pairs as 64 separate arguments: beyond what the matcher holds; a range is fine.
#include <respio/commands/string.hpp>

#define P(n) "k" #n, "v"
void f() {
    (void)respio::cmd::mset(P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14),
                            P(15), P(16), P(17), P(18), P(19), P(20), P(21), P(22), P(23), P(24), P(25), P(26), P(27),
                            P(28), P(29), P(30), P(31), P(32));
}
