// Private: the layout of a compiled snapshot, shared by the builder, the index and answer().
// Everything is flat arrays indexed by 32-bit ids; nothing is mutated after the build.
#pragma once

#include "rootsim/resolver/zone_snapshot.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace rootsim::resolver {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

/// A compression pointer to write at `pos` (relative to its piece). `target` with kAnchorBit set
/// is an offset into the anchor piece, which always starts right after the question (qend);
/// otherwise it is the wire length k of a suffix of the qname, which starts at qend - 4 - k.
struct Fixup {
  std::uint16_t pos;
  std::uint16_t target;
};
inline constexpr std::uint16_t kAnchorBit = 0x8000;

/// One RRset (with or without its RRSIGs) inside a piece; offsets and counts are cumulative
/// from the start of the piece, so a prefix of k units is bytes [0, units[k-1].end).
struct Unit {
  std::uint16_t end;
  std::uint16_t rr_total;
};

/// Pre-rendered wire bytes for some RRsets, placed into a response as a whole or by a prefix
/// of units. Pieces rendered as "anchor" may be pointed into by later pieces of the same answer.
struct Piece {
  std::uint32_t bytes = 0;   ///< offset into Data::bytes
  std::uint32_t units = 0;   ///< offset into Data::units
  std::uint32_t fixups = 0;  ///< offset into Data::fixups (sorted by pos)
  std::uint16_t unit_count = 0;
  std::uint16_t fixup_count = 0;
  std::uint16_t required_units = 0;  ///< leading units whose loss sets TC (RFC 9471 glue)
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

struct Node {
  std::uint32_t key = 0;  ///< offset into Data::keys
  std::uint16_t key_len = 0;
  std::uint8_t flags = 0;
  std::uint8_t labels = 0;
  std::uint32_t nsec = kNone;           ///< [NSEC][RRSIG] owned by, or covering, this name
  std::uint32_t wildcard_nsec = kNone;  ///< [NSEC][RRSIG] covering *.<this name>
  std::uint32_t ns = kNone;             ///< delegation: [NS] for the authority section
  std::uint32_t ds = kNone;             ///< delegation: [DS][RRSIG], kNone when unsigned
  std::uint32_t glue = kNone;           ///< delegation: addresses of the NS targets
  std::uint32_t types = 0;              ///< authoritative: offset into Data::types
  std::uint16_t type_count = 0;
};

struct HashSlot {
  std::uint32_t tag = 0;   ///< high 32 bits of the key hash
  std::uint32_t node = 0;  ///< node id + 1; 0 = empty
};

struct ZoneSnapshot::Data {
  dns::Name origin;
  std::string origin_key;
  std::uint8_t origin_labels = 0;
  std::uint32_t serial = 0;
  bool is_signed = false;
  SnapshotOptions options;
  SnapshotStats stats;

  std::vector<Node> nodes;  ///< sorted by key (canonical order); nodes[apex] is the origin
  std::uint32_t apex = 0;
  std::vector<char> keys;
  std::vector<std::uint64_t> key_prefix;  ///< first 8 key bytes, big-endian, zero padded
  std::vector<HashSlot> hash;             ///< power-of-two size, linear probing
  std::uint64_t hash_mask = 0;

  std::vector<std::uint8_t> bytes;
  std::vector<Unit> units;
  std::vector<Fixup> fixups;
  std::vector<Piece> pieces;
  std::vector<TypeEntry> types;

  std::uint32_t soa_piece = kNone;  ///< [SOA][RRSIG] of the apex, for negative answers
  std::uint32_t chaos_hostname_piece = kNone;
  std::uint32_t chaos_id_piece = kNone;

  std::vector<std::uint8_t> transfer_bytes;
  std::vector<TransferChunk> transfer_chunks;
};

// ---- the index (index.cpp) ----

inline constexpr std::size_t kMaxLabels = 128;

/// A qname in lookup form with the hash of each label-boundary prefix, built without allocation.
struct QueryKey {
  std::uint8_t key[256];
  std::uint16_t len = 0;
  std::uint8_t labels = 0;
  std::uint16_t prefix_len[kMaxLabels];   ///< key length after i+1 labels (from the top)
  std::uint64_t prefix_hash[kMaxLabels];  ///< hash of key[0, prefix_len[i])
};

/// Fills `out` from an uncompressed wire name of `labels` labels already validated by the
/// caller; `starts` holds each label's offset in `wire`, leftmost first.
void make_query_key(const std::uint8_t* wire, const std::uint8_t* starts, std::size_t labels,
                    QueryKey& out) noexcept;

[[nodiscard]] std::uint64_t hash_key(const std::uint8_t* key, std::size_t len) noexcept;
/// Node id of the exact key, or kNone.
[[nodiscard]] std::uint32_t find_exact(const ZoneSnapshot::Data& data, const std::uint8_t* key,
                                       std::size_t len, std::uint64_t hash) noexcept;
/// The node with the greatest key <= `key`; the apex when none.
[[nodiscard]] std::uint32_t find_predecessor(const ZoneSnapshot::Data& data,
                                             const std::uint8_t* key, std::size_t len) noexcept;
/// The walk from the apex down: exact, delegation, NXDOMAIN (closest encloser) or out of zone.
/// Does not fill Lookup::predecessor (only NXDOMAIN under DO needs it).
[[nodiscard]] Lookup find_name(const ZoneSnapshot::Data& data, const QueryKey& key) noexcept;

[[nodiscard]] inline std::uint64_t load_prefix(const std::uint8_t* key, std::size_t len) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    v = (v << 8) | (i < len ? key[i] : 0U);
  }
  return v;
}

}  // namespace rootsim::resolver
