// respio_e2e_bench: respio against a real server, the workloads of DESIGN.md §6 (see benchmarks/run,
// which starts the servers, preloads the data and puts hiredis and redis-benchmark beside it).
//
//   respio_e2e_bench --workload W1|W1set|W2|W2set|W3|W3set|W4|W5|preload --address host:port[,...]
//                    --requests N [--keys K] [--json] [--callgrind [--variant reused|rebuilt]]
//
// One io_context, one thread, one client object; every request is an async_exec with a plain
// callback (the cheapest completion token). Every reply is checked (type and length).
//   W1  one request in flight, N sequential GETs (W1set: SETs of 32 bytes)
//   W2  batches of 100: there is no batch API yet, so 100 async_exec calls are issued and the
//       next batch starts when all 100 have completed; the client pipelines them into one write
//   W3  64 requesters (callback chains) share the client, N GETs in all
//   W4  N sequential GETs of the 1 MiB value
//   W5  W3 through a cluster_client (--address: the seeds)
//   preload  SETs every key:NNN (32 bytes) and, on a standalone server, big:000000000000 (1 MiB)
// Prints one line (or one JSON object): ops/s, CPU µs/op and peak RSS of this process over the
// measured loop, and respio's own read and write system calls per request (stats()).
#include "common.hpp"

#include <respio/client.hpp>
#include <respio/cluster_client.hpp>
#include <respio/commands/string.hpp>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const char* program = "respio_e2e_bench";

// The command a workload sends for key `k`: GET, or SET of the 32-byte value. Arguments are
// string_views of long-lived strings: the bound command copies nothing, async_exec serializes it.
auto get_command(std::string_view k) { return respio::cmd::get(k); }
auto set_command(std::string_view k) { return respio::cmd::set(k, std::string_view(e2e::value)); }

template <class Client>
class runner {
public:
    runner(asio::io_context& io, const e2e::options& o) : io_(io), opt_(o), keys_(e2e::make_keys(o.keys)) {
        respio::client_config cfg;
        cfg.addresses.clear();
        for (const auto& a : o.addresses) {
            respio::address addr;
            addr.host = a.host;
            addr.port = a.port;
            cfg.addresses.push_back(addr);
        }
        // Generous: a benchmark on a loaded 2-core VM (or under callgrind) must not time out.
        cfg.request_timeout = 30s;
        cfg.connect_timeout = 10s;
        cfg.max_in_flight = 100000;
        client_ = std::make_unique<Client>(io.get_executor(), cfg);
        // "reused": the bound commands are built once and passed again and again; "rebuilt": a new
        // one per call. Both reach the same path (async_exec serializes the command every time).
        if (opt_.variant == "reused") {
            for (const auto& k : keys_) {
                gets_.push_back(get_command(k));
                sets_.push_back(set_command(k));
            }
        }
    }

    int run() {
        if (opt_.load.how == e2e::kind::preload) {
            preload();
            io_.run();
            if (errors_ > 0) {
                std::fprintf(stderr, "%s: preload: %zu SETs failed; first: %s\n", program, errors_, first_error_.c_str());
                return 1;
            }
            if (!opt_.json) std::printf("preloaded %zu keys%s\n", keys_.size(), opt_.cluster ? "" : " and the 1 MiB value");
            return 0;
        }
        // Warm-up: the connection (and, for a cluster, the topology) is up, and every key a
        // batch or the requesters touch first has been through the client once.
        const std::size_t warm = opt_.load.how == e2e::kind::large ? 1 : std::min<std::size_t>(opt_.keys, 128);
        warm_left_ = warm;
        for (std::size_t i = 0; i < warm; ++i) {
            if (opt_.load.how == e2e::kind::large) {
                client_->async_exec(respio::cmd::get(e2e::big_key), [this](auto ec, auto v) {
                    check_get(ec, v, e2e::big_value_size);
                    warmed();
                });
            } else {
                client_->async_exec(get_command(keys_[i]), [this](auto ec, auto v) {
                    check_get(ec, v, e2e::value_size);
                    warmed();
                });
            }
        }
        io_.run();
        if (errors_ > 0) {
            std::fprintf(stderr, "%s: %zu of %zu requests failed; first: %s\n", program, errors_, opt_.requests,
                         first_error_.c_str());
            return 1;
        }
        e2e::report r;
        r.workload = opt_.load.name;
        r.client = "respio";
        r.requests = opt_.requests;
        r.seconds = meter_.seconds();
        r.cpu_seconds = meter_.cpu_seconds();
        r.peak_rss_kb = e2e::meter::peak_rss_kb();
        const double n = opt_.requests == 0 ? 1.0 : static_cast<double>(opt_.requests);
        r.reads_per_op = static_cast<double>(after_.reads - before_.reads) / n;
        r.writes_per_op = static_cast<double>(after_.writes - before_.writes) / n;
        if (opt_.load.how == e2e::kind::batched)
            r.note = "no batch API yet: " + std::to_string(opt_.batch) +
                     " async_exec calls, then wait for all; the client pipelines them into one write";
        if (opt_.load.how == e2e::kind::concurrent)
            r.note = std::to_string(opt_.concurrency) + " callback chains on one client";
        e2e::print_report(r, opt_.json);
        return 0;
    }

private:
    void warmed() {
        if (--warm_left_ > 0) return;
        if (errors_ > 0) return finish_unmeasured();
        before_ = client_->stats(); // idle: nothing in flight
        meter_.start();
        if (opt_.requests == 0) return finish();
        switch (opt_.load.how) {
        case e2e::kind::sequential: return sequential_next();
        case e2e::kind::batched: return batch_next();
        case e2e::kind::concurrent:
            active_ = std::min(opt_.concurrency, opt_.requests);
            for (std::size_t i = 0; i < active_; ++i) concurrent_next();
            return;
        case e2e::kind::large: return large_next();
        case e2e::kind::preload: return;
        }
    }

