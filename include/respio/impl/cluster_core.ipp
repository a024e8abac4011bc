// Body of respio/detail/cluster_core.hpp: discovery and refresh of the topology, slot routing,
// MOVED / ASK / TRYAGAIN handling, and fan-out requests with the command tips' aggregation.
#ifndef RESPIO_IMPL_CLUSTER_CORE_IPP
#define RESPIO_IMPL_CLUSTER_CORE_IPP

#include <respio/detail/cluster/slots.hpp>
#include <respio/detail/cluster/topology.hpp>
#include <respio/detail/cluster_core.hpp>
#include <respio/detail/keys.hpp>
#include <respio/impl/internal/connection.hpp>
#include <respio/impl/internal/validate.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace respio::detail {
namespace cluster_impl {

// An internal request whose reply is read into a T and handed to a callback.
template <class T>
class callback_request final : public request_base {
public:
    using callback = std::function<void(error_code, T&, const std::optional<server_error>&)>;
    callback_request(std::string b, clock::time_point deadline_, callback cb) : reader_(value_), cb_(std::move(cb)) {
        bytes = std::move(b);
        deadline = deadline_;
    }
    void on_node(std::size_t, const resp::node_view& n) override { reader_.on_node(n); }
    void complete(error_code ec) noexcept override {
        if (!ec && reader_.status().ec) ec = reader_.status().ec;
        try {
            cb_(ec, value_, reader_.server_error_reply());
        } catch (...) {
        }
    }
    void release() noexcept override { delete this; }

private:
    T value_{};
    reply_reader<T> reader_;
    callback cb_;
};

// Feeds a value to a request as if it had arrived from a server.
inline void replay(request_base& r, const value& v, std::size_t depth = 0) {
    resp::node_view n;
    n.data_type = v.data_type;
    n.depth = depth;
    n.value = v.string;
    n.integer = v.integer;
    n.real = v.real;
    if (resp::is_aggregate(v.data_type)) {
        n.size = v.elements.size() / resp::element_multiplicity(v.data_type);
        n.value = {};
    }
    r.on_node(0, n);
    for (const auto& e : v.elements) replay(r, e, depth + 1);
}

inline value error_value(std::string text) {
    value v;
    v.data_type = resp::type::simple_error;
    v.string = std::move(text);
    return v;
}

inline value integer_value(std::int64_t i) {
    value v;
    v.data_type = resp::type::integer;
    v.integer = i;
    return v;
}

inline std::string describe(const address& a) { return a.host + ":" + std::to_string(a.port); }

// Combines the replies of several nodes by the command's response policy.
inline value aggregate(const command_info& info, std::vector<value>& replies, const std::vector<address>& from) {
    const value* first_error = nullptr;
    for (const auto& r : replies)
        if (r.is_error() && !first_error) first_error = &r;
    switch (info.response) {
    case response_policy::one_succeeded:
        for (auto& r : replies)
            if (!r.is_error()) return r;
        return first_error ? *first_error : value{};
    case response_policy::all_succeeded:
        if (first_error) return *first_error;
        return replies.empty() ? value{} : replies.front();
    case response_policy::agg_sum:
    case response_policy::agg_min:
    case response_policy::agg_max: {
        if (first_error) return *first_error;
        // Integers, or arrays of integers element by element (SCRIPT EXISTS-like shapes).
        std::int64_t acc = 0;
        bool set = false;
        for (const auto& r : replies) {
            const std::int64_t x = r.integer;
            if (!set) acc = x;
            else if (info.response == response_policy::agg_sum) acc += x;
            else if (info.response == response_policy::agg_min) acc = std::min(acc, x);
            else acc = std::max(acc, x);
            set = true;
        }
        return integer_value(acc);
    }
    case response_policy::agg_logical_and:
    case response_policy::agg_logical_or: {
        if (first_error) return *first_error;
        if (replies.empty()) return value{};
        value out = replies.front();
        const bool is_and = info.response == response_policy::agg_logical_and;
        for (std::size_t k = 1; k < replies.size(); ++k) {
            const value& r = replies[k];
            if (resp::is_aggregate(out.data_type)) {
                for (std::size_t i = 0; i < out.elements.size() && i < r.elements.size(); ++i) {
                    auto& e = out.elements[i];
                    e.integer = is_and ? (e.integer && r.elements[i].integer) : (e.integer || r.elements[i].integer);
                }
            } else {
                out.integer = is_and ? (out.integer && r.integer) : (out.integer || r.integer);
            }
        }
        return out;
    }
    case response_policy::special: {
        if (first_error) return *first_error;
        if (info.name == "RANDOMKEY") { // any node's key will do
            for (auto& r : replies)
                if (!r.is_null()) return r;
            return value{};
        }
        // Everything else (INFO, MEMORY STATS, LATENCY ...): the replies per node, as a map.
        value m;
        m.data_type = resp::type::map;
        for (std::size_t i = 0; i < replies.size(); ++i) {
            value key;
            key.data_type = resp::type::bulk_string;
            key.string = describe(from[i]);
            m.elements.push_back(std::move(key));
            m.elements.push_back(std::move(replies[i]));
        }
        return m;
    }
    default: { // default_keyless on several nodes: arrays are concatenated; otherwise all must agree
        if (first_error) return *first_error;
        if (replies.empty()) return value{};
        if (resp::is_aggregate(replies.front().data_type) && replies.front().data_type != resp::type::map) {
            value out;
            out.data_type = resp::type::array;
            for (auto& r : replies)
                for (auto& e : r.elements) out.elements.push_back(std::move(e));
            return out;
        }
        return replies.front();
    }
    }
}

} // namespace cluster_impl

