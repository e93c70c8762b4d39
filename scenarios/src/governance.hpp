// A change request's passage through the arrangement under test, as the simulation sees it:
// the facts (policy::assess against the registry state), the decision trace (policy::Evaluator)
// and what the trace means for the governance metrics: decisions on a ccTLD by another
// country's actors (Tunis Agenda para 63), changes blocked or forced against the TLD's own
// community, single points of control exercised, participation by stakeholder group and region.
// Private to rootsim::scenarios. Thread-safety: one replication's thread (the Evaluator is
// stateful). Ownership: borrows the world and arrangement.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "rootsim/policy/analysis.hpp"
#include "rootsim/policy/engine.hpp"
#include "rootsim/registry/change_request.hpp"
#include "world.hpp"

namespace rootsim::scenarios {

struct GovernanceOutcome {
  policy::FinalOutcome outcome = policy::FinalOutcome::kPending;
  std::string reason;
  dns::SimTime decided_at{};  ///< publication time when published
  dns::SimTime decision_at{}; ///< end of the last decisive step (the decision itself)
  bool checks_passed = true;
  std::uint32_t steps = 0;
  std::uint32_t decisive_steps = 0;
  std::uint32_t public_steps = 0;  ///< decisive steps in public_record stages
  std::uint32_t foreign_decisions = 0;
  std::uint32_t single_points_exercised = 0;
  bool blocked_against_community = false;
  bool forced_against_community = false;
  std::vector<std::string> deciders;  ///< actor ids of the decisive steps, in order
};

class Governance {
 public:
  Governance(const World& world, const policy::Arrangement& arrangement);

  /// Assesses `request` against `state` and runs it through the arrangement from `start`.
  /// Participation counts are added to `participation`. Errors: those of policy::assess
  /// (the request does not fit the registry).
  [[nodiscard]] Result<GovernanceOutcome> decide(
      const registry::ChangeRequest& request, const registry::RegistryState& state,
      dns::SimTime start, std::mt19937_64& rng,
      std::map<std::string, std::uint64_t>& participation);

 private:
  bool is_single_point(const policy::TraceStep& step, const policy::RequestFacts& facts) const;
  bool own_community_opposes(const policy::RequestFacts& facts) const;

  const World* world_;
  const policy::Arrangement* arrangement_;
  policy::ArrangementAnalysis analysis_;
  policy::Evaluator evaluator_;
};

}  // namespace rootsim::scenarios