    void finish() {
        meter_.stop();
        after_ = client_->stats();
        client_->close();
    }
    void finish_unmeasured() { client_->close(); }

    // Issues request number `i` (key i mod K); `done` runs after its reply has been checked.
    template <class Done>
    void issue(std::size_t i, Done&& done) {
        const std::size_t k = i % keys_.size();
        if (opt_.load.set) {
            auto h = [this, done = std::forward<Done>(done)](boost::system::error_code ec, std::optional<respio::ok> v) {
                check_set(ec, v);
                done();
            };
            if (!sets_.empty()) client_->async_exec(sets_[k], std::move(h));
            else client_->async_exec(set_command(keys_[k]), std::move(h));
        } else {
            auto h = [this, done = std::forward<Done>(done)](boost::system::error_code ec, std::optional<std::string> v) {
                check_get(ec, v, e2e::value_size);
                done();
            };
            if (!gets_.empty()) client_->async_exec(gets_[k], std::move(h));
            else client_->async_exec(get_command(keys_[k]), std::move(h));
        }
    }

    // W1: one in flight.
    void sequential_next() {
        issue(issued_++, [this] {
            if (issued_ == opt_.requests) finish();
            else sequential_next();
        });
    }

    // W2: `batch` async_exec calls, the next batch when all have completed.
    void batch_next() {
        const std::size_t n = std::min(opt_.batch, opt_.requests - issued_);
        pending_ = n;
        for (std::size_t j = 0; j < n; ++j) {
            issue(issued_++, [this] {
                if (--pending_ > 0) return;
                if (issued_ == opt_.requests) finish();
                else batch_next();
            });
        }
    }

    // W3 / W5: a requester issues its next request when its last one completes, until all N
    // have been issued.
    void concurrent_next() {
        issue(issued_++, [this] {
            if (issued_ < opt_.requests) return concurrent_next();
            if (--active_ == 0) finish();
        });
    }

    // W4: sequential GETs of the 1 MiB value.
    void large_next() {
        ++issued_;
        client_->async_exec(respio::cmd::get(e2e::big_key), [this](boost::system::error_code ec, std::optional<std::string> v) {
            check_get(ec, v, e2e::big_value_size);
            if (issued_ == opt_.requests) finish();
            else large_next();
        });
    }

    // Not measured: SET every key (pipelined, 100 at a time), then the big value (standalone).
    void preload() {
        const std::size_t n = std::min<std::size_t>(100, keys_.size() - issued_);
        if (n == 0) {
            if (opt_.cluster) return finish_unmeasured();
            big_ = std::string(e2e::big_value_size, 'b');
            client_->async_exec(respio::cmd::set(e2e::big_key, std::string_view(big_)),
                                [this](boost::system::error_code ec, std::optional<respio::ok> v) {
                                    check_set(ec, v);
                                    finish_unmeasured();
                                });
            return;
        }
        pending_ = n;
        for (std::size_t j = 0; j < n; ++j) {
            client_->async_exec(set_command(keys_[issued_++]), [this](boost::system::error_code ec, std::optional<respio::ok> v) {
                check_set(ec, v);
                if (--pending_ == 0) preload();
            });
        }
    }

    void check_get(boost::system::error_code ec, const std::optional<std::string>& v, std::size_t size) {
        if (!ec && v && v->size() == size) [[likely]]
            return;
        fail(ec ? ec.message() : !v ? std::string("nil (was the data preloaded?)") : "value of " + std::to_string(v->size()) + " bytes");
    }
    void check_set(boost::system::error_code ec, const std::optional<respio::ok>& v) {
        if (!ec && v) [[likely]]
            return;
        fail(ec ? ec.message() : std::string("SET not done"));
    }
    void fail(std::string what) {
        if (errors_++ == 0) first_error_ = std::move(what);
    }

    asio::io_context& io_;
    const e2e::options& opt_;
    std::vector<std::string> keys_;
    std::vector<decltype(get_command(std::string_view()))> gets_;
    std::vector<decltype(set_command(std::string_view()))> sets_;
    std::string big_;
    std::unique_ptr<Client> client_;
    e2e::meter meter_;
    respio::detail::client_stats before_, after_;
    std::size_t warm_left_ = 0, issued_ = 0, pending_ = 0, active_ = 0;
    std::size_t errors_ = 0;
    std::string first_error_;
};

} // namespace

int main(int argc, char** argv) {
    const e2e::options opt = e2e::parse_options(argc, argv);
    if (opt.callgrind && !e2e::running_on_valgrind()) return e2e::callgrind_parent(argc, argv, opt, "respio");
    try {
        asio::io_context io(1); // one thread: Asio may skip its locking
        if (opt.cluster) return runner<respio::cluster_client>(io, opt).run();
        return runner<respio::client>(io, opt).run();
    } catch (const std::exception& e) {
        e2e::die(program, e.what());
    }
}
