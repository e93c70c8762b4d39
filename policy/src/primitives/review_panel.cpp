// review-panel: a panel reviews the string of a new TLD (the IDN string-similarity panel with a
// named rule set). Its verdict comes from the StringReview the engine is given; without one the
// panel accepts with "accept_probability" (a stand-in, marked as such in this comment and in
// docs/governance.md, until the IDN panel is wired in).
#include "rootsim/dns/random.hpp"

#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  ActorIndex panel = 0;
  std::string rule_set;
  bool idn_only = true;
  double accept_probability = 0.95;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto panel = object.string("panel");
  const auto rule_set = object.string("rule_set");
  config.idn_only = object.optional_boolean("idn_only").value_or(true);
  config.accept_probability = probability(object, "accept_probability", 0.95);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto p = context.actors.find(*panel);
  if (!p) {
    return fail(Errc::kParse, object.pointer_of("panel") + ": unknown actor '" + *panel + "'");
  }
  if (rule_set->empty()) {
    return fail(Errc::kParse, object.pointer_of("rule_set") + ": empty");
  }
  config.panel = *p;
  config.rule_set = *rule_set;
  return config;
}

bool reviews(RequestKind kind) {
  return kind == RequestKind::kDelegate || kind == RequestKind::kTransfer;
}

class ReviewPanel final : public Primitive {
 public:
  explicit ReviewPanel(Config config) : config_(std::move(config)) {}
  std::string_view name() const noexcept override { return "review-panel"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    if (!reviews(ctx.facts.kind) || (config_.idn_only && !ctx.facts.idn)) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNotApplicable;
      return d;
    }
    d.actor = ActorRef{ActorRef::Kind::kDirectory, config_.panel};
    bool accepted = false;
    if (ctx.review != nullptr) {
      accepted = ctx.review->verdict(ctx.facts.tld, config_.rule_set) != ReviewVerdict::kReject;
    } else {
      accepted = bernoulli(ctx.rng, config_.accept_probability);
    }
    d.outcome = accepted ? StepOutcome::kApproved : StepOutcome::kRejected;
    d.reason = accepted ? ReasonCode::kPanelAccepted : ReasonCode::kPanelRejected;
    return d;
  }

  StageStructure structure(const StructureQuery& query,
                           const ActorDirectory& actors) const override {
    StageStructure s;
    s.applicable = reviews(query.kind);
    const std::string id = actors.actor(config_.panel).id;
    s.sole_passers = {id};
    s.blockers = {id};
    s.participants = {id};
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_review_panel(const nlohmann::json& params, const std::string& pointer,
                       const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<ReviewPanel>(std::move(*config)));
}

}  // namespace rootsim::policy::primitives
