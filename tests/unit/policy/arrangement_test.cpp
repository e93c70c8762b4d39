#include "rootsim/dns/random.hpp"

#include "policy_fixture.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace rootsim::policy {
namespace {

using testing::catalog;
using testing::directory;

nlohmann::json minimal() {
  return nlohmann::json::parse(R"({
    "schema": 1, "name": "mini", "description": "a test", "sources": ["none"],
    "stages": {
      "checks": {"primitive": "technical-check", "delay": {"distribution": "fixed", "days": 0},
                 "params": {"actor": "iana"}},
      "approve": {"primitive": "single-approver",
                  "delay": {"distribution": "exponential", "mean_days": 2},
                  "params": {"actor": "board"}},
      "publish": {"primitive": "publication", "delay": {"distribution": "fixed", "days": 0},
                  "params": {"actor": "rzm"}}
    },
    "pipelines": {"default": ["checks", "approve", "publish"]}
  })");
}

std::string error_of(const nlohmann::json& doc) {
  auto a = parse_arrangement(doc.dump(), "t.json", catalog(), directory());
  return a ? std::string("(parsed)") : a.error().message;
}

TEST(Arrangement, TheSixBuiltInsParse) {
  ASSERT_EQ(builtin_arrangement_names().size(), 6U);
  for (const auto& name : builtin_arrangement_names()) {
    auto a = load_arrangement(name, catalog(), directory());
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->name, name);
    EXPECT_GT(a->description.size(), 200U) << name;
    EXPECT_FALSE(a->sources.empty());
    for (const RequestKind k : {RequestKind::kNsUpdate, RequestKind::kRevoke}) {
      EXPECT_NE(a->pipeline(k, TldClass::kCountryCode), nullptr) << name;
      EXPECT_NE(a->pipeline(k, TldClass::kGeneric), nullptr) << name;
    }
  }
}

TEST(Arrangement, SpecificPipelinesWinOverGeneralOnes) {
  const Arrangement& a = testing::builtin("multistakeholder");
  EXPECT_EQ(a.pipeline(RequestKind::kTransfer, TldClass::kCountryCode)->key, "cctld/transfer");
  EXPECT_EQ(a.pipeline(RequestKind::kTransfer, TldClass::kGeneric)->key, "gtld/transfer");
  EXPECT_EQ(a.pipeline(RequestKind::kNsUpdate, TldClass::kCountryCode)->key, "default");
  EXPECT_EQ(a.pipeline(RequestKind::kPrincipleChange, TldClass::kNone), nullptr);
  const Arrangement& e = testing::builtin("enhanced-cooperation");
  EXPECT_EQ(e.pipeline(RequestKind::kPrincipleChange, TldClass::kNone)->key, "principle-change");
}

TEST(Arrangement, MinimalDocumentParses) { EXPECT_EQ(error_of(minimal()), "(parsed)"); }

