#include "rootsim/scenarios/output.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;

TEST(Estimate, OneSampleIsSingle) {
  const Estimate e = estimate({5.0});
  EXPECT_TRUE(e.single);
  EXPECT_DOUBLE_EQ(e.mean, 5.0);
  EXPECT_DOUBLE_EQ(e.lo, 5.0);
  EXPECT_DOUBLE_EQ(e.hi, 5.0);
}

TEST(Estimate, TwoSamplesUseTWithOneDegreeOfFreedom) {
  // mean 2, s = sqrt(2), half width = 12.7062 * sqrt(2) / sqrt(2)
  const Estimate e = estimate({1.0, 3.0});
  EXPECT_FALSE(e.single);
  EXPECT_DOUBLE_EQ(e.mean, 2.0);
  EXPECT_NEAR(e.lo, 2.0 - 12.7062, 1e-9);
  EXPECT_NEAR(e.hi, 2.0 + 12.7062, 1e-9);
}

TEST(Estimate, TenSamplesUseTWithNineDegreesOfFreedom) {
  // 1..10: mean 5.5, s^2 = 82.5 / 9, half width = 2.2622 * s / sqrt(10) = 2.16589
  const Estimate e = estimate({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(e.mean, 5.5);
  EXPECT_NEAR(e.lo, 5.5 - 2.16589, 1e-5);
  EXPECT_NEAR(e.hi, 5.5 + 2.16589, 1e-5);
}

TEST(Estimate, UndefinedReplicationsAreLeftOut) {
  const Estimate e = estimate({std::nan(""), 4.0});
  EXPECT_TRUE(e.single);
  EXPECT_DOUBLE_EQ(e.mean, 4.0);
  EXPECT_TRUE(std::isnan(estimate({}).mean));
}

Scenario scenario() {
  Scenario s;
  s.name = "synthetic";
  s.description = "two arrangements";
  s.question = "does it add up?";
  s.seed = 7;
  s.replications = 3;
  s.duration = dns::kSimDay * 30;
  return s;
}

/// `arrangements` x `replications` with values derived from their indices.
RunResults synthetic(std::uint32_t replications) {
  RunResults r;
  r.scenario = "synthetic";
  r.seed = 7;
  r.regions = {"Africa", "Europe"};
  r.arrangements = {"status-quo", "multistakeholder"};
  for (std::size_t a = 0; a < r.arrangements.size(); ++a) {
    for (std::uint32_t i = 0; i < replications; ++i) {
      ReplicationResult rep;
      rep.arrangement = r.arrangements[a];
      rep.replication = i;
      rep.seed = 0xfedcba9876543210ULL + i;  // above INT64_MAX
      for (std::size_t m = 0; m < kMetricCount; ++m) {
        rep.values[m] = static_cast<double>(m) + 0.1 * static_cast<double>(i) +
                        static_cast<double>(a);
      }
      rep.values[static_cast<std::size_t>(Metric::kResolutionCorrect)] = 0.9 + 0.01 * i;
      rep.lead_times_days = {1.5, 2.5 + i};
      rep.participation = {{"governments", 2 + i}, {"Europe", 1}, {"governments", 1}};
      rep.resolution = {{0, 0, 10, 1, 2}, {0, 1, 20, 0, 0}, {1, 0, 11, 0, 1}};
      rep.events = {R"({"at":0,"type":"start"})", R"({"at":5,"type":"end"})"};
      r.replications.push_back(std::move(rep));
    }
  }
  r.wall_seconds = 1.25;
  return r;
}

TEST(SummaryJson, HasTheContractKeysWithConfidenceIntervals) {
  const auto doc = nlohmann::json::parse(summary_json(synthetic(3), scenario()));
  EXPECT_EQ(doc["scenario"], "synthetic");
  EXPECT_EQ(doc["replications"], 3);
  EXPECT_EQ(doc["seed"], 7);
  EXPECT_EQ(doc["duration_days"], 30.0);
  ASSERT_EQ(doc["arrangements"].size(), 2U);
  for (const auto& [name, a] : doc["arrangements"].items()) {
    for (const char* key : {"changes_per_year", "publications_per_day", "tlds_removed",
                            "foreign_decisions_on_cctlds", "lead_time_p50_days"}) {
      ASSERT_TRUE(a.contains(key)) << name << " " << key;
      EXPECT_TRUE(a[key]["mean"].is_number()) << key;
      ASSERT_EQ(a[key]["ci95"].size(), 2U) << key;
      EXPECT_LT(a[key]["ci95"][0].get<double>(), a[key]["mean"].get<double>());
      EXPECT_GT(a[key]["ci95"][1].get<double>(), a[key]["mean"].get<double>());
    }
    for (const char* p : {"p50", "p90", "p95"}) {
      EXPECT_TRUE(a["lead_time_days"][p]["mean"].is_number()) << p;
      EXPECT_EQ(a["lead_time_days"][p]["ci95"].size(), 2U) << p;
    }
    for (const char* r : {"correct", "wrong", "failed"}) {
      EXPECT_TRUE(a["resolution"][r]["mean"].is_number()) << r;
      EXPECT_EQ(a["resolution"][r]["ci95"].size(), 2U) << r;
    }
  }
  const auto& sq = doc["arrangements"]["status-quo"];
  // changes_per_year of status-quo: 0.0, 0.1, 0.2 -> mean 0.1, s = 0.1, half = 4.3027 * 0.1 / sqrt 3
  EXPECT_NEAR(sq["changes_per_year"]["mean"].get<double>(), 0.1, 1e-12);
  EXPECT_NEAR(sq["changes_per_year"]["ci95"][1].get<double>(), 0.1 + 0.248416, 1e-6);
  EXPECT_NEAR(sq["resolution"]["correct"]["mean"].get<double>(), 0.91, 1e-12);
  // (2 + i) + 1 steps of governments in replication i -> (3 + 4 + 5) / 3
  EXPECT_EQ(sq["participation"]["governments"], 4.0);
  EXPECT_EQ(sq["participation"]["Europe"], 1.0);
  EXPECT_EQ(doc["metrics"].size(), kMetricCount);
  EXPECT_EQ(doc["metrics"]["tld_lost_days"]["unit"], "TLD-days");
}

TEST(SummaryJson, OneReplicationGivesPlainNumbers) {
  const auto doc = nlohmann::json::parse(summary_json(synthetic(1), scenario()));
  EXPECT_EQ(doc["replications"], 1);
  const auto& a = doc["arrangements"]["multistakeholder"];
  EXPECT_TRUE(a["changes_per_year"].is_number());
  EXPECT_EQ(a["changes_per_year"], 1.0);
  EXPECT_TRUE(a["lead_time_days"]["p90"].is_number());
  EXPECT_TRUE(a["resolution"]["failed"].is_number());
  EXPECT_TRUE(a["foreign_decisions_on_cctlds"].is_number());
}

TEST(SummaryJson, UndefinedMetricsAreNull) {
  RunResults r = synthetic(1);
  r.replications[0].values[static_cast<std::size_t>(Metric::kLeadTimeP50)] = std::nan("");
  const auto doc = nlohmann::json::parse(summary_json(r, scenario()));
  EXPECT_TRUE(doc["arrangements"]["status-quo"]["lead_time_p50_days"].is_null());
}

TEST(Summary, IsTheSameTextTwice) {
  const RunResults r = synthetic(3);
  EXPECT_EQ(summary_json(r, scenario()), summary_json(r, scenario()));
  EXPECT_EQ(summary_table(r), summary_table(r));
  EXPECT_EQ(summary_json(r, scenario()).back(), '\n');
  EXPECT_EQ(summary_json(r, scenario()).find("1.25"), std::string::npos);  // no wall clock
}

TEST(SummaryTable, HasOneRowPerArrangementAndTheFootnote) {
  const std::string table = summary_table(synthetic(3));
  std::istringstream in(table);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), 4U) << table;
  EXPECT_EQ(lines[0].rfind("arrangement", 0), 0U);
  EXPECT_NE(lines[0].find("foreign decisions"), std::string::npos);
  EXPECT_EQ(lines[1].rfind("status-quo", 0), 0U);
  EXPECT_NE(lines[1].find("91.0 [88.5, 93.5]"), std::string::npos) << lines[1];  // correct %
  EXPECT_EQ(lines[3], "mean [95% CI] over 3 replications");
  EXPECT_EQ(lines[0].size(), lines[1].size());
  const std::string single = summary_table(synthetic(1));
  EXPECT_EQ(single.find('['), std::string::npos) << single;
}

