// hiredis_e2e_bench: the same workloads with plain hiredis (Debian's libhiredis-dev 0.14.1,
// synchronous API), the baseline benchmarks/run puts beside respio.
//
//   hiredis_e2e_bench --workload W1|W1set|W2|W2set|W3|W3set|W4 --address host:port
//                     --requests N [--keys K] [--json] [--callgrind [--variant reused|rebuilt]]
//
//   W1  sequential redisCommand("GET %s")            W1set: redisCommand("SET %s %s")
//   W2  redisAppendCommand x 100, then redisGetReply x 100, on one connection
//   W3  the same in batches of 64 (hiredis's synchronous API has no concurrent requesters: one
//       connection kept 64 deep is the closest match)
//   W4  sequential GETs of the 1 MiB value
// No W5: hiredis has no cluster support. Every reply is checked (type and length).
// --variant reused (callgrind): the batch's commands are formatted once and resent with
// redisAppendFormattedCommand, so the loop only writes and parses; "rebuilt" (the default) is
// the ordinary API, which formats every command.
#include "common.hpp"

extern "C" {
#include <hiredis.h>
}

#include <string>

namespace {

const char* program = "hiredis_e2e_bench";

class runner {
public:
    explicit runner(const e2e::options& o) : opt_(o), keys_(e2e::make_keys(o.keys)) {
        if (opt_.load.cluster || opt_.cluster) e2e::die(program, "hiredis has no cluster support (no W5)");
        if (opt_.load.how == e2e::kind::preload) e2e::die(program, "no preload here: use respio_e2e_bench --workload preload");
        const auto& a = o.addresses.front();
        ctx_ = redisConnect(a.host.c_str(), a.port);
        if (ctx_ == nullptr || ctx_->err) e2e::die(program, std::string("connect: ") + (ctx_ ? ctx_->errstr : "out of memory"));
        if (opt_.variant == "reused") {
            // Every key's command, formatted once.
            for (const auto& k : keys_) {
                char* cmd = nullptr;
                const int len = opt_.load.set ? redisFormatCommand(&cmd, "SET %s %s", k.c_str(), e2e::value.c_str())
                                              : redisFormatCommand(&cmd, "GET %s", k.c_str());
                if (len < 0) e2e::die(program, "redisFormatCommand failed");
                formatted_.emplace_back(cmd, static_cast<std::size_t>(len));
                redisFreeCommand(cmd);
            }
        }
    }
    ~runner() {
        if (ctx_) redisFree(ctx_);
    }
    runner(const runner&) = delete;
    runner& operator=(const runner&) = delete;

    int run() {
        // Warm-up: one round trip (and the first keys, as respio does).
        const std::size_t warm = opt_.load.how == e2e::kind::large ? 1 : std::min<std::size_t>(opt_.keys, 128);
        for (std::size_t i = 0; i < warm; ++i) {
            if (opt_.load.how == e2e::kind::large) check_get(command("GET %s", e2e::big_key.data()), e2e::big_value_size);
            else check_get(command("GET %s", keys_[i].c_str()), e2e::value_size);
        }
        if (errors_ > 0) return failed();
        meter_.start();
        switch (opt_.load.how) {
        case e2e::kind::sequential:
            for (std::size_t i = 0; i < opt_.requests; ++i) one(i);
            break;
        case e2e::kind::batched: batches(opt_.batch); break;
        case e2e::kind::concurrent: batches(opt_.concurrency); break;
        case e2e::kind::large:
            for (std::size_t i = 0; i < opt_.requests; ++i) check_get(command("GET %s", e2e::big_key.data()), e2e::big_value_size);
            break;
        case e2e::kind::preload: break;
        }
        meter_.stop();
        if (errors_ > 0) return failed();
        e2e::report r;
        r.workload = opt_.load.name;
        r.client = "hiredis";
        r.requests = opt_.requests;
        r.seconds = meter_.seconds();
        r.cpu_seconds = meter_.cpu_seconds();
        r.peak_rss_kb = e2e::meter::peak_rss_kb();
        if (opt_.load.how == e2e::kind::batched)
            r.note = std::to_string(opt_.batch) + " x redisAppendCommand, then " + std::to_string(opt_.batch) + " x redisGetReply";
        if (opt_.load.how == e2e::kind::concurrent)
            r.note = "one connection, pipelined " + std::to_string(opt_.concurrency) + " deep (synchronous API)";
        e2e::print_report(r, opt_.json);
        return 0;
    }

private:
    template <class... Args>
    redisReply* command(const char* format, Args... args) {
        return static_cast<redisReply*>(redisCommand(ctx_, format, args...));
    }

    void one(std::size_t i) {
        const auto& k = keys_[i % keys_.size()];
        if (opt_.load.set) check_set(command("SET %s %s", k.c_str(), e2e::value.c_str()));
        else check_get(command("GET %s", k.c_str()), e2e::value_size);
    }

    void batches(std::size_t depth) {
        for (std::size_t done = 0; done < opt_.requests;) {
            const std::size_t n = std::min(depth, opt_.requests - done);
            for (std::size_t j = 0; j < n; ++j) {
                const std::size_t k = (done + j) % keys_.size();
                int rc;
                if (!formatted_.empty()) rc = redisAppendFormattedCommand(ctx_, formatted_[k].data(), formatted_[k].size());
                else if (opt_.load.set) rc = redisAppendCommand(ctx_, "SET %s %s", keys_[k].c_str(), e2e::value.c_str());
                else rc = redisAppendCommand(ctx_, "GET %s", keys_[k].c_str());
                if (rc != REDIS_OK) e2e::die(program, "redisAppendCommand failed");
            }
            for (std::size_t j = 0; j < n; ++j) {
                void* reply = nullptr;
                if (redisGetReply(ctx_, &reply) != REDIS_OK) e2e::die(program, std::string("redisGetReply: ") + ctx_->errstr);
                if (opt_.load.set) check_set(static_cast<redisReply*>(reply));
                else check_get(static_cast<redisReply*>(reply), e2e::value_size);
            }
            done += n;
        }
    }

    void check_get(redisReply* r, std::size_t size) {
        if (r == nullptr) e2e::die(program, std::string("connection: ") + ctx_->errstr);
        if (r->type != REDIS_REPLY_STRING || r->len != static_cast<decltype(r->len)>(size)) [[unlikely]]
            fail(r->type == REDIS_REPLY_NIL ? "nil (was the data preloaded?)" : "unexpected reply type or length");
        freeReplyObject(r);
    }
    void check_set(redisReply* r) {
        if (r == nullptr) e2e::die(program, std::string("connection: ") + ctx_->errstr);
        if (r->type != REDIS_REPLY_STATUS || std::string_view(r->str, r->len) != "OK") [[unlikely]]
            fail("SET not answered with OK");
        freeReplyObject(r);
    }
    void fail(const char* what) {
        if (errors_++ == 0) first_error_ = what;
    }
    int failed() const {
        std::fprintf(stderr, "%s: %zu requests failed; first: %s\n", program, errors_, first_error_.c_str());
        return 1;
    }

    const e2e::options& opt_;
    std::vector<std::string> keys_;
    std::vector<std::string> formatted_;
    redisContext* ctx_ = nullptr;
    e2e::meter meter_;
    std::size_t errors_ = 0;
    std::string first_error_;
};

} // namespace

int main(int argc, char** argv) {
    const e2e::options opt = e2e::parse_options(argc, argv);
    if (opt.callgrind && !e2e::running_on_valgrind()) return e2e::callgrind_parent(argc, argv, opt, "hiredis");
    return runner(opt).run();
}
