// A root-like query mix, deterministic from a seed: half existing TLDs with mixed types
// (NS, DS, A, AAAA, SOA), half junk names; DO on most queries, EDNS 1232. Used by
// `rootsim bench resolver`, the network benchmarks (as a dnsperf file) and the server tests.
// Thread-safety: pure functions. Ownership: results are values owned by the caller.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/record.hpp"
#include "rootsim/dns/rr_type.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rootsim::resolver {

struct MixQuery {
  dns::Name qname;
  dns::RRType qtype = dns::RRType::kNs;
  std::optional<std::uint16_t> edns_size;  ///< nullopt: no OPT record
  bool dnssec_ok = false;
  bool existing = false;  ///< qname is a TLD of the zone (else a junk name)
};

struct MixOptions {
  std::uint64_t seed = 1;
  std::size_t count = 1 << 14;
  unsigned do_percent = 80;       ///< queries with DO (and EDNS)
  unsigned no_edns_percent = 10;  ///< queries without EDNS; the rest have EDNS without DO
  std::uint16_t edns_size = 1232;
};

/// The mix over `tlds` (the zone's delegations; must not be empty). Junk names are random
/// lowercase labels of 5-14 letters that are not TLDs, sometimes with a second label.
/// Complexity: O(count · name length).
[[nodiscard]] std::vector<MixQuery> make_query_mix(const std::vector<dns::Name>& tlds,
                                                   const MixOptions& options);

/// One line describing the mix ("50% existing TLDs (NS/DS/A/AAAA/SOA), ...").
[[nodiscard]] std::string describe(const MixOptions& options);

/// The query as wire bytes with `id` (RD clear).
[[nodiscard]] dns::Bytes to_wire(const MixQuery& query, std::uint16_t id);

/// A dnsperf input line: "cz. NS".
[[nodiscard]] std::string to_dnsperf_line(const MixQuery& query);

}  // namespace rootsim::resolver
