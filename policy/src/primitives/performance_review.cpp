// performance-review: RSSAC037's performance monitoring and measurement function compares a
// root server operator's measurements with RSSAC047's thresholds (availability 96%, median
// latency 250 ms, publication latency 65 min) and whether it serves the legitimate zone. For a
// removal it approves when the operator misses them (the evidence supports removal); for a
// designation when the candidate meets them (no measurements: assumed to meet them).
#include "common.hpp"

namespace rootsim::policy::primitives {
namespace {

struct Config {
  ActorIndex actor = 0;
  double min_availability = 0.96;
  double max_median_latency_ms = 250;
  double max_publication_latency_min = 65;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto actor = object.string("actor");
  config.min_availability = probability(object, "min_availability", 0.96);
  const auto latency = object.optional_number("max_median_latency_ms");
  const auto publication = object.optional_number("max_publication_latency_min");
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto a = context.actors.find(*actor);
  if (!a) {
    return fail(Errc::kParse, object.pointer_of("actor") + ": unknown actor '" + *actor + "'");
  }
  config.actor = *a;
  if (latency && !(*latency > 0.0)) {
    return fail(Errc::kParse, object.pointer_of("max_median_latency_ms") + ": must be positive");
  }
  if (publication && !(*publication > 0.0)) {
    return fail(Errc::kParse,
                object.pointer_of("max_publication_latency_min") + ": must be positive");
  }
  config.max_median_latency_ms = latency.value_or(config.max_median_latency_ms);
  config.max_publication_latency_min = publication.value_or(config.max_publication_latency_min);
  return config;
}

class PerformanceReview final : public Primitive {
 public:
  explicit PerformanceReview(Config config) : config_(config) {}
  std::string_view name() const noexcept override { return "performance-review"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    const RequestKind kind = ctx.facts.kind;
    if (kind != RequestKind::kRsoRemoval && kind != RequestKind::kRsoDesignation) {
      d.outcome = StepOutcome::kSkipped;
      d.reason = ReasonCode::kNotApplicable;
      return d;
    }
    d.actor = ActorRef{ActorRef::Kind::kDirectory, config_.actor};
    const bool meets = meets_thresholds(ctx);
    const bool approve = kind == RequestKind::kRsoRemoval ? !meets : meets;
    d.outcome = approve ? StepOutcome::kApproved : StepOutcome::kRejected;
    d.reason = meets ? ReasonCode::kThresholdsMet : ReasonCode::kThresholdsMissed;
    return d;
  }

  StageStructure structure(const StructureQuery& query,
                           const ActorDirectory& actors) const override {
    StageStructure s;
    s.applicable =
        query.kind == RequestKind::kRsoRemoval || query.kind == RequestKind::kRsoDesignation;
    s.ministerial = true;
    s.participants = {actors.actor(config_.actor).id};
    return s;
  }

 private:
  bool meets_thresholds(const StageContext& ctx) const {
    if (!ctx.facts.subject_operator) {
      return true;
    }
    const ActorIndex rso = *ctx.facts.subject_operator;
    const Circumstances& c = ctx.behaviour.circumstances();
    for (const Failure& f : c.failures) {
      if (f.kind == FailureKind::kModifiedZone && f.actors.front() == rso) {
        return false;
      }
    }
    for (const OperatorPerformance& p : c.operators) {
      if (p.rso == rso) {
        return p.serves_legitimate_zone && p.availability >= config_.min_availability &&
               p.median_latency_ms <= config_.max_median_latency_ms &&
               p.publication_latency_min <= config_.max_publication_latency_min;
      }
    }
    return true;
  }

  Config config_;
};

}  // namespace

Made make_performance_review(const nlohmann::json& params, const std::string& pointer,
                             const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<PerformanceReview>(*config));
}

}  // namespace rootsim::policy::primitives
