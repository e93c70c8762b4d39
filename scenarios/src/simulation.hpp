// One replication of one arrangement: a discrete-event simulation over integer simulated time
// in which change requests (routine NS/DS updates and the scenario's events) pass through the
// arrangement, the root zone maintainer publishes signed versions on the arrangement's
// schedule, instances take them up, and resolvers serve stub traffic through the resolver core.
// Every component draws from its own stream split from the replication's seed.
// Private to rootsim::scenarios. Thread-safety: a Simulation belongs to one thread; several
// run at once over one shared, immutable World.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "event_queue.hpp"
#include "governance.hpp"
#include "resolvers.hpp"
#include "root_servers.hpp"
#include "rootsim/scenarios/results.hpp"
#include "tld_table.hpp"
#include "world.hpp"
#include "zone_publisher.hpp"

namespace rootsim::scenarios {

/// The seed of replication `replication` (the same for every arrangement: common random numbers
/// make the arrangements' differences stand out from the noise).
[[nodiscard]] std::uint64_t replication_seed(std::uint64_t scenario_seed, std::uint32_t replication);

class Simulation {
 public:
  Simulation(const World& world, std::size_t arrangement, std::uint32_t replication);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Runs to the scenario's end. `progress` gets the share of simulated time done (now and
  /// then); `cancel` stops the run (kLimit). Errors: a publication that fails (kSemantic, kIo).
  [[nodiscard]] Result<ReplicationResult> run(const std::function<void(double)>& progress,
                                              const std::atomic<bool>* cancel);

 private:
  /// A request waiting for a scenario time, or decided and waiting to take effect.
  struct Request {
    registry::ChangeRequest change;
    std::string origin;  ///< "routine" or the scenario event's pointer
    dns::SimTime submitted{};
    GovernanceOutcome outcome;
  };
  /// A scenario step scheduled for later (rollover phases, retirement removals, round items).
  struct Step {
    enum class Kind : std::uint8_t { kEvent, kRequest, kZskAdvance, kKskAdvance };
    Kind kind = Kind::kEvent;
    std::uint32_t index = 0;  ///< scenario event or request index
  };

  void start();
  Status handle(const Event& event);
  Status publish(dns::SimTime now);
  void traffic(dns::SimTime now);
  void routine_arrival(dns::SimTime now);
  void schedule_next_arrival(dns::SimTime now);
  [[nodiscard]] dns::SimTime next_publication(dns::SimTime after) const;
  void submit(std::uint32_t request, dns::SimTime now);
  void apply(std::uint32_t request, dns::SimTime now);
  Status scenario_event(std::uint32_t index, dns::SimTime now);
  Status advance_keys(registry::KeyRole role, dns::SimTime now);
  std::uint32_t add_request(registry::ChangeRequest change, std::string origin);
  void schedule_step(dns::SimTime at, Step step);
  void log(dns::SimTime at, std::string_view type, nlohmann::json fields);
  ReplicationResult finish();

  // Request builders (simulation_requests.cpp).
  registry::ChangeRequest routine_request();
  registry::ChangeRequest delegation_request(const dns::Name& tld, const std::string& requester,
                                             registry::TldKind kind);
  std::string new_label();
  std::vector<dns::Name> borrowed_hosts(const dns::Name& tld, std::size_t count);

  const World* world_;
  const Scenario* scenario_;
  std::size_t arrangement_;
  std::uint32_t replication_;
  std::uint64_t seed_;
  std::mt19937_64 arrivals_rng_;
  std::mt19937_64 requests_rng_;
  std::mt19937_64 governance_rng_;
  std::mt19937_64 events_rng_;
  std::mt19937_64 staff_rng_;
  std::vector<dns::SimTime> staff_free_at_;  ///< per member of the provisioning staff
  ZonePublisher publisher_;
  TldTable tlds_;
  RootServers servers_;
  Resolvers resolvers_;
  Governance governance_;
  EventQueue queue_;
  std::vector<Request> requests_;
  std::vector<Step> steps_;
  std::vector<std::uint32_t> applied_since_publication_;  ///< requests
  std::vector<std::uint32_t> changed_tlds_;               ///< since the last publication
  struct Outage {
    std::uint32_t tld = 0;
    std::size_t request = SIZE_MAX;  ///< the redelegation asked for, if any
    dns::SimTime start{};
    dns::SimTime dark_until{};
    dns::SimTime restored_at = dns::SimTime::max();  ///< the redelegation's publication
  };
  std::vector<Outage> outages_;
  std::vector<std::uint32_t> restoring_;  ///< TLDs whose redelegation the next version carries
  std::vector<std::uint32_t> probe_tlds_;  ///< starting TLDs that are or may be missing
  std::vector<ResolutionSample> today_;
  std::uint32_t today_index_ = 0;
  std::uint64_t events_processed_ = 0;
  std::map<std::string, std::uint64_t> participation_;
  // Tallies for the metrics.
  std::vector<double> lead_times_days_;
  std::vector<double> decision_days_;
  std::vector<double> propagation50_hours_;
  std::vector<double> propagation95_hours_;
  std::uint64_t published_changes_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t pending_ = 0;
  std::uint64_t foreign_decisions_ = 0;
  std::uint64_t blocked_ = 0;
  std::uint64_t forced_ = 0;
  std::uint64_t single_points_ = 0;
  std::uint64_t decisive_steps_ = 0;
  std::uint64_t public_steps_ = 0;
  double tld_lost_days_ = 0;
  ReplicationResult result_;
};

}  // namespace rootsim::scenarios
