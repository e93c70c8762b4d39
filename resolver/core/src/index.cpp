// The lookup index: names in lookup form (reversed lowercase labels, each followed by '\0'),
// a hash table for exact matches walked label by label from the apex (at the root one probe on
// the TLD label settles nearly every query), and an implicit 8-ary search tree over the keys'
// 8-byte prefixes for NSEC predecessors (a few cache lines instead of ~log2 n misses).
#include "snapshot_data.hpp"

#include <algorithm>
#include <cstring>

namespace rootsim::resolver {
namespace {

constexpr std::uint64_t kSeed = 0x243F6A8885A308D3ULL;
constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;

constexpr std::uint8_t lower(std::uint8_t c) noexcept {
  return static_cast<std::uint8_t>(c + ((static_cast<unsigned>(c - 'A') < 26U) ? 0x20U : 0U));
}

inline std::uint64_t load64(const std::uint8_t* p) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, 8);
  return v;
}

inline void store64(std::uint8_t* p, std::uint64_t v) noexcept { std::memcpy(p, &v, 8); }

// ASCII A-Z to a-z in 8 bytes at once; other bytes (0x80 and up too) stay as they are.
constexpr std::uint64_t lower_word(std::uint64_t w) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const std::uint64_t heptets = w & (0x7F * kOnes);
  const std::uint64_t at_least_a = heptets + (0x80 - 'A') * kOnes;   // bit 7: >= 'A'
  const std::uint64_t above_z = heptets + (0x80 - 'Z' - 1) * kOnes;  // bit 7: > 'Z'
  const std::uint64_t upper = at_least_a & ~above_z & ~w & (0x80 * kOnes);
  return w | (upper >> 2);  // 0x80 >> 2 == 0x20
}

constexpr std::uint64_t step(std::uint64_t h, std::uint64_t word) noexcept {
  return (((h << 23) | (h >> 41)) ^ word) * kMul;
}

/// The final mix makes the low bits (the slot) depend on every byte.
constexpr std::uint64_t finish(std::uint64_t h) noexcept {
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return h;
}

// Hash of key[0, len) given the state `h` after the first `done` bytes (a multiple of 8) and
// the bytes themselves; words are read whole, the tail is masked.
inline std::uint64_t hash_tail(std::uint64_t h, const std::uint8_t* key, std::size_t done,
                               std::size_t len) noexcept {
  const std::size_t rest = len - done;
  const std::uint64_t tail = rest == 0 ? 0 : load64(key + done) & (~0ULL >> (64 - 8 * rest));
  return finish(step(h, tail) ^ len);
}

