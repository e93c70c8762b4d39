// `rootsim sweep` and `rootsim merge` through the CLI on examples/sweeps/change-rate.json: the
// whole sweep on one machine and its three shards merged give the same bytes (every file but
// results.db); a merge with a shard missing names the missing points; shards of different
// sweeps do not merge; a pointer outside the scenario's schema exits 2 naming /vary/....
#include "temp_dir.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

namespace rootsim {
namespace {

namespace fs = std::filesystem;
using testing::run_command;

testing::CommandResult rootsim(const std::string& args) { return testing::run_rootsim(args); }

fs::path examples() { return testing::project_data().parent_path() / "examples" / "sweeps"; }

using testing::TempDir;

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Every regular file under `dir` except results.db, as paths relative to it.
std::set<fs::path> comparable_files(const fs::path& dir) {
  std::set<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename() != "results.db") {
      out.insert(fs::relative(entry.path(), dir));
    }
  }
  return out;
}

std::string sweep_cmd(const fs::path& sweep, const fs::path& out, const std::string& extra = "") {
  return "sweep " + sweep.string() + " --out " + out.string() + " --quiet " + extra;
}

/// A quick sweep beside a copy of the example scenario: one day, one arrangement, one
/// replication, so each point runs in well under a second.
fs::path write_quick_sweep(const fs::path& dir, const std::string& name,
                           const nlohmann::ordered_json& rates) {
  if (!fs::exists(dir / "small-baseline.json")) {
    fs::copy_file(examples() / "small-baseline.json", dir / "small-baseline.json");
  }
  const nlohmann::ordered_json doc = {
      {"name", name},
      {"scenario", "small-baseline.json"},
      {"vary",
       {{"/duration_days", {1}}, {"/replications", {1}}, {"/changes/per_tld_per_year", rates}}},
      {"arrangements", {"multistakeholder"}}};
  const fs::path file = dir / (name + ".json");
  std::ofstream(file) << doc.dump(2);
  return file;
}

