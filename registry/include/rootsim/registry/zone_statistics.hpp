// Statistics of a root zone's delegations (NS per TLD, bailiwick, glue, IPv6, DS, providers,
// TTLs): measured from real zones and used to generate a built-in baseline that looks like them.
// Counts only, so JSON round-trips exactly; shares are derived. Thread-safety: plain values and
// pure functions.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/dns/zone_file.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry {

/// value -> how many times it occurs (e.g. NS count -> number of TLDs with that many NS).
using Histogram = std::map<std::uint32_t, std::uint64_t>;

/// Providers serving more than one TLD, grouped by shape: `count` providers each serve `tlds`
/// TLDs with `hosts` distinct name server hosts.
struct ProviderShape {
  std::uint32_t tlds = 0;
  std::uint32_t hosts = 0;
  std::uint64_t count = 0;
  friend bool operator==(const ProviderShape&, const ProviderShape&) = default;
};
struct ProviderShare {
  std::string provider;  ///< "trs-dns.com"
  std::uint64_t tlds = 0;
  friend bool operator==(const ProviderShare&, const ProviderShare&) = default;
};

struct ZoneStatistics {
  std::uint32_t serial = 0;     ///< SOA serial of the measured zone (0 when it has none)
  std::uint64_t tld_count = 0;  ///< delegations (NS owners other than the apex)
  std::uint64_t ns_count = 0;   ///< delegation NS records
  Histogram ns_per_tld;
  std::uint64_t ns_in_bailiwick = 0;      ///< NS whose host lies below the delegated TLD itself
  std::uint64_t host_count = 0;           ///< distinct NS hosts of the delegations
  std::uint64_t hosts_with_glue = 0;      ///< of those, hosts with an A or AAAA record in the zone
  Histogram ipv4_per_host;                ///< over host_count hosts (0 = no A glue)
  Histogram ipv6_per_host;                ///< over host_count hosts (0 = no AAAA glue)
  std::uint64_t tlds_with_ipv6_glue = 0;  ///< TLDs with at least one NS host having AAAA glue
  std::uint64_t tlds_with_ds = 0;
  Histogram ds_per_tld;       ///< includes 0
  Histogram ds_algorithms;    ///< over DS records
  Histogram ds_digest_types;  ///< over DS records
  Histogram tlds_per_host;    ///< how many TLDs use each host
  /// Provider = the "registrable parent" of a host name: its last two labels, or three under a
  /// two-letter TLD whose second label is a generic one (co, com, net, org, ac, gov, edu, ne,
  /// or, go). A heuristic, documented as such: it needs no Public Suffix List.
  std::uint64_t provider_count = 0;
  std::uint64_t tld_provider_pairs = 0;        ///< distinct (TLD, provider) pairs
  std::vector<ProviderShape> provider_shapes;  ///< sorted by (tlds, hosts), providers with >1 TLD
  std::vector<ProviderShare> top_providers;    ///< the 10 largest by TLDs, ties by name
  Histogram ns_ttls;                           ///< delegation NS TTLs, over records
  Histogram glue_ttls;                         ///< A/AAAA TTLs of delegation hosts, over records
  Histogram ds_ttls;                           ///< DS TTLs, over records

  [[nodiscard]] double in_bailiwick_share() const noexcept;  ///< ns_in_bailiwick / ns_count
  [[nodiscard]] double ipv6_tld_share() const noexcept;      ///< tlds_with_ipv6_glue / tld_count
  [[nodiscard]] double ds_tld_share() const noexcept;        ///< tlds_with_ds / tld_count
  [[nodiscard]] double shared_host_share() const noexcept;   ///< hosts used by >1 TLD / hosts
  /// Share of (TLD, provider) pairs that belong to the `n` largest providers.
  [[nodiscard]] double top_provider_share(std::size_t n) const noexcept;
  [[nodiscard]] double mean_ns_per_tld() const noexcept;

  friend bool operator==(const ZoneStatistics&, const ZoneStatistics&) = default;
};

/// Measures the delegations of a zone (normally the root). O(n log n) in records.
[[nodiscard]] ZoneStatistics measure_zone_statistics(const dns::ZoneContent& zone);

/// The provider of a host name, as ZoneStatistics defines it ("ns1.trs-dns.com." -> "trs-dns.com").
[[nodiscard]] std::string provider_of(const dns::Name& host);

/// JSON with sorted keys, integers only, two-space indent, final newline.
[[nodiscard]] std::string to_json(const ZoneStatistics& stats);
/// Strict reading: unknown or missing keys are errors named by JSON pointer ("<source>:
/// /ns_per_tld/x:
/// ..."). kParse for malformed JSON.
[[nodiscard]] Result<ZoneStatistics> zone_statistics_from_json(std::string_view text,
                                                               const std::string& source);
/// Reads a file written by save_zone_statistics. kIo when unreadable, else as above.
[[nodiscard]] Result<ZoneStatistics> load_zone_statistics(const std::filesystem::path& file);
/// Writes to_json(stats) atomically. kIo on failure.
[[nodiscard]] Status save_zone_statistics(const std::filesystem::path& file,
                                          const ZoneStatistics& stats);
/// data/root_zone_statistics.json of the source tree this library was built from.
[[nodiscard]] std::filesystem::path default_statistics_path();

}  // namespace rootsim::registry