class cluster_core_impl : public std::enable_shared_from_this<cluster_core_impl> {
public:
    cluster_core_impl(asio::any_io_executor ex, const client_config& config)
        : strand_(asio::make_strand(ex)), config_(std::make_shared<client_config>(config)),
          stats_(std::make_shared<client_stats>()), refresh_timer_(strand_), periodic_timer_(strand_) {
#ifdef RESPIO_HAS_TLS
        if (config.tls.enabled) tls_ = make_tls_context(config.tls);
#endif
    }

    void start() {
        for (const auto& a : config_->addresses) node(a);
        refresh();
        schedule_periodic_refresh();
    }

    void close() {
        closed_ = true;
        refresh_timer_.cancel();
        periodic_timer_.cancel();
        for (auto& [k, c] : nodes_) c->stop();
        auto waiting = std::move(waiting_);
        for (auto* r : waiting) finish(r, error::client_stopped);
    }

    void set_credentials(credentials auth, bool reauthenticate) {
        config_->auth = std::move(auth);
        for (auto& [k, c] : nodes_) c->credentials_changed(reauthenticate);
    }

    void cancel(std::uint64_t id) {
        for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
            if ((*it)->id == id) {
                request_base* r = *it;
                waiting_.erase(it);
                return finish(r, error::cancelled_not_sent);
            }
        }
        for (auto& [k, c] : nodes_)
            if (c->cancel(id)) return;
    }

    // On the strand: where does this request go?
    void submit(request_base* r, const command_info& info) {
        if (closed_) return finish(r, error::client_stopped);
        if (!have_topology_) {
            if (waiting_.size() >= config_->max_in_flight) return finish(r, error::too_many_in_flight);
            r->needs_primary = !info.is(command_flag::readonly);
            waiting_.push_back(r);
            waiting_info_.push_back(info);
            arm_waiting_deadline();
            return;
        }
        route(r, info);
    }

    asio::any_io_executor strand_;
    std::shared_ptr<client_config> config_;
    std::shared_ptr<client_stats> stats_;

