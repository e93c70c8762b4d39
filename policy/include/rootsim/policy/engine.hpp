// The decision engine: runs one request's facts through an arrangement from a simulated start
// time with a caller's random stream and records every step (stage, actor, start, end, outcome,
// reason code, injected failure) and the final outcome. Pure: no I/O, no clock; the same facts,
// start and stream state give the same trace. Nothing that failed the technical checks is
// published unless a technical-check stage recorded an explicit override.
// Thread-safety: an Evaluator is used by one thread at a time; it borrows the arrangement,
// directory, circumstances and review, which must outlive it. Ownership: decide() returns a
// reference into the evaluator's reused trace buffer, valid until the next decide().
#pragma once

#include "rootsim/dns/sim_time.hpp"
#include "rootsim/policy/arrangement.hpp"
#include "rootsim/policy/primitive.hpp"
#include "rootsim/policy/request.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rootsim::policy {

enum class FinalOutcome : std::uint8_t {
  kPublished,  ///< in the root zone at `decided_at`
  kApproved,   ///< decided, nothing to publish (governance-level requests)
  kRejected,
  kPending,   ///< no decision and none will come (deadlock, withheld without a timeout)
  kTimedOut,  ///< a stage's timeout ended the request
};
[[nodiscard]] std::string_view to_string(FinalOutcome outcome) noexcept;

struct TraceStep {
  std::uint16_t stage = 0;  ///< index into Arrangement::stages
  ActorRef actor;
  StepOutcome outcome = StepOutcome::kApproved;
  ReasonCode reason = ReasonCode::kApproved;
  Injection injection = Injection::kNone;
  Tally tally;
  dns::SimTime start{};
  dns::SimTime end{};
  friend bool operator==(const TraceStep&, const TraceStep&) = default;
};

struct Trace {
  std::vector<TraceStep> steps;
  FinalOutcome outcome = FinalOutcome::kPending;
  ReasonCode reason = ReasonCode::kNoProcess;
  dns::SimTime decided_at{};  ///< when the final outcome took effect (publication time)
  bool checks_overridden = false;
};

struct EngineOptions {
  std::int64_t epoch_unix_seconds = 0;   ///< the unix time of SimTime 0, for business days
  const StringReview* review = nullptr;  ///< borrowed, nullable: the IDN panel
};

class Evaluator {
 public:
  Evaluator(const Arrangement& arrangement, const ActorDirectory& actors,
            const Circumstances& circumstances, EngineOptions options = {});

  /// Decides `facts` from `start`. Steady state allocates nothing (the trace buffer is reused).
  /// A request the arrangement has no process for is rejected with kNoProcess.
  /// Complexity: O(stages x deciders per stage).
  [[nodiscard]] const Trace& decide(const RequestFacts& facts, dns::SimTime start,
                                    std::mt19937_64& rng);

  [[nodiscard]] const Arrangement& arrangement() const noexcept { return *arrangement_; }

 private:
  struct Running;
  bool run_stage(Running& run, std::uint16_t stage_index, int depth);

  const Arrangement* arrangement_;  // borrowed
  const ActorDirectory* actors_;    // borrowed
  Behaviour behaviour_;
  EngineOptions options_;
  Trace trace_;
};

/// The trace as one JSON object (sorted keys, integer microseconds):
/// {"arrangement", "outcome", "reason", "decided_at_us", "checks_overridden", "steps": [{"step",
/// "stage", "primitive", "actor", "outcome", "reason", "injected", "start_us", "end_us",
/// "tally"?}]}.
[[nodiscard]] std::string trace_to_json(const Trace& trace, const Arrangement& arrangement,
                                        const RequestFacts& facts, const ActorDirectory& actors);
/// The display id of an actor in a trace ("gov:FR", "manager:cz").
[[nodiscard]] std::string actor_id(ActorRef actor, const RequestFacts& facts,
                                   const ActorDirectory& actors);

}  // namespace rootsim::policy
