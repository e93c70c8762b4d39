// Change requests, checks, signing and diffs through the CLI, as a user runs them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "registry_fixtures.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"

namespace rootsim {
namespace {

using testing::run_command;

std::filesystem::path example(const std::string& name) {
  return testing::project_data().parent_path() / "examples" / "requests" / name;
}

class RequestFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    const auto init = run("init --from-zone " + testing::real_root_zone().string());
    ASSERT_EQ(init.exit_code, 0) << init.out;
  }
  testing::CommandResult run(const std::string& args) {
    // 2026-08-01T00:00:00Z: inside the real zone's signature validity, for reproducible runs.
    return run_command(testing::rootsim_binary() + " --db " + db_.path().string() +
                       " --now 1785542400 " + args);
  }
  std::string scratch(const std::string& name) const { return db_.path().string() + "." + name; }
  testing::TempDb db_{"cli_requests"};
};

TEST_F(RequestFlow, AcceptedRequestIsAppliedAsANewZoneVersion) {
  const auto submit = run("request submit --json " + example("ds-update-cz.json").string());
  ASSERT_EQ(submit.exit_code, 0) << submit.out;
  const auto outcome = nlohmann::json::parse(submit.out);
  EXPECT_EQ(outcome.at("status"), "pending");
  const auto before = scratch("before.zone");
  ASSERT_EQ(run("zone export -o " + before).exit_code, 0);
  const auto apply = run("request apply --json " + std::to_string(outcome.at("id").get<int>()));
  ASSERT_EQ(apply.exit_code, 0) << apply.out;
  EXPECT_EQ(nlohmann::json::parse(apply.out).at("serial"), 2026080100);
  const auto after = scratch("after.zone");
  ASSERT_EQ(run("zone export -o " + after).exit_code, 0);
  const auto diff = run_command(testing::rootsim_binary() + " zone diff --json " + before + " " + after);
  EXPECT_EQ(diff.exit_code, 1) << diff.out;  // they differ
  EXPECT_NE(diff.out.find("41226"), std::string::npos) << diff.out;
  const auto show = run("request show --json 1");
  EXPECT_EQ(nlohmann::json::parse(show.out).at("status"), "published");
  const auto again = run("request apply 1");
  EXPECT_EQ(again.exit_code, 2) << again.out;
  EXPECT_EQ(run("audit verify").exit_code, 0);
  std::filesystem::remove(before);
  std::filesystem::remove(after);
}

TEST_F(RequestFlow, RequestFailingTheTechnicalChecksIsRecordedRejected) {
  const auto submit =
      run("request submit --json " + example("delegate-documentation-addresses.json").string());
  EXPECT_EQ(submit.exit_code, 1) << submit.out;
  const auto outcome = nlohmann::json::parse(submit.out);
  EXPECT_EQ(outcome.at("status"), "rejected");
  bool special = false;
  for (const auto& f : outcome.at("findings")) {
    special = special || f.at("code") == "address-special-purpose";
  }
  EXPECT_TRUE(special) << submit.out;
  EXPECT_EQ(run("request apply 1").exit_code, 2);
  const auto good = run("request submit " + example("delegate-new-gtld.json").string());
  EXPECT_EQ(good.exit_code, 0) << good.out;
}

TEST_F(RequestFlow, MalformedRequestNamesTheJsonPointerAndRecordsNothing) {
  const auto file = scratch("bad.json");
  std::ofstream(file) << R"({"type":"ns-update","tld":"cz","requester":"manager:cz",)"
                      << R"("ns":["a.ns.nic.cz.","b.ns.nic.cz.","not a host"]})";
  const auto submit = run("request submit " + file);
  EXPECT_EQ(submit.exit_code, 2);
  EXPECT_NE(submit.out.find("/ns/2: "), std::string::npos) << submit.out;
  EXPECT_EQ(run("request list").out, "");
  const auto unknown_key = scratch("unknown.json");
  std::ofstream(unknown_key) << R"({"type":"revoke","tld":"cz","requester":"x","colour":"red"})";
  const auto submit2 = run("request submit " + unknown_key);
  EXPECT_EQ(submit2.exit_code, 2);
  EXPECT_NE(submit2.out.find("/colour"), std::string::npos) << submit2.out;
  std::filesystem::remove(file);
  std::filesystem::remove(unknown_key);
}

TEST_F(RequestFlow, CheckReportsFindings) {
  const auto check = run("check cz --json");
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(nlohmann::json::parse(check.out).at("passed"), true);
  EXPECT_EQ(run("check nosuchtld").exit_code, 2);
}

TEST_F(RequestFlow, SignedZoneValidatesAndKeysPersist) {
  const auto signed_zone = scratch("signed.zone");
  const auto sign = run("zone sign --algorithm ecdsap256sha256 -o " + signed_zone);
  ASSERT_EQ(sign.exit_code, 0) << sign.out;
  const auto keys = run("zone keys list --json");
  ASSERT_EQ(keys.exit_code, 0);
  if (testing::have_tool("ldns-verify-zone")) {
    const auto verify = run_command("ldns-verify-zone -Z -t 20260801000000 " + signed_zone);
    EXPECT_EQ(verify.exit_code, 0) << verify.out;
  } else {
    std::cout << "[ SKIPPED  ] ldns-verify-zone not installed\n";
  }
  // Signing again uses the same keys; a ZSK roll publishes a new one.
  ASSERT_EQ(run("zone sign -o " + signed_zone).exit_code, 0);
  EXPECT_EQ(run("zone keys list --json").out, keys.out);
  const auto roll = run("zone keys roll --zsk");
  ASSERT_EQ(roll.exit_code, 0) << roll.out;
  EXPECT_NE(run("zone keys list --json").out, keys.out);
  ASSERT_EQ(run("zone sign -o " + signed_zone).exit_code, 0);
  if (testing::have_tool("ldns-verify-zone")) {
    const auto verify = run_command("ldns-verify-zone -Z -t 20260801000000 " + signed_zone);
    EXPECT_EQ(verify.exit_code, 0) << verify.out;
  }
  EXPECT_EQ(run("zone keys roll").exit_code, 2);
  std::filesystem::remove(signed_zone);
}

}  // namespace
}  // namespace rootsim
