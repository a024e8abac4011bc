// Shared by respio_e2e_bench and hiredis_e2e_bench: the command line, the data set, the meter
// (wall clock, getrusage), the one-line output and the callgrind driver. See benchmarks/run.
#ifndef RESPIO_BENCH_E2E_COMMON_HPP
#define RESPIO_BENCH_E2E_COMMON_HPP

#ifdef RESPIO_BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace e2e {

// The data set (benchmarks/run preloads it; `--workload preload` writes it):
//   key:000000000000 .. key:<keys-1>  32-byte values. 16-byte keys, the names redis-benchmark's
//                                     -r gives `key:__rand_int__` (12 digits).
//   big:000000000000                  1 MiB value (W4).
inline constexpr std::size_t value_size = 32;
inline constexpr std::size_t big_value_size = 1024 * 1024;
inline const std::string value(value_size, 'v');
inline constexpr std::string_view big_key = "big:000000000000";

inline std::vector<std::string> make_keys(std::size_t n) {
    std::vector<std::string> keys;
    keys.reserve(n);
    char buf[32];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "key:%012zu", i);
        keys.emplace_back(buf);
    }
    return keys;
}

enum class kind { sequential, batched, concurrent, large, preload };

struct workload {
    std::string name;
    kind how = kind::sequential;
    bool set = false;     // SET instead of GET
    bool cluster = false; // W5
};

inline std::optional<workload> find_workload(std::string_view name) {
    if (name == "W1") return workload{"W1", kind::sequential, false, false};
    if (name == "W1set") return workload{"W1set", kind::sequential, true, false};
    if (name == "W2") return workload{"W2", kind::batched, false, false};
    if (name == "W2set") return workload{"W2set", kind::batched, true, false};
    if (name == "W3") return workload{"W3", kind::concurrent, false, false};
    if (name == "W3set") return workload{"W3set", kind::concurrent, true, false};
    if (name == "W4") return workload{"W4", kind::large, false, false};
    if (name == "W5") return workload{"W5", kind::concurrent, false, true};
    if (name == "preload") return workload{"preload", kind::preload, true, false};
    return std::nullopt;
}

struct endpoint {
    std::string host;
    std::uint16_t port = 0;
};

struct options {
    workload load;
    std::vector<endpoint> addresses;
    std::size_t requests = 0;
    std::size_t keys = 10000;
    std::size_t batch = 100;      // W2
    std::size_t concurrency = 64; // W3, W5 (hiredis: the pipeline depth)
    bool cluster = false;         // preload: through a cluster client
    bool json = false;
    bool callgrind = false;
    std::string variant = "rebuilt"; // callgrind: "reused" or "rebuilt" commands
};

[[noreturn]] inline void die(const char* program, const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", program, what.c_str());
    std::exit(1);
}

inline std::vector<endpoint> parse_addresses(const char* program, std::string_view list) {
    std::vector<endpoint> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view one = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        const auto colon = one.rfind(':');
        if (colon == std::string_view::npos) die(program, "address without a port: " + std::string(one));
        const int port = std::atoi(std::string(one.substr(colon + 1)).c_str());
        if (port <= 0 || port > 65535) die(program, "bad port in " + std::string(one));
        out.push_back({std::string(one.substr(0, colon)), static_cast<std::uint16_t>(port)});
    }
    return out;
}