private:
    static void finish(request_base* r, error_code ec) {
        r->status = request_base::state::done;
        r->complete(ec);
        r->release();
    }

    std::shared_ptr<connection> node(const address& a) {
        const std::string key = cluster_impl::describe(a);
        auto it = nodes_.find(key);
        if (it != nodes_.end()) return it->second;
        auto c = std::make_shared<connection>(strand_, config_, a, tls_, stats_);
        // READONLY on every connection: a replica then serves reads of its slots (with
        // prefer_replica); on a primary it changes nothing. Roles change with failovers anyway.
        static const std::string readonly = resp::make_command("READONLY");
        c->set_handshake_extra({readonly});
        std::weak_ptr<cluster_core_impl> weak = shared_from_this();
        c->on_redirect([weak](request_base* r, connection& from) {
            if (auto self = weak.lock()) self->redirected(r, from);
            else r->deliver_error_reply(r->redirect_error);
        });
        nodes_.emplace(key, c);
        c->start();
        return c;
    }

    //
    // Routing
    //
    void route(request_base* r, const command_info& info) {
        thread_local std::vector<std::string_view> argv;
        thread_local std::vector<std::size_t> keys;
        keys.clear();
        split_command(r->bytes, argv);
        find_key_positions(info, argv, keys);
        const bool readonly = info.is(command_flag::readonly);

        if (!keys.empty()) {
            const std::uint16_t slot = key_slot(argv[keys[0]]);
            bool one_slot = true;
            for (std::size_t k : keys) one_slot = one_slot && key_slot(argv[k]) == slot;
            if (!one_slot) {
                if (info.request == request_policy::multi_shard) return split(r, info, argv, keys);
                return finish(r, error::cross_slot);
            }
            return send_to_slot(r, slot, readonly);
        }
        switch (info.request) {
        case request_policy::all_nodes: return fan_out(r, info, true);
        case request_policy::all_shards: return fan_out(r, info, false);
        default: break;
        }
        // Keyless: any primary (the first one known; a random one would spread the load, but
        // keyless commands are rare and this keeps them predictable).
        const auto& shards = topology_.shards();
        if (shards.empty()) return finish(r, error::not_sent);
        node(shards.front().primary)->submit(r);
    }

    void send_to_slot(request_base* r, std::uint16_t slot, bool readonly) {
        const shard_info* s = topology_.shard_of(slot);
        r->route_slot = slot;
        if (s == nullptr) { // nobody serves it (yet): wait for a refresh, within the deadline
            refresh();
            return retry_later(r, std::chrono::milliseconds(100));
        }
        if (readonly && config_->reads == read_from::prefer_replica && !s->replicas.empty()) {
            const auto& replica = s->replicas[next_replica_++ % s->replicas.size()];
            auto c = node(replica);
            if (c->ready()) {
                r->needs_primary = false;
                return c->submit(r);
            }
        }
        auto c = node(s->primary);
        if (!connected(s->primary, *c)) {
            // Down: a dead node answers no MOVED, so ask the others who serves the slot now
            // (rate-limited). A node that was up and is not may be gone for good (killed, failed
            // over): the request waits here, where a new topology reaches it, not in its queue.
            refresh();
            if (was_up(s->primary)) return retry_later(r, std::chrono::milliseconds(50));
        }
        c->submit(r);
    }

    // Whether a node's connection is up. Remembers the nodes seen up, to tell one that went down
    // from one still connecting for the first time.
    bool connected(const address& a, const connection& c) {
        if (!c.ready()) return false;
        seen_up_.insert(cluster_impl::describe(a));
        return true;
    }
    bool was_up(const address& a) const { return seen_up_.count(cluster_impl::describe(a)) > 0; }

    // MGET, MSET, DEL, EXISTS, UNLINK, TOUCH across slots: one command per slot, in parallel,
    // replies put back in the caller's order.
    void split(request_base* r, const command_info& info, const std::vector<std::string_view>& argv,
               const std::vector<std::size_t>& keys) {
        struct group {
            std::uint16_t slot;
            std::vector<std::size_t> key_indexes; // positions in `keys`
        };
        std::vector<group> groups;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::uint16_t slot = key_slot(argv[keys[i]]);
            auto it = std::find_if(groups.begin(), groups.end(), [&](const group& g) { return g.slot == slot; });
            if (it == groups.end()) groups.push_back({slot, {i}});
            else it->key_indexes.push_back(i);
        }
        struct state {
            request_base* parent;
            command_info info;
            std::size_t key_count;
            std::vector<std::vector<std::size_t>> positions; // per group: indexes of its keys
            std::vector<value> replies;
            std::size_t pending;
            error_code ec;
        };
        auto st = std::make_shared<state>();
        st->parent = r;
        st->info = info;
        st->key_count = keys.size();
        st->pending = groups.size();
        st->replies.resize(groups.size());
        auto self = shared_from_this();
        for (std::size_t g = 0; g < groups.size(); ++g) {
            std::string bytes;
            resp::bulk_writer w(bytes);
            std::size_t count = keys[0]; // the name (and anything before the first key)
            for (std::size_t i : groups[g].key_indexes) {
                const std::size_t end = i + 1 < keys.size() ? keys[i + 1] : argv.size();
                count += end - keys[i];
            }
            w.array_header(count);
            for (std::size_t a = 0; a < keys[0]; ++a) w.bulk(argv[a]);
            for (std::size_t i : groups[g].key_indexes) {
                const std::size_t end = i + 1 < keys.size() ? keys[i + 1] : argv.size();
                for (std::size_t a = keys[i]; a < end; ++a) w.bulk(argv[a]);
            }
            st->positions.push_back(groups[g].key_indexes);
            auto* sub = new cluster_impl::callback_request<value>(
                std::move(bytes), r->deadline,
                [st, g, self](error_code ec, value& v, const std::optional<server_error>& err) {
                    if (ec && !st->ec) st->ec = ec;
                    st->replies[g] = err ? cluster_impl::error_value(err->message) : std::move(v);
                    if (--st->pending == 0) self->finish_split(*st);
                });
            sub->redirectable = true;
            sub->id = r->id; // cancelling the parent cancels its parts
            sub->name = r->name;
            send_to_slot(sub, groups[g].slot, info.is(command_flag::readonly));
        }
    }

    template <class State>
    void finish_split(State& st) {
        request_base* r = st.parent;
        if (st.ec) return finish(r, st.ec);
        value merged;
        const value* error_reply = nullptr;
        for (const auto& rep : st.replies)
            if (rep.is_error() && !error_reply) error_reply = &rep;
        if (error_reply) {
            merged = *error_reply;
        } else if (st.info.response == response_policy::agg_sum) {
            std::int64_t sum = 0;
            for (const auto& rep : st.replies) sum += rep.integer;
            merged = cluster_impl::integer_value(sum);
        } else if (st.info.response == response_policy::all_succeeded) {
            merged = st.replies.front();
        } else { // MGET: elements back in the caller's key order
            merged.data_type = resp::type::array;
            merged.elements.resize(st.key_count);
            for (std::size_t g = 0; g < st.replies.size(); ++g)
                for (std::size_t k = 0; k < st.positions[g].size() && k < st.replies[g].elements.size(); ++k)
                    merged.elements[st.positions[g][k]] = std::move(st.replies[g].elements[k]);
        }
        cluster_impl::replay(*r, merged);
        r->status = request_base::state::done;
        r->complete({});
        r->release();
    }

    // all_nodes / all_shards: the same command to every node (or every primary), then the replies
    // combined by the response policy.
    void fan_out(request_base* r, const command_info& info, bool all_nodes) {
        std::vector<address> targets;
        for (const auto& s : topology_.shards()) {
            targets.push_back(s.primary);
            if (all_nodes)
                for (const auto& rep : s.replicas) targets.push_back(rep);
        }
        if (targets.empty()) return finish(r, error::not_sent);
        struct state {
            request_base* parent;
            command_info info;
            std::vector<address> from;
            std::vector<value> replies;
            std::size_t pending;
            error_code ec;
        };
        auto st = std::make_shared<state>();
        st->parent = r;
        st->info = info;
        st->from = targets;
        st->replies.resize(targets.size());
        st->pending = targets.size();
        for (std::size_t i = 0; i < targets.size(); ++i) {
            auto* sub = new cluster_impl::callback_request<value>(
                r->bytes, r->deadline, [st, i](error_code ec, value& v, const std::optional<server_error>& err) {
                    if (ec && !st->ec) st->ec = ec;
                    st->replies[i] = err ? cluster_impl::error_value(err->message) : std::move(v);
                    if (--st->pending > 0) return;
                    request_base* parent = st->parent;
                    if (st->ec) return finish(parent, st->ec);
                    value merged = cluster_impl::aggregate(st->info, st->replies, st->from);
                    cluster_impl::replay(*parent, merged);
                    parent->status = request_base::state::done;
                    parent->complete({});
                    parent->release();
                });
            sub->id = r->id;
            sub->name = r->name;
            node(targets[i])->submit(sub);
        }
    }

    //
    // Redirects
    //
    void redirected(request_base* r, connection& from) {
        const server_errc code = classify_server_error(r->redirect_error);
        const bool redirect = code == server_errc::moved || code == server_errc::ask;
        // Redirects are capped (a MOVED loop is a broken cluster); the retries below are bounded by
        // the deadline instead: a migration or a failover may take longer than a few tries.
        if (!redirect && r->redirects > 0) --r->redirects;
        if (r->redirects > 5 || closed_ || clock::now() >= r->deadline)
            return r->deliver_error_reply(r->redirect_error);
        if (redirect) {
            auto target = parse_redirect(r->redirect_error, from.where());
            if (!target) return r->deliver_error_reply(r->redirect_error);
            strip_asking(r);
            if (code == server_errc::moved) {
                topology_.moved(target->first, target->second); // at once; a full refresh follows
                refresh();
            } else {
                // ASK: once, at the importing node, right after ASKING; the map stays as it is.
                static const std::string asking = resp::make_command("ASKING");
                r->bytes.insert(0, asking);
                r->skip_replies = 1;
                r->expected_replies = 2;
            }
            r->status = request_base::state::queued;
            r->received_replies = 0;
            return node(target->second)->submit(r);
        }
        // TRYAGAIN (keys split by a migration), CLUSTERDOWN, LOADING, MASTERDOWN, READONLY: not
        // now, or not here — refresh and try again shortly, within the deadline.
        strip_asking(r);
        refresh();
        retry_later(r, std::chrono::milliseconds(code == server_errc::tryagain ? 20 : 100));
    }

    static void strip_asking(request_base* r) {
        if (r->skip_replies == 1) {
            static const std::string asking = resp::make_command("ASKING");
            r->bytes.erase(0, asking.size());
            r->skip_replies = 0;
            r->expected_replies = 1;
        }
    }

    void retry_later(request_base* r, std::chrono::milliseconds delay) {
        if (clock::now() + delay >= r->deadline) {
            if (!r->redirect_error.empty()) return r->deliver_error_reply(r->redirect_error);
            return finish(r, error::timeout_not_sent);
        }
        auto timer = std::make_shared<asio::steady_timer>(strand_, delay);
        auto self = shared_from_this();
        timer->async_wait([self, timer, r](error_code) {
            if (self->closed_) return finish(r, error::client_stopped);
            r->status = request_base::state::queued;
            r->received_replies = 0;
            self->reroute(r);
        });
    }

    // A request that comes back (after a redirect): route it again by its bytes.
    void reroute(request_base* r) {
        command_info info;
        info.flags = r->needs_primary ? command_flag::write : command_flag::readonly;
        if (r->route_slot >= 0) return send_to_slot(r, static_cast<std::uint16_t>(r->route_slot), !r->needs_primary);
        const auto& shards = topology_.shards();
        if (shards.empty()) return finish(r, error::not_sent);
        node(shards.front().primary)->submit(r);
    }

    //
    // Topology: asked of up to three nodes, the view most agree on wins.
    //
    void refresh() {
        if (refreshing_ || closed_) return;
        const auto now = clock::now();
        if (now - last_refresh_ < std::chrono::milliseconds(200)) { // rate limit: at most 5 per second
            if (!refresh_pending_) {
                refresh_pending_ = true;
                refresh_timer_.expires_after(std::chrono::milliseconds(200));
                auto self = shared_from_this();
                refresh_timer_.async_wait([self](error_code ec) {
                    self->refresh_pending_ = false;
                    if (!ec) self->refresh();
                });
            }
            return;
        }
        refreshing_ = true;
        last_refresh_ = now;
        // Up to three nodes that are connected: one that is not would hold the refresh back for
        // connect_timeout + request_timeout (a killed node never answers). Only when none is
        // (the first discovery): up to three of the others.
        std::vector<address> up, down;
        auto consider = [&](const address& a) {
            if (std::find(up.begin(), up.end(), a) != up.end() || std::find(down.begin(), down.end(), a) != down.end())
                return;
            auto it = nodes_.find(cluster_impl::describe(a));
            (it != nodes_.end() && connected(a, *it->second) ? up : down).push_back(a);
        };
        for (const auto& a : topology_.addresses()) consider(a);
        for (const auto& a : config_->addresses) consider(a);
        std::vector<address>& ask = up.empty() ? down : up;
        if (ask.size() > 3) ask.resize(3);
        struct state {
            std::vector<topology> views;
            std::size_t pending;
        };
        auto st = std::make_shared<state>();
        st->pending = ask.size();
        auto self = shared_from_this();
        const bool tls = config_->tls.enabled;
        static const std::string shards_cmd = resp::make_command("CLUSTER", "SHARDS");
        static const std::string slots_cmd = resp::make_command("CLUSTER", "SLOTS");
        for (const auto& a : ask) {
            auto done = [st, self, a](std::optional<topology> view) {
                if (view && !view->shards().empty()) {
                    // The first view ever is used at once: waiting for the other nodes asked would
                    // hold every request back for connect_timeout + request_timeout when a seed is
                    // dead. The consensus of all answers replaces it when they are in.
                    if (!self->have_topology_) self->adopt(*view);
                    st->views.push_back(std::move(*view));
                }
                if (--st->pending == 0) self->apply(st->views);
            };
            auto* req = new cluster_impl::callback_request<std::vector<cluster_shard>>(
                shards_cmd, clock::now() + config_->connect_timeout + config_->request_timeout,
                [self, a, tls, done](error_code ec, std::vector<cluster_shard>& shards,
                                     const std::optional<server_error>& err) {
                    if (!ec && !err) return done(topology::from_shards(shards, a, tls));
                    if (err && classify_server_error(err->message) == server_errc::unknown_command) {
                        // Servers before 7.0 have no CLUSTER SHARDS.
                        auto* old = new cluster_impl::callback_request<std::vector<std::vector<value>>>(
                            slots_cmd, clock::now() + self->config_->request_timeout,
                            [a, done](error_code e2, std::vector<std::vector<value>>& slots,
                                      const std::optional<server_error>& err2) {
                                if (e2 || err2) return done(std::nullopt);
                                done(topology::from_slots(slots, a));
                            });
                        old->name = "CLUSTER SLOTS";
                        return self->node(a)->submit(old);
                    }
                    done(std::nullopt);
                });
            req->name = "CLUSTER SHARDS";
            node(a)->submit(req);
        }
    }

    void apply(const std::vector<topology>& views) {
        refreshing_ = false;
        if (closed_) return;
        const topology* best = consensus(views);
        if (best == nullptr) { // nobody answered: keep the old view, ask again soon
            refresh_again_soon();
            return;
        }
        adopt(*best);
        // Not the whole picture yet (slots unowned, replicas still loading): ask again soon, a
        // bounded number of times for replicas (one may stay loading for long).
        if (!topology_.covers_all_slots()) refresh_again_soon();
        else if (topology_.has_unready_replicas() && unready_refreshes_++ < 40) refresh_again_soon();
        else if (!topology_.has_unready_replicas()) unready_refreshes_ = 0;
    }

    // Uses a view: connects to its new nodes and routes the requests that waited for a topology.
    void adopt(const topology& view) {
        if (closed_) return;
        topology_ = view;
        have_topology_ = true;
        for (const auto& a : topology_.addresses()) node(a); // connect to new nodes
        auto waiting = std::move(waiting_);
        auto infos = std::move(waiting_info_);
        waiting_.clear();
        waiting_info_.clear();
        for (std::size_t i = 0; i < waiting.size(); ++i) route(waiting[i], infos[i]);
    }

    void refresh_again_soon() {
        if (refresh_pending_ || closed_) return;
        refresh_pending_ = true;
        refresh_timer_.expires_after(std::chrono::milliseconds(250));
        auto self = shared_from_this();
        refresh_timer_.async_wait([self](error_code ec) {
            self->refresh_pending_ = false;
            if (!ec) self->refresh();
        });
    }

    void schedule_periodic_refresh() {
        periodic_timer_.expires_after(std::chrono::seconds(60)); // cheap: one CLUSTER SHARDS a minute
        auto self = shared_from_this();
        periodic_timer_.async_wait([self](error_code ec) {
            if (ec || self->closed_) return;
            self->refresh();
            self->schedule_periodic_refresh();
        });
    }

    // Requests waiting for the first topology still have deadlines.
    void arm_waiting_deadline() {
        if (waiting_timer_armed_) return;
        waiting_timer_armed_ = true;
        auto timer = std::make_shared<asio::steady_timer>(strand_, std::chrono::milliseconds(20));
        auto self = shared_from_this();
        timer->async_wait([self, timer](error_code) {
            self->waiting_timer_armed_ = false;
            const auto now = clock::now();
            for (std::size_t i = 0; i < self->waiting_.size();) {
                if (self->waiting_[i]->deadline <= now) {
                    request_base* r = self->waiting_[i];
                    self->waiting_.erase(self->waiting_.begin() + static_cast<std::ptrdiff_t>(i));
                    self->waiting_info_.erase(self->waiting_info_.begin() + static_cast<std::ptrdiff_t>(i));
                    finish(r, error::timeout_not_sent);
                } else {
                    ++i;
                }
            }
            if (!self->waiting_.empty()) self->arm_waiting_deadline();
        });
    }

    std::shared_ptr<tls_context> tls_;
    std::map<std::string, std::shared_ptr<connection>> nodes_;
    std::set<std::string> seen_up_; // nodes whose connection has been up
    topology topology_;
    bool have_topology_ = false;
    std::vector<request_base*> waiting_;
    std::vector<command_info> waiting_info_;
    asio::steady_timer refresh_timer_;
    asio::steady_timer periodic_timer_;
    clock::time_point last_refresh_{};
    std::size_t next_replica_ = 0;
    unsigned unready_refreshes_ = 0;
    bool refreshing_ = false;
    bool refresh_pending_ = false;
    bool waiting_timer_armed_ = false;
    bool closed_ = false;
};

