#include "rootsim/dns/random.hpp"

#include "policy_fixture.hpp"
#include "registry_fixtures.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace rootsim::policy {
namespace {

using testing::actor;
using testing::builtin;
using testing::directory;
using testing::facts;

bool has_step(const Trace& t, ReasonCode reason) {
  return std::any_of(t.steps.begin(), t.steps.end(),
                     [&](const TraceStep& s) { return s.reason == reason; });
}

TEST(Evaluator, RoutineNsUpdateThroughMultistakeholderIsPublished) {
  const Circumstances none;
  Evaluator engine(builtin("multistakeholder"), directory(), none);
  auto rng = make_stream(7, "governance");
  const RequestFacts f = facts(RequestKind::kNsUpdate, "cz", "CZ", "manager:cz");
  const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
  ASSERT_EQ(t.outcome, FinalOutcome::kPublished)
      << trace_to_json(t, engine.arrangement(), f, directory());
  ASSERT_EQ(t.steps.size(), 4U);
  EXPECT_EQ(t.steps[0].reason, ReasonCode::kChecksPassed);
  EXPECT_EQ(t.steps[1].reason, ReasonCode::kContactsConfirmed);
  EXPECT_EQ(t.steps[3].reason, ReasonCode::kPublished);
  for (std::size_t i = 1; i < t.steps.size(); ++i) {
    EXPECT_EQ(t.steps[i].start, t.steps[i - 1].end);
    EXPECT_GE(t.steps[i].end, t.steps[i].start);
  }
  // Publication lands on a slot of 2.5 a day.
  EXPECT_EQ(t.decided_at.count() % dns::sim_days(0.4).count(), 0);
  const auto json = nlohmann::json::parse(trace_to_json(t, engine.arrangement(), f, directory()));
  EXPECT_EQ(json.at("outcome"), "published");
  EXPECT_EQ(json.at("steps").at(1).at("actor"), "manager:cz");
  EXPECT_EQ(json.at("steps").at(0).at("actor"), "iana");
}

TEST(Evaluator, SameSeedGivesTheSameTrace) {
  const Circumstances none;
  for (const auto& name : builtin_arrangement_names()) {
    Evaluator a(builtin(name), directory(), none);
    Evaluator b(builtin(name), directory(), none);
    auto r1 = make_stream(99, name);
    auto r2 = make_stream(99, name);
    const RequestFacts f = facts(RequestKind::kTransfer, "de", "DE", "gov:DE");
    for (int i = 0; i < 50; ++i) {
      const dns::SimTime start = dns::sim_days(i);
      const Trace t1 = a.decide(f, start, r1);
      const Trace& t2 = b.decide(f, start, r2);
      ASSERT_EQ(t1.steps, t2.steps) << name;
      ASSERT_EQ(t1.outcome, t2.outcome);
      ASSERT_EQ(t1.decided_at, t2.decided_at);
    }
  }
}

TEST(Evaluator, FailedChecksAreNeverPublishedWithoutAnOverride) {
  const Circumstances none;
  Evaluator engine(builtin("multistakeholder"), directory(), none);
  auto rng = make_stream(1, "t");
  RequestFacts f = facts(RequestKind::kNsUpdate, "cz", "CZ", "manager:cz");
  f.checks_passed = false;
  f.check_errors = 1;
  const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
  EXPECT_EQ(t.outcome, FinalOutcome::kRejected);
  EXPECT_EQ(t.reason, ReasonCode::kChecksFailed);
  EXPECT_EQ(t.steps.size(), 1U);
}

TEST(Evaluator, AnExplicitOverrideIsHonouredAndMarked) {
  auto doc = nlohmann::json::parse(R"({
    "schema": 1, "name": "override", "description": "d", "sources": ["s"],
    "stages": {
      "checks": {"primitive": "technical-check", "delay": {"distribution": "fixed", "days": 0},
                 "params": {"actor": "iana", "override_by": "board"}},
      "publish": {"primitive": "publication", "delay": {"distribution": "fixed", "days": 0},
                  "params": {"actor": "rzm"}}},
    "pipelines": {"default": ["checks", "publish"]}})");
  auto a = arrangement_from_json(doc, "", testing::catalog(), directory());
  ASSERT_TRUE(a) << a.error().message;
  const Circumstances none;
  Evaluator engine(*a, directory(), none);
  auto rng = make_stream(1, "t");
  RequestFacts f = facts(RequestKind::kNsUpdate, "cz", "CZ", "manager:cz");
  f.checks_passed = false;
  const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
  EXPECT_EQ(t.outcome, FinalOutcome::kPublished);
  EXPECT_TRUE(t.checks_overridden);
  EXPECT_EQ(t.steps[0].reason, ReasonCode::kCheckOverridden);
  EXPECT_EQ(t.steps[0].actor.index, actor("board"));
}

