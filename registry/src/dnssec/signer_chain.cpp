// The signer's passes over the names' places in the zone: zone cuts (which names are
// delegations, which are glue below them) and the NSEC chain, for the whole zone or only around
// the names a named update changed. See signer_state.hpp.
#include "signer_state.hpp"

#include <algorithm>
#include <string_view>

namespace rootsim::registry {

using signer::Node;
using signer::RRsetEntry;

void ZoneSigner::State::mark_cuts() {
  const std::string* cut = nullptr;
  for (auto& node : nodes) {
    const std::string& key = node.key;
    const bool was_occluded = node.occluded;
    const bool was_delegation = node.delegation;
    node.occluded =
        cut != nullptr && key.size() > cut->size() && key.compare(0, cut->size(), *cut) == 0;
    if (!node.occluded) {
      cut = nullptr;
    }
    node.apex = node.owner == origin;
    node.delegation = !node.apex && !node.occluded && node.find(dns::RRType::kNs) != nullptr;
    if (node.delegation) {
      cut = &key;
    }
    if (was_occluded != node.occluded || was_delegation != node.delegation) {
      node.wire_valid = false;  // what is signed at it may change: plan it again
    }
  }
}

void ZoneSigner::State::count_in_chain(Node& node) noexcept {
  const bool in = node.authoritative();
  if (in != node.in_chain) {
    chain_total = in ? chain_total + 1 : chain_total - 1;
    node.in_chain = in;
  }
}

std::vector<std::size_t> ZoneSigner::State::mark_cuts_near_changes(
    std::vector<std::size_t>& positions) {
  const std::string& apex_key = nodes.front().key;
  const auto by_key = [](const Node& n, std::string_view k) { return n.key < k; };
  // A name is occluded when a proper ancestor below the apex has NS records: that ancestor, or
  // one above it, is a cut. Ancestors' keys are the key's prefixes that end a label.
  const auto occluded = [&](const std::string& key) {
    for (std::size_t end = key.find('\0', apex_key.size()); end != std::string::npos &&
                                                             end + 1 < key.size();
         end = key.find('\0', end + 1)) {
      const std::string_view ancestor(key.data(), end + 1);
      const auto it = std::lower_bound(nodes.begin(), nodes.end(), ancestor, by_key);
      if (it != nodes.end() && it->key == ancestor && it->find(dns::RRType::kNs) != nullptr) {
        return true;
      }
    }
    return false;
  };
  Node& apex = nodes.front();  // a new node when its records changed: not yet marked
  apex.apex = true;
  apex.occluded = false;
  apex.delegation = false;
  std::vector<std::size_t> dirty{0};  // the apex: its SOA, DNSKEY or ZONEMD change
  positions.clear();
  for (const std::string& key : changed_keys) {
    auto i = static_cast<std::size_t>(
        std::lower_bound(nodes.begin(), nodes.end(), key, by_key) - nodes.begin());
    positions.push_back(i);
    if (key.size() <= apex_key.size()) {
      continue;  // the apex: its NS is no cut, so nothing below it moves
    }
    for (; i < nodes.size() && nodes[i].key.starts_with(key); ++i) {
      Node& node = nodes[i];
      const bool was_occluded = node.occluded;
      const bool was_delegation = node.delegation;
      node.apex = false;
      node.occluded = occluded(node.key);
      node.delegation = !node.occluded && node.find(dns::RRType::kNs) != nullptr;
      if (was_occluded != node.occluded || was_delegation != node.delegation) {
        node.wire_valid = false;
      }
      dirty.push_back(i);
    }
  }
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  return dirty;
}

void ZoneSigner::State::link_nsec(Node& node, const Node& next, std::uint32_t ttl,
                                  dns::Bytes& scratch) {
  const auto next_wire = next.owner.wire();
  if (const RRsetEntry* kept = node.find(dns::RRType::kNsec);
      node.wire_valid && kept != nullptr && kept->ttl == ttl && kept->rdatas.size() == 1 &&
      kept->rdatas[0].size() > next_wire.size() &&
      std::equal(next_wire.begin(), next_wire.end(), kept->rdatas[0].begin())) {
    return;  // an unchanged node (so the same types) with the same successor: NSEC stands
  }
  scratch.assign(next_wire.begin(), next_wire.end());
  signer::append_nsec_bitmap(node, scratch);
  const RRsetEntry* old = node.find(dns::RRType::kNsec);
  if (old == nullptr || old->ttl != ttl || old->rdatas.size() != 1 || old->rdatas[0] != scratch) {
    signer::put_entry(node, signer::make_entry(node.owner, dns::RRType::kNsec, dns::RRClass::kIn,
                                               ttl, {scratch}));
  }
}

// RFC 4034 §4: one NSEC per authoritative name, each naming the next; the last names the apex.
// Each rdata is made in one scratch buffer and only stored when it changed.
void ZoneSigner::State::make_nsec_chain(std::uint32_t ttl) {
  Node* first = nullptr;
  Node* last = nullptr;
  dns::Bytes rdata;
  for (auto& node : nodes) {
    if (!node.authoritative()) {
      signer::erase_entry(node, dns::RRType::kNsec);
      continue;
    }
    if (last != nullptr) {
      link_nsec(*last, node, ttl, rdata);
    } else {
      first = &node;
    }
    last = &node;
  }
  if (last != nullptr) {
    link_nsec(*last, *first, ttl, rdata);
  }
}

void ZoneSigner::State::relink_nsec(std::vector<std::size_t>& dirty,
                                    const std::vector<std::size_t>& positions, std::uint32_t ttl) {
  for (const std::size_t at : positions) {
    // The authoritative name before a changed one (the apex is authoritative and first).
    std::size_t before = std::min(at, nodes.size());
    while (before > 0 && !nodes[--before].authoritative()) {
    }
    dirty.push_back(before);
  }
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  dns::Bytes rdata;
  for (const std::size_t i : dirty) {
    Node& node = nodes[i];
    if (!node.authoritative()) {
      signer::erase_entry(node, dns::RRType::kNsec);
      continue;
    }
    std::size_t next = i + 1;
    while (next < nodes.size() && !nodes[next].authoritative()) {
      ++next;
    }
    link_nsec(node, next < nodes.size() ? nodes[next] : nodes.front(), ttl, rdata);
  }
}

}  // namespace rootsim::registry
