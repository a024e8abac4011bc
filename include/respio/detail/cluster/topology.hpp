// A cluster's topology as the client sees it: shards (a primary, its replicas, their slot ranges)
// and which shard owns each of the 16384 slots. Built from CLUSTER SHARDS (or CLUSTER SLOTS on
// older servers), patched by MOVED redirects. Sans-io.
#ifndef RESPIO_DETAIL_CLUSTER_TOPOLOGY_HPP
#define RESPIO_DETAIL_CLUSTER_TOPOLOGY_HPP

#include <respio/config.hpp>
#include <respio/detail/cluster/slots.hpp>
#include <respio/types.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace respio::detail {

struct shard_info {
    std::vector<std::pair<std::uint16_t, std::uint16_t>> slots; // inclusive ranges
    address primary;
    std::vector<address> replicas; // healthy ones
    friend bool operator==(const shard_info&, const shard_info&) = default;
};

class topology {
public:
    topology() { owner_.fill(-1); }

    const std::vector<shard_info>& shards() const noexcept { return shards_; }

    /// The shard owning a slot, or nullptr while nobody does.
    const shard_info* shard_of(std::uint16_t slot) const noexcept {
        const int i = owner_[slot % slot_count];
        return i < 0 ? nullptr : &shards_[static_cast<std::size_t>(i)];
    }

    /// Some replica was reported but not online yet (Redis reports new replicas "loading" until
    /// gossip carries their offsets): worth asking again shortly.
    bool has_unready_replicas() const noexcept { return unready_replicas_; }

    bool covers_all_slots() const noexcept {
        return std::all_of(owner_.begin(), owner_.end(), [](int i) { return i >= 0; });
    }

    /// MOVED <slot> <host:port>: the slot now belongs to that primary (a new shard if it is not
    /// known yet). A full refresh follows separately; this keeps requests flowing meanwhile.
    void moved(std::uint16_t slot, const address& to) {
        // Out of its old shard's ranges first, so that shards() stays a true picture.
        if (const int old = owner_[slot % slot_count]; old >= 0) {
            auto& ranges = shards_[static_cast<std::size_t>(old)].slots;
            std::vector<std::pair<std::uint16_t, std::uint16_t>> kept;
            for (const auto& [first, last] : ranges) {
                if (slot < first || slot > last) {
                    kept.emplace_back(first, last);
                    continue;
                }
                if (first < slot) kept.emplace_back(first, static_cast<std::uint16_t>(slot - 1));
                if (slot < last) kept.emplace_back(static_cast<std::uint16_t>(slot + 1), last);
            }
            ranges = std::move(kept);
        }
        auto it = std::find_if(shards_.begin(), shards_.end(), [&](const shard_info& s) { return s.primary == to; });
        if (it == shards_.end()) {
            shard_info s;
            s.primary = to;
            shards_.push_back(std::move(s));
            it = shards_.end() - 1;
        }
        it->slots.emplace_back(slot, slot);
        owner_[slot % slot_count] = static_cast<int>(it - shards_.begin());
    }

    /// From CLUSTER SHARDS. `asked` is the node that answered (an empty endpoint means it);
    /// `tls` selects tls-port. Nodes reported failed are left out; replicas must be online.
    static topology from_shards(const std::vector<cluster_shard>& reply, const address& asked, bool tls) {
        topology t;
        for (const auto& s : reply) {
            shard_info info;
            bool has_primary = false;
            for (const auto& n : s.nodes) {
                if (n.health == "fail" || n.health == "failed") continue;
                address a;
                a.host = node_host(n.endpoint, n.ip, asked);
                const auto port = tls && n.tls_port > 0 ? n.tls_port : n.port;
                if (port <= 0 || port > 65535) continue;
                a.port = static_cast<std::uint16_t>(port);
                if (n.role == "master" || n.role == "primary") {
                    info.primary = a;
                    has_primary = true;
                } else if (n.health == "online") {
                    info.replicas.push_back(a);
                } else {
                    t.unready_replicas_ = true; // "loading": it will be online soon
                }
            }
            if (!has_primary) continue;
            for (const auto& [first, last] : s.slots) {
                if (first < 0 || last >= slot_count || first > last) continue;
                info.slots.emplace_back(static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last));
            }
            t.add(std::move(info));
        }
        return t;
    }

    /// From CLUSTER SLOTS: [first, last, [host, port, id, ...], replicas...] per range.
    static topology from_slots(const std::vector<std::vector<value>>& reply, const address& asked) {
        topology t;
        for (const auto& range : reply) {
            if (range.size() < 3) continue;
            auto node = [&](const value& v) -> std::optional<address> {
                if (v.elements.size() < 2) return std::nullopt;
                address a;
                a.host = node_host(v.elements[0].string, {}, asked);
                const auto port = v.elements[1].integer;
                if (port <= 0 || port > 65535) return std::nullopt;
                a.port = static_cast<std::uint16_t>(port);
                return a;
            };
            auto primary = node(range[2]);
            if (!primary) continue;
            const auto first = range[0].integer, last = range[1].integer;
            if (first < 0 || last >= slot_count || first > last) continue;
            shard_info* s = nullptr;
            for (auto& existing : t.shards_)
                if (existing.primary == *primary) s = &existing;
            if (s == nullptr) {
                shard_info info;
                info.primary = *primary;
                for (std::size_t i = 3; i < range.size(); ++i)
                    if (auto r = node(range[i])) info.replicas.push_back(*r);
                t.shards_.push_back(std::move(info));
                s = &t.shards_.back();
            }
            s->slots.emplace_back(static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last));
        }
        t.rebuild_owners();
        return t;
    }

    /// A canonical text of the slot ownership, to compare views from several nodes.
    std::string fingerprint() const {
        std::string f;
        std::vector<std::string> parts;
        for (const auto& s : shards_) {
            std::string p = s.primary.host + ":" + std::to_string(s.primary.port) + "=";
            auto slots = s.slots;
            std::sort(slots.begin(), slots.end());
            for (const auto& [a, b] : slots) p += std::to_string(a) + "-" + std::to_string(b) + ",";
            parts.push_back(std::move(p));
        }
        std::sort(parts.begin(), parts.end());
        for (const auto& p : parts) f += p + ";";
        return f;
    }

    /// Every address known (primaries first).
    std::vector<address> addresses() const {
        std::vector<address> all;
        for (const auto& s : shards_) all.push_back(s.primary);
        for (const auto& s : shards_)
            for (const auto& r : s.replicas) all.push_back(r);
        return all;
    }

