// consensus: the participants agree unless more than max_objections of them object. Without
// consensus there is no decision (a deadlock): the stage's timeout rule applies, and without a
// timeout the request stays pending. Silence is consent.
#include "common.hpp"

#include <cmath>

namespace rootsim::policy::primitives {
namespace {

struct Config {
  ActorIndex body = 0;
  std::vector<ActorIndex> participants;
  std::size_t max_objections = 0;
  double objection_probability = 0.02;
  std::optional<double> meets_every_days;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto body = object.string("body");
  const auto* participants = object.member("participants", true);
  const auto max = object.number("max_objections");
  config.objection_probability = probability(object, "objection_probability", 0.02);
  config.meets_every_days = object.optional_number("meets_every_days");
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto b = context.actors.find(*body);
  if (!b) {
    return fail(Errc::kParse, object.pointer_of("body") + ": unknown actor '" + *body + "'");
  }
  config.body = *b;
  auto set = parse_actor_set(*participants, object.pointer_of("participants"), context.actors);
  if (!set) {
    return fail(set.error());
  }
  config.participants = std::move(*set);
  if (!(*max >= 0.0 && *max == std::floor(*max) && *max < 1e6)) {
    return fail(Errc::kParse,
                object.pointer_of("max_objections") + ": must be a whole number, zero or more");
  }
  config.max_objections = static_cast<std::size_t>(*max);
  if (config.max_objections >= config.participants.size()) {
    return fail(Errc::kParse, object.pointer_of("max_objections") +
                                  ": must be less than the number of participants (" +
                                  std::to_string(config.participants.size()) +
                                  "), or nobody could ever block consensus");
  }
  if (config.meets_every_days &&
      !(*config.meets_every_days > 0.0 && *config.meets_every_days <= 3660.0)) {
    return fail(Errc::kParse, object.pointer_of("meets_every_days") + ": must be in (0, 3660]");
  }
  return config;
}

class Consensus final : public Primitive {
 public:
  explicit Consensus(Config config) : config_(std::move(config)) {}
  std::string_view name() const noexcept override { return "consensus"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    d.actor = ActorRef{ActorRef::Kind::kDirectory, config_.body};
    const double agree = 1.0 - config_.objection_probability;
    std::vector<std::pair<ActorIndex, Choice>> leaders;
    for (const ActorIndex p : config_.participants) {
      ChoiceResult c;
      const auto leader = ctx.behaviour.collusion_leader(p);
      const auto it = leader ? std::find_if(leaders.begin(), leaders.end(),
                                            [&](const auto& l) { return l.first == *leader; })
                             : leaders.end();
      if (it != leaders.end()) {
        c = {it->second, Injection::kCollusion};
      } else {
        c = ctx.behaviour.choose(ActorRef{ActorRef::Kind::kDirectory, p}, ctx.facts, agree,
                                 ctx.rng);
      }
      if (ctx.behaviour.has_failures_or_interests()) {
        leaders.emplace_back(p, c.choice);
      }
      if (c.injection != Injection::kNone && d.injection == Injection::kNone) {
        d.injection = c.injection;
      }
      if (c.choice == Choice::kNo) {
        ++d.tally.no;
      } else {
        ++d.tally.yes;
      }
    }
    if (d.tally.no <= config_.max_objections) {
      d.reason = ReasonCode::kConsensusReached;
    } else {
      d.outcome = StepOutcome::kNoDecision;
      d.reason = ReasonCode::kObjectionsExceeded;
    }
    return d;
  }

  dns::SimTime finish(dns::SimTime start, dns::SimTime delay) const override {
    if (!config_.meets_every_days) {
      return start + delay;
    }
    const dns::SimTime period = dns::sim_days(*config_.meets_every_days);
    const auto n = (start.count() + period.count() - 1) / period.count();
    return dns::SimTime(n * period.count()) + delay;
  }
  double expected_wait_days() const override { return config_.meets_every_days.value_or(0) / 2; }

  StageStructure structure(const StructureQuery&, const ActorDirectory& actors) const override {
    StageStructure s;
    s.participants = ids_of(config_.participants, actors);
    if (config_.participants.size() - 1 <= config_.max_objections) {
      s.sole_passers = s.participants;
    }
    if (config_.max_objections == 0) {
      s.blockers = s.participants;
    }
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_consensus(const nlohmann::json& params, const std::string& pointer,
                    const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<Consensus>(std::move(*config)));
}

}  // namespace rootsim::policy::primitives
