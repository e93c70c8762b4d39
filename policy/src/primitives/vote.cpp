// vote: an electorate votes on the request: one member one vote or weighted by population or
// GDP (CLDR). "decides": "approval" needs yes >= threshold of the votes cast (and more yes than
// no) with turnout >= quorum; "rejection" (a power to overturn) rejects only when the members
// voting no reach the threshold of the whole electorate. Meetings on a cadence: a vote waits
// for the next one.
#include "rootsim/dns/random.hpp"

#include "common.hpp"

#include <cmath>

namespace rootsim::policy::primitives {
namespace {

enum class Decides : std::uint8_t { kApproval, kRejection };

struct Config {
  ActorIndex body = 0;
  std::vector<ActorIndex> electorate;
  std::vector<double> weights;  ///< normalised to sum 1, parallel to electorate
  double quorum = 0.5;
  double threshold = 0.5;
  Decides decides = Decides::kApproval;
  double turnout_probability = 0.9;
  double yes_probability = 0.6;
  std::optional<double> meets_every_days;
};

Result<Config> parse_config(const nlohmann::json& params, const std::string& pointer,
                            const ParseContext& context) {
  json_fields::Object object(params, pointer);
  Config config;
  const auto body = object.string("body");
  const auto* electorate = object.member("electorate", true);
  const auto quorum = object.number("quorum");
  const auto threshold = object.number("threshold");
  const auto weighting = object.optional_string("weighting");
  const auto decides = object.optional_string("decides");
  config.turnout_probability = probability(object, "turnout_probability", 0.9);
  config.yes_probability = probability(object, "yes_probability", 0.6);
  config.meets_every_days = object.optional_number("meets_every_days");
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  auto b = context.actors.find(*body);
  if (!b) {
    return fail(Errc::kParse, object.pointer_of("body") + ": unknown actor '" + *body + "'");
  }
  config.body = *b;
  auto set = parse_actor_set(*electorate, object.pointer_of("electorate"), context.actors);
  if (!set) {
    return fail(set.error());
  }
  config.electorate = std::move(*set);
  if (!(*quorum >= 0.0 && *quorum <= 1.0)) {
    return fail(Errc::kParse, object.pointer_of("quorum") + ": must be in [0, 1]");
  }
  if (!(*threshold > 0.0 && *threshold <= 1.0)) {
    return fail(Errc::kParse, object.pointer_of("threshold") + ": must be in (0, 1]");
  }
  config.quorum = *quorum;
  config.threshold = *threshold;
  if (decides && *decides == "rejection") {
    config.decides = Decides::kRejection;
  } else if (decides && *decides != "approval") {
    return fail(Errc::kParse, object.pointer_of("decides") + ": expected approval or rejection");
  }
  if (config.meets_every_days &&
      !(*config.meets_every_days > 0.0 && *config.meets_every_days <= 3660.0)) {
    return fail(Errc::kParse, object.pointer_of("meets_every_days") + ": must be in (0, 3660]");
  }
  const std::string w = weighting.value_or("one-member-one-vote");
  double total = 0;
  for (const ActorIndex m : config.electorate) {
    const Actor& a = context.actors.actor(m);
    double weight = 1.0;
    if (w == "population") {
      weight = static_cast<double>(a.population);
    } else if (w == "gdp") {
      weight = a.gdp_ppp;
    } else if (w != "one-member-one-vote") {
      return fail(Errc::kParse, object.pointer_of("weighting") +
                                    ": expected one-member-one-vote, population or gdp");
    }
    config.weights.push_back(weight);
    total += weight;
  }
  if (!(total > 0.0)) {
    return fail(Errc::kParse, object.pointer_of("weighting") + ": the electorate has no weight");
  }
  for (double& weight : config.weights) {
    weight /= total;
  }
  // A vote nobody could ever carry (or, with decides=rejection, ever lose) is a mistake.
  if (config.decides == Decides::kApproval && config.quorum > 0.0 &&
      config.turnout_probability == 0.0) {
    return fail(Errc::kParse, object.pointer_of("turnout_probability") +
                                  ": with a quorum, nobody turning out makes the vote impossible");
  }
  return config;
}

std::uint16_t per_10k(double share) {
  return static_cast<std::uint16_t>(std::lround(std::clamp(share, 0.0, 1.0) * 10000.0));
}

class Vote final : public Primitive {
 public:
  explicit Vote(Config config) : config_(std::move(config)) {}
  std::string_view name() const noexcept override { return "vote"; }

