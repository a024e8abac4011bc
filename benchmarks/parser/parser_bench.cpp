// Parser benchmark: respio's pull parser against hiredis's reader on identical RESP2 replies,
// in wall-clock ns per reply and (with --callgrind) in instructions per reply; plus the cost
// of serializing a GET with resp::append_command.
//
//   parser_bench [--quick] [--json]              timing table (best of 5, interleaved)
//   parser_bench --callgrind [--quick] [--json]  re-runs itself under callgrind, instruction table
#include <respio/resp.hpp>

extern "C" {
#include <hiredis.h>
}

#ifdef RESPIO_BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

namespace resp = respio::resp;
using bench_clock = std::chrono::steady_clock;

volatile std::uint64_t sink; // results go here so the optimiser cannot drop the work

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "parser_bench: %s\n", what);
    std::exit(1);
}

std::string bulk(std::string_view s) { return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n"; }

// One reply shape. Both parsers get the same block: the reply repeated to about 16 KiB, the size
// of one hiredis socket read, as a pipelined connection would receive it.
struct shape {
    std::string name;
    std::string reply;
    std::string block;
    std::size_t replies_per_block = 1;
};

std::vector<shape> make_shapes() {
    std::vector<shape> shapes;
    auto add = [&](std::string name, std::string reply) {
        shape s{std::move(name), std::move(reply), {}, 1};
        s.replies_per_block = std::max<std::size_t>(1, 16384 / s.reply.size());
        for (std::size_t i = 0; i < s.replies_per_block; ++i) s.block += s.reply;
        shapes.push_back(std::move(s));
    };
    add("bulk 5 B", bulk("hello"));
    add("bulk 1 MiB", bulk(std::string(1u << 20, 'x')));
    std::string array = "*100\r\n";
    for (int i = 0; i < 100; ++i) array += bulk("0123456789");
    add("array 100 x 10 B", array);
    std::string hgetall = "*2000\r\n"; // a 1000-field HGETALL as RESP2 sends it: a flat array
    for (int i = 0; i < 1000; ++i) {
        char field[16], value[16];
        std::snprintf(field, sizeof field, "field:%04d", i);
        std::snprintf(value, sizeof value, "value:%04d", i);
        hgetall += bulk(field) + bulk(value);
    }
    add("hgetall 1000 fields", hgetall);
    add("integer", ":12345\r\n");
    std::string nested = "*10\r\n";
    for (int i = 0; i < 10; ++i) {
        nested += "*10\r\n";
        for (int j = 0; j < 10; ++j) nested += ":" + std::to_string(i * 10 + j) + "\r\n";
    }
    add("nested 10 x 10 ints", nested);
    return shapes;
}

// respio: pull every node of every reply in the block and touch it; no tree is built (a typed
// adapter consumes nodes as they come).
class respio_runner {
public:
    explicit respio_runner(const shape& s) : shape_(&s) {}
    std::uint64_t run_block() {
        std::string_view buf = shape_->block;
        std::uint64_t sum = 0;
        boost::system::error_code ec;
        for (std::size_t r = 0; r < shape_->replies_per_block; ++r) {
            for (;;) {
                const auto n = parser_.next(buf, ec);
                if (!n) [[unlikely]]
                    die("respio: reply incomplete or rejected");
                sum += n->value.size() + static_cast<std::uint64_t>(n->integer);
                if (parser_.done()) break;
            }
            buf.remove_prefix(parser_.consumed());
            parser_.reset();
        }
        if (!buf.empty()) [[unlikely]]
            die("respio: bytes left after the block");
        return sum;
    }

private:
    const shape* shape_;
    resp::parser parser_; // one per connection in real use: its stack keeps its capacity
};

// hiredis: what its users pay per reply: the feed (a copy into the reader's buffer), a malloc'd
// reply tree, and freeReplyObject. Only the top level is read, which favours hiredis.
class hiredis_runner {
public:
    explicit hiredis_runner(const shape& s) : shape_(&s), reader_(redisReaderCreate()) {
        if (reader_ == nullptr) die("redisReaderCreate failed");
    }
    ~hiredis_runner() { redisReaderFree(reader_); }
    hiredis_runner(const hiredis_runner&) = delete;
    hiredis_runner& operator=(const hiredis_runner&) = delete;

    std::uint64_t run_block() {
        if (redisReaderFeed(reader_, shape_->block.data(), shape_->block.size()) != REDIS_OK) die("hiredis: feed failed");
        std::uint64_t sum = 0;
        for (std::size_t r = 0; r < shape_->replies_per_block; ++r) {
            void* obj = nullptr;
            if (redisReaderGetReply(reader_, &obj) != REDIS_OK || obj == nullptr) [[unlikely]]
                die("hiredis: reply incomplete or rejected");
            const auto* reply = static_cast<const redisReply*>(obj);
            sum += reply->len + reply->elements + static_cast<std::uint64_t>(reply->integer);
            freeReplyObject(obj);
        }
        return sum;
    }

private:
    const shape* shape_;
    redisReader* reader_;
};

constexpr std::string_view get_key = "bench:key:000001";

// Serializing GET <16-byte key> into a reused buffer, as a connection's write buffer is reused.
class respio_get_runner {
public:
    std::uint64_t run_block() {
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < commands_per_block; ++i) {
            buffer_.clear();
            resp::append_command(buffer_, "GET", get_key);
            sum += buffer_.size();
        }
        return sum;
    }
    static constexpr std::size_t commands_per_block = 1000;

private:
    std::string buffer_;
};

