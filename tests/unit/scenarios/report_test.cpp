// The report's reader, page and comparison on a small results folder written by write_results
// from synthetic results (two arrangements, three replications), plus hand-broken copies.
#include "rootsim/scenarios/report.hpp"

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "temp_dir.hpp"
#include "test_paths.hpp"

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

Scenario scenario() {
  Scenario s;
  s.name = "report-test";
  s.description = "A description with </script><script>alert(1)</script> in it.";
  s.question = "Does the report read back what the run wrote?";
  s.narrative_look_at = "the lead times";
  s.narrative_discuss = "who can act alone";
  s.seed = 11;
  s.replications = 3;
  s.duration = dns::kSimDay * 4;
  return s;
}

/// Run order is deliberately not alphabetical: the reader must keep it.
RunResults synthetic(double offset = 0) {
  RunResults r;
  r.scenario = "report-test";
  r.seed = 11;
  r.regions = {"Africa", "Europe"};
  r.arrangements = {"unilateral-oversight", "multistakeholder"};
  for (std::size_t a = 0; a < r.arrangements.size(); ++a) {
    for (std::uint32_t i = 0; i < 3; ++i) {
      ReplicationResult rep;
      rep.arrangement = r.arrangements[a];
      rep.replication = i;
      rep.seed = 100 + i;
      for (std::size_t m = 0; m < kMetricCount; ++m) {
        rep.values[m] = static_cast<double>(m) + 0.1 * static_cast<double>(i) +
                        static_cast<double>(a) + offset;
      }
      rep.values[static_cast<std::size_t>(Metric::kResolutionCorrect)] = 0.9 + 0.01 * i;
      rep.lead_times_days = {1.0 + static_cast<double>(a), 2.0 + i, 3.5};
      rep.participation = {{"group:governments", 2}, {"region:Europe", 1 + i}};
      rep.resolution = {{0, 0, 90, 5, 5}, {0, 1, 100, 0, 0}, {1, 0, 80, 10, 10}, {1, 1, 100, 0, 0}};
      const std::string arr = "\"arrangement\":\"" + rep.arrangement + "\",\"replication\":" +
                              std::to_string(i);
      rep.events = {
          "{" + arr + ",\"id\":0,\"origin\":\"routine\",\"request\":\"ns-update\",\"t_us\":1000,"
                      "\"tld\":\"de\",\"type\":\"request\"}",
          "{" + arr + ",\"event\":\"/events/0\",\"t_us\":86400000000,\"type\":\"revoke\"}",
          "{" + arr + ",\"id\":1,\"origin\":\"/events/0\",\"request\":\"revoke\","
                      "\"requester\":\"oversight\",\"t_us\":86400000000,\"tld\":\"cz\","
                      "\"type\":\"request\"}",
          "{" + arr + ",\"id\":0,\"outcome\":\"published\",\"t_us\":90000000000,"
                      "\"type\":\"decision\"}",
          "{" + arr + ",\"changes\":1,\"serial\":2025010101,\"t_us\":172800000000,"
                      "\"type\":\"publication\"}",
          "{" + arr + ",\"error\":\"boom\",\"id\":1,\"t_us\":200000000000,"
                      "\"type\":\"change-failed\"}"};
      r.replications.push_back(std::move(rep));
    }
  }
  return r;
}

fs::path written(const TempDir& dir, const std::string& name, double offset = 0) {
  const fs::path out = dir.path() / name;
  EXPECT_TRUE(write_results(synthetic(offset), scenario(), out));
  return out;
}


ReportOptions options(const TempDir& dir) {
  ReportOptions o;
  o.data_dir = testing::project_data();
  o.chart_js = dir.path() / "chart.min.js";
  std::ofstream(o.chart_js) << "/*! Chart.js v0.0.0-test */ window.ChartStub = 1;";
  return o;
}

