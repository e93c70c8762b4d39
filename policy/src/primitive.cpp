#include "rootsim/policy/primitive.hpp"

#include "rootsim/dns/random.hpp"

#include "primitives/common.hpp"

#include <algorithm>
#include <array>

namespace rootsim::policy {
namespace {

constexpr std::array<std::string_view, 32> kReasonNames = {
    "checks-passed",
    "checks-failed",
    "check-overridden",
    "contacts-confirmed",
    "contacts-declined",
    "revocation-conditions-met",
    "approved",
    "declined",
    "vote-carried",
    "vote-failed",
    "quorum-not-met",
    "consensus-reached",
    "objections-exceeded",
    "no-veto",
    "vetoed",
    "local-decision",
    "local-refusal",
    "not-applicable",
    "panel-accepted",
    "panel-rejected",
    "appeal-lodged",
    "no-appeal",
    "published",
    "unpublishable-checks-failed",
    "withheld",
    "timeout",
    "deemed-approved",
    "bypassed",
    "no-process",
    "thresholds-met",
    "thresholds-missed",
    "escalation-limit",
};
static_assert(kReasonNames.size() == static_cast<std::size_t>(ReasonCode::kEscalationLimit) + 1);

}  // namespace

std::string_view to_string(ReasonCode reason) noexcept {
  return kReasonNames.at(static_cast<std::size_t>(reason));
}

std::string_view to_string(StepOutcome outcome) noexcept {
  switch (outcome) {
    case StepOutcome::kApproved:
      return "approved";
    case StepOutcome::kRejected:
      return "rejected";
    case StepOutcome::kNoDecision:
      return "no-decision";
    case StepOutcome::kTimedOut:
      return "timed-out";
    case StepOutcome::kSkipped:
      return "skipped";
    case StepOutcome::kEscalated:
      return "escalated";
  }
  return "?";
}

std::string_view to_string(Injection injection) noexcept {
  switch (injection) {
    case Injection::kNone:
      return "none";
    case Injection::kCapture:
      return "capture";
    case Injection::kDeadlock:
      return "deadlock";
    case Injection::kInterference:
      return "interference";
    case Injection::kCollusion:
      return "collusion";
  }
  return "?";
}

Behaviour::Behaviour(const Circumstances& circumstances, const ActorDirectory& actors)
    : circumstances_(&circumstances), actors_(&actors), touched_(actors.size(), 0) {
  for (const Failure& f : circumstances.failures) {
    for (const ActorIndex a : f.actors) {
      touched_.at(a) = 1;
    }
  }
  for (const Interest& i : circumstances.interests) {
    touched_.at(i.actor) = 1;
  }
  active_ = !circumstances.failures.empty() || !circumstances.interests.empty();
}

namespace {

bool concerns(ActorIndex party, const RequestFacts& facts, const ActorDirectory& actors) {
  const Actor& p = actors.actor(party);
  return p.kind == ActorKind::kGovernment && facts.country && p.country == facts.country;
}

}  // namespace

ChoiceResult Behaviour::choose(ActorRef actor, const RequestFacts& facts, double yes_probability,
                               std::mt19937_64& rng) const {
  if (active_ && actor.kind == ActorRef::Kind::kDirectory && touched_[actor.index] != 0) {
    for (const Failure& f : circumstances_->failures) {
      if (f.tld && *f.tld != facts.tld) {
        continue;
      }
      const bool named = std::find(f.actors.begin(), f.actors.end(), actor.index) != f.actors.end();
      if (!named) {
        continue;
      }
      switch (f.kind) {
        case FailureKind::kDeadlock:
          return {Choice::kNo, Injection::kDeadlock};
        case FailureKind::kInterference: {
          const Actor& a = actors_->actor(actor.index);
          const bool own = facts.country && a.country == facts.country;
          if (!own && f.actors.front() == actor.index) {
            return {f.mode == InterferenceMode::kForce ? Choice::kYes : Choice::kWithhold,
                    Injection::kInterference};
          }
          break;
        }
        case FailureKind::kCapture:
          if (f.actors.front() == actor.index && f.party) {
            if (facts.requester_ref == ActorRef{ActorRef::Kind::kDirectory, *f.party}) {
              return {Choice::kYes, Injection::kCapture};
            }
            if (concerns(*f.party, facts, *actors_)) {
              return {Choice::kNo, Injection::kCapture};
            }
          }
          break;
        case FailureKind::kCollusion:
        case FailureKind::kModifiedZone:
          break;
      }
    }
    for (const Interest& i : circumstances_->interests) {
      if (i.actor != actor.index) {
        continue;
      }
      if ((i.tld && *i.tld == facts.tld) || (i.country && facts.country == i.country)) {
        return {i.stance == Stance::kSupport ? Choice::kYes : Choice::kNo, Injection::kNone};
      }
    }
  }
  return {bernoulli(rng, yes_probability) ? Choice::kYes : Choice::kNo, Injection::kNone};
}

std::optional<ActorIndex> Behaviour::collusion_leader(ActorIndex follower) const {
  if (!active_ || touched_[follower] == 0) {
    return std::nullopt;
  }
  for (const Failure& f : circumstances_->failures) {
    if (f.kind == FailureKind::kCollusion && f.actors.size() == 2 && f.actors[1] == follower) {
      return f.actors[0];
    }
  }
  return std::nullopt;
}

void PrimitiveCatalog::add(std::string name, PrimitiveFactory factory) {
  factories_[std::move(name)] = factory;
}

PrimitiveFactory PrimitiveCatalog::find(std::string_view name) const {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : it->second;
}

std::vector<std::string> PrimitiveCatalog::names() const {
  std::vector<std::string> out;
  for (const auto& [name, factory] : factories_) {
    out.push_back(name);
  }
  return out;
}

PrimitiveCatalog builtin_primitives() {
  using namespace primitives;
  PrimitiveCatalog catalog;
  catalog.add("technical-check", make_technical_check);
  catalog.add("contact-confirmation", make_contact_confirmation);
  catalog.add("single-approver", make_single_approver);
  catalog.add("vote", make_vote);
  catalog.add("consensus", make_consensus);
  catalog.add("veto", make_veto);
  catalog.add("local-authority", make_local_authority);
  catalog.add("review-panel", make_review_panel);
  catalog.add("appeal", make_appeal);
  catalog.add("publication", make_publication);
  catalog.add("performance-review", make_performance_review);
  return catalog;
}

}  // namespace rootsim::policy
