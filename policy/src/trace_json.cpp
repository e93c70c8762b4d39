// Traces as JSON: sorted keys (nlohmann's default object is ordered by key), integer
// microseconds, codes rather than prose, so equal traces give equal bytes.
#include "rootsim/policy/engine.hpp"

#include <nlohmann/json.hpp>

namespace rootsim::policy {

std::string actor_id(ActorRef actor, const RequestFacts& facts, const ActorDirectory& actors) {
  switch (actor.kind) {
    case ActorRef::Kind::kDirectory:
      return actors.actor(actor.index).id;
    case ActorRef::Kind::kTldManager:
      return "manager:" + facts.tld;
    case ActorRef::Kind::kOtherManager:
      return facts.requester;
    case ActorRef::Kind::kNone:
      return "";
  }
  return "";
}

std::string trace_to_json(const Trace& trace, const Arrangement& arrangement,
                          const RequestFacts& facts, const ActorDirectory& actors) {
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const TraceStep& s = trace.steps[i];
    const Stage& stage = arrangement.stages.at(s.stage);
    nlohmann::json step = {{"step", i + 1},
                           {"stage", stage.name},
                           {"primitive", stage.primitive->name()},
                           {"actor", actor_id(s.actor, facts, actors)},
                           {"outcome", to_string(s.outcome)},
                           {"reason", to_string(s.reason)},
                           {"start_us", s.start.count()},
                           {"end_us", s.end.count()}};
    step["injected"] = s.injection == Injection::kNone ? nlohmann::json(nullptr)
                                                       : nlohmann::json(to_string(s.injection));
    if (s.tally != Tally{}) {
      step["tally"] = {{"yes", s.tally.yes},
                       {"no", s.tally.no},
                       {"abstain", s.tally.abstain},
                       {"yes_weight_per_10k", s.tally.yes_weight},
                       {"no_weight_per_10k", s.tally.no_weight}};
    }
    steps.push_back(std::move(step));
  }
  const nlohmann::json out = {{"arrangement", arrangement.name},
                              {"type", to_string(facts.kind)},
                              {"tld", facts.tld},
                              {"requester", facts.requester},
                              {"checks_passed", facts.checks_passed},
                              {"outcome", to_string(trace.outcome)},
                              {"reason", to_string(trace.reason)},
                              {"decided_at_us", trace.decided_at.count()},
                              {"checks_overridden", trace.checks_overridden},
                              {"steps", std::move(steps)}};
  return out.dump();
}

}  // namespace rootsim::policy