TEST(ReportReader, ReadsWhatTheRunWrote) {
  TempDir dir("read");
  auto r = read_results(written(dir, "out"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->scenario, "report-test");
  EXPECT_EQ(r->question, "Does the report read back what the run wrote?");
  EXPECT_EQ(r->look_at, "the lead times");
  EXPECT_EQ(r->discuss, "who can act alone");
  EXPECT_EQ(r->replications, 3U);
  EXPECT_EQ(r->seed, 11U);
  EXPECT_DOUBLE_EQ(r->duration_days, 4.0);
  ASSERT_EQ(r->arrangements.size(), 2U);
  EXPECT_EQ(r->arrangements[0].name, "unilateral-oversight");  // run order, not sorted
  EXPECT_EQ(r->arrangements[1].name, "multistakeholder");
  EXPECT_EQ(r->regions, (std::vector<std::string>{"Africa", "Europe"}));

  const Estimate* correct = r->arrangements[0].metric("resolution_correct");
  ASSERT_NE(correct, nullptr);
  EXPECT_NEAR(correct->mean, 0.91, 1e-9);
  EXPECT_FALSE(correct->single);
  EXPECT_LT(correct->lo, correct->mean);
  EXPECT_EQ(r->arrangements[0].metric("lead_time_days"), nullptr);  // grouped view left out
  EXPECT_EQ(r->arrangements[0].metric("no_such_metric"), nullptr);
  ASSERT_NE(r->metric_info("tld_lost_days"), nullptr);
  EXPECT_EQ(r->metric_info("tld_lost_days")->unit, "TLD-days");

  ASSERT_EQ(r->arrangements[1].lead_times_days.size(), 3U);
  EXPECT_EQ(r->arrangements[1].lead_times_days[2], (std::vector<double>{2.0, 4.0, 3.5}));
  EXPECT_EQ(r->resolution.size(), 2U * 3U * 4U);
  EXPECT_EQ(r->arrangements[0].participation.size(), 2U);

  ASSERT_EQ(r->activity.size(), 2U);
  EXPECT_EQ(r->activity[0].requests.size(), 4U);
  EXPECT_EQ(r->activity[0].requests[0], 3U);  // one a replication on day 0
  EXPECT_EQ(r->activity[0].requests[1], 3U);
  EXPECT_EQ(r->activity[0].decisions[1], 3U);
  EXPECT_EQ(r->activity[0].publications[2], 3U);

  // revoke (scenario, merged over 3 replications, named by its request) and change-failed.
  ASSERT_EQ(r->events.size(), 4U);
  EXPECT_EQ(r->events[0].type, "revoke");
  EXPECT_TRUE(r->events[0].scenario);
  EXPECT_EQ(r->events[0].replications, 3U);
  EXPECT_DOUBLE_EQ(r->events[0].day, 1.0);
  EXPECT_EQ(r->events[0].detail, "revoke cz, asked by oversight (/events/0)");
  EXPECT_EQ(r->events[1].type, "change-failed");
  EXPECT_FALSE(r->events[1].scenario);
  EXPECT_EQ(r->events[1].detail, "boom");
}

TEST(ReportReader, ErrorsNameTheFile) {
  TempDir dir("errors");
  auto missing = read_results(dir.path() / "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nowhere"), std::string::npos);

  const fs::path out = written(dir, "out");
  std::ofstream(out / "events.jsonl", std::ios::app) << "{not json\n";
  auto bad_events = read_results(out);
  ASSERT_FALSE(bad_events);
  EXPECT_EQ(bad_events.error().code, Errc::kParse);
  EXPECT_NE(bad_events.error().message.find("events.jsonl:37"), std::string::npos)
      << bad_events.error().message;

  fs::remove(out / "results.db");
  auto no_db = read_results(out);
  ASSERT_FALSE(no_db);
  EXPECT_NE(no_db.error().message.find("results.db"), std::string::npos);

  std::ofstream(out / "summary.json") << "{\"arrangements\": {\"x\": {\"m\": \"text\"}}}";
  auto bad_summary = read_summary(out);
  ASSERT_FALSE(bad_summary);
  EXPECT_NE(bad_summary.error().message.find("summary.json: /arrangements/x/m"),
            std::string::npos)
      << bad_summary.error().message;
}

