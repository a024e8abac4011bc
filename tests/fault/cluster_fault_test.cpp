// The cluster client while the cluster changes under it: a slot migrated under load (MOVED), a
// slot half migrated (ASK, TRYAGAIN), a manual failover under load, and a SIGKILLed primary. Each
// test owns a private cluster (3 primaries + 3 replicas, cluster-node-timeout 2000 ms) that the
// fixture destroys afterwards; nothing is restored. Changes to the cluster are made from a second
// thread (redis-cli calls block) while the client runs on the test's io_context.
#include <respio/cluster_client.hpp>
#include <respio/commands.hpp>
#include <respio/detail/cluster/slots.hpp>
#include <respio_test/client_helpers.hpp>
#include <respio_test/fixture.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace respio;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;
using respio::detail::key_slot;

namespace {

using respio_test::pause;
using respio_test::try_exec;

// Runs `body(client)` as a coroutine against a fresh client (tests/support/respio_test/client_helpers.hpp).
template <class Body>
void run(client_config cfg, Body body, std::chrono::seconds limit = 60s) {
    respio_test::run_client<cluster_client>(std::move(cfg), std::move(body), limit);
}

respio_test::cluster::options private_cluster() {
    respio_test::cluster::options o;
    o.node_timeout_ms = 2000;
    return o;
}

client_config config_for(respio_test::cluster& cl) {
    client_config c;
    c.addresses = {address{"127.0.0.1", cl.node(0).port(), ""}};
    c.request_timeout = 2000ms;
    c.reconnect.max_delay = 200ms; // the tests wait for reconnects: keep them quick
    return c;
}



// A counter of INFO <section>: `field` of line `name` ("errorstat_MOVED" count, "cmdstat_get" calls).
std::int64_t info_counter(const respio_test::redis_server& n, const std::string& section, const std::string& name,
                          const std::string& field) {
    const auto line = respio_test::info_field(n.cli_output({"INFO", section}), name);
    if (!line) return 0;
    const auto at = line->find(field + "=");
    if (at == std::string::npos) return 0;
    return std::stoll(line->substr(at + field.size() + 1));
}
std::int64_t errorstat(const respio_test::redis_server& n, const std::string& code) {
    return info_counter(n, "errorstats", "errorstat_" + code, "count");
}
std::int64_t calls(const respio_test::redis_server& n, const std::string& command) {
    return info_counter(n, "commandstats", "cmdstat_" + command, "calls");
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

// MIGRATE of these keys from `from` to `to` (the keys must be of one slot).
void migrate(respio_test::redis_server& from, const respio_test::redis_server& to, const std::vector<std::string>& keys) {
    std::vector<std::string> args{"MIGRATE", "127.0.0.1", std::to_string(to.port()), "", "0", "5000", "KEYS"};
    args.insert(args.end(), keys.begin(), keys.end());
    EXPECT_EQ(from.cli_output(args), "OK");
}

// CLUSTER SETSLOT <slot> NODE <id> on every primary, the new owner first (as redis-cli --cluster does).
void finish_migration(respio_test::cluster& cl, int slot, std::size_t to, const std::vector<std::size_t>& primaries) {
    const std::string id = cl.node_id(to);
    cl.node(to).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", id});
    for (std::size_t p : primaries)
        if (p != to) cl.node(p).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", id});
}

// A key of the slot `tag` hashes to.
std::string tagged(const std::string& tag, int i) { return "{" + tag + "}k" + std::to_string(i); }

// Keys whose slot is owned by a primary in `owners` (true) or not (false).
std::vector<std::string> keys_where(respio_test::cluster& cl, const std::string& prefix, std::size_t n,
                                    std::function<bool(std::size_t owner)> want) {
    const auto view = cl.topology();
    auto owner_of = [&](int slot) -> std::size_t {
        for (const auto& e : view)
            if (e.primary && e.index)
                for (const auto& r : e.slots)
                    if (r.first <= slot && slot <= r.last) return *e.index;
        return static_cast<std::size_t>(-1);
    };
    std::vector<std::string> out;
    for (int i = 0; out.size() < n && i < 100000; ++i) {
        std::string k = prefix + std::to_string(i);
        if (want(owner_of(key_slot(k)))) out.push_back(std::move(k));
    }
    return out;
}

bool typed(const error_code& ec) { return ec.category() == client_category(); }

// Runs `f` on a second thread (the redis-cli calls that change the cluster block). An exception
// is a test failure, not a crash; `finished` is set however `f` ends, so the load stops.
template <class F>
std::thread in_background(std::atomic<bool>& finished, F f) {
    return std::thread([&finished, f = std::move(f)]() mutable {
        try {
            f();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "background step failed: " << e.what();
        }
        finished = true;
    });
}

void join(std::thread& t) {
    if (t.joinable()) t.join();
}

} // namespace

// A slot moves to another primary (IMPORTING / MIGRATING, MIGRATE, SETSLOT NODE) while the client
// keeps reading and writing its keys: no request fails, and afterwards the slot's requests go
// straight to the new owner (no more MOVED from the old one).
TEST(cluster_fault, slot_migration_under_load_follows_moved) {
    respio_test::cluster cl(private_cluster());
    const std::string tag = "mig";
    const int slot = key_slot(tag);
    const auto primaries = cl.primaries();
    const std::size_t src = cl.slot_owner(slot);
    const std::size_t dst = primaries[0] == src ? primaries[1] : primaries[0];
    const std::string src_id = cl.node_id(src), dst_id = cl.node_id(dst);
    constexpr int workers = 8;

    std::atomic<bool> migrated{false};
    int ok = 0, failed = 0, wrong = 0;
    std::vector<std::string> failures;
    std::thread migrator;
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        for (int i = 0; i < workers; ++i) co_await c.async_exec(cmd::set(tagged(tag, i), "start"), asio::use_awaitable);
        migrator = in_background(migrated, [&] {
            std::this_thread::sleep_for(200ms);
            cl.node(dst).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", src_id});
            cl.node(src).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", dst_id});
            std::this_thread::sleep_for(300ms);
            const auto keys = lines_of(cl.node(src).cli_output({"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), "100"}));
            EXPECT_EQ(keys.size(), static_cast<std::size_t>(workers));
            migrate(cl.node(src), cl.node(dst), keys);
            std::this_thread::sleep_for(300ms);
            finish_migration(cl, slot, dst, primaries);
            std::this_thread::sleep_for(300ms);
        });
        // Each worker writes its own key and reads it back: a lost or misrouted write shows.
        int running = workers;
        for (int w = 0; w < workers; ++w) {
            asio::co_spawn(
                c.get_executor(),
                [&, w]() -> asio::awaitable<void> {
                    const std::string key = tagged(tag, w);
                    for (int round = 0; !migrated; ++round) {
                        const std::string v = std::to_string(round);
                        diagnostics d;
                        auto [e1, r1] = co_await try_exec(c, cmd::set(key, v), {}, &d);
                        auto [e2, r2] = co_await try_exec(c, cmd::get(key), {}, &d);
                        if (e1 || e2) {
                            ++failed;
                            failures.push_back((e1 ? e1 : e2).message() + " " + d.server_message);
                        } else if (r2 != std::optional<std::string>(v)) {
                            ++wrong;
                        } else {
                            ++ok;
                        }
                    }
                    --running;
                },
                asio::detached);
        }
        while (running > 0) co_await pause(10ms);
    });
    join(migrator);
    EXPECT_EQ(failed, 0);
    for (const auto& f : failures) ADD_FAILURE() << f;
    EXPECT_EQ(wrong, 0);
    EXPECT_GT(ok, 50);
    ASSERT_EQ(cl.slot_owner(slot), dst);

    // Afterwards: straight to the new owner.
    const auto moved_before = errorstat(cl.node(src), "MOVED");
    const auto ask_before = errorstat(cl.node(src), "ASK");
    const auto gets_before = calls(cl.node(dst), "get");
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        // A fresh client learns the new owner from CLUSTER SHARDS; the first one learnt it from
        // MOVED, checked by its load above. Both must read what the workers wrote last.
        for (int round = 0; round < 10; ++round)
            for (int w = 0; w < workers; ++w) {
                auto [e, v] = co_await try_exec(c, cmd::get(tagged(tag, w)));
                EXPECT_FALSE(e) << e.message();
                EXPECT_TRUE(v.has_value());
            }
    });
    EXPECT_EQ(errorstat(cl.node(src), "MOVED"), moved_before);
    EXPECT_EQ(errorstat(cl.node(src), "ASK"), ask_before);
    EXPECT_GE(calls(cl.node(dst), "get") - gets_before, 10 * workers);
    std::cout << "requests during the migration: " << ok << " rounds ok\n";
}