// Three-way compare of a query key with node `id`'s key.
int compare_node(const ZoneSnapshot::Data& data, std::uint32_t id, const std::uint8_t* key,
                 std::size_t len, std::uint64_t prefix) noexcept {
  const Node& node = data.nodes[id];
  if (prefix != node.prefix) {
    return prefix < node.prefix ? -1 : 1;
  }
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

inline const std::uint64_t* level_block(const ZoneSnapshot::Data& data, std::size_t level,
                                        std::size_t block) noexcept {
  return level == 0 ? data.leaves[block].prefix
                    : data.tree.data() + data.tree_begin[level] + block * kTreeFanout;
}

// The count of the 8 sorted values of a block <= q (0..8; padding is ~0), as 8 independent
// compares summed: one load latency per level, where a binary search chains four loads.
inline std::size_t block_count_le(const ZoneSnapshot::Data& data, std::size_t level,
                                  std::size_t block, std::uint64_t q) noexcept {
  const std::uint64_t* v = level_block(data, level, block);
  std::size_t c = 0;
  for (std::size_t j = 0; j < kTreeFanout; ++j) {
    c += v[j] <= q ? 1U : 0U;
  }
  return std::min<std::size_t>(c, data.tree_size[level] - block * kTreeFanout);
}

// From `block` of `level` down to level `stop`: the block there whose range holds q, or kNone
// when q sorts before every key (only possible from the top block).
std::size_t descend(const ZoneSnapshot::Data& data, std::uint64_t q, std::size_t level,
                    std::size_t block, std::size_t stop) noexcept {
  for (; level > stop; --level) {
    const std::size_t c = block_count_le(data, level, block, q);
    if (c == 0) {
      return kNone;
    }
    block = block * kTreeFanout + c - 1;
  }
  return block;
}

// The number of level-0 prefixes <= q (upper bound), given the leaf block whose range holds q
// (kNone: before every key).
inline std::size_t count_in_leaf(const ZoneSnapshot::Data& data, std::size_t leaf,
                                 std::uint64_t q) noexcept {
  return leaf == kNone ? 0 : leaf * kTreeFanout + block_count_le(data, 0, leaf, q);
}

// The number of level-0 prefixes <= q, one block (cache line) per tree level.
inline std::size_t count_le(const ZoneSnapshot::Data& data, std::uint64_t q) noexcept {
  return count_in_leaf(data, descend(data, q, data.tree_levels - 1U, 0, 0), q);
}

// The lookup key of one label of 1..15 bytes, built in registers from the wire (16 bytes
// readable from `label`), with its hash_key() and the hash state after its whole words.
struct ShortKey {
  std::uint64_t words[2];
  std::size_t len;
  std::uint64_t state;
  std::size_t done;
  std::uint64_t hash;
};

inline ShortKey short_key(const std::uint8_t* label, std::size_t len) noexcept {
  ShortKey k{};
  k.words[0] = lower_word(load64(label));
  k.words[1] = lower_word(load64(label + 8));
  if (len < 8) {
    k.words[0] &= ~0ULL >> (64 - 8 * len);
    k.words[1] = 0;
  } else {
    k.words[1] = len == 8 ? 0 : k.words[1] & (~0ULL >> (64 - 8 * (len - 8)));
  }
  k.len = len + 1;
  // hash_key() word by word: whole words first, then the (zero-padded) rest.
  std::uint64_t h = kSeed;
  std::uint64_t tail = k.words[0];
  if (k.len >= 8) {
    h = step(h, k.words[0]);
    k.done = 8;
    tail = k.words[1];
    if (k.len == 16) {
      h = step(h, k.words[1]);
      k.done = 16;
      tail = 0;
    }
  }
  k.state = h;
  k.hash = finish(step(h, tail) ^ k.len);
  return k;
}

}  // namespace

std::uint64_t hash_key(const std::uint8_t* key, std::size_t len) noexcept {
  std::uint64_t h = kSeed;
  std::size_t done = 0;
  for (; done + 8 <= len; done += 8) {
    h = step(h, load64(key + done));
  }
  const std::size_t rest = len - done;
  std::uint64_t tail = 0;
  if (rest > 0) {
    std::uint8_t buf[8] = {};
    std::memcpy(buf, key + done, rest);
    tail = load64(buf);
  }
  return finish(step(h, tail) ^ len);
}

const NodeRecord* find_record(const ZoneSnapshot::Data& data, const std::uint8_t* key,
                              std::size_t len, std::uint64_t hash, std::uint64_t prefix) noexcept {
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  std::uint64_t i = hash & data.hash_mask;
  for (;;) {
    const HashSlot s = data.hash[i];
    if (s.record == kNone) {
      return nullptr;
    }
    if (s.tag == tag) {
      if (data.prefetch_pieces) {
        // The record's line and the pieces after it, all at once.
        const std::uint8_t* p = data.piece(s.record);
        __builtin_prefetch(p + 64);
        __builtin_prefetch(p + 128);
        __builtin_prefetch(p + 192);
      }
      const NodeRecord& r = data.record(s.record);
      // Keys of up to 8 bytes are wholly in the prefix: no trip to Data::keys.
      if (r.key_len == len && r.prefix == prefix &&
          (len <= 8 || std::memcmp(data.keys.data() + data.nodes[r.node].key, key, len) == 0)) {
        return &r;
      }
    }
    i = (i + 1) & data.hash_mask;
  }
}

