// Private: the layout of a compiled snapshot, shared by the builder, the index and answer().
// Everything is flat arrays indexed by 32-bit ids; nothing a snapshot reads is mutated after the
// build (later versions append to the arena buffer it shares with them, past its end).
#pragma once

#include "rootsim/resolver/answer.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include "huge_array.hpp"

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace rootsim::resolver {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

/// A pre-rendered piece is one blob in Data::arena, 4-byte aligned (its id is offset / 4):
///   PieceHeader, Unit[unit_count], uint16 fixup position[fixup_count], the wire bytes.
/// Header, units and bytes share cache lines, so placing a piece costs one miss, not four.
/// Compression pointers in the bytes are rendered for a question that ends at `base_qend` (the
/// qname is the piece's context name); a query whose question ends at qend adds qend - base_qend
/// to the pointer at each fixup position (none to patch in the common case: qname == context).
/// Every pointer targets either a suffix of the qname or the anchor piece, which always starts
/// right after the question, so all of them move by the same amount.
struct PieceHeader {
  std::uint16_t unit_count;
  std::uint16_t fixup_count;
  std::uint16_t required_units;  ///< leading units whose loss sets TC (RFC 9471 glue)
  std::uint16_t base_qend;
};

/// One RRset (with or without its RRSIGs) inside a piece; offsets and counts are cumulative
/// from the start of the piece, so a prefix of k units is bytes [0, units[k-1].end).
struct Unit {
  std::uint16_t end;
  std::uint16_t rr_total;
};

/// An RRset served from an authoritative node: its piece ([rrset][rrsig]) and, for NS, a piece
/// of the target addresses for the additional section.
struct TypeEntry {
  std::uint16_t type;
  std::uint32_t piece;
  std::uint32_t additional;  ///< kNone when there is none
};

enum NodeFlag : std::uint8_t {
  kApex = 1,
  kDelegation = 2,  ///< a cut below the apex
  kBelowCut = 4,    ///< occluded: glue and anything else under a cut
  kOwnsNsec = 8,
};

/// 48 bytes. A delegation's pieces are rendered next to each other in the arena: [NS], then
/// [DS][RRSIG] (or, unsigned, [NSEC][RRSIG]), then the glue, so a referral reads one run.
struct Node {
  std::uint64_t prefix = 0;  ///< first 8 key bytes, big-endian, zero padded (see load_prefix)
  std::uint32_t key = 0;     ///< offset into Data::keys
  std::uint16_t key_len = 0;
  std::uint8_t flags = 0;
  std::uint8_t labels = 0;
  std::uint32_t nsec = kNone;           ///< [NSEC][RRSIG] owned by, or covering, this name
  std::uint32_t wildcard_nsec = kNone;  ///< [NSEC][RRSIG] covering *.<this name>
  std::uint32_t ns = kNone;             ///< delegation: [NS] for the authority section
  std::uint32_t ds = kNone;             ///< delegation: [DS][RRSIG], kNone when unsigned
  std::uint32_t glue = kNone;           ///< delegation: addresses of the NS targets
  /// Unsigned delegation: its [NSEC][RRSIG] again, rendered for qnames at or below the cut so
  /// that the owners point into the question (`nsec` stays rendered for any qname: it also
  /// proves NXDOMAIN for names after this one).
  std::uint32_t cut_nsec = kNone;
  std::uint32_t types = 0;              ///< authoritative: offset into Data::types
  std::uint16_t type_count = 0;
};

/// A copy of the fields of a node the walk can reach (not the apex, not below a cut), placed in
/// the arena right before the node's own pieces (16-byte aligned, 32 bytes): the probe that finds
/// a TLD lands on the line where its referral starts, and the node array is not read.
struct NodeRecord {
  std::uint64_t prefix = 0;  ///< Node::prefix; with key_len it settles keys of up to 8 bytes
  std::uint32_t node = kNone;
  std::uint16_t key_len = 0;
  std::uint8_t flags = 0;
  std::uint8_t labels = 0;
  std::uint32_t ns = kNone;
  std::uint32_t ds = kNone;
  std::uint32_t nsec = kNone;
  std::uint32_t glue = kNone;
};
static_assert(sizeof(NodeRecord) == 32);

/// 8 bytes: the table stays small enough to stay in a large cache at a million names.
struct HashSlot {
  std::uint32_t tag = 0;         ///< high 32 bits of the key hash
  std::uint32_t record = kNone;  ///< the NodeRecord's arena offset / 4; kNone = empty
};

/// Width of a block of the predecessor search tree: 8 prefixes = one 64-byte cache line.
inline constexpr std::size_t kTreeFanout = 8;
inline constexpr std::size_t kMaxTreeLevels = 12;

/// The bottom level of the predecessor tree: 8 consecutive nodes' prefixes and, in the adjacent
/// line, the NSEC piece that covers each (Node::nsec), so an NXDOMAIN proof skips the nodes.
struct LeafBlock {
  std::uint64_t prefix[kTreeFanout];
  std::uint32_t cover[kTreeFanout];
  std::uint8_t padding[32];  // 128 bytes: a pair of lines, fetched together
};
static_assert(sizeof(LeafBlock) == 128);

/// Memory for arenas: a fresh build's arena with room after it, into which the snapshots patched
/// from it (and from them, one after another) append the pieces they render again. Bytes below
/// `used` are never written again: the snapshots that end there read them.
struct ArenaBuffer {
  HugeArray<std::uint8_t> bytes;     ///< the whole room
  std::atomic<std::size_t> used{0};  ///< the end of the newest snapshot's arena

  /// A buffer holding `content` with room for as much again (and 64 KiB) after it. kLimit
  /// when the memory cannot be mapped.
  [[nodiscard]] static Result<std::shared_ptr<ArenaBuffer>> holding(
      std::span<const std::uint8_t> content, const std::shared_ptr<MappingPool>& pool);
  /// Takes [from, from + count) for a snapshot that extends the one ending at `from`: only when
  /// that one is the newest (nothing was appended after it) and the room holds it.
  [[nodiscard]] bool claim(std::size_t from, std::size_t count) noexcept;
};

/// A snapshot's arena: the first bytes() of a buffer it may share with later versions.
class ArenaView {
 public:
  ArenaView() = default;
  ArenaView(std::shared_ptr<ArenaBuffer> buffer, std::size_t bytes) noexcept
      : buffer_(std::move(buffer)), data_(buffer_->bytes.data()), bytes_(bytes) {}
  [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] ArenaBuffer& buffer() const noexcept { return *buffer_; }
  [[nodiscard]] const std::shared_ptr<ArenaBuffer>& shared_buffer() const noexcept {
    return buffer_;
  }

 private:
  std::shared_ptr<ArenaBuffer> buffer_;
  const std::uint8_t* data_ = nullptr;
  std::size_t bytes_ = 0;
};

struct ZoneSnapshot::Data {
  dns::Name origin;
  std::string origin_key;
  std::uint8_t origin_labels = 0;
  std::uint32_t serial = 0;
  bool is_signed = false;
  SnapshotOptions options;
  SnapshotStats stats;

  HugeArray<Node> nodes;  ///< sorted by key (canonical order); nodes[apex] is the origin
  std::uint32_t apex = 0;
  HugeArray<char> keys;
  HugeArray<HashSlot> hash;  ///< power-of-two size, linear probing, reachable nodes only
  std::uint64_t hash_mask = 0;

  /// The predecessor search: level 0 (`leaves`) holds every node's key prefix (Node::prefix) in
  /// node order; entry j of level l + 1 is entry 8j of level l, until a level fits one block.
  /// Levels 1 and up live back to back in `tree` (tree_begin[0] is unused), each starting on a
  /// 64-byte boundary. Every level is padded with ~0 to a whole block.
  HugeArray<LeafBlock> leaves;
  HugeArray<std::uint64_t> tree;
  std::uint32_t tree_begin[kMaxTreeLevels] = {};
  std::uint32_t tree_size[kMaxTreeLevels] = {};
  std::uint8_t tree_levels = 0;
  /// The highest level too big to stay cached, else 0: where start_cover_search() stops.
  std::uint8_t tree_prefetch_level = 0;

  ArenaView arena;  ///< the pieces (see PieceHeader)
  /// The arena is far bigger than a cache: answer() prefetches a referral's pieces.
  bool prefetch_pieces = false;
  /// The arena's size when the snapshot was last built afresh: patch_snapshot() appends the
  /// pieces it renders again and builds afresh once the arena has doubled.
  std::size_t built_arena_bytes = 0;
  std::vector<TypeEntry> types;

  std::uint32_t soa_piece = kNone;  ///< [SOA][RRSIG] of the apex, for negative answers
  std::uint32_t chaos_hostname_piece = kNone;
  std::uint32_t chaos_id_piece = kNone;

  std::vector<std::uint8_t> transfer_bytes;
  std::vector<TransferChunk> transfer_chunks;

  [[nodiscard]] const std::uint8_t* piece(std::uint32_t id) const noexcept {
    return arena.data() + std::size_t{id} * 4;
  }
  [[nodiscard]] const NodeRecord& record(std::uint32_t id) const noexcept {
    return *reinterpret_cast<const NodeRecord*>(arena.data() + std::size_t{id} * 4);
  }
};

// ---- the index (index.cpp) ----

inline constexpr std::size_t kMaxLabels = 128;

/// A name in lookup form (reversed lowercase labels, each followed by '\0'), built from the
/// query bytes without allocation. 8 spare bytes let the hash read whole words at the end.
struct QueryKey {
  std::uint8_t key[256 + 8];
  std::uint16_t len = 0;
  std::uint8_t labels = 0;
};

/// The walk's outcome and the key it built: complete when asked for, else up to the label where
/// the walk stopped (a referral or an exact answer never needs the rest).
struct NameSearch {
  Lookup lookup;
  const NodeRecord* record = nullptr;  ///< the record of lookup.node; null for the apex
  /// kNxdomain with KeyMode::kNsecProof: the NSEC piece covering the qname.
  std::uint32_t covering = kNone;
  QueryKey key;
};

/// `raw` (8 bytes as loaded from memory) read as a big-endian number, so that comparing the
/// numbers compares the bytes.
[[nodiscard]] inline std::uint64_t big_endian_word(std::uint64_t raw) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    return __builtin_bswap64(raw);
  } else {
    return raw;
  }
}