// The same, checked on the client that lived through the migration: once MOVED taught it the new
// owner, the old owner sees no more requests for the slot.
TEST(cluster_fault, after_moved_the_client_goes_straight_to_the_new_owner) {
    respio_test::cluster cl(private_cluster());
    const std::string tag = "mv2";
    const int slot = key_slot(tag);
    const auto primaries = cl.primaries();
    const std::size_t src = cl.slot_owner(slot);
    const std::size_t dst = primaries[0] == src ? primaries[1] : primaries[0];
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        for (int i = 0; i < 5; ++i) co_await c.async_exec(cmd::set(tagged(tag, i), "v"), asio::use_awaitable);
        // Migrate everything at once (blocking here is fine: nothing else runs).
        cl.node(dst).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", cl.node_id(src)});
        cl.node(src).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", cl.node_id(dst)});
        std::vector<std::string> keys;
        for (int i = 0; i < 5; ++i) keys.push_back(tagged(tag, i));
        migrate(cl.node(src), cl.node(dst), keys);
        finish_migration(cl, slot, dst, primaries);
        // The first request meets MOVED and is answered by the new owner.
        const auto moved_before = errorstat(cl.node(src), "MOVED");
        auto [e, v] = co_await try_exec(c, cmd::get(tagged(tag, 0)));
        EXPECT_FALSE(e) << e.message();
        EXPECT_EQ(v, std::optional<std::string>("v"));
        EXPECT_EQ(errorstat(cl.node(src), "MOVED"), moved_before + 1);
        // Later ones go straight there.
        const auto gets_before = calls(cl.node(dst), "get");
        for (int round = 0; round < 20; ++round) {
            auto [e2, v2] = co_await try_exec(c, cmd::get(tagged(tag, round % 5)));
            EXPECT_FALSE(e2) << e2.message();
            EXPECT_EQ(v2, std::optional<std::string>("v"));
        }
        EXPECT_EQ(errorstat(cl.node(src), "MOVED"), moved_before + 1);
        EXPECT_EQ(calls(cl.node(dst), "get") - gets_before, 20);
    });
}