TEST(Evaluator, OversightDirectedRevocationSkipsContactsAndIsPublished) {
  const Circumstances none;
  Evaluator engine(builtin("unilateral-oversight"), directory(), none);
  int published = 0;
  auto rng = make_stream(3, "t");
  for (int i = 0; i < 200; ++i) {
    const RequestFacts f = facts(RequestKind::kRevoke, "ir", "IR", "oversight");
    const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
    EXPECT_TRUE(has_step(t, ReasonCode::kBypassed));
    EXPECT_FALSE(has_step(t, ReasonCode::kContactsConfirmed));
    published += t.outcome == FinalOutcome::kPublished ? 1 : 0;
  }
  EXPECT_GT(published, 190);  // only the oversight authority's own (near-certain) approval
}

TEST(Evaluator, SovereigntyRefusesForeignRemovalEvenWhenForced) {
  Circumstances c;
  c.failures.push_back(
      {FailureKind::kInterference, {actor("gov:US")}, {}, InterferenceMode::kForce, std::nullopt});
  Evaluator engine(builtin("cctld-sovereignty"), directory(), c);
  auto rng = make_stream(5, "t");
  int published = 0;
  for (int i = 0; i < 500; ++i) {
    const RequestFacts f = facts(RequestKind::kRevoke, "ir", "IR", "gov:US");
    const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
    if (t.outcome == FinalOutcome::kPublished) {
      ++published;
      EXPECT_TRUE(has_step(t, ReasonCode::kLocalDecision));  // Iran itself agreed
    }
    for (const TraceStep& s : t.steps) {
      EXPECT_NE(s.injection, Injection::kInterference);  // the US has no role to interfere in
    }
  }
  EXPECT_LT(published, 30);  // foreign_request_probability 0.02
}

TEST(Evaluator, InjectedFailuresAreMarkedInTheTrace) {
  {
    Circumstances c;  // the oversight authority withholds authorization of Iran's changes
    c.failures.push_back({FailureKind::kInterference,
                          {actor("oversight")},
                          {},
                          InterferenceMode::kWithhold,
                          std::string("ir")});
    Evaluator engine(builtin("unilateral-oversight"), directory(), c);
    auto rng = make_stream(5, "t");
    const Trace& t = engine.decide(facts(RequestKind::kNsUpdate, "ir", "IR", "manager:ir"),
                                   dns::SimTime{0}, rng);
    if (t.outcome != FinalOutcome::kTimedOut || t.steps.size() < 3) {
      EXPECT_EQ(t.outcome, FinalOutcome::kPending);
      EXPECT_EQ(t.steps.back().injection, Injection::kInterference);
      EXPECT_EQ(t.steps.back().reason, ReasonCode::kWithheld);
    }
  }
  {
    Circumstances c;  // the board is captured by Germany
    c.failures.push_back({FailureKind::kCapture,
                          {actor("board")},
                          actor("gov:DE"),
                          InterferenceMode::kForce,
                          std::nullopt});
    Evaluator engine(builtin("multistakeholder"), directory(), c);
    auto rng = make_stream(5, "t");
    RequestFacts f = facts(RequestKind::kTransfer, "de", "DE", "gov:FR");
    bool marked = false;
    for (int i = 0; i < 100 && !marked; ++i) {
      const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
      for (const TraceStep& s : t.steps) {
        if (s.injection == Injection::kCapture) {
          marked = true;
          EXPECT_EQ(s.outcome, StepOutcome::kRejected);  // against the captor's ccTLD
        }
      }
      EXPECT_NE(t.outcome, FinalOutcome::kPublished);
    }
    EXPECT_TRUE(marked);
  }
  {
    Circumstances c;  // a third of the plenary blocks every two-thirds vote
    std::vector<ActorIndex> coalition;
    for (std::size_t i = 0; i < directory().governments().size(); i += 3) {
      coalition.push_back(directory().governments()[i]);
    }
    c.failures.push_back({FailureKind::kDeadlock, coalition, {}, InterferenceMode::kForce, {}});
    Evaluator engine(builtin("intergovernmental"), directory(), c);
    auto rng = make_stream(5, "t");
    for (int i = 0; i < 20; ++i) {
      const Trace& t =
          engine.decide(facts(RequestKind::kDelegate, "zz", "", "gov:BR"), dns::SimTime{0}, rng);
      ASSERT_FALSE(t.steps.empty());
      if (t.steps.size() >= 3) {
        const TraceStep& vote = t.steps[2];
        EXPECT_EQ(vote.injection, Injection::kDeadlock);
        EXPECT_GE(vote.tally.no, coalition.size());
        EXPECT_EQ(vote.outcome, StepOutcome::kRejected);
      }
    }
  }
}

