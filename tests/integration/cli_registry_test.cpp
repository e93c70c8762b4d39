// The registry commands end to end, as a user runs them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "registry_fixtures.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"

namespace rootsim {
namespace {

using testing::run_command;

std::string rootsim(const testing::TempDb& db, const std::string& args) {
  return testing::rootsim_binary() + " --db " + db.path().string() + " --now 1785542400 " + args;
}

class RealRegistry : public ::testing::Test {
 protected:
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    const auto init = run_command(rootsim(db_, "init --from-zone " +
                                                   testing::real_root_zone().string()));
    ASSERT_EQ(init.exit_code, 0) << init.out;
  }
  testing::TempDb db_{"cli_real"};
};

TEST_F(RealRegistry, TldListJsonHasOneObjectPerTld) {
  const auto list = run_command(rootsim(db_, "tld list --json"));
  ASSERT_EQ(list.exit_code, 0) << list.out;
  std::istringstream lines(list.out);
  std::string line;
  int count = 0;
  int idn_cc = 0;
  while (std::getline(lines, line)) {
    const auto tld = nlohmann::json::parse(line);
    ++count;
    idn_cc += tld.at("kind") == "idn-country-code" ? 1 : 0;
  }
  EXPECT_EQ(count, 1438);
  EXPECT_GE(idn_cc, 55);
}

TEST_F(RealRegistry, TldShowGivesKindNsGlueAndDs) {
  const auto show = run_command(rootsim(db_, "tld show xn--p1ai --json"));
  ASSERT_EQ(show.exit_code, 0) << show.out;
  const auto tld = nlohmann::json::parse(show.out);
  EXPECT_EQ(tld.at("kind"), "idn-country-code");
  EXPECT_EQ(tld.at("iso_code"), "RU");
  EXPECT_EQ(tld.at("u_label"), "рф");
  EXPECT_GE(tld.at("ns").size(), 2U);
  EXPECT_FALSE(tld.at("ds").empty());
  const auto text = run_command(rootsim(db_, "tld show xn--p1ai"));
  EXPECT_NE(text.out.find("idn-country-code (RU)"), std::string::npos) << text.out;
  const auto missing = run_command(rootsim(db_, "tld show nosuchtld"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.out.find("no TLD nosuchtld."), std::string::npos) << missing.out;
}

TEST_F(RealRegistry, ExportIsTheInputsDelegationsAndVerifiesInTheAuditLog) {
  const auto out = db_.path().string() + ".zone";
  const auto exported = run_command(rootsim(db_, "zone export -o " + out));
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  // named-checkzone reads it back (-i local: no network lookups, PEERS.md).
  if (testing::have_tool("named-checkzone")) {
    const auto check = run_command("named-checkzone -i local . " + out);
    EXPECT_EQ(check.exit_code, 0) << check.out;
  }
  std::filesystem::remove(out);
  const auto audit = run_command(rootsim(db_, "audit verify --json"));
  EXPECT_EQ(audit.exit_code, 0) << audit.out;
  EXPECT_EQ(nlohmann::json::parse(audit.out).at("intact"), true);
}

TEST_F(RealRegistry, InitTwiceRefusesAndKeepsTheRegistry) {
  const auto again = run_command(rootsim(db_, "init --from-zone " +
                                                  testing::real_root_zone().string()));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.out.find("already initialised"), std::string::npos) << again.out;
  EXPECT_EQ(run_command(rootsim(db_, "tld list")).exit_code, 0);
}

TEST(CliRegistry, MalformedZoneFileNamesFileAndLineAndWritesNothing) {
  testing::TempDb db("cli_bad_zone");
  const auto zone = std::filesystem::temp_directory_path() / "rootsim_bad.zone";
  {
    std::ofstream out(zone);
    out << ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n"
        << "cz. 172800 IN NS a.ns.nic.cz.\n"
        << "a.ns.nic.cz. 172800 IN A 194.0.12\n";
  }
  const auto init = run_command(rootsim(db, "init --from-zone " + zone.string()));
  EXPECT_EQ(init.exit_code, 2);
  EXPECT_NE(init.out.find(zone.string() + ":3:"), std::string::npos) << init.out;
  EXPECT_FALSE(std::filesystem::exists(db.path()));
  std::filesystem::remove(zone);
}

TEST(CliRegistry, HelpWorksOnEverySubcommand) {
  for (const std::string cmd :
       {"--help", "init --help", "tld --help", "tld list --help", "tld show --help",
        "zone --help", "zone export --help", "audit --help", "audit verify --help",
        "audit list --help", "zone sign --help", "zone keys --help", "zone keys list --help",
        "zone keys roll --help", "zone diff --help", "zone check --help", "check --help",
        "request --help", "request submit --help", "request list --help", "request show --help",
        "request apply --help"}) {
    const auto help = run_command(testing::rootsim_binary() + " " + cmd);
    EXPECT_EQ(help.exit_code, 0) << cmd << ": " << help.out;
    EXPECT_NE(help.out.find("usage: rootsim"), std::string::npos) << cmd << ": " << help.out;
  }
  const auto unknown = run_command(testing::rootsim_binary() + " frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST(CliRegistry, CommandsWithoutARegistrySayHowToMakeOne) {
  const auto list = run_command(testing::rootsim_binary() + " --db /nonexistent/reg.db tld list");
  EXPECT_EQ(list.exit_code, 2);
  EXPECT_NE(list.out.find("init"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace rootsim