// A slot in the middle of a migration: a moved key is read through ASK (ASKING + the command at
// the importing node) and the slot map stays as it is; a multi-key command over moved and unmoved
// keys meets TRYAGAIN, which is retried until the migration is done (or ends as TRYAGAIN when the
// request's time is up first).
TEST(cluster_fault, ask_during_migration_and_tryagain_until_it_completes) {
    respio_test::cluster cl(private_cluster());
    const std::string tag = "ask";
    const int slot = key_slot(tag);
    const auto primaries = cl.primaries();
    const std::size_t src = cl.slot_owner(slot);
    const std::size_t dst = primaries[0] == src ? primaries[1] : primaries[0];
    std::vector<std::string> keys;
    for (int i = 0; i < 10; ++i) {
        keys.push_back(tagged(tag, i));
        cl.node(src).cli_output({"SET", keys.back(), "v" + std::to_string(i)});
    }
    cl.node(dst).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", cl.node_id(src)});
    cl.node(src).cli_output({"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", cl.node_id(dst)});
    migrate(cl.node(src), cl.node(dst), {keys.begin(), keys.begin() + 5}); // k0..k4 moved, k5..k9 not

    std::thread finisher;
    std::atomic<bool> finished{false};
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        const auto ask_before = errorstat(cl.node(src), "ASK");
        const auto dst_moved_before = errorstat(cl.node(dst), "MOVED");
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < 10; ++i) {
                auto [e, v] = co_await try_exec(c, cmd::get(keys[i]));
                EXPECT_FALSE(e) << keys[i] << ": " << e.message();
                EXPECT_EQ(v, std::optional<std::string>("v" + std::to_string(i))) << keys[i];
            }
        }
        // A write of a moved key goes through ASK too (it lands on the importing node: checked
        // at the end, the node answers MOVED to anyone without ASKING until then).
        auto [ew, w] = co_await try_exec(c, cmd::set(keys[0], "new0"));
        EXPECT_FALSE(ew) << ew.message();
        // Every read of a moved key met one ASK at the source (3 rounds x 5 keys, + the SET), and
        // the map was not changed: the unmoved keys were never sent to the importing node.
        EXPECT_EQ(errorstat(cl.node(src), "ASK") - ask_before, 16);
        EXPECT_EQ(errorstat(cl.node(dst), "MOVED"), dst_moved_before);

        // TRYAGAIN: k1 is at the target, k6 at the source. With the migration stuck, the request
        // ends with TRYAGAIN when its time is up.
        {
            diagnostics d;
            request_options o;
            o.timeout = 400ms;
            const auto start = std::chrono::steady_clock::now();
            auto [e, v] = co_await try_exec(c, cmd::mget(keys[1], keys[6]), o, &d);
            EXPECT_EQ(e, error::server_replied_error) << e.message();
            EXPECT_EQ(d.server_message.rfind("TRYAGAIN", 0), 0u) << d.server_message;
            EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
        }
        // With the migration completed ~600 ms later, well within the request's 5 s, it succeeds.
        finisher = in_background(finished, [&] {
            std::this_thread::sleep_for(600ms);
            migrate(cl.node(src), cl.node(dst), {keys.begin() + 5, keys.end()});
            finish_migration(cl, slot, dst, primaries);
        });
        {
            diagnostics d;
            request_options o;
            o.timeout = 5000ms;
            auto [e, v] = co_await try_exec(c, cmd::mget(keys[1], keys[6]), o, &d);
            if (e) {
                // The only acceptable failure: TRYAGAIN (never a timeout or a wrong reply).
                EXPECT_EQ(e, error::server_replied_error) << e.message();
                EXPECT_EQ(d.server_message.rfind("TRYAGAIN", 0), 0u) << d.server_message;
                ADD_FAILURE() << "TRYAGAIN although the migration completed within the request's timeout";
            } else {
                EXPECT_EQ(v, (std::vector<std::optional<std::string>>{"v1", "v6"}));
            }
        }
        join(finisher);
        // All keys readable at their new home.
        auto all = co_await c.async_exec(cmd::mget(keys), asio::use_awaitable);
        EXPECT_EQ(all.size(), keys.size());
        if (all.empty()) co_return;
        EXPECT_EQ(all[0], std::optional<std::string>("new0"));
        for (std::size_t i = 1; i < all.size(); ++i) EXPECT_EQ(all[i], std::optional<std::string>("v" + std::to_string(i)));
    });
    join(finisher);
    EXPECT_EQ(cl.slot_owner(slot), dst);
    EXPECT_EQ(cl.node(dst).cli_output({"GET", keys[0]}), "new0");
}