TEST(Evaluator, PrincipleChangesNeedConsensusAndCanDeadlock) {
  Circumstances c;
  c.failures.push_back(
      {FailureKind::kDeadlock, {actor("gov:CN")}, {}, InterferenceMode::kForce, {}});
  Evaluator engine(builtin("enhanced-cooperation"), directory(), c);
  auto rng = make_stream(5, "t");
  auto f = governance_request_from_json(
      nlohmann::json{{"type", "principle-change"}, {"requester", "gov:BR"}}, "", directory());
  ASSERT_TRUE(f) << f.error().message;
  const Trace& t = engine.decide(*f, dns::SimTime{0}, rng);
  EXPECT_EQ(t.outcome, FinalOutcome::kPending);
  EXPECT_EQ(t.steps.back().reason, ReasonCode::kObjectionsExceeded);
  EXPECT_EQ(t.steps.back().injection, Injection::kDeadlock);
  // Routine technical changes pass unhindered by the deadlock.
  const Trace& r =
      engine.decide(facts(RequestKind::kDsUpdate, "cn", "CN", "manager:cn"), dns::SimTime{0}, rng);
  EXPECT_NE(r.outcome, FinalOutcome::kPending);
}

TEST(Evaluator, OperatorServingAModifiedZoneFailsReviewAndCanBeRemoved) {
  Circumstances c;
  c.failures.push_back({FailureKind::kModifiedZone,
                        {actor("rso:wide")},
                        actor("gov:JP"),
                        InterferenceMode::kForce,
                        std::string("tw")});
  Evaluator engine(builtin("rssac037"), directory(), c);
  auto rng = make_stream(5, "t");
  auto removal = governance_request_from_json(
      nlohmann::json{{"type", "rso-removal"}, {"requester", "rss-gb"}, {"operator", "rso:wide"}},
      "", directory());
  ASSERT_TRUE(removal) << removal.error().message;
  const Trace& t = engine.decide(*removal, dns::SimTime{0}, rng);
  ASSERT_FALSE(t.steps.empty());
  EXPECT_EQ(t.steps[0].reason, ReasonCode::kThresholdsMissed);
  EXPECT_EQ(t.steps[0].outcome, StepOutcome::kApproved);
  auto healthy = governance_request_from_json(
      nlohmann::json{{"type", "rso-removal"}, {"requester", "rss-gb"}, {"operator", "rso:ripe"}},
      "", directory());
  const Trace& h = engine.decide(*healthy, dns::SimTime{0}, rng);
  EXPECT_EQ(h.outcome, FinalOutcome::kRejected);
  EXPECT_EQ(h.reason, ReasonCode::kThresholdsMet);
}

TEST(Evaluator, UnilateralOversightLeadTimesMatchIanaReports) {
  // IANA 2013-2016: median 5.5 days end to end, 90th percentile 12 days (issue 6 holds the
  // scenario to +-20%; the arrangement alone must land well inside that).
  const Circumstances none;
  Evaluator engine(builtin("unilateral-oversight"), directory(), none);
  auto rng = make_stream(2016, "calibration");
  std::vector<double> days;
  for (int i = 0; i < 20000; ++i) {
    const RequestFacts f = facts(i % 2 == 0 ? RequestKind::kNsUpdate : RequestKind::kDsUpdate, "cz",
                                 "CZ", "manager:cz");
    const dns::SimTime start = dns::sim_days(static_cast<double>(i % 365));
    const Trace& t = engine.decide(f, start, rng);
    if (t.outcome == FinalOutcome::kPublished) {
      days.push_back(dns::to_days(t.decided_at - start));
    }
  }
  std::sort(days.begin(), days.end());
  const double median = days[days.size() / 2];
  const double p90 = days[days.size() * 9 / 10];
  EXPECT_NEAR(median, 5.5, 0.5) << "p90 " << p90;
  EXPECT_NEAR(p90, 12.0, 1.2) << "median " << median;
}

