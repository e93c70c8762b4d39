// Running requests through the arrangement and reading the governance metrics off the trace.
#include "governance.hpp"

#include <algorithm>

namespace rootsim::scenarios {
namespace {

bool decisive(const policy::TraceStep& step, const policy::Arrangement& arrangement) {
  if (step.outcome != policy::StepOutcome::kApproved &&
      step.outcome != policy::StepOutcome::kRejected) {
    return false;
  }
  if (step.actor.kind == policy::ActorRef::Kind::kNone) {
    return false;
  }
  const std::string_view primitive = arrangement.stages[step.stage].primitive->name();
  return primitive != "technical-check" && primitive != "publication";
}

}  // namespace

Governance::Governance(const World& world, const policy::Arrangement& arrangement)
    : world_(&world),
      arrangement_(&arrangement),
      analysis_(policy::analyze(arrangement, world.actors)),
      evaluator_(arrangement, world.actors, world.circumstances,
                 {.epoch_unix_seconds = world.scenario->epoch_unix,
                  .review = world.idn_panel.get()}) {}

bool Governance::is_single_point(const policy::TraceStep& step,
                                 const policy::RequestFacts& facts) const {
  for (const policy::KindAnalysis& kind : analysis_.kinds) {
    if (kind.kind != facts.kind) {
      continue;
    }
    const policy::PathAnalysis& path =
        facts.tld_class == policy::TldClass::kCountryCode ? kind.cctld
        : facts.tld_class == policy::TldClass::kGeneric   ? kind.gtld
                                                          : kind.combined;
    const std::string id = policy::actor_id(step.actor, facts, world_->actors);
    for (const std::string& party : path.single_points_of_control) {
      if (party == id || (party == "gov:*" && id.rfind("gov:", 0) == 0) ||
          (party == "@tld-manager" && step.actor.kind == policy::ActorRef::Kind::kTldManager) ||
          (party == "@tld-government" && step.actor.kind == policy::ActorRef::Kind::kDirectory &&
           facts.tld_government && step.actor.index == *facts.tld_government) ||
          (party == "@requester" && step.actor == facts.requester_ref)) {
        return true;
      }
    }
  }
  return false;
}

bool Governance::own_community_opposes(const policy::RequestFacts& facts) const {
  for (const policy::Interest& interest : world_->circumstances.interests) {
    if (interest.stance != policy::Stance::kOppose || !facts.tld_government ||
        interest.actor != *facts.tld_government) {
      continue;
    }
    if ((interest.tld && *interest.tld == facts.tld) ||
        (interest.country && facts.country && *interest.country == *facts.country)) {
      return true;
    }
  }
  // Presumed: a removal or transfer that neither the manager nor its own government asked for.
  const bool hostile =
      facts.kind == policy::RequestKind::kRevoke || facts.kind == policy::RequestKind::kTransfer;
  const bool by_own = facts.requester_ref.kind == policy::ActorRef::Kind::kTldManager ||
                      (facts.tld_government && facts.requester_ref.kind ==
                                                   policy::ActorRef::Kind::kDirectory &&
                       facts.requester_ref.index == *facts.tld_government);
  return hostile && !by_own;
}

Result<GovernanceOutcome> Governance::decide(const registry::ChangeRequest& request,
                                             const registry::RegistryState& state,
                                             dns::SimTime start, std::mt19937_64& rng,
                                             std::map<std::string, std::uint64_t>& participation) {
  auto facts = policy::assess(request, state, world_->actors, world_->circumstances);
  if (!facts) {
    return fail(std::move(facts).error());
  }
  const policy::Trace& trace = evaluator_.decide(*facts, start, rng);
  GovernanceOutcome out;
  out.outcome = trace.outcome;
  out.reason = std::string(policy::to_string(trace.reason));
  out.decided_at = trace.decided_at;
  out.decision_at = start;
  out.checks_passed = facts->checks_passed;
  out.steps = static_cast<std::uint32_t>(trace.steps.size());
  const bool published = trace.outcome == policy::FinalOutcome::kPublished;
  for (const policy::TraceStep& step : trace.steps) {
    if (!decisive(step, *arrangement_)) {
      continue;
    }
    out.decision_at = std::max(out.decision_at, step.end);
    ++out.decisive_steps;
    out.public_steps += arrangement_->stages[step.stage].public_record ? 1U : 0U;
    out.deciders.push_back(policy::actor_id(step.actor, *facts, world_->actors));
    if (step.actor.kind == policy::ActorRef::Kind::kDirectory) {
      const policy::Actor& actor = world_->actors.actor(step.actor.index);
      for (policy::StakeholderGroup group : actor.groups) {
        ++participation["group:" + std::string(policy::to_string(group))];
      }
      if (!actor.region.empty()) {
        ++participation["region:" + actor.region];
      }
      const bool authority = actor.kind == policy::ActorKind::kGovernment ||
                             actor.kind == policy::ActorKind::kOversightAuthority;
      if (facts->tld_class == policy::TldClass::kCountryCode && authority && actor.country &&
          facts->country && *actor.country != *facts->country) {
        ++out.foreign_decisions;
      }
    } else if (step.actor.kind != policy::ActorRef::Kind::kNone) {
      ++participation["tld-managers"];
    }
    if (published && step.outcome == policy::StepOutcome::kApproved &&
        is_single_point(step, *facts)) {
      ++out.single_points_exercised;
    }
  }
  const bool own_request =
      facts->requester_ref.kind == policy::ActorRef::Kind::kTldManager ||
      (facts->tld_government && facts->requester_ref.kind == policy::ActorRef::Kind::kDirectory &&
       facts->requester_ref.index == *facts->tld_government);
  out.blocked_against_community = !published && facts->checks_passed && own_request;
  out.forced_against_community = published && own_community_opposes(*facts);
  return out;
}

}  // namespace rootsim::scenarios
