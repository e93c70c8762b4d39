// The root server system of one replication: every instance's zone version, how it learns of
// new versions (NOTIFY, else the SOA refresh timer) and fetches them (a transfer delay), and
// whether it answers (outages, regional partitions) or serves a modified zone. Versions
// arrive lazily: publish() computes each instance's arrival time, version_at() takes up what
// has arrived by then. Private to rootsim::scenarios. Thread-safety: one replication's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "rootsim/dns/sim_time.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"
#include "world.hpp"

namespace rootsim::scenarios {

class RootServers {
 public:
  RootServers(const World& world, std::mt19937_64 rng);

  [[nodiscard]] std::size_t size() const noexcept { return instances_.size(); }
  [[nodiscard]] const InstanceSpec& spec(std::uint32_t instance) const {
    return world_->instances[instance];
  }

  /// Version `version` was published at `now`: each instance is NOTIFYed (or misses it and
  /// finds it at its next SOA refresh) and fetches it after a transfer delay; an instance that
  /// is down or cut off fetches it after it is back.
  void publish(std::uint32_t version, dns::SimTime now);
  /// The newest version instance `instance` holds at `now` (lazy; `now` never goes back).
  [[nodiscard]] std::uint32_t version_at(std::uint32_t instance, dns::SimTime now);
  /// When `instance` holds `version` or a newer one: `now` if it does, else its earliest pending
  /// arrival of such a version (SimTime::max() when none is on its way).
  [[nodiscard]] dns::SimTime ready_time(std::uint32_t instance, std::uint32_t version,
                                        dns::SimTime now) const noexcept;
  /// The oldest version any instance may still serve at `now` or later (for releasing snapshots).
  [[nodiscard]] std::uint32_t oldest_held(dns::SimTime now);

  /// Whether `instance` answers a resolver in `region` at `now`.
  [[nodiscard]] bool reachable(std::uint32_t instance, std::uint16_t region,
                               dns::SimTime now) const noexcept;
  /// The zone `instance` serves when ordered to serve a modified one, else null.
  [[nodiscard]] const resolver::ZoneSnapshot* modified(std::uint32_t instance,
                                                       dns::SimTime now) const noexcept;
  [[nodiscard]] bool region_cut_off(std::uint16_t region, dns::SimTime now) const noexcept {
    return now < cut_off_until_[region];
  }

  void take_down(std::uint32_t instance, dns::SimTime from, dns::SimTime until);
  void cut_off(std::uint16_t region, dns::SimTime until);
  void serve_modified(policy::ActorIndex rso, std::shared_ptr<const resolver::ZoneSnapshot> zone,
                      dns::SimTime until);

  /// RSSAC047 publication latency: (publication -> instance serves it) over instances and
  /// versions, as a histogram in seconds; quantile in minutes.
  [[nodiscard]] double publication_latency_minutes(double quantile) const;
  /// Median over instances of the share of [0, end) each was up.
  [[nodiscard]] double median_availability(dns::SimTime end) const;

 private:
  struct Arrival {
    dns::SimTime at;
    std::uint32_t version;
  };
  struct Instance {
    std::uint32_t version = 0;
    dns::SimTime refresh_phase{};
    dns::SimTime down_until{};
    dns::SimTime downtime{};
    std::vector<Arrival> pending;
  };
  struct Modified {
    policy::ActorIndex rso = 0;
    std::shared_ptr<const resolver::ZoneSnapshot> zone;
    dns::SimTime until{};
  };

  const World* world_;
  std::mt19937_64 rng_;
  std::vector<Instance> instances_;
  std::array<dns::SimTime, kRegions.size()> cut_off_until_{};
  std::vector<Modified> modified_;
  std::vector<std::uint64_t> latency_histogram_;  ///< 10-second buckets, the last one open
};

}  // namespace rootsim::scenarios