[[nodiscard]] std::uint64_t hash_key(const std::uint8_t* key, std::size_t len) noexcept;
/// The node with the greatest key <= `key`; the apex when none. O(log8 n) cache lines.
[[nodiscard]] std::uint32_t find_predecessor(const ZoneSnapshot::Data& data,
                                             const std::uint8_t* key, std::size_t len) noexcept;
/// A predecessor search stopped above its uncached levels: `block` of tree level `level`
/// (kNone: the key sorts before every key). Not started: the search begins at the top.
struct TreeCursor {
  std::uint32_t block = 0;
  std::uint8_t level = 0;
  bool started = false;
};
/// Descends the cached levels of the tree for `prefix` (all but the leaves in a small index)
/// and prefetches the line it stops at, so that an NSEC search started before a hash probe
/// overlaps the probe's miss.
[[nodiscard]] TreeCursor start_cover_search(const ZoneSnapshot::Data& data,
                                            std::uint64_t prefix) noexcept;
/// The NSEC piece covering `key` (`prefix` = load_prefix(key, len)): the Node::nsec of
/// find_predecessor(), read from the leaf. `from`: start_cover_search() of the same prefix, or
/// a cursor that is not started.
[[nodiscard]] std::uint32_t find_covering_nsec(const ZoneSnapshot::Data& data,
                                               std::uint64_t prefix, const std::uint8_t* key,
                                               std::size_t len, TreeCursor from = {}) noexcept;