RESPIO_DECL cluster_core::cluster_core(boost::asio::any_io_executor ex, client_config config) : config_(std::move(config)) {
    core_impl::validate(config_);
    if (config_.database != 0)
        throw std::invalid_argument("respio: invalid configuration, database: a cluster has only database 0");
    try {
        impl_ = std::make_shared<cluster_core_impl>(ex, config_);
    } catch (const boost::system::system_error& e) {
        throw std::invalid_argument(std::string("respio: invalid configuration, tls: ") + e.what());
    }
    auto impl = impl_;
    asio::post(impl->strand_, [impl] { impl->start(); });
}

RESPIO_DECL cluster_core::~cluster_core() { close(); }

RESPIO_DECL void cluster_core::submit(request_base* r, const command_info& info) {
    auto impl = impl_;
    asio::post(impl->strand_, [impl, r, info] { impl->submit(r, info); });
}

RESPIO_DECL void cluster_core::cancel(std::uint64_t id) { cancel(impl_, id); }

RESPIO_DECL void cluster_core::cancel(const std::weak_ptr<cluster_core_impl>& core, std::uint64_t id) {
    if (auto impl = core.lock()) asio::post(impl->strand_, [impl, id] { impl->cancel(id); });
}

RESPIO_DECL void cluster_core::close() {
    if (!impl_) return;
    auto impl = impl_;
    asio::post(impl->strand_, [impl] { impl->close(); });
}

RESPIO_DECL void cluster_core::set_credentials(credentials auth, bool reauthenticate) {
    if (!auth.username.empty() && auth.password.empty())
        throw std::invalid_argument("respio: invalid credentials, auth: a username without a password");
    auto impl = impl_;
    asio::post(impl->strand_, [impl, auth = std::move(auth), reauthenticate]() mutable {
        impl->set_credentials(std::move(auth), reauthenticate);
    });
}

RESPIO_DECL boost::asio::any_io_executor cluster_core::strand() const { return impl_->strand_; }

RESPIO_DECL client_stats cluster_core::stats() const { return *impl_->stats_; }

} // namespace respio::detail

#endif // RESPIO_IMPL_CLUSTER_CORE_IPP