TEST(Arrangement, ErrorsNameTheJsonPointer) {
  struct Case {
    std::string patch;  // a JSON Patch (RFC 6902) applied to the minimal document
    std::string error;
  };
  const std::vector<Case> cases = {
      {R"([{"op":"add","path":"/colour","value":1}])", "t.json: /colour: unknown key"},
      {R"([{"op":"remove","path":"/sources"}])", "t.json: /sources: missing"},
      {R"([{"op":"replace","path":"/schema","value":2}])",
       "t.json: /schema: this version reads schema 1"},
      {R"([{"op":"replace","path":"/stages/approve/primitive","value":"coin"}])",
       "t.json: /stages/approve/primitive: unknown primitive 'coin'"},
      {R"([{"op":"replace","path":"/stages/approve/params/actor","value":"gov:XX"}])",
       "t.json: /stages/approve/params/actor: unknown actor 'gov:XX'"},
      {R"([{"op":"add","path":"/stages/approve/params/when","value":1}])",
       "t.json: /stages/approve/params/when: unknown key"},
      {R"([{"op":"replace","path":"/pipelines/default/1","value":"vote"}])",
       "t.json: /pipelines/default/1: unknown stage \"vote\""},
      {R"([{"op":"replace","path":"/pipelines/default","value":["checks","approve"]}])",
       "t.json: /pipelines/default: a pipeline for ns-update requests must end with a publication "
       "stage"},
      {R"([{"op":"replace","path":"/pipelines/default","value":["checks","publish","approve"]}])",
       "t.json: /pipelines/default/1: publication must come last"},
      {R"([{"op":"add","path":"/pipelines/dns-update","value":["publish"]}])",
       "t.json: /pipelines/dns-update: not default, a request type"},
      {R"([{"op":"replace","path":"/stages/approve/delay","value":{"distribution":"lognormal","median_days":3,"p90_days":2}}])",
       "t.json: /stages/approve/delay/p90_days: must not be below median_days"},
      {R"([{"op":"replace","path":"/stages/approve/delay/mean_days","value":-1}])",
       "t.json: /stages/approve/delay/mean_days: must be in (0, 3660] days"},
      {R"([{"op":"add","path":"/stages/approve/on_timeout","value":"approve"}])",
       "t.json: /stages/approve/on_timeout: needs timeout_days"},
      {R"([{"op":"add","path":"/stages/vote","value":{"primitive":"vote","delay":{"distribution":"fixed","days":1},"params":{"body":"sg:governments","electorate":"gov:*","quorum":0.5,"threshold":1.5}}}])",
       "t.json: /stages/vote/params/threshold: must be in (0, 1]"},
      {R"([{"op":"add","path":"/stages/vote","value":{"primitive":"vote","delay":{"distribution":"fixed","days":1},"params":{"body":"sg:governments","electorate":[],"quorum":0.5,"threshold":0.5}}}])",
       "t.json: /stages/vote/params/electorate: names nobody"},
      {R"([{"op":"add","path":"/stages/agree","value":{"primitive":"consensus","delay":{"distribution":"fixed","days":1},"params":{"body":"gac","participants":["gac","alac"],"max_objections":2}}}])",
       "t.json: /stages/agree/params/max_objections: must be less than the number of participants"},
      {R"([{"op":"add","path":"/stages/approve/params/approve_probability","value":1.2}])",
       "t.json: /stages/approve/params/approve_probability: a probability must be in [0, 1]"},
  };
  for (const Case& c : cases) {
    const nlohmann::json doc = minimal().patch(nlohmann::json::parse(c.patch));
    const std::string error = error_of(doc);
    EXPECT_EQ(error.rfind(c.error, 0), 0U) << c.patch << "\n  got: " << error;
  }
}

TEST(Arrangement, EscalationCyclesAreRefused) {
  nlohmann::json doc = minimal();
  doc["stages"]["appeal-a"] = {
      {"primitive", "appeal"},
      {"delay", {{"distribution", "fixed"}, {"days", 1}}},
      {"params", {{"body", "appeal-b"}, {"trigger", "on-rejection"}, {"by", "@requester"}}}};
  doc["stages"]["appeal-b"] = doc["stages"]["appeal-a"];
  doc["stages"]["appeal-b"]["params"]["body"] = "appeal-a";
  EXPECT_EQ(error_of(doc),
            "t.json: /stages/appeal-b: escalation cycle appeal-a -> appeal-b -> appeal-a");
  doc["stages"]["appeal-b"]["params"]["body"] = "approve";
  EXPECT_EQ(error_of(doc), "(parsed)");
  // A timeout that escalates back into the stage that escalated to it is a cycle too.
  doc["stages"]["approve"]["timeout_days"] = 10;
  doc["stages"]["approve"]["on_timeout"] = "escalate";
  doc["stages"]["approve"]["escalate_to"] = "appeal-a";
  EXPECT_NE(error_of(doc).find("escalation cycle"), std::string::npos) << error_of(doc);
}