// The example sweep whole on one machine, and as three shards merged: the same bytes.
TEST(Sweep, WholeRunAndMergedShardsAreByteIdentical) {
  TempDir dir("sweep");
  auto at = [&](const std::string& name) { return dir.path() / name; };
  const fs::path sweep = examples() / "change-rate.json";
  // All four runs at once (the shards with one thread each), as separate machines would.
  std::string script;
  std::string waits = "true";
  for (int i = 0; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    const std::string run =
        i == 0 ? sweep_cmd(sweep, at("whole"), "--threads 2")
               : sweep_cmd(sweep, at("shard" + n), "--shard " + n + "/3 --threads 1");
    script += testing::rootsim_binary() + " " + run + " >" + at("log" + n).string() + " 2>&1 & p" +
              n + "=$!; ";
    waits += " && wait $p" + n;
  }
  const auto runs = run_command(script + waits);
  ASSERT_EQ(runs.exit_code, 0) << runs.out << slurp(at("log0")) << slurp(at("log1"))
                               << slurp(at("log2")) << slurp(at("log3"));
  const auto merged = rootsim("merge " + at("shard1").string() + " " + at("shard2").string() + " " +
                              at("shard3").string() + " --out " + at("merged").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.out;

  const auto files = comparable_files(at("whole"));
  EXPECT_EQ(files, comparable_files(at("merged")));
  // 6 points x (summary.json, events.jsonl, resolution.csv, point.json) + shard.json,
  // sweep-summary.json, sweep.csv.
  EXPECT_EQ(files.size(), 6U * 4U + 3U);
  for (const fs::path& f : files) {
    EXPECT_EQ(slurp(at("whole") / f), slurp(at("merged") / f)) << f;
    EXPECT_GT(fs::file_size(at("whole") / f), 0U) << f;
  }
  for (int p = 0; p < 6; ++p) {
    char name[8];
    std::snprintf(name, sizeof name, "%05d", p);
    EXPECT_TRUE(fs::is_regular_file(at("merged") / "points" / name / "results.db")) << name;
  }

  // Points in index order: the change rate varies slowest, the seed fastest.
  std::ifstream in(at("whole") / "sweep-summary.json");
  const auto summary = nlohmann::json::parse(in);
  EXPECT_EQ(summary.at("sweep"), "change-rate");
  ASSERT_EQ(summary.at("points").size(), 6U);
  const std::array<double, 3> rates = {0.3, 0.54, 1.0};
  for (std::size_t p = 0; p < 6; ++p) {
    const auto& point = summary.at("points").at(p);
    EXPECT_EQ(point.at("index"), p);
    EXPECT_EQ(point.at("seed"), p % 2 + 1);
    EXPECT_DOUBLE_EQ(point.at("values").at("/changes/per_tld_per_year").get<double>(),
                     rates[p / 2]);
    EXPECT_EQ(point.at("summary").at("seed"), p % 2 + 1);
    EXPECT_TRUE(point.at("summary").at("arrangements").contains("multistakeholder"));
  }
  // One header line plus 6 points x 2 arrangements.
  const std::string csv = slurp(at("whole") / "sweep.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 13);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "index,seed,/changes/per_tld_per_year,arrangement,changes_per_year,"
            "publications_per_day,lead_time_p50_days,lead_time_p90_days,resolution_correct,"
            "resolution_failed,tlds_removed,foreign_decisions_on_cctlds");

  // A shard holds its own points only, and no summaries.
  std::ifstream shard_in(at("shard2") / "shard.json");
  const auto shard = nlohmann::json::parse(shard_in);
  EXPECT_EQ(shard.at("shard"), "2/3");
  EXPECT_EQ(shard.at("points"), nlohmann::json::array({1, 4}));
  EXPECT_EQ(shard.at("sweep_digest").get<std::string>().size(), 64U);
  EXPECT_FALSE(fs::exists(at("shard2") / "sweep-summary.json"));
}

TEST(Sweep, MergeWithAShardMissingOrTwiceNamesThePoints) {
  TempDir dir("sweep_missing");
  auto at = [&](const std::string& name) { return dir.path() / name; };
  const fs::path sweep = write_quick_sweep(dir.path(), "quick", {0.3, 0.54, 1.0, 2.0});
  for (const char* shard : {"1", "3"}) {
    const auto r = rootsim(
        sweep_cmd(sweep, at(std::string("shard") + shard), std::string("--shard ") + shard + "/3"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  const auto r = rootsim("merge " + at("shard1").string() + " " + at("shard3").string() +
                         " --out " + at("partial").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("missing point 1 of 4"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(at("partial") / "sweep-summary.json"));

  const auto twice = rootsim("merge " + at("shard1").string() + " " + at("shard3").string() + " " +
                             at("shard1").string() + " --out " + at("twice").string());
  EXPECT_EQ(twice.exit_code, 2) << twice.out;
  EXPECT_NE(twice.out.find("point 0 is in both"), std::string::npos) << twice.out;
}

// Merged shards, then `rootsim report`: an index page across the points and a report per point.
TEST(Sweep, MergedShardsGetAReport) {
  TempDir dir("sweep_report");
  auto at = [&](const std::string& name) { return dir.path() / name; };
  const fs::path sweep = write_quick_sweep(dir.path(), "quick", {0.3, 1.0});
  for (const char* shard : {"1", "2"}) {
    const auto r = rootsim(
        sweep_cmd(sweep, at(std::string("shard") + shard), std::string("--shard ") + shard + "/2"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  const auto merged = rootsim("merge " + at("shard1").string() + " " + at("shard2").string() +
                              " --out " + at("merged").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.out;
  const auto r = rootsim("report " + at("merged").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(at("merged") / "report.html");
  std::stringstream page;
  page << in.rdbuf();
  for (const char* point : {"00000", "00001"}) {
    EXPECT_TRUE(fs::exists(at("merged") / "points" / point / "report.html")) << point;
    EXPECT_NE(page.str().find(std::string("points/") + point + "/report.html"), std::string::npos)
        << point;
  }
  EXPECT_NE(page.str().find("<canvas id=\"sweep-chart-0\">"), std::string::npos);
}

TEST(Sweep, ShardsOfDifferentSweepsDoNotMerge) {
  // Two one-point sweeps that differ in one value only.
  TempDir dir("sweep_digest");
  const fs::path a_file = write_quick_sweep(dir.path(), "a", {0.3});
  const fs::path b_file = write_quick_sweep(dir.path(), "b", {0.4});
  const auto a = rootsim(sweep_cmd(a_file, dir.path() / "a"));
  const auto b = rootsim(sweep_cmd(b_file, dir.path() / "b"));
  ASSERT_EQ(a.exit_code, 0) << a.out;
  ASSERT_EQ(b.exit_code, 0) << b.out;
  const auto r = rootsim("merge " + (dir.path() / "a").string() + " " +
                         (dir.path() / "b").string() + " --out " + (dir.path() / "m").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find((dir.path() / "b").string() + ": from a different sweep"), std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(dir.path() / "m" / "sweep-summary.json"));
}

TEST(Sweep, PointerOutsideTheSchemaExitsTwoNamingTheVaryPointer) {
  TempDir dir("sweep_bad");
  fs::copy_file(examples() / "small-baseline.json", dir.path() / "small-baseline.json");
  const nlohmann::ordered_json doc = {
      {"name", "bad"},
      {"scenario", "small-baseline.json"},
      {"vary", {{"/changes/per_tld_per_year", {0.3, 1.0}}, {"/changes/colour", {"blue"}}}}};
  std::ofstream(dir.path() / "bad.json") << doc.dump(2);
  const auto r = rootsim(sweep_cmd(dir.path() / "bad.json", dir.path() / "out"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/vary/~1changes~1colour: point 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/changes/colour: unknown key"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir.path() / "out"));

  // Strict sweep files: unknown keys and bad shards are errors by pointer, exit 2.
  nlohmann::ordered_json extra = doc;
  extra.erase("vary");
  extra["seeds"] = {1, -2};
  std::ofstream(dir.path() / "seeds.json") << extra.dump(2);
  const auto s = rootsim(sweep_cmd(dir.path() / "seeds.json", dir.path() / "out"));
  EXPECT_EQ(s.exit_code, 2) << s.out;
  EXPECT_NE(s.out.find("/seeds/1: expected an integer >= 0"), std::string::npos) << s.out;
  const auto shard =
      rootsim(sweep_cmd(examples() / "change-rate.json", dir.path() / "out", "--shard 4/3"));
  EXPECT_EQ(shard.exit_code, 2) << shard.out;
  EXPECT_NE(shard.out.find("--shard"), std::string::npos) << shard.out;
}

}  // namespace
}  // namespace rootsim
