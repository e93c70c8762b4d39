// The simulation end to end on a tiny scenario (12 days, 300 resolvers): identical results for
// any number of threads, a golden summary.json, values that hold by construction, cancellation,
// and the runner's checks against the world (unknown arrangements and TLDs by JSON pointer).
#include "rootsim/scenarios/output.hpp"
#include "rootsim/scenarios/results.hpp"
#include "rootsim/scenarios/runner.hpp"
#include "rootsim/scenarios/scenario.hpp"

#include "rootsim/dns/zone_file.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace rootsim::scenarios {
namespace {

constexpr std::string_view kSmall = R"({
  "name": "small",
  "description": "A tiny scenario for the simulation tests.",
  "question": "Is the simulation deterministic and sane?",
  "sources": ["tests/unit/scenarios/simulation_test.cpp"],
  "start": "2025-01-01",
  "duration_days": 12,
  "arrangements": ["multistakeholder", "unilateral-oversight"],
  "baseline": "builtin",
  "seed": 7,
  "replications": 2,
  "resolvers": {"count": 300},
  "traffic": {"step_minutes": 120},
  "governance": {
    "interests": [{"actor": "gov:CZ", "tld": "cz", "stance": "oppose"}]
  },
  "events": [
    {"type": "instance-outage", "at_days": 2, "duration_days": 1, "letter": "f", "share": 0.5},
    {"type": "revoke", "at_days": 3, "tld": "cz", "requester": "gov:US"}
  ]
})";

constexpr std::uint32_t kResolvers = 300;
constexpr std::uint32_t kDays = 12;
constexpr std::uint32_t kStepsPerDay = 24 * 60 / 120;

Scenario small_scenario(std::string_view text = kSmall) {
  auto s = parse_scenario(text, "small.json");
  EXPECT_TRUE(s) << s.error().message;
  return s ? std::move(*s) : Scenario{};
}

RunOptions options(unsigned threads = 1) {
  RunOptions o;
  o.data_dir = testing::project_data();
  o.threads = threads;
  return o;
}

double value(const ReplicationResult& r, Metric m) { return r.values[static_cast<std::size_t>(m)]; }

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool update_golden() {
  const char* flag = std::getenv("ROOTSIM_UPDATE_GOLDEN");
  return flag != nullptr && std::string_view(flag) == "1";
}

// Compares `actual` with the golden file, or rewrites the file under ROOTSIM_UPDATE_GOLDEN=1.
void expect_golden(const std::filesystem::path& file, const std::string& actual) {
  if (update_golden()) {
    std::filesystem::create_directories(file.parent_path());
    ASSERT_TRUE(dns::write_file_atomically(file, actual).has_value()) << file;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(file)) << file << " is missing: run with "
                                             << "ROOTSIM_UPDATE_GOLDEN=1 and review it";
  const std::string expected = slurp(file);
  if (actual == expected) {
    return;
  }
  // summary.json is long: name the first line that differs rather than print both texts.
  std::istringstream a(actual);
  std::istringstream e(expected);
  std::string line_a;
  std::string line_e;
  int line = 0;
  for (;;) {
    ++line;
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_e = static_cast<bool>(std::getline(e, line_e));
    if (!more_a || !more_e || line_a != line_e) {
      ADD_FAILURE() << "golden file " << file << " differs at line " << line << ":\n  expected: "
                    << (more_e ? line_e : "<end>") << "\n  actual:   "
                    << (more_a ? line_a : "<end>")
                    << "\nregenerate with ROOTSIM_UPDATE_GOLDEN=1 and review the diff";
      return;
    }
  }
}

// One run of the small scenario, shared by the tests that only read it.
class SmallRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new Scenario(small_scenario());
    auto r = run_scenario(*scenario_, options(1));
    ASSERT_TRUE(r) << r.error().message;
    results_ = new RunResults(std::move(*r));
  }
  static void TearDownTestSuite() {
    delete results_;
    delete scenario_;
    results_ = nullptr;
    scenario_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(results_, nullptr) << "the shared run failed"; }

  static Scenario* scenario_;
  static RunResults* results_;
};
Scenario* SmallRun::scenario_ = nullptr;
RunResults* SmallRun::results_ = nullptr;

TEST_F(SmallRun, SameResultsWithOneOrTwoThreads) {
  auto two = run_scenario(*scenario_, options(2));
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(summary_json(*results_, *scenario_), summary_json(*two, *scenario_));
  ASSERT_EQ(results_->replications.size(), two->replications.size());
  for (std::size_t i = 0; i < two->replications.size(); ++i) {
    const ReplicationResult& a = results_->replications[i];
    const ReplicationResult& b = two->replications[i];
    SCOPED_TRACE(a.arrangement + " #" + std::to_string(a.replication));
    EXPECT_EQ(a.arrangement, b.arrangement);
    EXPECT_EQ(a.replication, b.replication);
    EXPECT_EQ(a.seed, b.seed);
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.lead_times_days, b.lead_times_days);
  }
}

