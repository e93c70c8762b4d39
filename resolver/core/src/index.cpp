// The lookup index: names in lookup form (reversed lowercase labels, each followed by '\0'),
// a hash table for exact matches walked label by label from the apex, and the same keys in
// sorted order (with 8-byte prefixes for a cache-friendly first compare) for NSEC predecessors.
#include "snapshot_data.hpp"

#include <cstring>

namespace rootsim::resolver {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

constexpr std::uint8_t lower(std::uint8_t c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

/// The final mix makes the low bits (the slot) depend on every byte.
constexpr std::uint64_t finish(std::uint64_t h) noexcept {
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return h;
}

// Three-way compare of a query key with node `id`'s key.
int compare_node(const ZoneSnapshot::Data& data, std::uint32_t id, const std::uint8_t* key,
                 std::size_t len, std::uint64_t prefix) noexcept {
  const std::uint64_t p = data.key_prefix[id];
  if (prefix != p) {
    return prefix < p ? -1 : 1;
  }
  const Node& node = data.nodes[id];
  const std::size_t n = node.key_len < len ? node.key_len : len;
  const int c = n == 0 ? 0 : std::memcmp(key, data.keys.data() + node.key, n);
  if (c != 0) {
    return c;
  }
  if (len == node.key_len) {
    return 0;
  }
  return len < node.key_len ? -1 : 1;
}

}  // namespace

void make_query_key(const std::uint8_t* wire, const std::uint8_t* starts, std::size_t labels,
                    QueryKey& out) noexcept {
  std::uint64_t h = kFnvOffset;
  std::size_t pos = 0;
  for (std::size_t i = labels; i-- > 0;) {
    const std::uint8_t* label = wire + starts[i];
    const std::size_t len = label[0];
    for (std::size_t k = 1; k <= len; ++k) {
      const std::uint8_t c = lower(label[k]);
      out.key[pos++] = c;
      h = (h ^ c) * kFnvPrime;
    }
    out.key[pos++] = 0;
    h = (h ^ 0U) * kFnvPrime;
    const std::size_t depth = labels - 1 - i;
    out.prefix_len[depth] = static_cast<std::uint16_t>(pos);
    out.prefix_hash[depth] = finish(h);
  }
  out.len = static_cast<std::uint16_t>(pos);
  out.labels = static_cast<std::uint8_t>(labels);
}

std::uint64_t hash_key(const std::uint8_t* key, std::size_t len) noexcept {
  std::uint64_t h = kFnvOffset;
  for (std::size_t i = 0; i < len; ++i) {
    h = (h ^ key[i]) * kFnvPrime;
  }
  return finish(h);
}

std::uint32_t find_exact(const ZoneSnapshot::Data& data, const std::uint8_t* key, std::size_t len,
                         std::uint64_t hash) noexcept {
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  std::uint64_t slot = hash & data.hash_mask;
  for (;;) {
    const HashSlot& s = data.hash[slot];
    if (s.node == 0) {
      return kNone;
    }
    if (s.tag == tag) {
      const Node& node = data.nodes[s.node - 1];
      if (node.key_len == len &&
          (len == 0 || std::memcmp(data.keys.data() + node.key, key, len) == 0)) {
        return s.node - 1;
      }
    }
    slot = (slot + 1) & data.hash_mask;
  }
}

std::uint32_t find_predecessor(const ZoneSnapshot::Data& data, const std::uint8_t* key,
                               std::size_t len) noexcept {
  const std::uint64_t prefix = load_prefix(key, len);
  // Largest id with node key <= key: binary search for the first node key > key.
  std::size_t lo = 0;
  std::size_t count = data.nodes.size();
  while (count > 0) {
    const std::size_t half = count / 2;
    const std::size_t mid = lo + half;
    if (compare_node(data, static_cast<std::uint32_t>(mid), key, len, prefix) >= 0) {
      lo = mid + 1;
      count -= half + 1;
    } else {
      count = half;
    }
  }
  return lo == 0 ? data.apex : static_cast<std::uint32_t>(lo - 1);
}

Lookup find_name(const ZoneSnapshot::Data& data, const QueryKey& key) noexcept {
  Lookup result;
  const std::size_t origin_len = data.origin_key.size();
  if (key.labels < data.origin_labels || key.len < origin_len ||
      (origin_len > 0 && std::memcmp(key.key, data.origin_key.data(), origin_len) != 0)) {
    result.kind = LookupKind::kOutOfZone;
    return result;
  }
  std::uint32_t current = data.apex;
  for (std::size_t depth = data.origin_labels; depth < key.labels; ++depth) {
    const std::uint32_t next =
        find_exact(data, key.key, key.prefix_len[depth], key.prefix_hash[depth]);
    if (next == kNone) {
      // RFC 1034 §4.3.2 step 3c: no such name below the closest encloser.
      result.kind = LookupKind::kNxdomain;
      result.node = current;
      return result;
    }
    if ((data.nodes[next].flags & kDelegation) != 0) {
      // RFC 1034 §4.3.2 step 3b: at or below a cut, refer.
      result.kind = LookupKind::kDelegation;
      result.node = next;
      return result;
    }
    current = next;
  }
  result.kind = LookupKind::kExact;
  result.node = current;
  return result;
}

}  // namespace rootsim::resolver