// hiredis's closest equivalent: the argv formatter (no printf parsing), malloc'd and freed.
class hiredis_get_runner {
public:
    std::uint64_t run_block() {
        static const char* argv[] = {"GET", get_key.data()};
        static const std::size_t lens[] = {3, get_key.size()};
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < respio_get_runner::commands_per_block; ++i) {
            char* cmd = nullptr;
            const int len = redisFormatCommandArgv(&cmd, 2, argv, lens);
            if (len < 0) die("hiredis: redisFormatCommandArgv failed");
            sum += static_cast<std::uint64_t>(len);
            redisFreeCommand(cmd);
        }
        return sum;
    }
};

// Checks that both parsers see the same replies before anything is timed.
void validate(const shape& s) {
    respio_runner a(s);
    a.run_block();
    hiredis_runner b(s);
    b.run_block();
}

struct options {
    bool quick = false;
    bool json = false;
    bool callgrind = false;
};

// Blocks per clock read: enough for about a millisecond, so the clock is never read once per tiny
// reply. Also warms the runner up.
template <class Runner>
std::size_t calibrate(Runner& runner) {
    std::uint64_t sum = 0;
    for (std::size_t batch = 1;; batch *= 2) {
        const auto t0 = bench_clock::now();
        for (std::size_t i = 0; i < batch; ++i) sum += runner.run_block();
        if (bench_clock::now() - t0 >= std::chrono::milliseconds(1)) {
            sink = sum;
            return batch;
        }
    }
}

// ns per item of one measurement: whole batches until at least `min_seconds` have passed.
template <class Runner>
double measure(Runner& runner, std::size_t items_per_block, double min_seconds, std::size_t batch) {
    const auto min = std::chrono::duration<double>(min_seconds);
    std::uint64_t sum = 0;
    std::size_t blocks = 0;
    const auto t0 = bench_clock::now();
    bench_clock::duration elapsed{};
    do {
        for (std::size_t i = 0; i < batch; ++i) sum += runner.run_block();
        blocks += batch;
        elapsed = bench_clock::now() - t0;
    } while (elapsed < min);
    sink = sum;
    return std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(blocks * items_per_block);
}

struct row {
    std::string name;
    double respio = 0;
    double hiredis = 0;
};

// Best of `rounds`, respio and hiredis taking turns so a burst of load hits both alike.
template <class A, class B>
row time_pair(std::string name, A& a, B& b, std::size_t items_per_block, const options& opt) {
    const int rounds = opt.quick ? 3 : 5;
    const double min_seconds = opt.quick ? 0.05 : 0.2;
    row r{std::move(name), 1e300, 1e300};
    const std::size_t batch_a = calibrate(a), batch_b = calibrate(b);
    for (int i = 0; i < rounds; ++i) {
        r.respio = std::min(r.respio, measure(a, items_per_block, min_seconds, batch_a));
        r.hiredis = std::min(r.hiredis, measure(b, items_per_block, min_seconds, batch_b));
    }
    return r;
}

void print_header(const options& opt, const char* unit) {
    if (opt.json) return;
    std::printf("%-22s %16s %16s %16s\n", "shape", (std::string("respio ") + unit).c_str(),
                (std::string("hiredis ") + unit).c_str(), "hiredis/respio");
}

void print_row(const row& r, const options& opt, const char* json_unit, int decimals) {
    const double ratio = r.hiredis / r.respio;
    if (opt.json) {
        std::printf("{\"shape\": \"%s\", \"respio_%s\": %.*f, \"hiredis_%s\": %.*f, \"ratio\": %.2f}\n", r.name.c_str(),
                    json_unit, decimals, r.respio, json_unit, decimals, r.hiredis, ratio);
    } else {
        std::printf("%-22s %16.*f %16.*f %15.1fx\n", r.name.c_str(), decimals, r.respio, decimals, r.hiredis, ratio);
    }
    std::fflush(stdout);
}

int run_timing(const options& opt) {
    const auto shapes = make_shapes();
    if (!opt.json) std::printf("wall clock, ns per reply (best of %d, >= %.2f s each)\n", opt.quick ? 3 : 5, opt.quick ? 0.05 : 0.2);
    print_header(opt, "ns");
    for (const auto& s : shapes) {
        validate(s);
        respio_runner a(s);
        hiredis_runner b(s);
        print_row(time_pair(s.name, a, b, s.replies_per_block, opt), opt, "ns", 1);
    }
    respio_get_runner a;
    hiredis_get_runner b;
    print_row(time_pair("serialize GET", a, b, respio_get_runner::commands_per_block, opt), opt, "ns", 1);
    return 0;
}

#ifdef RESPIO_BENCH_HAVE_CALLGRIND

