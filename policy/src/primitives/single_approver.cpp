// single-approver: one actor (or role, e.g. the TLD's government) approves or declines; when it
// withholds its decision the stage's timeout rule applies.
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  Party actor;
  double approve_probability = 0.95;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto actor = object.string("actor");
  config.approve_probability = probability(object, "approve_probability", 0.95);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto party = parse_party(*actor, object.pointer_of("actor"), context.actors, true);
  if (!party) {
    return fail(party.error());
  }
  config.actor = *party;
  return config;
}

class SingleApprover final : public Primitive {
 public:
  explicit SingleApprover(Config config) : config_(config) {}
  std::string_view name() const noexcept override { return "single-approver"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    d.actor = config_.actor.resolve(ctx.facts);
    if (d.actor.kind == ActorRef::Kind::kNone) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNotApplicable;
      return d;
    }
    const ChoiceResult c =
        ctx.behaviour.choose(d.actor, ctx.facts, config_.approve_probability, ctx.rng);
    d.injection = c.injection;
    if (c.choice == Choice::kYes) {
      d.reason = ReasonCode::kApproved;
    } else if (c.choice == Choice::kNo) {
      d.outcome = StepOutcome::kRejected;
      d.reason = ReasonCode::kDeclined;
    } else {
      d.outcome = StepOutcome::kNoDecision;
      d.reason = ReasonCode::kWithheld;
    }
    return d;
  }

  StageStructure structure(const StructureQuery& query,
                           const ActorDirectory& actors) const override {
    StageStructure s;
    if (!config_.actor.actor && config_.actor.role == Role::kTldGovernment) {
      s.applicable = query.tld_class == TldClass::kCountryCode;
    }
    if (!config_.actor.actor && config_.actor.role == Role::kTldManager) {
      s.applicable = query.tld_class != TldClass::kNone;
    }
    const std::string id = config_.actor.id(actors);
    s.sole_passers = {id};
    s.blockers = {id};
    s.participants = {id};
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_single_approver(const nlohmann::json& params, const std::string& pointer,
                          const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<SingleApprover>(*config));
}

}  // namespace rootsim::policy::primitives
