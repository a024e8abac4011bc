// node_tree: an owning copy of a whole reply as a flat pre-order list of nodes (the generic result).
#ifndef RESPIO_RESP_TREE_HPP
#define RESPIO_RESP_TREE_HPP

#include <respio/resp/node.hpp>
#include <respio/resp/type.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace respio::resp {

/// What a declared element count may make anyone reserve up front, whatever the count says: a
/// server announcing `*4294967295` gets room for 1024 and growth as elements really arrive.
inline constexpr std::size_t max_reserve = 1024;

/// reserve() for a declared count, capped by max_reserve.
constexpr std::size_t reserve_hint(std::size_t declared) noexcept {
    return declared == unknown_size ? 0 : std::min(declared, max_reserve);
}

/// An owning node: node_view with its bytes copied.
struct node {
    type data_type = type::null;
    std::size_t size = 1;
    std::size_t depth = 0;
    std::string value;
    std::string format;
    std::int64_t integer = 0;
    double real = 0.0;
    bool in_attribute = false;

    static node from_view(const node_view& v) {
        return node{v.data_type, v.size, v.depth, std::string(v.value), std::string(v.format),
                    v.integer,   v.real, v.in_attribute};
    }
    friend bool operator==(const node& a, const node& b) noexcept {
        // NaN compares equal to NaN here: trees are compared for structure, not arithmetic.
        const bool same_real = a.real == b.real || (a.real != a.real && b.real != b.real);
        return a.data_type == b.data_type && a.size == b.size && a.depth == b.depth && a.value == b.value &&
               a.format == b.format && a.integer == b.integer && same_real && a.in_attribute == b.in_attribute;
    }
};

/// A reply as nodes in pre-order (attributes included, flagged). Building it reserves per
/// aggregate at most max_reserve slots beyond what has arrived.
class node_tree {
public:
    void on_node(const node_view& v) {
        if (is_aggregate(v.data_type) && v.size != unknown_size) {
            const std::size_t want = nodes_.size() + 1 + reserve_hint(v.size) * element_multiplicity(v.data_type);
            if (want > nodes_.capacity()) nodes_.reserve(std::max(want, nodes_.capacity() * 2));
        }
        nodes_.push_back(node::from_view(v));
    }
    const std::vector<node>& nodes() const noexcept { return nodes_; }
    std::vector<node>& nodes() noexcept { return nodes_; }
    bool empty() const noexcept { return nodes_.empty(); }
    void clear() noexcept { nodes_.clear(); }
    friend bool operator==(const node_tree&, const node_tree&) = default;

private:
    std::vector<node> nodes_;
};

} // namespace respio::resp

#endif // RESPIO_RESP_TREE_HPP
