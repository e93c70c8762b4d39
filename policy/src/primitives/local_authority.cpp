// local-authority: only the TLD's own country decides (Tunis Agenda para 63; GAC principles 2005
// §7.1): its government, or its local internet community (the manager) where the arrangement
// says so or the code has no government in ISO 3166-1 (.eu, .su, .ac). Not applicable to gTLDs.
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  bool government = true;  ///< false: the local internet community (the manager)
  double approve_probability = 0.97;
  double foreign_request_probability = 0.02;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto authority = object.string("authority");
  config.approve_probability = probability(object, "approve_probability", 0.97);
  config.foreign_request_probability = probability(object, "foreign_request_probability", 0.02);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  if (*authority == "government") {
    config.government = true;
  } else if (*authority == "local-community") {
    config.government = false;
  } else {
    return fail(Errc::kParse,
                object.pointer_of("authority") + ": expected government or local-community");
  }
  return config;
}

class LocalAuthority final : public Primitive {
 public:
  explicit LocalAuthority(Config config) : config_(config) {}
  std::string_view name() const noexcept override { return "local-authority"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    const RequestFacts& f = ctx.facts;
    if (f.tld_class != TldClass::kCountryCode) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNotApplicable;
      return d;
    }
    d.actor = config_.government && f.tld_government
                  ? ActorRef{ActorRef::Kind::kDirectory, *f.tld_government}
                  : ActorRef{ActorRef::Kind::kTldManager, 0};
    const bool foreign = f.requester_country.has_value() && f.requester_country != f.country;
    const double p = foreign ? config_.foreign_request_probability : config_.approve_probability;
    const ChoiceResult c = ctx.behaviour.choose(d.actor, f, p, ctx.rng);
    d.injection = c.injection;
    if (c.choice == Choice::kYes) {
      d.reason = ReasonCode::kLocalDecision;
    } else if (c.choice == Choice::kNo) {
      d.outcome = StepOutcome::kRejected;
      d.reason = ReasonCode::kLocalRefusal;
    } else {
      d.outcome = StepOutcome::kNoDecision;
      d.reason = ReasonCode::kWithheld;
    }
    return d;
  }

  StageStructure structure(const StructureQuery& query, const ActorDirectory&) const override {
    StageStructure s;
    s.applicable = query.tld_class == TldClass::kCountryCode;
    const std::string who = config_.government ? "@tld-government" : "@tld-manager";
    s.sole_passers = {who};
    s.blockers = {who};
    s.participants = {who};
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_local_authority(const nlohmann::json& params, const std::string& pointer,
                          const ParseContext&) {
  auto config = parse_config(params, pointer);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<LocalAuthority>(*config));
}

}  // namespace rootsim::policy::primitives
