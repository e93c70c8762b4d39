#include "rootsim/policy/engine.hpp"

#include <algorithm>

namespace rootsim::policy {

std::string_view to_string(FinalOutcome outcome) noexcept {
  switch (outcome) {
    case FinalOutcome::kPublished:
      return "published";
    case FinalOutcome::kApproved:
      return "approved";
    case FinalOutcome::kRejected:
      return "rejected";
    case FinalOutcome::kPending:
      return "pending";
    case FinalOutcome::kTimedOut:
      return "timed-out";
  }
  return "?";
}

struct Evaluator::Running {
  const RequestFacts& facts;
  std::mt19937_64& rng;
  dns::SimTime t;
  StepOutcome standing = StepOutcome::kApproved;
  ReasonCode last_reason = ReasonCode::kApproved;
  bool finished = false;
  bool published = false;
};

Evaluator::Evaluator(const Arrangement& arrangement, const ActorDirectory& actors,
                     const Circumstances& circumstances, EngineOptions options)
    : arrangement_(&arrangement),
      actors_(&actors),
      behaviour_(circumstances, actors),
      options_(options) {
  trace_.steps.reserve(32);
}

const Trace& Evaluator::decide(const RequestFacts& facts, dns::SimTime start,
                               std::mt19937_64& rng) {
  trace_.steps.clear();
  trace_.checks_overridden = false;
  const Pipeline* pipeline = arrangement_->pipeline(facts.kind, facts.tld_class);
  if (pipeline == nullptr) {
    trace_.outcome = FinalOutcome::kRejected;
    trace_.reason = ReasonCode::kNoProcess;
    trace_.decided_at = start;
    return trace_;
  }
  Running run{facts, rng, start};
  for (const std::uint16_t index : pipeline->stages) {
    if (run.finished) {
      break;
    }
    if (run.standing == StepOutcome::kRejected &&
        !arrangement_->stages[index].primitive->runs_after_rejection()) {
      continue;
    }
    run_stage(run, index, 0);
  }
  if (!run.finished) {
    if (run.standing == StepOutcome::kApproved) {
      trace_.outcome = run.published ? FinalOutcome::kPublished : FinalOutcome::kApproved;
    } else {
      trace_.outcome = FinalOutcome::kRejected;
    }
    trace_.reason = run.last_reason;
    trace_.decided_at = run.t;
  }
  return trace_;
}

bool Evaluator::run_stage(Running& run, std::uint16_t stage_index, int depth) {
  const Stage& stage = arrangement_->stages[stage_index];
  const dns::SimTime start = run.t;
  auto finish_with = [&](FinalOutcome outcome, ReasonCode reason, dns::SimTime at) {
    run.finished = true;
    trace_.outcome = outcome;
    trace_.reason = reason;
    trace_.decided_at = at;
  };
  if (depth > static_cast<int>(arrangement_->stages.size())) {
    finish_with(FinalOutcome::kRejected, ReasonCode::kEscalationLimit, start);
    return false;
  }
  const RequestFacts& facts = run.facts;
  if (!stage.bypassed_by.empty() && facts.requester_ref.kind == ActorRef::Kind::kDirectory &&
      std::find(stage.bypassed_by.begin(), stage.bypassed_by.end(), facts.requester_ref.index) !=
          stage.bypassed_by.end()) {
    trace_.steps.push_back({stage_index,
                            facts.requester_ref,
                            StepOutcome::kSkipped,
                            ReasonCode::kBypassed,
                            Injection::kNone,
                            {},
                            start,
                            start});
    return true;
  }
  // The delay is drawn before the decision so that a stage's timing does not depend on how
  // many numbers its decision consumed.
  dns::SimTime delay = dns::sim_days(stage.delay.sample_days(run.rng));
  if (stage.delay.business_days) {
    delay = add_business_time(start, delay, options_.epoch_unix_seconds) - start;
  }
  const StageContext ctx{facts, *actors_, behaviour_, run.rng, run.standing, options_.review};
  StageDecision d = stage.primitive->decide(ctx);
  if (d.outcome == StepOutcome::kSkipped) {
    return true;
  }
  dns::SimTime end = stage.primitive->finish(start, delay);
  // A plain flag and index rather than the optional: GCC 12 -O3 misreads the optional's payload
  // as maybe-uninitialised across the recursive call.
  bool escalate = d.escalate_to.has_value();
  std::uint16_t escalate_to = d.escalate_to.value_or(0);
  TraceStep step{stage_index, d.actor, d.outcome, d.reason, d.injection, d.tally, start, end};
  const bool late = stage.timeout && (end - start) > *stage.timeout;
  if (stage.timeout && (late || d.outcome == StepOutcome::kNoDecision)) {
    end = start + *stage.timeout;
    step.end = end;
    switch (stage.on_timeout) {
      case TimeoutAction::kApprove:
        step.outcome = StepOutcome::kApproved;
        step.reason = ReasonCode::kDeemedApproved;
        escalate = false;
        break;
      case TimeoutAction::kReject:
        step.outcome = StepOutcome::kTimedOut;
        step.reason = ReasonCode::kTimeout;
        trace_.steps.push_back(step);
        finish_with(FinalOutcome::kTimedOut, ReasonCode::kTimeout, end);
        return false;
      case TimeoutAction::kPending:
        step.outcome = StepOutcome::kNoDecision;
        step.reason = ReasonCode::kTimeout;
        trace_.steps.push_back(step);
        finish_with(FinalOutcome::kPending, ReasonCode::kTimeout, end);
        return false;
      case TimeoutAction::kEscalate:
        step.outcome = StepOutcome::kEscalated;
        step.reason = ReasonCode::kTimeout;
        escalate = stage.escalate_to.has_value();
        escalate_to = stage.escalate_to.value_or(0);
        break;
    }
  } else if (d.outcome == StepOutcome::kNoDecision) {
    trace_.steps.push_back(step);
    finish_with(FinalOutcome::kPending, d.reason, end);
    return false;
  }
  run.t = end;
  if (step.outcome == StepOutcome::kApproved) {
    if (step.reason == ReasonCode::kCheckOverridden) {
      trace_.checks_overridden = true;
    }
    if (stage.primitive->publishes()) {
      if (!facts.checks_passed && !trace_.checks_overridden) {
        step.outcome = StepOutcome::kRejected;
        step.reason = ReasonCode::kUnpublishableChecksFailed;
      } else {
        run.published = true;
      }
    }
  }
  trace_.steps.push_back(step);
  if (step.outcome == StepOutcome::kEscalated && escalate) {
    return run_stage(run, escalate_to, depth + 1);
  }
  if (step.outcome == StepOutcome::kApproved || step.outcome == StepOutcome::kRejected) {
    run.standing = step.outcome;
    run.last_reason = step.reason;
  }
  return true;
}

}  // namespace rootsim::policy