// CLUSTER FAILOVER on a replica while the client reads and writes keys of every shard: at most a
// handful of requests fail around the switch, each with a typed error, and afterwards writes go
// to the new primary.
TEST(cluster_fault, manual_failover_under_load) {
    respio_test::cluster cl(private_cluster());
    const auto primaries = cl.primaries();
    const std::size_t old_primary = primaries[1];
    const auto replicas = cl.replicas_of(old_primary);
    ASSERT_EQ(replicas.size(), 1u);
    const std::size_t new_primary = replicas[0];
    // Six keys on the failing-over shard, six elsewhere.
    auto keys = keys_where(cl, "fo:", 6, [&](std::size_t o) { return o == old_primary; });
    const auto others = keys_where(cl, "fo-other:", 6, [&](std::size_t o) { return o != old_primary; });
    keys.insert(keys.end(), others.begin(), others.end());

    std::atomic<bool> done{false};
    std::atomic<bool> switched{false};
    int ok = 0, wrong = 0;
    std::vector<error_code> errors;
    std::vector<std::string> error_texts;
    std::thread operator_thread;
    run(config_for(cl), [&](cluster_client& c) -> asio::awaitable<void> {
        for (const auto& k : keys) co_await c.async_exec(cmd::set(k, "start"), asio::use_awaitable);
        operator_thread = in_background(done, [&] {
            std::this_thread::sleep_for(500ms);
            cl.node(new_primary).cli_output({"CLUSTER", "FAILOVER"});
            for (int i = 0; i < 500; ++i) {
                if (lines_of(cl.node(new_primary).cli_output({"ROLE"})).front() == "master") {
                    switched = true;
                    break;
                }
                std::this_thread::sleep_for(10ms);
            }
            std::this_thread::sleep_for(1000ms); // load goes on after the switch
        });
        int running = static_cast<int>(keys.size());
        for (const auto& key : keys) {
            asio::co_spawn(
                c.get_executor(),
                [&, key]() -> asio::awaitable<void> {
                    for (int round = 0; !done; ++round) {
                        const std::string v = std::to_string(round);
                        diagnostics d;
                        auto [e1, r1] = co_await try_exec(c, cmd::set(key, v), {}, &d);
                        if (e1) {
                            errors.push_back(e1);
                            error_texts.push_back(key + " SET: " + e1.message() + " " + d.server_message);
                            continue;
                        }
                        auto [e2, r2] = co_await try_exec(c, cmd::get(key), {}, &d);
                        if (e2) {
                            errors.push_back(e2);
                            error_texts.push_back(key + " GET: " + e2.message() + " " + d.server_message);
                        } else if (r2 != std::optional<std::string>(v)) {
                            ++wrong;
                        } else {
                            ++ok;
                        }
                    }
                    --running;
                },
                asio::detached);
        }
        while (running > 0) co_await pause(10ms);

        // Writes now go to the new primary, straight (no MOVED from the old one, now a replica).
        const auto moved_before = errorstat(cl.node(old_primary), "MOVED");
        const auto sets_before = calls(cl.node(new_primary), "set");
        for (int i = 0; i < 6; ++i) {
            auto [e, r] = co_await try_exec(c, cmd::set(keys[static_cast<std::size_t>(i)], "after"));
            EXPECT_FALSE(e) << e.message();
        }
        EXPECT_EQ(calls(cl.node(new_primary), "set") - sets_before, 6);
        EXPECT_EQ(errorstat(cl.node(old_primary), "MOVED"), moved_before);
    });
    join(operator_thread);
    EXPECT_TRUE(switched) << "the replica did not become primary";
    EXPECT_EQ(cl.node(new_primary).cli_output({"GET", keys[0]}), "after");
    EXPECT_EQ(lines_of(cl.node(old_primary).cli_output({"ROLE"})).front(), "slave");
    EXPECT_EQ(wrong, 0);
    EXPECT_GT(ok, 100);
    EXPECT_LE(errors.size(), 5u);
    for (std::size_t i = 0; i < errors.size(); ++i) {
        EXPECT_TRUE(typed(errors[i])) << error_texts[i];
        std::cout << "error around the switch: " << error_texts[i] << "\n";
    }
    std::cout << "rounds ok: " << ok << ", errors: " << errors.size() << "\n";
}

