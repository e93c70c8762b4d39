// appeal: escalation to another body with its own rule. "on-approval": someone (e.g. the
// Empowered Community) may challenge an approval and the body decides again; "on-rejection": a
// rejected request may be appealed. The body is another stage of the arrangement, by name;
// escalation cycles are refused when the arrangement is parsed.
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  std::uint16_t body = 0;
  bool on_rejection = false;
  double lodge_probability = 0.05;
  Party by;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto body = object.string("body");
  const auto trigger = object.string("trigger");
  const auto by = object.string("by");
  config.lodge_probability = probability(object, "lodge_probability", 0.05);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  const auto& names = context.stage_names;
  const auto it = std::find(names.begin(), names.end(), *body);
  if (it == names.end()) {
    return fail(Errc::kParse, object.pointer_of("body") + ": unknown stage '" + *body + "'");
  }
  config.body = static_cast<std::uint16_t>(it - names.begin());
  if (*trigger == "on-rejection") {
    config.on_rejection = true;
  } else if (*trigger != "on-approval") {
    return fail(Errc::kParse,
                object.pointer_of("trigger") + ": expected on-approval or on-rejection");
  }
  auto party = parse_party(*by, object.pointer_of("by"), context.actors, true);
  if (!party) {
    return fail(party.error());
  }
  config.by = *party;
  return config;
}

class Appeal final : public Primitive {
 public:
  explicit Appeal(Config config) : config_(config) {}
  std::string_view name() const noexcept override { return "appeal"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    const StepOutcome wanted =
        config_.on_rejection ? StepOutcome::kRejected : StepOutcome::kApproved;
    d.actor = config_.by.resolve(ctx.facts);
    if (ctx.standing != wanted || d.actor.kind == ActorRef::Kind::kNone) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNoAppeal;
      return d;
    }
    // The lodging party appeals an approval when it opposes the request, and appeals a
    // rejection when it supports the request.
    const double support =
        config_.on_rejection ? config_.lodge_probability : 1.0 - config_.lodge_probability;
    const ChoiceResult c = ctx.behaviour.choose(d.actor, ctx.facts, support, ctx.rng);
    const bool lodged = config_.on_rejection ? c.choice == Choice::kYes : c.choice == Choice::kNo;
    d.injection = c.injection;
    if (!lodged) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNoAppeal;
      return d;
    }
    d.outcome = StepOutcome::kEscalated;
    d.reason = ReasonCode::kAppealLodged;
    d.escalate_to = config_.body;
    return d;
  }

  bool runs_after_rejection() const override { return config_.on_rejection; }
  std::vector<std::uint16_t> escalation_targets() const override { return {config_.body}; }

  StageStructure structure(const StructureQuery&, const ActorDirectory& actors) const override {
    StageStructure s;
    s.participants = {config_.by.id(actors)};
    s.trigger_probability = config_.lodge_probability;
    s.escalates_to = config_.body;
    s.overturns_approval = !config_.on_rejection;
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_appeal(const nlohmann::json& params, const std::string& pointer,
                 const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<Appeal>(*config));
}

}  // namespace rootsim::policy::primitives