TEST(Assess, RunsTheTechnicalChecksOnThePlannedResult) {
  const registry::RegistryState state = rootsim::testing::small_registry();
  const Circumstances none;
  auto good = registry::parse_change_request(
      R"({"type":"ds-update","tld":"cz","requester":"manager:cz","ds":[{"key_tag":20237,
          "algorithm":13,"digest_type":2,
          "digest":"CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2"}]})");
  ASSERT_TRUE(good) << good.error().message;
  auto f = assess(*good, state, directory(), none);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_TRUE(f->checks_passed);
  EXPECT_EQ(f->tld, "cz");
  EXPECT_EQ(f->tld_class, TldClass::kCountryCode);
  EXPECT_EQ(f->tld_government, actor("gov:CZ"));
  EXPECT_EQ(f->requester_ref.kind, ActorRef::Kind::kTldManager);
  auto one_ns = registry::parse_change_request(
      R"({"type":"ns-update","tld":"cz","requester":"gov:CZ","ns":["a.ns.nic.cz"]})");
  ASSERT_TRUE(one_ns);
  auto g = assess(*one_ns, state, directory(), none);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_FALSE(g->checks_passed);  // fewer than two name servers
  EXPECT_EQ(g->requester_country, "CZ");
  auto unknown = registry::parse_change_request(
      R"({"type":"ds-update","tld":"cz","requester":"gov:XX","ds":[]})");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(assess(*unknown, state, directory(), none));
}

TEST(Circumstances, ParseStrictlyWithPointers) {
  auto ok = parse_circumstances(R"({"failures":[{"kind":"capture","actor":"board","party":"gov:US"},
      {"kind":"deadlock","coalition":["gov:CN","gov:RU"]},
      {"kind":"interference","actor":"gov:US","mode":"withhold","tld":"ir"},
      {"kind":"collusion","actors":["gov:FR","gov:DE"]},
      {"kind":"modified-zone","operator":"rso:isc","ordered_by":"gov:US","tld":"ir"}],
      "interests":[{"actor":"gov:FR","country":"DE","stance":"support"}],
      "persistent_problems":["xx"]})",
                                directory());
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->failures.size(), 5U);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"failures":[{"kind":"bribe"}]})", "/failures/0/kind: unknown failure 'bribe'"},
      {R"({"failures":[{"kind":"capture","actor":"gov:XX","party":"gov:US"}]})",
       "/failures/0/actor: unknown actor 'gov:XX'"},
      {R"({"failures":[{"kind":"collusion","actors":["gov:FR"]}]})",
       "/failures/0/actors: expected 2 actor ids"},
      {R"({"failures":[{"kind":"modified-zone","operator":"gov:US","ordered_by":"gov:US","tld":"ir"}]})",
       "/failures/0/operator: not a root server operator"},
      {R"({"interests":[{"actor":"gov:FR","stance":"love","tld":"de"}]})",
       "/interests/0/stance: expected \"support\" or \"oppose\""},
      {R"({"weather":1})", "/weather: unknown key"},
  };
  for (const auto& [text, error] : bad) {
    auto c = parse_circumstances(text, directory());
    ASSERT_FALSE(c) << text;
    EXPECT_EQ(c.error().message.rfind(error, 0), 0U) << c.error().message;
  }
}

}  // namespace
}  // namespace rootsim::policy

#include "rootsim/policy/idn_panel.hpp"

namespace rootsim::policy {
namespace {

TEST(IdnPanelReview, TheSimilarityPanelDecidesReviewPanelStages) {
  auto classifier = registry::TldClassifier::load();
  ASSERT_TRUE(classifier) << classifier.error().message;
  const registry::RegistryState state = rootsim::testing::small_registry();
  auto panel = IdnPanelReview::create(state, *classifier, rootsim::testing::project_data() / "idn");
  ASSERT_TRUE(panel) << panel.error().message;
  // Cyrillic "ру" is confusable with Paraguay's code PY; Cyrillic "рф" is not confusable.
  EXPECT_EQ((*panel)->verdict("xn--p1ag", "fip-2019"), ReviewVerdict::kReject);
  EXPECT_NE((*panel)->verdict("xn--p1ai", "fip-2019"), ReviewVerdict::kReject);
  EXPECT_EQ((*panel)->verdict("xn--p1ai", "no-such-rules"), ReviewVerdict::kReject);
  // Wired into the engine: multistakeholder's idn-panel stage rejects the confusable string.
  const Circumstances none;
  Evaluator engine(builtin("multistakeholder"), directory(), none,
                   {.epoch_unix_seconds = 0, .review = panel->get()});
  auto rng = make_stream(1, "panel");
  const RequestFacts f = facts(RequestKind::kDelegate, "xn--p1ag", "", "manager:xn--p1ag");
  const Trace& t = engine.decide(f, dns::SimTime{0}, rng);
  EXPECT_EQ(t.outcome, FinalOutcome::kRejected);
  EXPECT_EQ(t.reason, ReasonCode::kPanelRejected);
}

}  // namespace
}  // namespace rootsim::policy
