// publication: the root zone maintainer implements the change and it goes out with the next
// scheduled publication (about 2.5 a day: slots every 24 h / publications_per_day from the
// epoch). The engine refuses to publish what failed the technical checks without an override.
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  Party actor;
  double publications_per_day = 2.5;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto actor = object.string("actor");
  const auto per_day = object.optional_number("publications_per_day");
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto party = parse_party(*actor, object.pointer_of("actor"), context.actors, false);
  if (!party) {
    return fail(party.error());
  }
  config.actor = *party;
  if (per_day) {
    if (!(*per_day > 0.0 && *per_day <= 1440.0)) {
      return fail(Errc::kParse,
                  object.pointer_of("publications_per_day") + ": must be in (0, 1440]");
    }
    config.publications_per_day = *per_day;
  }
  return config;
}

class Publication final : public Primitive {
 public:
  explicit Publication(Config config)
      : config_(config), period_(dns::sim_days(1.0 / config.publications_per_day)) {}
  std::string_view name() const noexcept override { return "publication"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    d.actor = config_.actor.resolve(ctx.facts);
    d.reason = ReasonCode::kPublished;
    return d;
  }

  dns::SimTime finish(dns::SimTime start, dns::SimTime delay) const override {
    const auto ready = (start + delay).count();
    const auto n = ready <= 0 ? 0 : (ready + period_.count() - 1) / period_.count();
    return dns::SimTime(n * period_.count());
  }
  double expected_wait_days() const override { return 0.5 / config_.publications_per_day; }
  bool publishes() const override { return true; }

  StageStructure structure(const StructureQuery& query,
                           const ActorDirectory& actors) const override {
    StageStructure s;
    s.applicable = changes_zone(query.kind);
    s.ministerial = true;
    s.participants = {config_.actor.id(actors)};
    return s;
  }

 private:
  Config config_;
  dns::SimTime period_;
};

}  // namespace

Made make_publication(const nlohmann::json& params, const std::string& pointer,
                      const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<Publication>(*config));
}

}  // namespace rootsim::policy::primitives