// Under callgrind: each measured section runs with instrumentation on, then is dumped under its
// own label. A warm-up block first keeps one-time costs (first malloc of a size, lazy binding,
// stack growth) out of the count.
template <class Runner>
void callgrind_section(const std::string& label, Runner& runner, std::size_t blocks) {
    sink = runner.run_block();
    std::uint64_t sum = 0;
    CALLGRIND_START_INSTRUMENTATION;
    for (std::size_t i = 0; i < blocks; ++i) sum += runner.run_block();
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT(label.c_str());
    sink = sum;
}

// Enough replies to amortise the loop, but at most ~32 MiB of input (1 MiB bulks are slow
// under valgrind).
std::size_t callgrind_blocks(const shape& s, const options& opt) {
    const std::size_t by_count = (opt.quick ? 4000 : 20000) / s.replies_per_block;
    const std::size_t by_bytes = (opt.quick ? 8u : 32u) * 1024 * 1024 / s.block.size();
    return std::max<std::size_t>(2, std::min(by_count, by_bytes));
}

int callgrind_child(const options& opt) {
    for (const auto& s : make_shapes()) {
        const std::size_t blocks = callgrind_blocks(s, opt);
        respio_runner a(s);
        hiredis_runner b(s);
        callgrind_section("respio|" + s.name + "|" + std::to_string(blocks * s.replies_per_block), a, blocks);
        callgrind_section("hiredis|" + s.name + "|" + std::to_string(blocks * s.replies_per_block), b, blocks);
    }
    const std::size_t blocks = opt.quick ? 2 : 10;
    const std::string n = std::to_string(blocks * respio_get_runner::commands_per_block);
    respio_get_runner a;
    hiredis_get_runner b;
    callgrind_section("respio|serialize GET|" + n, a, blocks);
    callgrind_section("hiredis|serialize GET|" + n, b, blocks);
    return 0;
}

// Reads "desc: Trigger: Client Request: <label>" and "totals: <Ir>" from every dump.
int callgrind_parent(const options& opt, const char* self) {
    char tmpl[] = "/tmp/respio-callgrind.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) die("mkdtemp failed");
    const std::filesystem::path dir = tmpl;
    std::string cmd = "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=" + (dir / "cg.out").string() +
                      " '" + std::string(self) + "' --callgrind";
    if (opt.quick) cmd += " --quick";
    cmd += " > " + (dir / "log").string() + " 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "parser_bench: valgrind failed (%s); its log: %s\n", cmd.c_str(), (dir / "log").c_str());
        return 1;
    }
    // name -> (replies, instructions).
    std::map<std::string, std::pair<double, double>> respio_ir, hiredis_ir;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        std::string line, label;
        double ir = -1;
        while (std::getline(in, line)) {
            constexpr std::string_view desc = "desc: Trigger: Client Request: ";
            if (line.starts_with(desc)) label = line.substr(desc.size());
            // "totals:" is the sum of the dumped part; "summary:" stays 0 with --instr-atstart=no.
            else if (line.starts_with("totals: ")) ir = std::strtod(line.c_str() + 8, nullptr);
        }
        const auto a = label.find('|'), b = label.rfind('|');
        if (label.empty() || ir < 0 || a == b) continue;
        const std::string who = label.substr(0, a), name = label.substr(a + 1, b - a - 1);
        const double count = std::strtod(label.c_str() + b + 1, nullptr);
        (who == "respio" ? respio_ir : hiredis_ir)[name] = {count, ir};
    }
    std::filesystem::remove_all(dir);

    if (!opt.json) std::printf("\ncallgrind, instructions per reply (serialize GET: per command)\n");
    print_header(opt, "instr");
    std::vector<std::string> names;
    for (const auto& s : make_shapes()) names.push_back(s.name);
    names.push_back("serialize GET");
    for (const auto& name : names) {
        const auto a = respio_ir.find(name), b = hiredis_ir.find(name);
        if (a == respio_ir.end() || b == hiredis_ir.end()) die("callgrind: a section's dump is missing");
        print_row(row{name, a->second.second / a->second.first, b->second.second / b->second.first}, opt, "ir", 0);
    }
    return 0;
}

#endif

} // namespace

int main(int argc, char** argv) {
    options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--quick") opt.quick = true;
        else if (arg == "--json") opt.json = true;
        else if (arg == "--callgrind") opt.callgrind = true;
        else {
            std::fprintf(stderr, "usage: %s [--quick] [--json] [--callgrind]\n", argv[0]);
            return 2;
        }
    }
    if (!opt.callgrind) return run_timing(opt);
#ifdef RESPIO_BENCH_HAVE_CALLGRIND
    if (RUNNING_ON_VALGRIND) return callgrind_child(opt);
    // valgrind must be given this binary's real path: /proc/self/exe would name valgrind itself.
    return callgrind_parent(opt, std::filesystem::read_symlink("/proc/self/exe").c_str());
#else
    std::fprintf(stderr, "parser_bench: built without valgrind/callgrind.h; --callgrind is unavailable\n");
    return 1;
#endif
}
