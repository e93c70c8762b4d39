// Private to rootsim::registry: the signer's per-name state. Each name of the zone is a Node
// holding its RRsets in canonical form (canonical wire precomputed once, so signing and ZONEMD
// only hash bytes) with the signatures made over them. The node's canonical wire for ZONEMD
// lives in one zone-wide buffer the signer keeps (wire_offset, wire_size).
// Thread-safety: plain values; workers of the signer touch disjoint nodes or Signature slots.
#pragma once

#include "rootsim/dns/record.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rootsim::registry::signer {

struct Signature {
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::uint32_t expiration = 0;
  dns::Bytes rdata;  ///< the whole RRSIG rdata (signer name in lower case)
};

struct RRsetEntry {
  dns::RRType type = dns::RRType::kA;
  dns::RRClass rrclass = dns::RRClass::kIn;
  std::uint32_t ttl = 0;
  std::vector<dns::Bytes> rdatas;  ///< canonical form, sorted, unique
  dns::Bytes wire;                 ///< canonical wire of the RRset (RFC 4034 §3.1.8.1)
  std::vector<Signature> sigs;     ///< sorted by rdata once signing is done
};

struct Node {
  dns::Name owner;                 ///< lower case
  std::string key;                 ///< owner.lookup_key(): byte order is canonical order
  std::vector<RRsetEntry> rrsets;  ///< by type; includes the made NSEC, DNSKEY, ZONEMD
  bool apex = false;
  bool delegation = false;      ///< NS below the apex: a zone cut
  bool occluded = false;        ///< strictly below a zone cut (glue)
  bool wire_valid = false;      ///< the zone buffer holds this node's current ZONEMD wire
  bool output_stale = true;     ///< its records changed since State::cached_output() last ran
  std::uint64_t output_id = 0;  ///< names its run of records in State::output_zone
  std::size_t wire_offset = 0;  ///< where the node's ZONEMD wire starts in the zone buffer
  std::size_t wire_size = 0;    ///< its length (as last written)
  // Its share of the State's running totals, as last counted (see State::finish()).
  bool in_chain = false;                 ///< counted among the NSEC chain's names
  std::uint32_t counted_records = 0;     ///< records counted, signatures included
  std::uint32_t counted_signatures = 0;  ///< signatures counted
  /// The earliest expiration among its signatures (ZONEMD's left out; UINT32_MAX without any),
  /// as of the last finish() that looked at it; 0 for a node not yet signed.
  std::uint32_t earliest_expiration = 0;

  [[nodiscard]] bool authoritative() const noexcept { return !occluded; }
  [[nodiscard]] const RRsetEntry* find(dns::RRType type) const noexcept;
  [[nodiscard]] RRsetEntry* find(dns::RRType type) noexcept;
};

/// Types the signer makes itself; they are dropped from its input.
[[nodiscard]] bool is_made_by_signer(dns::RRType type) noexcept;

/// Builds an RRset from rdatas (any order, any case): canonical, sorted, unique, wire built.
[[nodiscard]] RRsetEntry make_entry(const dns::Name& owner, dns::RRType type, dns::RRClass rrclass,
                                    std::uint32_t ttl, std::vector<dns::Bytes> rdatas);

/// A node from the records of one owner (not empty), which it consumes (rdata and owner are
/// moved out). Where `previous` has an RRset with the same canonical wire its signatures are
/// kept; made RRsets (NSEC, DNSKEY, ZONEMD) are carried over.
[[nodiscard]] Node build_node(std::span<dns::Record> records, Node* previous);

/// Whether the records of one owner hold exactly the node's unsigned RRsets, given in canonical
/// form and order (as records() and registry exports write them). False when they differ or come
/// in another order; no allocation. O(records).
[[nodiscard]] bool same_content(const Node& node, std::span<const dns::Record> records) noexcept;

/// Inserts `entry` in type order, replacing an RRset of the same type; returns it.
RRsetEntry& put_entry(Node& node, RRsetEntry entry);
void erase_entry(Node& node, dns::RRType type);

/// RFC 4034 §4.1.2 type bitmap of the given (sorted, unique) types.
[[nodiscard]] dns::Bytes type_bitmap(std::span<const std::uint16_t> types);
/// Appends the NSEC bitmap for an authoritative node, as RFC 4035 §2.3 says: at a delegation
/// only NS, DS, RRSIG, NSEC; elsewhere every type present, plus RRSIG and NSEC.
void append_nsec_bitmap(const Node& node, dns::Bytes& out);

/// Whether the RRset gets signatures: every authoritative RRset except delegation NS (and
/// nothing below a cut).
[[nodiscard]] bool is_signed(const Node& node, dns::RRType type) noexcept;

/// The number of labels for the RRSIG labels field (RFC 4034 §3.1.3: a leading '*' not counted).
[[nodiscard]] std::uint8_t rrsig_labels(const dns::Name& owner);

/// Sorts each RRset's signatures by rdata, so that walking the RRsets in type order gives the
/// node's RRSIGs in canonical order (RFC 4034 §6.3: the covered type leads the rdata).
void sort_signatures(Node& node);

/// Length of the node's ZONEMD wire: every RR of the node in canonical order, RRSIGs at their
/// type's place, leaving out ZONEMD and RRSIG(ZONEMD) at the apex (RFC 8976 §3.3.1).
[[nodiscard]] std::size_t zonemd_wire_size(const Node& node) noexcept;
/// Writes that wire into `out`, which has exactly zonemd_wire_size(node) octets.
void write_zonemd_wire(const Node& node, std::span<std::uint8_t> out) noexcept;

/// Number of records (signatures included) the node holds.
[[nodiscard]] std::size_t record_count(const Node& node) noexcept;
/// Appends the node's records (signatures included) in canonical order.
void append_records(const Node& node, std::vector<dns::Record>& out);
/// The same, moving rdata out of the node, which is then only fit to be destroyed.
void take_records(Node& node, std::vector<dns::Record>& out);

}  // namespace rootsim::registry::signer