// SIGKILL of a primary under load: the other shards keep answering; requests for the dead shard
// fail with a typed error or succeed once its replica has taken over; every request completes
// exactly once; and after the takeover the dead shard's keys work again.
TEST(cluster_fault, sigkill_of_a_primary) {
    respio_test::cluster cl(private_cluster());
    const std::string victim_key = "kill:k";
    const std::size_t victim = cl.slot_owner(key_slot(victim_key));
    const auto others = keys_where(cl, "alive:", 6, [&](std::size_t o) { return o != victim; });
    auto cfg = config_for(cl);
    // The dead shard's requests: 2 s, shorter than the takeover (node timeout 2 s + election), so
    // the first ones after the kill fail. The other shards' requests: 5 s, which covers the
    // cluster's own window of CLUSTERDOWN between marking the primary failed and the promotion.
    cfg.request_timeout = 2000ms;
    request_options other_options;
    other_options.timeout = 5000ms;

    std::atomic<bool> promoted{false};
    std::atomic<bool> done{false};
    std::chrono::steady_clock::time_point killed_at{}, promoted_at{};
    int other_ok = 0, victim_ok = 0;
    std::vector<std::string> other_errors, victim_untyped;
    int victim_errors = 0;
    std::vector<int> completions; // per victim request: how often it completed
    std::thread operator_thread;
    run(cfg, [&](cluster_client& c) -> asio::awaitable<void> {
        co_await c.async_exec(cmd::set(victim_key, "0"), asio::use_awaitable);
        for (const auto& k : others) co_await c.async_exec(cmd::set(k, "0"), asio::use_awaitable);
        operator_thread = in_background(done, [&] {
            std::this_thread::sleep_for(300ms);
            killed_at = std::chrono::steady_clock::now();
            cl.node(victim).kill();
            cl.wait_serving(25s);
            promoted_at = std::chrono::steady_clock::now();
            promoted = true;
            std::this_thread::sleep_for(500ms);
        });
        int running = static_cast<int>(others.size());
        for (const auto& key : others) {
            asio::co_spawn(
                c.get_executor(),
                [&, key]() -> asio::awaitable<void> {
                    for (int round = 0; !done; ++round) {
                        diagnostics d;
                        auto [e, r] = co_await try_exec(c, cmd::incr(key), other_options, &d);
                        if (e) other_errors.push_back(key + ": " + e.message() + " " + d.server_message);
                        else ++other_ok;
                        co_await pause(5ms);
                    }
                    --running;
                },
                asio::detached);
        }
        // The dead shard's key: a request every 50 ms, each counted when it completes.
        while (!done) {
            const std::size_t i = completions.size();
            completions.push_back(0);
            auto d = std::make_shared<diagnostics>();
            c.async_exec(cmd::incr(victim_key), request_options{}, d.get(), [&, i, d](error_code e, std::int64_t) {
                ++completions[i];
                if (!e) ++victim_ok;
                else {
                    ++victim_errors;
                    if (!typed(e)) victim_untyped.push_back(e.message());
                }
            });
            co_await pause(50ms);
        }
        while (running > 0) co_await pause(10ms);
        // Every victim request completes (at the latest at its deadline).
        for (int i = 0; i < 400; ++i) {
            bool all = true;
            for (int n : completions) all = all && n > 0;
            if (all) break;
            co_await pause(10ms);
        }
        // After the takeover: one probe with time enough for a refresh.
        request_options o;
        o.timeout = 8000ms;
        diagnostics d;
        auto [e, v] = co_await try_exec(c, cmd::incr(victim_key), o, &d);
        EXPECT_FALSE(e) << "the dead shard's key after the takeover: " << e.message() << " " << d.server_message;
        co_await pause(200ms); // late duplicate completions would show up here
    });
    join(operator_thread);
    ASSERT_TRUE(promoted);
    std::cout << "promotion " << std::chrono::duration_cast<std::chrono::milliseconds>(promoted_at - killed_at).count()
              << " ms after the kill; other shards ok " << other_ok << ", dead shard ok " << victim_ok << ", failed "
              << victim_errors << " of " << completions.size() << "\n";
    EXPECT_TRUE(other_errors.empty());
    for (const auto& e : other_errors) ADD_FAILURE() << "another shard failed: " << e;
    EXPECT_GT(other_ok, 100);
    EXPECT_TRUE(victim_untyped.empty());
    for (const auto& e : victim_untyped) ADD_FAILURE() << "untyped error: " << e;
    EXPECT_GT(victim_errors, 0) << "the kill did not hit the dead shard's requests";
    for (std::size_t i = 0; i < completions.size(); ++i) EXPECT_EQ(completions[i], 1) << "request " << i;
}