class WriteResults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rootsim-output-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> entries(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path dir_;
};

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::int64_t count(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return n;
}

TEST_F(WriteResults, WritesTheFourFilesAndNothingElse) {
  const RunResults r = synthetic(3);
  const fs::path out = dir_ / "nested" / "out";
  const Status s = write_results(r, scenario(), out);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(entries(out), (std::vector<std::string>{"events.jsonl", "resolution.csv",
                                                    "results.db", "summary.json"}));
  EXPECT_EQ(entries(dir_ / "nested"), std::vector<std::string>{"out"});
  EXPECT_EQ(read(out / "summary.json"), summary_json(r, scenario()));
  const std::string events = read(out / "events.jsonl");
  EXPECT_EQ(std::count(events.begin(), events.end(), '\n'), 12);
  EXPECT_EQ(events.rfind("{\"at\":0,\"type\":\"start\"}\n{\"at\":5", 0), 0U);
  const std::string csv = read(out / "resolution.csv");
  EXPECT_EQ(csv.rfind("arrangement,replication,day,region,correct,wrong,failed\n"
                      "status-quo,0,0,Africa,10,1,2\nstatus-quo,0,0,Europe,20,0,0\n",
                      0),
            0U)
      << csv;

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "results.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  EXPECT_EQ(count(db, "SELECT count(*) FROM metrics"), static_cast<std::int64_t>(kMetricCount));
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 6);
  EXPECT_EQ(count(db, "SELECT count(*) FROM metric_values"), static_cast<std::int64_t>(6 * kMetricCount));
  EXPECT_EQ(count(db, "SELECT count(*) FROM lead_times"), 12);
  EXPECT_EQ(count(db, "SELECT count(*) FROM resolution"), 18);
  EXPECT_EQ(count(db, "SELECT count(*) FROM participation"), 18);
  EXPECT_EQ(count(db, "SELECT count(*) FROM resolution WHERE region = 'Europe' AND correct = 20"),
            6);
  EXPECT_EQ(count(db, "SELECT value FROM metric_values WHERE arrangement = 'multistakeholder' "
                      "AND replication = 0 AND key = 'tlds_removed'"),
            12);  // index 11 + arrangement 1
  EXPECT_EQ(static_cast<std::uint64_t>(count(
                db, "SELECT seed FROM runs WHERE arrangement = 'status-quo' AND replication = 2")),
            0xfedcba9876543212ULL);
  sqlite3_close(db);

  // A second run replaces the files in place.
  ASSERT_TRUE(write_results(synthetic(1), scenario(), out));
  EXPECT_EQ(entries(out).size(), 4U);
  EXPECT_EQ(read(out / "summary.json"), summary_json(synthetic(1), scenario()));
}

TEST_F(WriteResults, UnderARegularFileFailsAndLeavesNothing) {
  std::ofstream(dir_ / "blocker") << "x";
  const Status s = write_results(synthetic(2), scenario(), dir_ / "blocker" / "out");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kIo);
  EXPECT_NE(s.error().message.find("blocker"), std::string::npos) << s.error().message;
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"blocker"});
}

TEST_F(WriteResults, OntoARegularFileFailsAndRemovesTheTempFolder) {
  std::ofstream(dir_ / "out") << "x";
  const Status s = write_results(synthetic(2), scenario(), dir_ / "out");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kIo);
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"out"});
  EXPECT_EQ(read(dir_ / "out"), "x");
}

}  // namespace
}  // namespace rootsim::scenarios