TEST(Arrangement, MalformedJsonIsAnErrorAtTheRoot) {
  auto a = parse_arrangement("{\"schema\": 1,", "bad.json", catalog(), directory());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message, "bad.json: /: not valid JSON");
  EXPECT_EQ(a.error().code, Errc::kParse);
}

TEST(Delay, ClosedFormMeansMatchSampleMeans) {
  std::vector<Delay> delays(5);
  delays[0].kind = DelayKind::kLognormal;
  delays[0].days = 1.0;
  delays[0].sigma = std::log(12.0) / 1.2815515655446004;
  delays[1] = delays[0];
  delays[1].max_days = 4.0;
  delays[2].kind = DelayKind::kExponential;
  delays[2].days = 3.0;
  delays[2].max_days = 2.0;
  delays[3].kind = DelayKind::kEmpirical;
  delays[3].values = {1, 2, 9};
  delays[4].kind = DelayKind::kFixed;
  delays[4].days = 0.5;
  auto rng = make_stream(11, "delay");
  for (const Delay& d : delays) {
    double sum = 0;
    constexpr int kDraws = 400000;
    for (int i = 0; i < kDraws; ++i) {
      sum += d.sample_days(rng);
    }
    const double mean = sum / kDraws;
    EXPECT_NEAR(mean, d.expected_days(), 0.02 * d.expected_days() + 1e-9)
        << static_cast<int>(d.kind);
  }
  // The lognormal's median and 90th percentile are what the parameters say.
  std::vector<double> draws;
  for (int i = 0; i < 100001; ++i) {
    draws.push_back(delays[0].sample_days(rng));
  }
  std::sort(draws.begin(), draws.end());
  EXPECT_NEAR(draws[50000], 1.0, 0.03);
  EXPECT_NEAR(draws[90000], 12.0, 0.4);
}

TEST(Delay, BusinessTimeSkipsWeekends) {
  using dns::kSimDay;
  using dns::kSimHour;
  // Epoch 1970-01-01 is a Thursday. One business day from Thursday noon ends Friday noon;
  // two end Monday noon; five end the next Thursday noon; a start on Saturday counts from Monday.
  const dns::SimTime thu_noon = 12 * kSimHour;
  EXPECT_EQ(add_business_time(thu_noon, kSimDay, 0), thu_noon + kSimDay);
  EXPECT_EQ(add_business_time(thu_noon, 2 * kSimDay, 0), thu_noon + 4 * kSimDay);
  EXPECT_EQ(add_business_time(thu_noon, 5 * kSimDay, 0), thu_noon + 7 * kSimDay);
  EXPECT_EQ(add_business_time(2 * kSimDay + kSimHour, kSimHour, 0), 4 * kSimDay + kSimHour);
  EXPECT_EQ(add_business_time(thu_noon, dns::SimTime{0}, 0), thu_noon);
  // The epoch's weekday matters: 2026-08-01 is a Saturday.
  EXPECT_EQ(add_business_time(dns::SimTime{0}, kSimHour, 1785542400), 2 * kSimDay + kSimHour);
}

}  // namespace
}  // namespace rootsim::policy

namespace rootsim::policy {
namespace {

TEST(ArrangementSchema, NamesEveryPrimitiveOfTheCatalog) {
  std::ifstream in(rootsim::testing::project_data().parent_path() / "policy" /
                   "arrangement.schema.json");
  ASSERT_TRUE(in);
  const auto schema = nlohmann::json::parse(in);
  std::vector<std::string> in_schema;
  for (const auto& [name, params] : schema.at("$defs").at("params").items()) {
    in_schema.push_back(name);
    EXPECT_EQ(params.at("additionalProperties"), false) << name;
  }
  EXPECT_EQ(in_schema, testing::catalog().names());
}

}  // namespace
}  // namespace rootsim::policy
