// The resolver population of one replication and the stub traffic it serves: resolvers spread
// over regions by population, each knowing a few root server instances by latency (its own
// region first) and two in other regions to fail over to, a cache that honours the TTLs of
// the answers it gets (referral NS TTL, negative answers per RFC 2308), optional DNSSEC
// validation against a trust-anchor set, an optional RFC 8806 local root. Every cache miss is a real query through resolver::answer()
// on the snapshot of the zone version the chosen instance holds.
// Private to rootsim::scenarios. Thread-safety: one replication's thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "root_servers.hpp"
#include "rootsim/dns/sim_time.hpp"
#include "rootsim/resolver/huge_pages.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"
#include "rootsim/scenarios/results.hpp"
#include "tld_table.hpp"
#include "world.hpp"
#include "zone_publisher.hpp"

namespace rootsim::scenarios {

/// What the traffic of a run added up to.
struct TrafficTotals {
  std::uint64_t stub_queries = 0;
  std::uint64_t core_lookups = 0;
  std::uint64_t root_attempts = 0;  ///< cache misses that went to the root server system
  std::uint64_t root_answered = 0;  ///< ... and that some instance answered
  std::uint64_t answers = 0;        ///< root answers received
  std::uint64_t legit_answers = 0;  ///< ... from a legitimate zone version
  std::uint64_t nxdomain_answers = 0;  ///< ... that were NXDOMAIN
};

class Resolvers {
 public:
  Resolvers(const World& world, RootServers& servers, const ZonePublisher& publisher,
            TldTable& tlds, std::mt19937_64 population_rng, std::mt19937_64 traffic_rng);

  [[nodiscard]] std::size_t size() const noexcept { return resolvers_.size(); }

  /// One traffic step at `now`: every resolver serves its stub queries; outcomes are added to
  /// `day_by_region` (correct, wrong, failed per region).
  void step(dns::SimTime now, std::vector<ResolutionSample>& day_by_region);

  /// When each resolver will answer with a change to `tld` published as `version` at `now`:
  /// after its cached answer (if older) expires and its first instance holds the version.
  /// Returns the hours from `now` at which 50% and 95% of resolvers do.
  [[nodiscard]] std::pair<double, double> propagation_hours(std::uint32_t tld,
                                                            std::uint32_t version,
                                                            dns::SimTime now);

  /// KSK rollover: the given share of validating resolvers keep only the old trust anchors.
  void miss_trust_anchor(double share, std::uint16_t old_tag, std::uint16_t new_tag);
  /// A share of `region`'s resolvers use `zone` (without `removed`) instead of the root.
  void adopt_alternate_root(std::uint16_t region, double share,
                            std::shared_ptr<const resolver::ZoneSnapshot> zone,
                            std::vector<std::uint32_t> removed, dns::SimTime until);
  /// Marks which TLDs a modified zone served by some instances lacks.
  void set_modified_tlds(std::vector<std::uint32_t> removed) { modified_tlds_ = std::move(removed); }

  /// Marks every resolver that would now answer NXDOMAIN for `tld` (a TLD of the starting zone):
  /// from a live cached answer, else from what its root would answer (a probe query through
  /// answer(), counted as a core lookup but not as traffic). Skips resolvers already marked.
  void probe_loss(std::uint32_t tld, dns::SimTime now);

  [[nodiscard]] const TrafficTotals& totals() const noexcept { return totals_; }
  /// The `quantile` of the time resolvers waited for a root answer (round trip to the instance
  /// that answered plus a timeout for each one that did not), in milliseconds.
  [[nodiscard]] double latency_ms(double quantile) const;
  [[nodiscard]] std::uint64_t resolvers_losing_a_tld() const noexcept;

 private:
  struct Resolver {
    std::uint16_t region = 0;
    bool validating = false;
    bool local_root = false;
    bool lacks_new_anchor = false;
    bool lost_a_tld = false;
    std::int32_t alternate = -1;  ///< index into alternates_ while adopted
    dns::SimTime refresh_phase{};
    std::array<std::uint32_t, 13> instances{};
    std::uint8_t instance_count = 0;
  };
  struct CacheEntry {
    std::uint32_t expires_s = 0;  ///< simulated seconds; 0 = empty
    std::uint32_t flags = 0;      ///< kExists | kWrong, version << 2
  };
  struct Alternate {
    std::shared_ptr<const resolver::ZoneSnapshot> zone;
    std::vector<std::uint32_t> removed;
    dns::SimTime until{};
  };
  enum class Source : std::uint8_t { kLegit, kModified, kAlternate };
  struct RootAnswer {
    bool answered = false;
    bool exists = false;
    bool wrong = false;
    std::uint32_t ttl = 0;
    std::uint32_t version = 0;
  };

  RootAnswer ask_root(Resolver& r, std::span<const std::uint8_t> query, std::uint32_t tld,
                      dns::SimTime now);
  bool trusts(const Resolver& r, std::uint32_t version) const;
  void record_latency(double ms);
  void junk_query(Resolver& r, dns::SimTime now, ResolutionSample& sample);
  void tld_query(Resolver& r, CacheEntry& entry, std::uint32_t tld, std::uint32_t rank,
                 dns::SimTime now, ResolutionSample& sample);
  std::uint32_t local_version(const Resolver& r, dns::SimTime now) const;

  const World* world_;
  RootServers* servers_;
  const ZonePublisher* publisher_;
  TldTable* tlds_;
  std::mt19937_64 rng_;
  std::vector<Resolver> resolvers_;
  /// Rank-major (popularity rank, then resolver): one traffic step walks the resolvers in order,
  /// so the entries of the popular TLDs it touches lie close together. On huge pages: each
  /// query touches one entry at random in ~100 MB.
  std::vector<CacheEntry, resolver::HugePageAllocator<CacheEntry>> cache_;
  std::vector<Alternate> alternates_;
  std::vector<std::uint32_t> modified_tlds_;
  std::uint16_t old_anchor_ = 0;
  std::uint16_t new_anchor_ = 0;
  bool rollover_started_ = false;
  std::vector<std::uint8_t> query_buffer_;
  std::vector<std::uint8_t> answer_buffer_;
  TrafficTotals totals_;
  bool probing_ = false;
  std::vector<std::uint64_t> latency_histogram_ = std::vector<std::uint64_t>(5001, 0);  ///< 1 ms buckets
};

}  // namespace rootsim::scenarios
