// `rootsim run` and `rootsim scenario` through the CLI: a bad scenario names its JSON pointer and
// writes nothing, a tiny run writes the four result files with the contract keys, and the
// scenario library lists and validates.
#include "temp_dir.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace rootsim {
namespace {

namespace fs = std::filesystem;
using testing::run_command;

testing::CommandResult rootsim(const std::string& args) { return testing::run_rootsim(args); }

fs::path library() { return testing::project_data().parent_path() / "scenarios" / "library"; }

using testing::TempDir;

nlohmann::json tiny_scenario() {
  return nlohmann::json::parse(R"({
    "name": "tiny",
    "description": "A tiny scenario for the CLI tests.",
    "question": "Does rootsim run write its results?",
    "sources": ["tests/integration/cli_run_test.cpp"],
    "start": "2025-01-01",
    "duration_days": 3,
    "arrangements": ["multistakeholder"],
    "seed": 7,
    "replications": 1,
    "resolvers": {"count": 100},
    "traffic": {"step_minutes": 120},
    "governance": {"interests": [{"actor": "gov:CZ", "tld": "cz", "stance": "oppose"}]},
    "events": [
      {"type": "instance-outage", "at_days": 1, "duration_days": 1, "letter": "f", "share": 0.5},
      {"type": "revoke", "at_days": 2, "tld": "cz", "requester": "gov:US"}
    ]
  })");
}

void write(const fs::path& file, const nlohmann::json& doc) { std::ofstream(file) << doc.dump(2); }

TEST(CliRun, UnknownKeyExitsTwoWithThePointerAndWritesNothing) {
  TempDir dir("cli_run_bad");
  auto doc = tiny_scenario();
  doc["resolvers"]["colour"] = "blue";
  const fs::path file = dir.path() / "bad.json";
  write(file, doc);
  const fs::path out = dir.path() / "out";
  const auto r = rootsim("run " + file.string() + " --out " + out.string() + " --quiet");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/resolvers/colour"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliRun, TinyRunWritesTheResultFilesWithTheContractKeys) {
  TempDir dir("cli_run_tiny");
  const fs::path file = dir.path() / "tiny.json";
  write(file, tiny_scenario());
  const fs::path out = dir.path() / "out";
  const auto r = rootsim("run " + file.string() + " --out " + out.string() + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* name : {"summary.json", "events.jsonl", "resolution.csv", "results.db"}) {
    EXPECT_TRUE(fs::is_regular_file(out / name)) << name;
    EXPECT_GT(fs::file_size(out / name), 0U) << name;
  }
  std::ifstream in(out / "summary.json");
  const auto summary = nlohmann::json::parse(in);
  EXPECT_EQ(summary.at("scenario"), "tiny");
  ASSERT_TRUE(summary.at("arrangements").contains("multistakeholder")) << summary.dump(2);
  const auto& a = summary.at("arrangements").at("multistakeholder");
  for (const char* key : {"changes_per_year", "publications_per_day", "lead_time_days",
                          "resolution", "tlds_removed", "foreign_decisions_on_cctlds"}) {
    EXPECT_TRUE(a.contains(key)) << key;
  }
  for (const char* key : {"p50", "p90", "p95"}) {
    EXPECT_TRUE(a.at("lead_time_days").contains(key)) << key;
  }
  for (const char* key : {"correct", "wrong", "failed"}) {
    EXPECT_TRUE(a.at("resolution").contains(key)) << key;
  }
}

TEST(CliScenario, EveryLibraryScenarioValidates) {
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(library())) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    ++seen;
    const auto r = rootsim("scenario validate " + entry.path().string());
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.out;
  }
  EXPECT_GE(seen, 3);  // the three of issue 6, and whatever the library has grown since
}

TEST(CliScenario, ListPrintsTheLibrary) {
  const auto r = rootsim("scenario list");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* name : {"baseline-2025", "ntia-era", "unilateral-removal-attempt"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
  }
}

}  // namespace
}  // namespace rootsim
