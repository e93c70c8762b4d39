// Private to rootsim::registry: the signer's per-name state. Each name of the zone is a Node
// holding its RRsets in canonical form (canonical wire precomputed once, so signing and ZONEMD
// only hash bytes) with the signatures made over them.
// Thread-safety: plain values; the signer mutates them from one thread, except that signing
// workers fill distinct Signature slots.
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
  bool delegation = false;  ///< NS below the apex: a zone cut
  bool occluded = false;    ///< strictly below a zone cut (glue)
  dns::Bytes zonemd_wire;   ///< canonical wire of the whole node for ZONEMD
  bool wire_valid = false;

  [[nodiscard]] bool authoritative() const noexcept { return !occluded; }
  [[nodiscard]] const RRsetEntry* find(dns::RRType type) const noexcept;
  [[nodiscard]] RRsetEntry* find(dns::RRType type) noexcept;
};

/// Types the signer makes itself; they are dropped from its input.
[[nodiscard]] bool is_made_by_signer(dns::RRType type) noexcept;

/// Builds an RRset from rdatas (any order, any case): canonical, sorted, unique, wire built.
[[nodiscard]] RRsetEntry make_entry(const dns::Name& owner, dns::RRType type, dns::RRClass rrclass,
                                    std::uint32_t ttl, std::vector<dns::Bytes> rdatas);

/// A node from the records of one owner (not empty). Where `previous` has an RRset with the same
/// canonical wire its signatures are kept; made RRsets (NSEC, DNSKEY, ZONEMD) are carried over.
[[nodiscard]] Node build_node(std::span<const dns::Record> records, Node* previous);

/// Inserts `entry` in type order, replacing an RRset of the same type; returns it.
RRsetEntry& put_entry(Node& node, RRsetEntry entry);
void erase_entry(Node& node, dns::RRType type);

/// RFC 4034 §4.1.2 type bitmap of the given (sorted, unique) types.
[[nodiscard]] dns::Bytes type_bitmap(std::span<const std::uint16_t> types);
/// The NSEC bitmap for an authoritative node, as RFC 4035 §2.3 says: at a delegation only NS,
/// DS, RRSIG, NSEC; elsewhere every type present, plus RRSIG and NSEC.
[[nodiscard]] dns::Bytes nsec_bitmap(const Node& node);

/// Whether the RRset gets signatures: every authoritative RRset except delegation NS (and
/// nothing below a cut).
[[nodiscard]] bool is_signed(const Node& node, dns::RRType type) noexcept;

/// The number of labels for the RRSIG labels field (RFC 4034 §3.1.3: a leading '*' not counted).
[[nodiscard]] std::uint8_t rrsig_labels(const dns::Name& owner);

/// Recomputes node.zonemd_wire: every RR of the node in canonical order, RRSIGs at their type's
/// place, leaving out ZONEMD and RRSIG(ZONEMD) at the apex (RFC 8976 §3.3.1).
void refresh_zonemd_wire(Node& node);

/// Appends the node's records (signatures included) in canonical order.
void append_records(const Node& node, std::vector<dns::Record>& out);

}  // namespace rootsim::registry::signer