TEST_F(SmallRun, SummaryMatchesGolden) {
  expect_golden(testing::golden_dir() / "scenarios" / "small-summary.json",
                summary_json(*results_, *scenario_));
}

TEST_F(SmallRun, ValuesHoldByConstruction) {
  EXPECT_EQ(results_->arrangements,
            (std::vector<std::string>{"multistakeholder", "unilateral-oversight"}));
  ASSERT_EQ(results_->replications.size(), 4U);
  for (const ReplicationResult& r : results_->replications) {
    SCOPED_TRACE(r.arrangement + " #" + std::to_string(r.replication));
    const double publications = value(r, Metric::kPublicationsPerDay);
    const double correct = value(r, Metric::kResolutionCorrect);
    const double wrong = value(r, Metric::kResolutionWrong);
    const double failed = value(r, Metric::kResolutionFailed);
    const double lead_p50 = value(r, Metric::kLeadTimeP50);
    const double removed = value(r, Metric::kTldsRemoved);
    const double foreign = value(r, Metric::kForeignDecisionsOnCctlds);
    std::cout << "[ values   ] " << r.arrangement << " #" << r.replication
              << " publications_per_day=" << publications << " correct=" << correct
              << " wrong=" << wrong << " failed=" << failed << " lead_time_p50=" << lead_p50
              << " tlds_removed=" << removed << " foreign_decisions_on_cctlds=" << foreign
              << " stub_queries=" << value(r, Metric::kStubQueries)
              << " events=" << value(r, Metric::kEvents)
              << " core_lookups=" << value(r, Metric::kCoreLookups) << "\n";
    // Each arrangement's publication stage sets the rate: "publications_per_day" 2.5 in
    // policy/arrangements/multistakeholder.json, 2.0 in unilateral-oversight.json.
    EXPECT_NEAR(publications, r.arrangement == "multistakeholder" ? 2.5 : 2.0, 0.3);
    EXPECT_NEAR(correct + wrong + failed, 1.0, 1e-9);
    EXPECT_EQ(value(r, Metric::kStubQueries),
              static_cast<double>(kResolvers) * kDays * kStepsPerDay);
    EXPECT_GT(lead_p50, 0.0);
    if (r.arrangement == "unilateral-oversight") {
      EXPECT_TRUE(removed == 0.0 || removed == 1.0) << removed;
      // gov:US asking for cz's removal is itself a decision by a foreign government.
      EXPECT_GE(foreign, 1.0);
    }
  }
}

TEST(Simulation, UnknownArrangementIsAParseErrorAtItsPointer) {
  auto doc = nlohmann::json::parse(kSmall);
  doc["arrangements"] = nlohmann::json::array({"multistakeholder", "no-such"});
  const Scenario s = small_scenario(doc.dump());
  auto r = run_scenario(s, options());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kParse) << r.error().message;
  EXPECT_NE(r.error().message.find("/arrangements/1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("no-such"), std::string::npos) << r.error().message;
}

TEST(Simulation, UnknownArrangementInTheOverrideNamesTheOption) {
  const Scenario s = small_scenario();
  RunOptions o = options();
  o.arrangements = {"no-such"};
  auto r = run_scenario(s, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kParse) << r.error().message;
  EXPECT_NE(r.error().message.find("--arrangements"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("no-such"), std::string::npos) << r.error().message;
}

TEST(Simulation, CancelledBeforeTheStartReturnsLimit) {
  const Scenario s = small_scenario();
  const std::atomic<bool> cancel{true};
  RunOptions o = options();
  o.cancel = &cancel;
  auto r = run_scenario(s, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kLimit) << r.error().message;
}

TEST(Simulation, CheckNamesTheEventOfAnUnknownTld) {
  auto doc = nlohmann::json::parse(kSmall);
  doc["events"] = nlohmann::json::array(
      {{{"type", "revoke"}, {"at_days", 3}, {"tld", "zz"}, {"requester", "gov:US"}}});
  const Scenario s = small_scenario(doc.dump());
  const Status checked = check_scenario(s, options());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, Errc::kParse) << checked.error().message;
  EXPECT_NE(checked.error().message.find("/events/0/tld"), std::string::npos)
      << checked.error().message;
}

TEST(Simulation, ASmallerStartingRootKeepsCountryCodesAndOldGtlds) {
  // 300 TLDs: every country code and the gTLDs of before 2012 stay; the 2012 round's go.
  auto doc = nlohmann::json::parse(kSmall);
  doc["baseline_tlds"] = 300;
  doc["events"] = nlohmann::json::array(
      {{{"type", "revoke"}, {"at_days", 3}, {"tld", "com"}, {"requester", "gov:US"}},
       {{"type", "revoke"}, {"at_days", 3}, {"tld", "cz"}, {"requester", "gov:US"}}});
  EXPECT_TRUE(check_scenario(small_scenario(doc.dump()), options()));
  doc["events"][1]["tld"] = "app";
  const Status checked = check_scenario(small_scenario(doc.dump()), options());
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("/events/1/tld: no TLD 'app'"), std::string::npos)
      << checked.error().message;
}

}  // namespace
}  // namespace rootsim::scenarios