inline options parse_options(int argc, char** argv) {
    const char* program = argv[0];
    auto usage = [&](const std::string& why) {
        std::fprintf(stderr,
                     "%s: %s\nusage: %s --workload W1|W1set|W2|W2set|W3|W3set|W4|W5|preload --address host:port[,host:port...]\n"
                     "       --requests N [--keys K] [--batch B] [--concurrency C] [--cluster] [--json]\n"
                     "       [--callgrind [--variant reused|rebuilt]]\n",
                     program, why.c_str(), program);
        std::exit(2);
    };
    options o;
    bool have_workload = false, have_requests = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto next = [&]() -> std::string_view {
            if (i + 1 >= argc) usage("missing value after " + std::string(arg));
            return argv[++i];
        };
        auto number = [&]() -> std::size_t {
            const std::string v(next());
            char* end = nullptr;
            const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0') usage("not a number: " + v);
            return static_cast<std::size_t>(n);
        };
        if (arg == "--workload") {
            const auto w = find_workload(next());
            if (!w) usage("unknown workload " + std::string(argv[i]));
            o.load = *w;
            have_workload = true;
        } else if (arg == "--address") {
            o.addresses = parse_addresses(program, next());
        } else if (arg == "--requests") {
            o.requests = number();
            have_requests = true;
        } else if (arg == "--keys") {
            o.keys = number();
        } else if (arg == "--batch") {
            o.batch = number();
        } else if (arg == "--concurrency") {
            o.concurrency = number();
        } else if (arg == "--cluster") {
            o.cluster = true;
        } else if (arg == "--json") {
            o.json = true;
        } else if (arg == "--callgrind") {
            o.callgrind = true;
        } else if (arg == "--variant") {
            o.variant = next();
            if (o.variant != "reused" && o.variant != "rebuilt") usage("--variant is reused or rebuilt");
        } else {
            usage("unknown option " + std::string(arg));
        }
    }
    if (!have_workload) usage("--workload is required");
    if (o.addresses.empty()) usage("--address is required");
    if (!have_requests && o.load.how != kind::preload) usage("--requests is required");
    if (o.keys == 0 || o.batch == 0 || o.concurrency == 0) usage("--keys, --batch and --concurrency must be positive");
    if (o.load.cluster) o.cluster = true;
    return o;
}

// Wall clock and the process's CPU time (getrusage RUSAGE_SELF: every thread, user + system)
// over the measured loop only; connection set-up and warm-up come before start().
class meter {
public:
    void start() {
        getrusage(RUSAGE_SELF, &r0_);
        t0_ = std::chrono::steady_clock::now();
#ifdef RESPIO_BENCH_HAVE_CALLGRIND
        CALLGRIND_START_INSTRUMENTATION;
#endif
    }
    void stop() {
#ifdef RESPIO_BENCH_HAVE_CALLGRIND
        CALLGRIND_STOP_INSTRUMENTATION;
        CALLGRIND_DUMP_STATS_AT("respio-e2e-measured");
#endif
        t1_ = std::chrono::steady_clock::now();
        getrusage(RUSAGE_SELF, &r1_);
    }
    double seconds() const { return std::chrono::duration<double>(t1_ - t0_).count(); }
    double cpu_seconds() const { return cpu(r1_) - cpu(r0_); }
    // Peak RSS of this process image, in KiB: VmHWM. (ru_maxrss would do, but Linux carries the
    // launching process's peak across execve into it: a client started by a big Python process
    // would report Python's RSS.) ru_maxrss where /proc is not there.
    static long peak_rss_kb() {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.starts_with("VmHWM:")) return std::strtol(line.c_str() + 6, nullptr, 10);
        rusage r{};
        getrusage(RUSAGE_SELF, &r);
        return r.ru_maxrss; // KiB on Linux
    }

private:
    static double cpu(const rusage& r) {
        return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
               static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
    }
    rusage r0_{}, r1_{};
    std::chrono::steady_clock::time_point t0_, t1_;
};

struct report {
    std::string workload, client;
    std::size_t requests = 0;
    double seconds = 0, cpu_seconds = 0;
    long peak_rss_kb = 0;
    std::optional<double> reads_per_op, writes_per_op; // the client's own counts (respio's stats())
    std::string note;
};

inline std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

