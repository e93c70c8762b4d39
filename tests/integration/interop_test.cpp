// dig, kdig and drill against `rootsim serve` on the real root zone: referrals with DS, NXDOMAIN
// proofs, apex SOA/DNSKEY, CH TXT, truncation and the retry over TCP, and AXFR.
#include "interop_support.hpp"
#include "server_support.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

namespace rootsim {
namespace {

using testing::records_in_output;
using testing::run_command;
using testing::type_counts;

class ToolsAgainstRootsim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::real_root_zone())) {
      return;
    }
    dir_ = new testing::TempDir("interop_tools");
    server_ = new testing::RootsimServer(
        testing::rootsim_binary(), {},
        {"--zone", testing::real_root_zone().string(), "--instance", "interop-1"}, *dir_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    ASSERT_NE(server_->port(), 0) << server_->log();
  }
  static std::string at() { return "@127.0.0.1 -p " + std::to_string(server_->port()) + " "; }
  static testing::CommandResult dig(const std::string& args) {
    return run_command("dig " + at() + "+norec +time=2 +tries=2 " + args);
  }
  static testing::CommandResult kdig(const std::string& args) {
    return run_command("kdig " + at() + "+norec +time=2 +retry=1 " + args);
  }
  static testing::CommandResult drill(const std::string& args) {
    return run_command("drill -p " + std::to_string(server_->port()) + " " + args + " @127.0.0.1");
  }
  static testing::TempDir* dir_;
  static testing::RootsimServer* server_;
};
testing::TempDir* ToolsAgainstRootsim::dir_ = nullptr;
testing::RootsimServer* ToolsAgainstRootsim::server_ = nullptr;

TEST_F(ToolsAgainstRootsim, DigGetsAReferralForCzWithDsAndRrsig) {
  ROOTSIM_REQUIRE_TOOL("dig");
  const auto r = dig("+dnssec cz NS");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("status: NOERROR"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flags: qr;"), std::string::npos) << "a referral is not authoritative\n"
                                                         << r.out;
  auto counts = type_counts(records_in_output(r.out));
  EXPECT_GE(counts[dns::RRType::kNs], 2U) << r.out;
  EXPECT_GE(counts[dns::RRType::kDs], 1U) << r.out;
  EXPECT_GE(counts[dns::RRType::kRrsig], 1U) << r.out;
  EXPECT_GE(counts[dns::RRType::kA], 1U) << "glue\n" << r.out;
}

TEST_F(ToolsAgainstRootsim, KdigGetsTheSameReferral) {
  ROOTSIM_REQUIRE_TOOL("kdig");
  const auto r = kdig("+dnssec cz NS");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("status: NOERROR"), std::string::npos) << r.out;
  auto counts = type_counts(records_in_output(r.out));
  EXPECT_GE(counts[dns::RRType::kDs], 1U) << r.out;
  EXPECT_GE(counts[dns::RRType::kRrsig], 1U) << r.out;
}

TEST_F(ToolsAgainstRootsim, NxdomainHasSoaAndNsecForEveryTool) {
  ROOTSIM_REQUIRE_TOOL("dig");
  ROOTSIM_REQUIRE_TOOL("kdig");
  ROOTSIM_REQUIRE_TOOL("drill");
  for (const auto& r :
       {dig("+dnssec nosuchtld. A"), kdig("+dnssec nosuchtld. A"), drill("-D nosuchtld. A")}) {
    EXPECT_NE(r.out.find("NXDOMAIN"), std::string::npos) << r.out;
    auto counts = type_counts(records_in_output(r.out));
    EXPECT_EQ(counts[dns::RRType::kSoa], 1U) << r.out;
    EXPECT_GE(counts[dns::RRType::kNsec], 1U) << r.out;
    EXPECT_GE(counts[dns::RRType::kRrsig], 2U) << r.out;
  }
}

TEST_F(ToolsAgainstRootsim, ApexSoaAndDnskey) {
  ROOTSIM_REQUIRE_TOOL("drill");
  ROOTSIM_REQUIRE_TOOL("kdig");
  const auto soa = drill(". SOA");
  EXPECT_NE(soa.out.find("2026073102"), std::string::npos) << soa.out;
  EXPECT_NE(soa.out.find("flags: qr aa"), std::string::npos) << soa.out;
  const auto keys = kdig("+dnssec . DNSKEY");
  auto counts = type_counts(records_in_output(keys.out));
  EXPECT_GE(counts[dns::RRType::kDnskey], 2U) << keys.out;
  EXPECT_GE(counts[dns::RRType::kRrsig], 1U) << keys.out;
}

TEST_F(ToolsAgainstRootsim, ChaosHostnameBind) {
  ROOTSIM_REQUIRE_TOOL("dig");
  ROOTSIM_REQUIRE_TOOL("kdig");
  EXPECT_NE(dig("CH TXT hostname.bind").out.find("\"interop-1\""), std::string::npos);
  EXPECT_NE(kdig("-c CH -t TXT id.server").out.find("\"interop-1\""), std::string::npos);
}

TEST_F(ToolsAgainstRootsim, TruncatedOverUdpAndWholeOverTcp) {
  ROOTSIM_REQUIRE_TOOL("dig");
  const auto udp = dig("+dnssec +bufsize=512 +ignore . DNSKEY");
  EXPECT_NE(udp.out.find(" tc"), std::string::npos) << udp.out;
  // Without +ignore dig retries over TCP by itself and gets the whole RRset.
  const auto retry = dig("+dnssec +bufsize=512 . DNSKEY");
  EXPECT_NE(retry.out.find("Truncated, retrying in TCP mode"), std::string::npos) << retry.out;
  auto counts = type_counts(records_in_output(retry.out));
  EXPECT_GE(counts[dns::RRType::kDnskey], 2U) << retry.out;
  EXPECT_GE(counts[dns::RRType::kRrsig], 1U) << retry.out;
}

TEST_F(ToolsAgainstRootsim, AxfrWithKdigAndDigMatchesTheZone) {
  ROOTSIM_REQUIRE_TOOL("kdig");
  ROOTSIM_REQUIRE_TOOL("dig");
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone.has_value());
  auto expected = testing::as_text(zone->records);
  expected.insert(dns::to_text(zone->records.front()));  // the closing SOA
  ASSERT_EQ(zone->records.front().type, dns::RRType::kSoa);
  for (const std::string& tool : {std::string("kdig"), std::string("dig")}) {
    // Names as ASCII (the tools show IDNs in Unicode by default).
    const std::string ascii = tool == "kdig" ? "+noidn" : "+noidnout";
    const auto r =
        run_command(tool + " " + at() + ascii + " . AXFR > " + (*dir_ / "axfr.txt").string());
    ASSERT_EQ(r.exit_code, 0) << tool << " " << r.out;
    const auto records = records_in_output(testing::read_text(*dir_ / "axfr.txt"));
    ASSERT_GE(records.size(), 2U) << tool;
    EXPECT_EQ(records.front().type, dns::RRType::kSoa) << tool;
    EXPECT_EQ(records.back().type, dns::RRType::kSoa) << tool;
    EXPECT_EQ(records.size(), expected.size()) << tool;
    EXPECT_TRUE(testing::as_text(records) == expected) << tool;
  }
}

}  // namespace
}  // namespace rootsim
