// What changed between two versions of a root zone: TLDs added and removed, and per changed TLD
// its NS, glue and DS; apex changes (SOA serial, DNSKEY, NS) apart. Records compare as RFC 4034
// canonical sets (order and case of names do not matter). Thread-safety: plain values and pure
// functions. Ownership: a ZoneDiff owns copies of the records it lists.
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/zone_file.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rootsim::registry {

/// Records of one kind that only `after` has (added) or only `before` has (removed), in
/// canonical order; and the TTL when both sides have the set but with different TTLs.
struct RecordSetDiff {
  std::vector<dns::Record> added;
  std::vector<dns::Record> removed;
  std::optional<std::uint32_t> ttl_before;  ///< set with ttl_after when only the TTL changed
  std::optional<std::uint32_t> ttl_after;

  [[nodiscard]] bool empty() const noexcept {
    return added.empty() && removed.empty() && !ttl_before;
  }
  friend bool operator==(const RecordSetDiff&, const RecordSetDiff&) = default;
};

/// A delegation that exists on one side only, with its records on that side.
struct TldRecords {
  dns::Name tld;
  std::vector<dns::Record> ns;
  std::vector<dns::Record> ds;
  std::vector<dns::Record> glue;  ///< A/AAAA of its name servers found in the zone
  friend bool operator==(const TldRecords&, const TldRecords&) = default;
};

/// A delegation present on both sides whose records differ.
struct TldDiff {
  dns::Name tld;
  RecordSetDiff ns;
  RecordSetDiff ds;
  RecordSetDiff glue;    ///< A/AAAA owned by its name servers (each side its own NS set)
  RecordSetDiff dnssec;  ///< RRSIG/NSEC/NSEC3 at the TLD, only with include_dnssec
  RecordSetDiff other;   ///< any other type at the TLD name
  friend bool operator==(const TldDiff&, const TldDiff&) = default;
};

struct ApexDiff {
  std::optional<std::uint32_t> serial_before;  ///< both set when the serial changed
  std::optional<std::uint32_t> serial_after;
  RecordSetDiff soa;  ///< SOA fields other than the serial
  RecordSetDiff ns;
  RecordSetDiff glue;  ///< A/AAAA of the apex name servers
  RecordSetDiff dnskey;
  RecordSetDiff dnssec;  ///< RRSIG/NSEC/NSEC3/ZONEMD at the apex, only with include_dnssec
  RecordSetDiff other;
  [[nodiscard]] bool empty() const noexcept;
  friend bool operator==(const ApexDiff&, const ApexDiff&) = default;
};

struct ZoneDiff {
  ApexDiff apex;
  std::vector<TldRecords> added;    ///< canonical order
  std::vector<TldRecords> removed;  ///< canonical order
  std::vector<TldDiff> changed;     ///< canonical order
  /// Records that belong to no delegation nor the apex (address records nobody names as a name
  /// server, names deeper than a TLD that are not glue, ...).
  RecordSetDiff unattached;
  [[nodiscard]] bool empty() const noexcept;
  friend bool operator==(const ZoneDiff&, const ZoneDiff&) = default;
};

struct DiffOptions {
  /// Also compare RRSIG, NSEC, NSEC3 and ZONEMD (otherwise ignored: they change on every
  /// signing). DNSKEY is always compared.
  bool include_dnssec = false;
};

/// Compares two zones with the same origin (the origin of `before` is used). A "TLD" is a name
/// one label below the origin that owns NS records. Complexity: O(n log n) in records.
[[nodiscard]] ZoneDiff diff_zones(const dns::ZoneContent& before, const dns::ZoneContent& after,
                                  const DiffOptions& options = {});

/// One line per change, apex first, then TLDs in canonical order:
///   "~ apex: SOA serial 2026073102 -> 2026073103"
///   "+ TLD example (2 NS, 1 DS, 4 glue)"   "- TLD oldtld (...)"
///   "~ cz: DS -20237 13 2 CFF0... +12345 13 2 ABCD..."
///   "~ cz: glue -a.ns.nic.cz. A 194.0.12.1 +a.ns.nic.cz. A 194.0.12.2"
/// Empty when the diff is empty. DNSKEYs are shown as "257 3 8 key tag 20326".
[[nodiscard]] std::string render_text(const ZoneDiff& diff);
/// The same as one JSON document with sorted keys and stable order (2-space indent, final
/// newline); sections without changes are left out.
[[nodiscard]] std::string render_json(const ZoneDiff& diff);

}  // namespace rootsim::registry
