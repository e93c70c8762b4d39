// ZoneSnapshot: one zone compiled for answering (lookup index + pre-rendered wire pieces) and
// for transfer (the records in AXFR order as uncompressed wire).
// Thread-safety: immutable after build_snapshot(); every method is const and safe to call from
// any number of threads. Ownership: build_snapshot() returns a shared_ptr<const ZoneSnapshot>;
// spans and views it hands out point into the snapshot and live as long as it does.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/huge_pages.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace rootsim::resolver {

struct SnapshotOptions {
  /// Answered to CH TXT hostname.bind. and id.server.; empty: those queries are REFUSED.
  std::string instance_name;
  /// Our EDNS(0) UDP payload size: advertised in every OPT we send and the cap on UDP answers.
  std::uint16_t edns_udp_size = 1232;
  /// Keep the records in transfer order (needed for AXFR). Off saves about half the memory.
  bool keep_transfer_data = true;
  /// Where the snapshot's arrays come from and go back to when it goes, shared by the versions
  /// of one zone (patch_snapshot() passes it on); null: mappings of their own, unmapped at once.
  std::shared_ptr<MappingPool> memory{};
};

/// Figures about a built snapshot.
struct SnapshotStats {
  /// Index entries: owners, empty non-terminals, glue owners. A snapshot made by
  /// patch_snapshot() keeps the entries of glue owners that went since the last fresh build
  /// (they own nothing and no answer reaches them), so it can count more than a fresh build.
  std::size_t names = 0;
  std::size_t delegations = 0;  ///< zone cuts below the apex
  std::size_t records = 0;      ///< records taken from the zone content
  std::size_t bytes = 0;        ///< heap bytes the snapshot holds (arenas and tables)
};

/// The outcome of finding a name in the index (the part of answering that does not depend on
/// the query type). Node ids are dense, in canonical (RFC 4034 §6.1) order of their names.
enum class LookupKind : std::uint8_t {
  kExact,       ///< the name exists at or above any cut (authoritative node or empty non-terminal)
  kDelegation,  ///< the name is a cut below the apex, or lies below one: refer
  kNxdomain,    ///< the name does not exist in the zone
  kOutOfZone,   ///< the name is not at or below the origin
};

struct Lookup {
  LookupKind kind = LookupKind::kOutOfZone;
  /// kExact: the node; kDelegation: the cut; kNxdomain: the closest encloser.
  std::uint32_t node = 0;
  /// The node whose name is the greatest name <= qname (canonical order); the apex when none.
  std::uint32_t predecessor = 0;
};

/// The records of a transfer: SOA, every other record in canonical order, SOA again, as
/// uncompressed wire RRs split into chunks of at most `kTransferChunkBytes` bytes.
struct TransferChunk {
  std::span<const std::uint8_t> wire;  ///< complete RRs back to back (points into the snapshot)
  std::uint16_t record_count = 0;
};
inline constexpr std::size_t kTransferChunkBytes = 16000;

class ZoneSnapshot {
 public:
  struct Data;  // defined in src/; the answer path reads it directly
  explicit ZoneSnapshot(std::unique_ptr<const Data> data) noexcept;
  ~ZoneSnapshot();
  ZoneSnapshot(const ZoneSnapshot&) = delete;
  ZoneSnapshot& operator=(const ZoneSnapshot&) = delete;

  [[nodiscard]] const dns::Name& origin() const noexcept;
  [[nodiscard]] std::uint32_t serial() const noexcept;
  /// True when the apex has DNSKEY records (answers under DO then carry RRSIG and NSEC).
  [[nodiscard]] bool is_signed() const noexcept;
  [[nodiscard]] const SnapshotOptions& options() const noexcept;
  [[nodiscard]] SnapshotStats stats() const noexcept;

  /// Finds `qname` in the index. O(labels) hash probes, plus O(log n) for the predecessor.
  [[nodiscard]] Lookup lookup(const dns::Name& qname) const;
  /// The name of node `id` (< stats().names), lowercased.
  [[nodiscard]] dns::Name node_name(std::uint32_t id) const;

  /// The transfer chunks (empty when built without keep_transfer_data).
  [[nodiscard]] std::span<const TransferChunk> transfer() const noexcept;

  [[nodiscard]] const Data& data() const noexcept { return *data_; }

 private:
  std::unique_ptr<const Data> data_;
};

/// Compiles zone content into a snapshot: indexes every owner (adding empty non-terminals),
/// finds cuts and glue, and pre-renders every answer piece as wire bytes.
/// Errors: kSemantic when the content has no SOA or NS at the origin, a record outside the
/// origin, classes other than IN, CNAME/DNAME or wildcard owners (a root zone has none, and
/// this core does not synthesise them); kLimit when one RRset does not fit a 64 KiB message.
/// Complexity: O(records · log records); about a second per million records.
[[nodiscard]] Result<std::shared_ptr<const ZoneSnapshot>> build_snapshot(
    const dns::ZoneContent& zone, const SnapshotOptions& options);

/// Compiles `zone`, the next version of the zone `base` was built from, with base's options.
/// Preconditions (the caller's promise, as ZoneSigner::zone() keeps it): `zone.records` are in
/// canonical order, and `changed` names every owner whose records were added, changed or
/// removed since `base` (other names are taken as unchanged). While the names outside cuts
/// and the cuts stay the same, `base`'s index is copied and only the changed nodes (and the
/// referrals whose glue changed, came or went) are rendered again, their pieces appended to
/// the arena memory `base` shares with the versions it came from (which never see them);
/// otherwise (a name above the cuts added or removed, a cut moved, over an eighth of the names
/// changed, a snapshot with transfer data, an arena doubled by earlier patches, or a `base`
/// that was patched before: only the newest version of a line is extended) it builds afresh.
/// Answers are byte for byte those of build_snapshot(zone, base.options()); stats().names may count
/// glue names that went (they stay in the index, owning nothing). Errors as build_snapshot().
/// Complexity: O(names) copies and passes plus the changed nodes' rendering, against
/// build_snapshot's O(records log records) of rendering everything.
[[nodiscard]] Result<std::shared_ptr<const ZoneSnapshot>> patch_snapshot(
    const ZoneSnapshot& base, const dns::ZoneContent& zone, std::span<const dns::Name> changed);

}  // namespace rootsim::resolver