private:
    // An empty endpoint (or "?") means "the host you asked"; otherwise the endpoint, else the ip.
    static std::string node_host(std::string_view endpoint, std::string_view ip, const address& asked) {
        if (!endpoint.empty() && endpoint != "?") return std::string(endpoint);
        if (!ip.empty() && ip != "?") return std::string(ip);
        return asked.host;
    }

    void add(shard_info info) {
        shards_.push_back(std::move(info));
        rebuild_owners();
    }

    void rebuild_owners() {
        owner_.fill(-1);
        for (std::size_t i = 0; i < shards_.size(); ++i)
            for (const auto& [first, last] : shards_[i].slots)
                for (unsigned s = first; s <= last; ++s) owner_[s] = static_cast<int>(i);
    }

    std::vector<shard_info> shards_;
    std::array<int, slot_count> owner_{};
    bool unready_replicas_ = false;
};

/// The view most of the asked nodes agree on (ties: the first); nullptr for no view.
inline const topology* consensus(const std::vector<topology>& views) {
    const topology* best = nullptr;
    std::size_t best_votes = 0;
    for (const auto& v : views) {
        const auto fp = v.fingerprint();
        const auto votes = static_cast<std::size_t>(
            std::count_if(views.begin(), views.end(), [&](const topology& o) { return o.fingerprint() == fp; }));
        if (votes > best_votes) {
            best = &v;
            best_votes = votes;
        }
    }
    return best;
}

/// Parses "MOVED 3999 127.0.0.1:6381" / "ASK 3999 host:port" (IPv6 hosts keep their colons; an
/// empty host means the node that answered).
inline std::optional<std::pair<std::uint16_t, address>> parse_redirect(std::string_view text, const address& from) {
    const auto s1 = text.find(' ');
    if (s1 == std::string_view::npos) return std::nullopt;
    const auto s2 = text.find(' ', s1 + 1);
    if (s2 == std::string_view::npos) return std::nullopt;
    const std::string_view slot_text = text.substr(s1 + 1, s2 - s1 - 1);
    const std::string_view where = text.substr(s2 + 1);
    unsigned slot = 0;
    for (char c : slot_text) {
        if (c < '0' || c > '9') return std::nullopt;
        slot = slot * 10 + static_cast<unsigned>(c - '0');
        if (slot >= slot_count) return std::nullopt;
    }
    if (slot_text.empty()) return std::nullopt;
    const auto colon = where.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    address a;
    a.host = std::string(where.substr(0, colon));
    if (a.host.empty()) a.host = from.host;
    unsigned port = 0;
    const std::string_view port_text = where.substr(colon + 1);
    for (char c : port_text) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + static_cast<unsigned>(c - '0');
        if (port > 65535) return std::nullopt;
    }
    if (port == 0) return std::nullopt;
    a.port = static_cast<std::uint16_t>(port);
    return std::pair{static_cast<std::uint16_t>(slot), a};
}

} // namespace respio::detail

#endif // RESPIO_DETAIL_CLUSTER_TOPOLOGY_HPP
