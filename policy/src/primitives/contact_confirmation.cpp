// contact-confirmation: the TLD's administrative and technical contacts confirm the request (IANA
// practice). For a transfer, revocation or retirement the incumbent asked for by someone else,
// this is the incumbent's consent; with "revocation_exception" a refusal does not block when the
// FoI revocation conditions hold (persistent problems, a last resort).
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  double confirm_probability = 0.97;
  double adverse_consent_probability = 0.1;
  bool revocation_exception = false;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer) {
  json_fields::Object object(params, pointer);
  Config config;
  config.confirm_probability = probability(object, "confirm_probability", 0.97);
  config.adverse_consent_probability = probability(object, "adverse_consent_probability", 0.1);
  config.revocation_exception = object.optional_boolean("revocation_exception").value_or(false);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  return config;
}

bool adverse(const RequestFacts& facts) {
  const bool hostile_kind = facts.kind == RequestKind::kTransfer ||
                            facts.kind == RequestKind::kRevoke ||
                            facts.kind == RequestKind::kRetire;
  return hostile_kind && facts.requester_ref.kind != ActorRef::Kind::kTldManager;
}

class ContactConfirmation final : public Primitive {
 public:
  explicit ContactConfirmation(Config config) : config_(config) {}
  std::string_view name() const noexcept override { return "contact-confirmation"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    if (!changes_zone(ctx.facts.kind)) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNotApplicable;
      return d;
    }
    d.actor = ActorRef{ActorRef::Kind::kTldManager, 0};
    const bool against = adverse(ctx.facts);
    const double p = against ? config_.adverse_consent_probability : config_.confirm_probability;
    const ChoiceResult c = ctx.behaviour.choose(d.actor, ctx.facts, p, ctx.rng);
    d.injection = c.injection;
    if (c.choice == Choice::kYes) {
      d.reason = ReasonCode::kContactsConfirmed;
    } else if (against && config_.revocation_exception && ctx.facts.persistent_problems) {
      d.reason = ReasonCode::kRevocationConditionsMet;
    } else if (against) {
      d.outcome = StepOutcome::kRejected;
      d.reason = ReasonCode::kContactsDeclined;
    } else {
      d.outcome = StepOutcome::kNoDecision;  // the contacts did not answer
      d.reason = ReasonCode::kWithheld;
    }
    return d;
  }

  StageStructure structure(const StructureQuery& query, const ActorDirectory&) const override {
    StageStructure s;
    s.applicable = changes_zone(query.kind);
    s.sole_passers = {"@tld-manager"};
    s.blockers = {"@tld-manager"};
    s.participants = {"@tld-manager"};
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_contact_confirmation(const nlohmann::json& params, const std::string& pointer,
                               const ParseContext&) {
  auto config = parse_config(params, pointer);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<ContactConfirmation>(*config));
}

}  // namespace rootsim::policy::primitives
