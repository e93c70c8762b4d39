// veto: each holder may veto the request; one veto rejects it. Holders may be roles
// ("@tld-government"); a role that does not apply to the request has no veto.
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  std::vector<Party> holders;
  double veto_probability = 0.01;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto holders = object.string_list("holders");
  config.veto_probability = probability(object, "veto_probability", 0.01);
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  if (holders->empty()) {
    return fail(Errc::kParse, object.pointer_of("holders") + ": names nobody");
  }
  for (std::size_t i = 0; i < holders->size(); ++i) {
    auto party = parse_party((*holders)[i], object.pointer_of("holders") + "/" + std::to_string(i),
                             context.actors, true);
    if (!party) {
      return fail(party.error());
    }
    config.holders.push_back(*party);
  }
  return config;
}

class Veto final : public Primitive {
 public:
  explicit Veto(Config config) : config_(std::move(config)) {}
  std::string_view name() const noexcept override { return "veto"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    d.reason = ReasonCode::kNoVeto;
    for (const Party& holder : config_.holders) {
      const ActorRef ref = holder.resolve(ctx.facts);
      if (ref.kind == ActorRef::Kind::kNone) {
        continue;
      }
      if (d.actor.kind == ActorRef::Kind::kNone) {
        d.actor = ref;
      }
      const ChoiceResult c =
          ctx.behaviour.choose(ref, ctx.facts, 1.0 - config_.veto_probability, ctx.rng);
      if (c.choice == Choice::kNo) {
        ++d.tally.no;
        return {StepOutcome::kRejected, ReasonCode::kVetoed, ref, c.injection, d.tally, {}};
      }
      ++d.tally.yes;
    }
    return d;
  }

  StageStructure structure(const StructureQuery&, const ActorDirectory& actors) const override {
    StageStructure s;
    for (const Party& holder : config_.holders) {
      s.participants.push_back(holder.id(actors));
    }
    s.blockers = s.participants;
    if (s.participants.size() == 1) {
      s.sole_passers = s.participants;
    }
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_veto(const nlohmann::json& params, const std::string& pointer,
               const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<Veto>(std::move(*config)));
}

}  // namespace rootsim::policy::primitives