std::uint32_t find_predecessor(const ZoneSnapshot::Data& data, const std::uint8_t* key,
                               std::size_t len) noexcept {
  const std::uint64_t prefix = load_prefix(key, len);
  const std::size_t upper = count_le(data, prefix);
  if (upper == 0) {
    return data.apex;
  }
  std::size_t last = upper - 1;
  if (data.nodes[last].prefix != prefix) {
    return static_cast<std::uint32_t>(last);  // every earlier key sorts before too
  }
  // Keys sharing the 8-byte prefix: binary search them on the whole key.
  std::size_t lo = prefix == 0 ? 0 : count_le(data, prefix - 1);
  std::size_t count = upper - lo;
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

TreeCursor start_cover_search(const ZoneSnapshot::Data& data, std::uint64_t prefix) noexcept {
  const std::size_t level = data.tree_prefetch_level;
  const std::size_t block = descend(data, prefix, data.tree_levels - 1U, 0, level);
  if (block != kNone) {
    const auto* line = reinterpret_cast<const char*>(level_block(data, level, block));
    __builtin_prefetch(line);
    if (level == 0) {
      __builtin_prefetch(line + 64);  // the covers
    }
  }
  return TreeCursor{static_cast<std::uint32_t>(block), static_cast<std::uint8_t>(level), true};
}

std::uint32_t find_covering_nsec(const ZoneSnapshot::Data& data, std::uint64_t prefix,
                                 const std::uint8_t* key, std::size_t len,
                                 TreeCursor from) noexcept {
  std::size_t block = kNone;
  if (!from.started) {
    block = descend(data, prefix, data.tree_levels - 1U, 0, 0);
  } else if (from.block != kNone) {
    block = descend(data, prefix, from.level, from.block, 0);
  }
  const std::size_t upper = count_in_leaf(data, block, prefix);
  if (upper > 0) {
    const LeafBlock& leaf = data.leaves[(upper - 1) / kTreeFanout];
    if (leaf.prefix[(upper - 1) % kTreeFanout] != prefix) {
      return leaf.cover[(upper - 1) % kTreeFanout];  // the line next to the one just read
    }
  }
  return data.nodes[find_predecessor(data, key, len)].nsec;
}

void prefetch_name(const ZoneSnapshot::Data& data, const std::uint8_t* label, std::size_t len,
                   bool nsec_proof, PrefetchStage stage) noexcept {
  const ShortKey sk = short_key(label, len);
  const std::uint64_t prefix = big_endian_word(sk.words[0]);
  std::uint64_t i = sk.hash & data.hash_mask;
  if (stage == PrefetchStage::kIndex) {
    __builtin_prefetch(data.hash.data() + i);
    if (nsec_proof) {
      (void)start_cover_search(data, prefix);
    }
    return;
  }
  // Later stages read what the earlier ones fetched; a tag match is enough for a prefetch.
  const auto tag = static_cast<std::uint32_t>(sk.hash >> 32);
  for (HashSlot s = data.hash[i]; s.record != kNone; s = data.hash[i]) {
    if (s.tag == tag) {
      const auto* p = reinterpret_cast<const char*>(data.piece(s.record));
      if (stage == PrefetchStage::kRecord) {
        for (int line = 0; line < 4; ++line) {
          __builtin_prefetch(p + 64 * line);
        }
        return;
      }
      // The record is cached now: the whole referral run, as answer() will read it.
      const NodeRecord& r = data.record(s.record);
      if (r.ns != kNone) {
        auto at = reinterpret_cast<std::uintptr_t>(data.piece(r.ns));
        const std::uintptr_t end =
            reinterpret_cast<std::uintptr_t>(data.piece(r.glue != kNone ? r.glue : r.ns)) + 256;
        for (int line = 0; line < 16 && at < end; ++line, at += 64) {
          __builtin_prefetch(reinterpret_cast<const void*>(at));
        }
      }
      return;
    }
    i = (i + 1) & data.hash_mask;
  }
  if (!nsec_proof) {
    return;
  }
  // Not in the index: an NXDOMAIN, whose proof needs the leaf and then the covering NSEC.
  const TreeCursor from = start_cover_search(data, prefix);
  if (from.block == kNone) {
    return;
  }
  const std::size_t leaf = descend(data, prefix, from.level, from.block, 0);
  const auto* line = reinterpret_cast<const char*>(&data.leaves[leaf]);
  if (stage == PrefetchStage::kRecord) {
    __builtin_prefetch(line);
    __builtin_prefetch(line + 64);
    return;
  }
  const std::size_t upper = count_in_leaf(data, leaf, prefix);
  if (upper > 0) {
    const LeafBlock& block = data.leaves[(upper - 1) / kTreeFanout];
    const std::uint32_t cover = block.cover[(upper - 1) % kTreeFanout];
    if (cover != kNone) {
      const auto* piece = reinterpret_cast<const char*>(data.piece(cover));
      for (int k = 0; k < 4; ++k) {
        __builtin_prefetch(piece + 64 * k);
      }
    }
  }
}

NameSearch find_name(const ZoneSnapshot::Data& data, const std::uint8_t* wire, std::size_t readable,
                     const std::uint8_t* starts, std::size_t labels, KeyMode mode) noexcept {
  NameSearch out;
  QueryKey& k = out.key;
  Lookup& result = out.lookup;
  k.labels = static_cast<std::uint8_t>(labels);
  const std::size_t origin_labels = data.origin_labels;
  if (labels < origin_labels) {
    result.kind = LookupKind::kOutOfZone;
    return out;
  }
  std::uint8_t* key = k.key;
  std::size_t pos = 0;
  std::size_t done = 0;  // bytes hashed as whole words
  std::uint64_t h = kSeed;
  std::uint32_t current = data.apex;
  result.kind = LookupKind::kExact;
  bool walking = true;
  // One probe for the key so far; false when the walk stops there.
  auto probe = [&](std::uint64_t prefix, std::uint64_t hash) noexcept {
    // Start the NSEC search before the probe (it is needed when the probe misses): its first
    // uncached line then loads while the probe's slot does, instead of after it.
    __builtin_prefetch(data.hash.data() + (hash & data.hash_mask));
    const TreeCursor cover =
        mode == KeyMode::kNsecProof ? start_cover_search(data, prefix) : TreeCursor{};
    const NodeRecord* next = find_record(data, key, pos, hash, prefix);
    if (next == nullptr) {
      // RFC 1034 §4.3.2 step 3c: no such name below the closest encloser.
      result.kind = LookupKind::kNxdomain;
      if (mode == KeyMode::kNsecProof) {
        // Nothing lies between this name and any name below it (it would have made this one
        // an empty non-terminal), so the NSEC covering this key covers the whole qname.
        out.covering = find_covering_nsec(data, prefix, key, pos, cover);
      }
      return false;
    }
    current = next->node;
    out.record = next;
    if ((next->flags & kDelegation) != 0) {
      // RFC 1034 §4.3.2 step 3b: at or below a cut, refer.
      result.kind = LookupKind::kDelegation;
      return false;
    }
    return true;
  };
  std::size_t depth = 0;
  if (origin_labels == 0 && labels > 0) {
    // The first label below the root (a TLD, or junk), up to 15 bytes, built in registers:
    // reading back a word just written in pieces would stall on store forwarding.
    const std::size_t start = starts[labels - 1];
    const std::uint8_t* label = wire + start + 1;
    const std::size_t len = label[-1];
    if (len < 16 && start + 1 + 16 <= readable) {
      const ShortKey sk = short_key(label, len);
      store64(key, sk.words[0]);
      store64(key + 8, sk.words[1]);
      store64(key + 16, 0);
      pos = sk.len;
      h = sk.state;
      done = sk.done;
      depth = 1;
      walking = probe(big_endian_word(sk.words[0]), sk.hash);
      if (!walking && mode != KeyMode::kFull) {
        result.node = current;
        k.len = static_cast<std::uint16_t>(pos);
        return out;
      }
    }
  }
  for (; depth < labels; ++depth) {
    const std::size_t start = starts[labels - 1 - depth];
    const std::uint8_t* label = wire + start + 1;
    const std::size_t len = label[-1];
    // Whole words while the query has 8 bytes to read (the key has 8 spare at the end); the
    // bytes written past the label are overwritten by the terminator and what follows.
    std::size_t i = 0;
    for (; i < len && start + 1 + i + 8 <= readable; i += 8) {
      store64(key + pos + i, lower_word(load64(label + i)));
    }
    for (; i < len; ++i) {
      key[pos + i] = lower(label[i]);
    }
    pos += len;
    key[pos++] = 0;
    if (!walking) {
      continue;
    }
    std::memset(key + pos, 0, 8);  // defined bytes for the masked word read in hash_tail
    if (depth + 1 < origin_labels) {
      continue;
    }
    if (depth + 1 == origin_labels) {
      if (pos != data.origin_key.size() || std::memcmp(key, data.origin_key.data(), pos) != 0) {
        result.kind = LookupKind::kOutOfZone;
        k.len = static_cast<std::uint16_t>(pos);
        return out;
      }
      continue;
    }
    for (; done + 8 <= pos; done += 8) {
      h = step(h, load64(key + done));
    }
    // Bytes past `pos` are zero, so the first word is the zero-padded prefix.
    walking = probe(big_endian_word(load64(key)), hash_tail(h, key, done, pos));
    if (!walking && mode != KeyMode::kFull) {
      break;
    }
  }
  result.node = current;
  k.len = static_cast<std::uint16_t>(pos);
  return out;
}

Status build_tree(ZoneSnapshot::Data& data) {
  std::size_t sizes[kMaxTreeLevels] = {};
  std::size_t begins[kMaxTreeLevels] = {};
  std::size_t levels = 0;
  std::size_t total = 0;  // entries of levels 1 and up
  std::size_t n = data.nodes.size();
  for (;;) {
    if (levels == kMaxTreeLevels) {
      return fail(Errc::kLimit, "too many names for the predecessor index");
    }
    sizes[levels] = n;
    if (levels > 0) {
      begins[levels] = total;
      total += (n + kTreeFanout - 1) / kTreeFanout * kTreeFanout;
    }
    ++levels;
    if (n <= kTreeFanout) {
      break;
    }
    n = (n + kTreeFanout - 1) / kTreeFanout;
  }
  auto leaves = HugeArray<LeafBlock>::make((data.nodes.size() + kTreeFanout - 1) / kTreeFanout,
                                           data.options.memory);
  auto tree = HugeArray<std::uint64_t>::make(total, data.options.memory);
  if (!leaves || !tree) {
    return fail(Errc::kLimit, "cannot map the predecessor index");
  }
  data.leaves = std::move(*leaves);
  data.tree = std::move(*tree);
  std::fill(data.tree.begin(), data.tree.end(), ~std::uint64_t{0});
  for (LeafBlock& leaf : data.leaves) {
    std::fill(std::begin(leaf.prefix), std::end(leaf.prefix), ~std::uint64_t{0});
    std::fill(std::begin(leaf.cover), std::end(leaf.cover), kNone);
  }
  for (std::size_t i = 0; i < data.nodes.size(); ++i) {
    data.leaves[i / kTreeFanout].prefix[i % kTreeFanout] = data.nodes[i].prefix;
  }
  data.tree_levels = static_cast<std::uint8_t>(levels);
  // The highest level too big to stay cached (leaves are 128 bytes a block, upper levels 64)
  // is where an early descent stops to prefetch; in a small index it goes down to the leaf.
  constexpr std::size_t kCachedLevelBytes = std::size_t{256} << 10;
  data.tree_prefetch_level = 0;
  for (std::size_t l = levels; l-- > 0;) {
    const std::size_t blocks = (sizes[l] + kTreeFanout - 1) / kTreeFanout;
    if (blocks * (l == 0 ? sizeof(LeafBlock) : 64U) > kCachedLevelBytes) {
      data.tree_prefetch_level = static_cast<std::uint8_t>(l);
      break;
    }
  }
  for (std::size_t l = 0; l < levels; ++l) {
    data.tree_begin[l] = static_cast<std::uint32_t>(begins[l]);
    data.tree_size[l] = static_cast<std::uint32_t>(sizes[l]);
  }
  for (std::size_t l = 1; l < levels; ++l) {
    for (std::size_t j = 0; j < sizes[l]; ++j) {
      data.tree[begins[l] + j] = level_block(data, l - 1, j)[0];
    }
  }
  return {};
}

void fill_tree_covers(ZoneSnapshot::Data& data) noexcept {
  for (std::size_t i = 0; i < data.nodes.size(); ++i) {
    data.leaves[i / kTreeFanout].cover[i % kTreeFanout] = data.nodes[i].nsec;
  }
}

}  // namespace rootsim::resolver
