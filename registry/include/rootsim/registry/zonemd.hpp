// ZONEMD (RFC 8976): the zone digest, scheme 1 (SIMPLE) with hash 1 (SHA-384).
// Thread-safety: pure functions. Cost: one canonical sort and one SHA-384 pass over the zone.
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"

#include <vector>

namespace rootsim::registry {

inline constexpr std::uint8_t kZonemdSchemeSimple = 1;
inline constexpr std::uint8_t kZonemdHashSha384 = 1;

struct ZonemdRdata {
  std::uint32_t serial = 0;
  std::uint8_t scheme = kZonemdSchemeSimple;
  std::uint8_t hash_algorithm = kZonemdHashSha384;
  dns::Bytes digest;
  friend bool operator==(const ZonemdRdata&, const ZonemdRdata&) = default;
};
[[nodiscard]] dns::Bytes make_zonemd_rdata(const ZonemdRdata& zonemd);
/// Errors: kParse when shorter than 6 octets.
[[nodiscard]] Result<ZonemdRdata> read_zonemd_rdata(std::span<const std::uint8_t> rdata);

/// The SIMPLE/SHA-384 digest of the zone at `origin` as RFC 8976 §3.3 says: every record at or
/// below `origin`, in canonical order and form, duplicates removed, leaving out the apex ZONEMD
/// RRset and the apex RRSIGs that cover ZONEMD. Records in any order; others are ignored.
[[nodiscard]] dns::Bytes compute_zonemd_digest(const std::vector<dns::Record>& records,
                                               const dns::Name& origin);

/// Checks the apex ZONEMD record(s) with scheme 1 / hash 1 against the recomputed digest and the
/// SOA serial. Errors: kNotFound without a usable ZONEMD or SOA; kSemantic on a mismatch.
[[nodiscard]] Status verify_zonemd(const std::vector<dns::Record>& records,
                                   const dns::Name& origin);

}  // namespace rootsim::registry
