// Governance arrangements through the CLI, as the acceptance checks read them.
#include "registry_fixtures.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace rootsim {
namespace {

using testing::run_command;

testing::CommandResult rootsim(const std::string& args) { return testing::run_rootsim(args); }

TEST(CliArrangement, ListGivesNameAndDescriptionOfTheSixBuiltIns) {
  const auto r = rootsim("arrangement list --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 6U);
  std::vector<std::string> names;
  for (const auto& a : list) {
    names.push_back(a.at("name"));
    EXPECT_GT(a.at("description").get<std::string>().size(), 100U);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"unilateral-oversight", "multistakeholder",
                                             "intergovernmental", "cctld-sovereignty",
                                             "enhanced-cooperation", "rssac037"}));
  EXPECT_EQ(rootsim("arrangement list").exit_code, 0);
}

TEST(CliArrangement, AnalyzeJsonHasTheContractFieldsPerArrangementAndType) {
  const auto r = rootsim("arrangement analyze --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("arrangements").size(), 6U);
  for (const auto& a : j.at("arrangements")) {
    ASSERT_TRUE(a.at("request_types").contains("ns-update")) << a.at("name");
    ASSERT_TRUE(a.at("request_types").contains("revoke"));
    for (const auto& [type, e] : a.at("request_types").items()) {
      EXPECT_TRUE(e.at("single_points_of_control").is_array()) << type;
      EXPECT_TRUE(e.at("veto_points").is_array());
      EXPECT_TRUE(e.at("foreign_influence_on_cctld").is_boolean());
      EXPECT_GT(e.at("expected_lead_time_days").get<double>(), 0.0);
    }
  }
  const auto& first = j.at("arrangements").at(0);
  EXPECT_EQ(first.at("name"), "unilateral-oversight");
  EXPECT_EQ(first.at("request_types").at("revoke").at("single_points_of_control"),
            nlohmann::json::array({"oversight"}));
  const auto text = rootsim("arrangement analyze");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("legend:"), std::string::npos);
}

TEST(CliArrangement, ShowAndValidate) {
  const auto show = rootsim("arrangement show cctld-sovereignty");
  ASSERT_EQ(show.exit_code, 0) << show.out;
  EXPECT_NE(show.out.find("national-decision (local-authority)"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("Tunis Agenda"), std::string::npos);
  EXPECT_EQ(rootsim("arrangement show nonesuch").exit_code, 2);
  const std::string file = testing::TempDb("arrangement").path().string() + ".json";
  {
    std::ifstream in(testing::project_data().parent_path() / "policy" / "arrangements" /
                     "multistakeholder.json");
    auto doc = nlohmann::json::parse(in);
    doc["stages"]["ec-vote"]["params"]["threshold"] = 1.5;
    std::ofstream(file) << doc.dump();
  }
  const auto bad = rootsim("arrangement validate " + file);
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("/stages/ec-vote/params/threshold: must be in (0, 1]"), std::string::npos)
      << bad.out;
  const auto good = rootsim("arrangement validate " + (testing::project_data().parent_path() /
                                                       "policy" / "arrangements" / "rssac037.json")
                                                          .string());
  EXPECT_EQ(good.exit_code, 0) << good.out;
  std::filesystem::remove(file);
}

class GovernedRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    const auto init = run("init --from-zone " + testing::real_root_zone().string());
    ASSERT_EQ(init.exit_code, 0) << init.out;
  }
  testing::CommandResult run(const std::string& args) {
    return run_command(testing::rootsim_binary() + " --db " + db_.path().string() +
                       " --now 1785542400 " + args);
  }
  static std::string example(const std::string& name) {
    return (testing::project_data().parent_path() / "examples" / "requests" / name).string();
  }
  testing::TempDb db_{"cli_governed"};
};

TEST_F(GovernedRequests, SubmitThroughAnArrangementRecordsTheTraceAndPublishes) {
  const auto submit = run("request submit --json " + example("ds-update-cz.json") +
                          " --arrangement multistakeholder --seed 7");
  ASSERT_EQ(submit.exit_code, 0) << submit.out;
  const auto out = nlohmann::json::parse(submit.out);
  EXPECT_EQ(out.at("status"), "published");
  EXPECT_EQ(out.at("trace").at("steps").at(0).at("reason"), "checks-passed");
  const auto show = run("request show --json 1");
  ASSERT_EQ(show.exit_code, 0) << show.out;
  const auto stored = nlohmann::json::parse(show.out);
  EXPECT_EQ(stored.at("status"), "published");
  EXPECT_EQ(stored.at("arrangement"), "multistakeholder");
  EXPECT_EQ(stored.at("trace"), out.at("trace"));
  EXPECT_TRUE(stored.at("serial").is_number());
  EXPECT_EQ(run("audit verify").exit_code, 0);
  const auto audit = run("audit list --json");
  EXPECT_NE(audit.out.find("request.decide"), std::string::npos);
}

TEST_F(GovernedRequests, SameSeedSameTraceAndForeignRemovalRefusedUnderSovereignty) {
  // .io is British Indian Ocean Territory's ccTLD; Mauritius asks for it to be handed over.
  const std::string request = db_.path().string() + ".transfer.json";
  {
    std::ifstream in(example("transfer-io.json"));
    auto doc = nlohmann::json::parse(in);
    doc["requester"] = "gov:MU";
    std::ofstream(request) << doc.dump();
  }
  std::vector<std::string> traces;
  for (int i = 0; i < 2; ++i) {
    const auto r =
        run("request submit --json " + request + " --arrangement cctld-sovereignty --seed 11");
    ASSERT_NE(r.exit_code, 2) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    traces.push_back(j.at("trace").dump());
    if (j.at("status") == "published") {
      break;  // the territory's own government agreed (2%): a second run cannot repeat it
    }
    EXPECT_EQ(j.at("status"), "rejected");
    EXPECT_EQ(j.at("trace").at("reason"), "local-refusal");
    EXPECT_EQ(j.at("trace").at("steps").at(1).at("actor"), "gov:IO");
  }
  if (traces.size() == 2) {
    EXPECT_EQ(traces[0], traces[1]);
  }
  std::filesystem::remove(request);
}

}  // namespace
}  // namespace rootsim