  StageDecision decide(const StageContext& ctx) const override {
    StageDecision d;
    d.actor = ActorRef{ActorRef::Kind::kDirectory, config_.body};
    double yes = 0;
    double no = 0;
    auto count = [&](std::size_t i, ChoiceResult c) {
      if (c.injection != Injection::kNone && d.injection == Injection::kNone) {
        d.injection = c.injection;
      }
      if (c.choice == Choice::kYes) {
        yes += config_.weights[i];
        ++d.tally.yes;
      } else if (c.choice == Choice::kNo) {
        no += config_.weights[i];
        ++d.tally.no;
      } else {
        ++d.tally.abstain;
      }
    };
    auto member_choice = [&](ActorIndex member) {
      ChoiceResult c = ctx.behaviour.choose(ActorRef{ActorRef::Kind::kDirectory, member}, ctx.facts,
                                            config_.yes_probability, ctx.rng);
      if (c.injection == Injection::kNone && !bernoulli(ctx.rng, config_.turnout_probability)) {
        c.choice = Choice::kWithhold;
      }
      return c;
    };
    if (!ctx.behaviour.has_failures_or_interests()) {
      for (std::size_t i = 0; i < config_.electorate.size(); ++i) {
        count(i, member_choice(config_.electorate[i]));
      }
    } else {
      // Colluding followers copy their leader, so leaders choose first.
      std::vector<std::optional<ChoiceResult>> choices(config_.electorate.size());
      std::vector<std::pair<std::size_t, std::size_t>> followers;  // (follower, leader) positions
      for (std::size_t i = 0; i < config_.electorate.size(); ++i) {
        if (const auto leader = ctx.behaviour.collusion_leader(config_.electorate[i])) {
          const auto it =
              std::lower_bound(config_.electorate.begin(), config_.electorate.end(), *leader);
          if (it != config_.electorate.end() && *it == *leader) {
            followers.emplace_back(i, static_cast<std::size_t>(it - config_.electorate.begin()));
            continue;
          }
        }
        choices[i] = member_choice(config_.electorate[i]);
      }
      for (const auto& [f, l] : followers) {
        choices[f] = ChoiceResult{choices[l] ? choices[l]->choice : Choice::kWithhold,
                                  Injection::kCollusion};
      }
      for (std::size_t i = 0; i < choices.size(); ++i) {
        count(i, choices[i].value_or(ChoiceResult{Choice::kWithhold, Injection::kNone}));
      }
    }
    d.tally.yes_weight = per_10k(yes);
    d.tally.no_weight = per_10k(no);
    const double cast = yes + no;
    constexpr double kEps = 1e-12;
    if (config_.decides == Decides::kRejection) {
      const bool rejected = cast + kEps >= config_.quorum && no + kEps >= config_.threshold;
      d.outcome = rejected ? StepOutcome::kRejected : StepOutcome::kApproved;
      d.reason = rejected ? ReasonCode::kVoteFailed : ReasonCode::kVoteCarried;
      return d;
    }
    if (cast + kEps < config_.quorum || cast <= 0.0) {
      d.outcome = StepOutcome::kNoDecision;
      d.reason = ReasonCode::kQuorumNotMet;
      return d;
    }
    const bool carried = yes + kEps >= config_.threshold * cast && yes > no;
    d.outcome = carried ? StepOutcome::kApproved : StepOutcome::kRejected;
    d.reason = carried ? ReasonCode::kVoteCarried : ReasonCode::kVoteFailed;
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
    s.participants = ids_of(config_.electorate, actors);
    for (std::size_t i = 0; i < config_.electorate.size(); ++i) {
      const double w = config_.weights[i];
      const double others = 1.0 - w;
      bool passes_alone = false;
      bool blocks_alone = false;
      if (config_.decides == Decides::kApproval) {
        passes_alone = w >= config_.quorum && w >= config_.threshold && w > others;
        blocks_alone = !(others >= config_.threshold && others > w) || others < config_.quorum;
      } else {
        passes_alone = others < config_.threshold || others < config_.quorum;
        blocks_alone = w >= config_.threshold && w >= config_.quorum;
      }
      if (passes_alone) {
        s.sole_passers.push_back(actors.actor(config_.electorate[i]).id);
      }
      if (blocks_alone) {
        s.blockers.push_back(actors.actor(config_.electorate[i]).id);
      }
    }
    return s;
  }

 private:
  Config config_;
};

}  // namespace

Made make_vote(const nlohmann::json& params, const std::string& pointer,
               const ParseContext& context) {
  auto config = parse_config(params, pointer, context);
  if (!config) {
    return fail(config.error());
  }
  return std::shared_ptr<const Primitive>(std::make_shared<Vote>(std::move(*config)));
}

}  // namespace rootsim::policy::primitives
