// Compile-time: a typical TU — the baseline, every respio header, 10 distinct typed commands
// serialized into one pipelined buffer (a batch) and their typed replies read back.
#include <respio.hpp>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <cstdio>

using namespace respio;

template <class Command>
static typename Command::result_type read_back(const Command&, std::string_view reply) {
    typename Command::result_type value{};
    reply_reader<typename Command::result_type> reader(value);
    resp::parser parser;
    boost::system::error_code ec;
    while (auto node = parser.next(reply, ec)) {
        reader.on_node(*node);
        if (parser.done()) break;
    }
    return value;
}

int main() {
    std::string batch;
    auto c1 = cmd::set("k", "v", opt::ex(10));
    auto c2 = cmd::get("k");
    auto c3 = cmd::incr("counter");
    auto c4 = cmd::hset("h", "f", "v");
    auto c5 = cmd::hgetall("h");
    auto c6 = cmd::zadd("z", 1.5, "m");
    auto c7 = cmd::zrange("z", 0, -1, opt::withscores);
    auto c8 = cmd::lpush("l", "a", "b");
    auto c9 = cmd::expire("k", 100);
    auto c10 = cmd::mget("a", "b", "c");
    c1.write(batch), c2.write(batch), c3.write(batch), c4.write(batch), c5.write(batch);
    c6.write(batch), c7.write(batch), c8.write(batch), c9.write(batch), c10.write(batch);
    int n = 0;
    n += read_back(c1, "+OK\r\n").has_value();
    n += read_back(c2, "$1\r\nv\r\n").has_value();
    n += static_cast<int>(read_back(c3, ":1\r\n"));
    n += static_cast<int>(read_back(c4, ":1\r\n"));
    n += static_cast<int>(read_back(c5, "%1\r\n+f\r\n+v\r\n").size());
    n += static_cast<int>(read_back(c6, ":1\r\n"));
    n += static_cast<int>(read_back(c7, "*1\r\n*2\r\n+m\r\n,1.5\r\n").size());
    n += static_cast<int>(read_back(c8, ":2\r\n"));
    n += read_back(c9, ":1\r\n");
    n += static_cast<int>(read_back(c10, "*3\r\n$-1\r\n$-1\r\n$-1\r\n").size());
    std::printf("%zu %d\n", batch.size(), n);
}
