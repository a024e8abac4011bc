// expect: compiles
// Control: the same headers and calls, spelled right, compile. Proves the harness flags and
// include paths work, so the failures of the other cases come from the cases themselves.
#include <respio/commands/bitmap.hpp>
#include <respio/commands/generic.hpp>
#include <respio/commands/list.hpp>
#include <respio/commands/sorted_set.hpp>
#include <respio/commands/stream.hpp>
#include <respio/commands/string.hpp>
#include <respio/resp/serializer.hpp>

#include <string>
#include <vector>

void f() {
    using namespace respio;
    (void)cmd::get("k");
    (void)cmd::lpush("k", "e");
    (void)cmd::xread(opt::count(10), opt::streams("s", "0"));
    (void)cmd::set("k", "v", opt::nx, opt::ex(10));
    (void)cmd::zadd("z", opt::nx, 1, "m");
    (void)cmd::expire("k", 10);
    (void)cmd::incrby("k", 2);
    (void)cmd::bitfield("k", opt::overflow(opt::sat), opt::incrby("u8", 0, 1));
    (void)cmd::mget("a", "b");
    (void)cmd::mset(std::vector<std::pair<std::string, std::string>>(64, {"k", "v"}));
    (void)resp::make_command("SET", "k", 1, 2.5, std::string("v"));
}
