// technical-check: the IANA functions operator's technical conformance checks (run by assess()
// on the planned result). A failed check rejects the request unless the arrangement names an
// actor who may override it, and that actor does: the override is recorded in the trace.
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  Party actor;
  std::optional<Party> override_by;
  double override_probability = 1.0;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto actor = object.string("actor");
  const auto override_by = object.optional_string("override_by");
  config.override_probability = probability(object, "override_probability", 1.0);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto party = parse_party(*actor, object.pointer_of("actor"), context.actors, false);
  if (!party) {
    return fail(party.error());
  }
  config.actor = *party;
  if (override_by) {
    auto o = parse_party(*override_by, object.pointer_of("override_by"), context.actors, true);
    if (!o) {
      return fail(o.error());
    }
    config.override_by = *o;
  }
  return config;
}

class TechnicalCheck final : public Primitive {
 public:
  explicit TechnicalCheck(Config config) : config_(std::move(config)) {}
  std::string_view name() const noexcept override { return "technical-check"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    d.actor = config_.actor.resolve(ctx.facts);
    if (ctx.facts.checks_passed) {
      d.reason = ReasonCode::kChecksPassed;
      return d;
    }
    if (config_.override_by) {
      const ActorRef by = config_.override_by->resolve(ctx.facts);
      const ChoiceResult c =
          ctx.behaviour.choose(by, ctx.facts, config_.override_probability, ctx.rng);
      if (c.choice == Choice::kYes) {
        return {StepOutcome::kApproved, ReasonCode::kCheckOverridden, by, c.injection, {}, {}};
      }
    }
    d.outcome = StepOutcome::kRejected;
    d.reason = ReasonCode::kChecksFailed;
    return d;
  }

  StageStructure structure(const StructureQuery& query,
                           const ActorDirectory& actors) const override {
    StageStructure s;
    s.applicable = changes_zone(query.kind);
    s.ministerial = true;
    s.participants.push_back(config_.actor.id(actors));
    if (config_.override_by) {
      s.participants.push_back(config_.override_by->id(actors));
    }
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_technical_check(const nlohmann::json& params, const std::string& pointer,
                          const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<TechnicalCheck>(std::move(*config)));
}

}  // namespace rootsim::policy::primitives