/// The record of the exact key (a node the walk can reach), or null.
[[nodiscard]] const NodeRecord* find_record(const ZoneSnapshot::Data& data, const std::uint8_t* key,
                                            std::size_t len, std::uint64_t hash,
                                            std::uint64_t prefix) noexcept;
/// `prefix` (below) is load_prefix(key, len) throughout.
/// Walks an uncompressed wire name (`labels` labels already validated by the caller, `starts`
/// holds each label's offset in `wire`, leftmost first) from the apex down, one hash probe per
/// label: exact, delegation, NXDOMAIN (closest encloser) or out of zone. `readable`: bytes that
/// may be read from `wire` (at least the name; more lets it read whole words). Does not fill
/// Lookup::predecessor.
enum class KeyMode : std::uint8_t {
  kWalk,       ///< the key only as far as the walk went
  kNsecProof,  ///< also find NameSearch::covering for an NXDOMAIN
  kFull,       ///< the whole key, whatever the outcome
};
/// prefetch_answer() for a root zone: `label` (1..15 bytes, 16 readable) is the qname's last.
void prefetch_name(const ZoneSnapshot::Data& data, const std::uint8_t* label, std::size_t len,
                   bool nsec_proof, PrefetchStage stage) noexcept;
[[nodiscard]] NameSearch find_name(const ZoneSnapshot::Data& data, const std::uint8_t* wire,
                                   std::size_t readable, const std::uint8_t* starts,
                                   std::size_t labels, KeyMode mode) noexcept;
/// Builds the predecessor search tree over the nodes' prefixes (covers left kNone).
[[nodiscard]] Status build_tree(ZoneSnapshot::Data& data);
/// Copies each node's final Node::nsec into the leaves.
void fill_tree_covers(ZoneSnapshot::Data& data) noexcept;

[[nodiscard]] inline std::uint64_t load_prefix(const std::uint8_t* key, std::size_t len) noexcept {
  std::uint8_t buf[8] = {};
  std::memcpy(buf, key, len < 8 ? len : 8);
  std::uint64_t v = 0;
  std::memcpy(&v, buf, 8);
  return big_endian_word(v);
}

}  // namespace rootsim::resolver