inline void print_report(const report& r, bool json) {
    const double n = r.requests == 0 ? 1.0 : static_cast<double>(r.requests);
    const double ops = r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0.0;
    const double cpu_us = r.cpu_seconds * 1e6 / n;
    if (json) {
        std::printf("{\"workload\": \"%s\", \"client\": \"%s\", \"requests\": %zu, \"seconds\": %.6f, \"ops_per_sec\": %.1f, "
                    "\"cpu_us_per_op\": %.3f, \"peak_rss_kb\": %ld",
                    r.workload.c_str(), r.client.c_str(), r.requests, r.seconds, ops, cpu_us, r.peak_rss_kb);
        if (r.reads_per_op) std::printf(", \"reads_per_op\": %.4f", *r.reads_per_op);
        if (r.writes_per_op) std::printf(", \"writes_per_op\": %.4f", *r.writes_per_op);
        if (!r.note.empty()) std::printf(", \"note\": \"%s\"", json_escape(r.note).c_str());
        std::printf("}\n");
    } else {
        std::printf("%s %s: %zu requests in %.3f s: %.0f ops/s, %.2f us CPU/op, peak RSS %ld KiB", r.workload.c_str(),
                    r.client.c_str(), r.requests, r.seconds, ops, cpu_us, r.peak_rss_kb);
        if (r.reads_per_op && r.writes_per_op)
            std::printf(", %.3f reads + %.3f writes per op", *r.reads_per_op, *r.writes_per_op);
        if (!r.note.empty()) std::printf(" (%s)", r.note.c_str());
        std::printf("\n");
    }
    std::fflush(stdout);
}

// --callgrind outside valgrind: runs this binary again under callgrind (instrumentation off at the
// start; the meter turns it on around the measured loop and dumps that part under its own label)
// and prints instructions per request. They count the client's user-space instructions only.
inline int callgrind_parent(int argc, char** argv, const options& o, const std::string& client) {
#ifdef RESPIO_BENCH_HAVE_CALLGRIND
    char tmpl[] = "/tmp/respio-e2e-callgrind.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) die(argv[0], "mkdtemp failed");
    const std::filesystem::path dir = tmpl;
    // valgrind must be given this binary's real path: /proc/self/exe would name valgrind itself.
    std::string cmd = "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=" + (dir / "cg.out").string() +
                      " '" + std::filesystem::read_symlink("/proc/self/exe").string() + "'";
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--callgrind" || a == "--json") continue;
        cmd += " '" + std::string(a) + "'";
    }
    cmd += " > " + (dir / "log").string() + " 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "%s: valgrind failed (%s); its log: %s\n", argv[0], cmd.c_str(), (dir / "log").c_str());
        return 1;
    }
    double ir = -1;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        std::string line;
        bool ours = false;
        double total = -1;
        while (std::getline(in, line)) {
            if (line == "desc: Trigger: Client Request: respio-e2e-measured") ours = true;
            else if (line.starts_with("totals: ")) total = std::strtod(line.c_str() + 8, nullptr);
        }
        if (ours && total >= 0) ir = total;
    }
    std::filesystem::remove_all(dir);
    if (ir < 0) die(argv[0], "callgrind: the measured section's dump is missing");
    const double per_op = ir / static_cast<double>(o.requests == 0 ? 1 : o.requests);
    if (o.json) {
        std::printf("{\"workload\": \"%s\", \"client\": \"%s\", \"variant\": \"%s\", \"requests\": %zu, "
                    "\"instructions_per_op\": %.0f}\n",
                    o.load.name.c_str(), client.c_str(), o.variant.c_str(), o.requests, per_op);
    } else {
        std::printf("%s %s (%s commands): %.0f instructions per request (callgrind, %zu requests, client user space)\n",
                    o.load.name.c_str(), client.c_str(), o.variant.c_str(), per_op, o.requests);
    }
    return 0;
#else
    (void)argc;
    (void)o;
    (void)client;
    die(argv[0], "built without valgrind/callgrind.h: --callgrind is unavailable");
#endif
}

inline bool running_on_valgrind() {
#ifdef RESPIO_BENCH_HAVE_CALLGRIND
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}

} // namespace e2e

#endif // RESPIO_BENCH_E2E_COMMON_HPP