TEST(ReportPage, IsSelfContainedAndSafe) {
  TempDir dir("page");
  auto r = read_results(written(dir, "out"));
  ASSERT_TRUE(r);
  auto html = report_html(*r, options(dir));
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_NE(html->find("window.ChartStub = 1;"), std::string::npos);  // embedded, not linked
  EXPECT_EQ(html->find("src=\"http"), std::string::npos);
  EXPECT_EQ(html->find("<script src"), std::string::npos);
  EXPECT_EQ(html->find("<script>alert(1)"), std::string::npos);  // the description is escaped
  EXPECT_NE(html->find("&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html->find("id=\"render-status\""), std::string::npos);
  EXPECT_NE(html->find("Does the report read back what the run wrote?"), std::string::npos);
  EXPECT_NE(html->find("What to look at"), std::string::npos);
  // The structural table names the oversight authority as the single point of control.
  EXPECT_NE(html->find("<code>oversight</code>"), std::string::npos);

  const auto specs = nlohmann::json::parse(report_data_json(*r));
  // 12 headline metrics, one lead-time chart, a resolution and a timeline chart each.
  ASSERT_EQ(specs["charts"].size(), 12U + 1U + 2U + 2U);
  for (const auto& c : specs["charts"]) {
    const std::string id = c["id"];
    EXPECT_FALSE(c["title"].get<std::string>().empty()) << id;
    EXPECT_FALSE(c["caption"].get<std::string>().empty()) << id;
    EXPECT_FALSE(c["x"]["label"].get<std::string>().empty()) << id;
    EXPECT_FALSE(c["y"]["label"].get<std::string>().empty()) << id;
    EXPECT_NE(html->find("id=\"chart-" + id + "\""), std::string::npos) << id;
    for (const auto& s : c["series"]) {
      if (!c.contains("y2") || s.value("axis", "y") == "y2") {
        EXPECT_TRUE(s.contains("lo") && s.contains("hi")) << id << " has no interval";
      }
    }
  }
  const auto& timeline = specs["charts"].back();
  EXPECT_EQ(timeline["section"], "timeline");
  ASSERT_EQ(timeline["markers"].size(), 1U);  // the revoke, not the change-failed
  EXPECT_EQ(timeline["markers"][0]["x"], 1.0);
}

TEST(ReportPage, MissingChartJsNamesThePath) {
  TempDir dir("nochart");
  auto r = read_results(written(dir, "out"));
  ASSERT_TRUE(r);
  ReportOptions o = options(dir);
  o.chart_js = dir.path() / "missing" / "chart.min.js";
  auto html = report_html(*r, o);
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().code, Errc::kIo);
  EXPECT_NE(html.error().message.find(o.chart_js.string()), std::string::npos);
  EXPECT_NE(html.error().message.find("libjs-chart.js"), std::string::npos);
}

TEST(ReportPage, WriteReportWritesTheFile) {
  TempDir dir("write");
  const fs::path out = written(dir, "out");
  ASSERT_TRUE(write_report(out, out / "report.html", options(dir)));
  EXPECT_NE(testing::read_text(out / "report.html").find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_FALSE(fs::exists(out / "report.html.tmp"));
}

TEST(Compare, SameFolderHasNoDifferences) {
  TempDir dir("same");
  const fs::path out = written(dir, "out");
  auto a = read_summary(out);
  ASSERT_TRUE(a);
  const Comparison c = compare(*a, *a);
  ASSERT_FALSE(c.rows.empty());
  for (const MetricComparison& row : c.rows) {
    EXPECT_TRUE(row.ci_overlap) << row.arrangement << " " << row.metric;
    EXPECT_TRUE(row.difference == 0 || std::isnan(row.difference)) << row.metric;
  }
  EXPECT_NE(comparison_table(c).find("0 of "), std::string::npos);
}

TEST(Compare, ShiftedRunDiffersAndJsonHasTheContract) {
  TempDir dir("shift");
  auto a = read_summary(written(dir, "a"));
  auto b = read_summary(written(dir, "b", 10.0));
  ASSERT_TRUE(a && b);
  const Comparison c = compare(*a, *b);
  const auto row = std::find_if(c.rows.begin(), c.rows.end(), [](const MetricComparison& m) {
    return m.arrangement == "multistakeholder" && m.metric == "changes_per_year";
  });
  ASSERT_NE(row, c.rows.end());
  EXPECT_NEAR(row->difference, 10.0, 1e-9);
  EXPECT_FALSE(row->ci_overlap);
  EXPECT_EQ(row->unit, "changes/year");
  EXPECT_NE(comparison_table(c).find("DIFFERENT"), std::string::npos);

  const auto doc = nlohmann::json::parse(comparison_json(c));
  ASSERT_FALSE(doc["rows"].empty());
  const auto& first = doc["rows"][0];
  for (const char* key : {"arrangement", "metric", "unit", "a", "b", "difference", "ci_overlap"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  EXPECT_EQ(first["a"]["ci95"].size(), 2U);
  EXPECT_TRUE(doc["only_in_a"].empty());
}

TEST(Compare, ListsArrangementsOnlyOneSideRan) {
  TempDir dir("only");
  auto a = read_summary(written(dir, "a"));
  ASSERT_TRUE(a);
  ResultsFolder b = *a;
  b.arrangements.erase(b.arrangements.begin());
  const Comparison c = compare(*a, b);
  ASSERT_EQ(c.only_in_a.size(), 1U);
  EXPECT_TRUE(c.only_in_b.empty());
  EXPECT_NE(comparison_table(c).find("only in A: " + c.only_in_a[0]), std::string::npos);
}

}  // namespace
}  // namespace rootsim::scenarios
