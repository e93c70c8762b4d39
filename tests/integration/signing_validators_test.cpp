// Signs the real root zone and hands it to independent validators: ldns-verify-zone (with
// ZONEMD), dnssec-verify (BIND) and kzonecheck (Knot). These tools judge signatures against the
// wall clock, so these tests sign with the current time; each skips when its tool is absent.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/zone_signer.hpp"
#include "rootsim/registry/zonemd.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

namespace rootsim::registry {
namespace {

struct ToolRun {
  int status = -1;
  std::string output;
};

ToolRun run(const std::string& command) {
  ToolRun result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) {
    result.output += buf.data();
  }
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool have(const std::string& tool) { return run("command -v " + tool).status == 0; }

#define REQUIRE_TOOL(tool)                                   \
  do {                                                       \
    if (!have(tool)) {                                       \
      GTEST_SKIP() << tool << " is not installed: skipping"; \
    }                                                        \
  } while (false)

std::filesystem::path scratch() {
  const auto dir =
      std::filesystem::temp_directory_path() / ("rootsim-signing-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);  // again after a suite's teardown removed it
  return dir;
}

std::vector<dns::Record> unsigned_root() {
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  EXPECT_TRUE(zone) << (zone ? "" : zone.error().message);
  if (!zone) {
    return {};
  }
  std::erase_if(zone->records, [](const dns::Record& r) {
    return r.type == dns::RRType::kRrsig || r.type == dns::RRType::kNsec ||
           r.type == dns::RRType::kDnskey || r.type == dns::RRType::kZonemd;
  });
  return zone->records;
}

std::vector<SigningKey> keys(std::uint8_t algorithm, unsigned bits) {
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  return {*generate_key(KeyRole::kKsk, algorithm, bits, now),
          *generate_key(KeyRole::kZsk, algorithm, bits, now)};
}

SigningPolicy now_policy() {
  SigningPolicy policy;
  policy.now = static_cast<std::int64_t>(std::time(nullptr));  // validators use the clock
  return policy;
}

std::string write(const std::vector<dns::Record>& records, const std::string& file) {
  const auto path = scratch() / file;
  EXPECT_TRUE(dns::write_file_atomically(path, dns::write_zone_text(records)));
  return path.string();
}

class SignedRootZone : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::real_root_zone())) {
      return;
    }
    ecdsa_keys_ = new std::vector<SigningKey>(keys(kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits));
    auto zone = sign_zone(unsigned_root(), *ecdsa_keys_, now_policy());
    ASSERT_TRUE(zone) << zone.error().message;
    zone_ = new SignedZone(std::move(*zone));
    path_ = new std::string(write(zone_->records, "root.ecdsa.zone"));
  }
  static void TearDownTestSuite() {
    delete zone_;
    delete path_;
    delete ecdsa_keys_;
    zone_ = nullptr;
    path_ = nullptr;
    ecdsa_keys_ = nullptr;
    std::filesystem::remove_all(scratch());
  }
  void SetUp() override { ROOTSIM_REQUIRE_ROOT_ZONE(); }

  static SignedZone* zone_;                     // NOLINT: suite-wide fixture data
  static std::string* path_;                    // NOLINT
  static std::vector<SigningKey>* ecdsa_keys_;  // NOLINT
};
SignedZone* SignedRootZone::zone_ = nullptr;
std::string* SignedRootZone::path_ = nullptr;
std::vector<SigningKey>* SignedRootZone::ecdsa_keys_ = nullptr;

TEST_F(SignedRootZone, HasTheShapeOfTheRealRoot) {
  EXPECT_EQ(zone_->stats.nsec_records, 1439U);  // the real root's NSEC count
  EXPECT_TRUE(verify_zonemd(zone_->records, dns::Name()));
}

TEST_F(SignedRootZone, LdnsVerifyZoneAcceptsItWithZonemd) {
  REQUIRE_TOOL("ldns-verify-zone");
  const ToolRun r = run("ldns-verify-zone -Z " + *path_);
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST_F(SignedRootZone, BindDnssecVerifyAcceptsIt) {
  REQUIRE_TOOL("dnssec-verify");
  const ToolRun r = run("dnssec-verify -o . " + *path_);
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST_F(SignedRootZone, KnotKzonecheckAcceptsIt) {
  REQUIRE_TOOL("kzonecheck");
  const ToolRun r = run("kzonecheck -o . -d on " + *path_);
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST_F(SignedRootZone, ValidatorsRejectOneFlippedSignatureByte) {
  auto records = zone_->records;
  for (auto& r : records) {
    if (r.type == dns::RRType::kRrsig && dns::get_u16(r.rdata, 0) == 43) {  // first DS RRSIG
      r.rdata.back() ^= 0x01;
      break;
    }
  }
  const std::string path = write(records, "root.tampered.zone");
  std::size_t ran = 0;
  if (have("ldns-verify-zone")) {
    const ToolRun r = run("ldns-verify-zone " + path);
    EXPECT_NE(r.status, 0) << "ldns-verify-zone accepted a tampered zone";
    ++ran;
  }
  if (have("dnssec-verify")) {
    const ToolRun r = run("dnssec-verify -o . " + path);
    EXPECT_NE(r.status, 0) << "dnssec-verify accepted a tampered zone";
    ++ran;
  }
  if (have("kzonecheck")) {
    const ToolRun r = run("kzonecheck -o . -d on " + path);
    EXPECT_NE(r.status, 0) << "kzonecheck accepted a tampered zone";
    ++ran;
  }
  if (ran == 0) {
    GTEST_SKIP() << "no validator installed";
  }
}

TEST_F(SignedRootZone, IncrementalUpdateAfterADsChangeStillValidates) {
  REQUIRE_TOOL("ldns-verify-zone");
  ZoneSigner signer;
  auto records = unsigned_root();
  ASSERT_TRUE(signer.update(records, *ecdsa_keys_, now_policy()));
  for (auto& r : records) {
    if (r.type == dns::RRType::kSoa) {
      auto soa = *dns::read_soa_rdata(r.rdata);
      soa.serial += 1;
      r.rdata = dns::make_soa_rdata(soa);
    } else if (r.type == dns::RRType::kDs && r.owner.to_text() == "cz.") {
      r.rdata.back() ^= 0xff;  // a new digest
    }
  }
  auto stats = signer.update(records, *ecdsa_keys_, now_policy());
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->signatures, 3U);  // cz. DS, SOA, ZONEMD
  const ToolRun r = run("ldns-verify-zone -Z " + write(signer.records(), "root.incremental.zone"));
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(SignedRootZoneRsa, Rsa2048ZoneValidatesWithLdnsAndBind) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  REQUIRE_TOOL("ldns-verify-zone");
  auto zone = sign_zone(unsigned_root(), keys(kAlgorithmRsaSha256, kDefaultRsaBits), now_policy());
  ASSERT_TRUE(zone) << zone.error().message;
  const std::string path = write(zone->records, "root.rsa.zone");
  const ToolRun ldns = run("ldns-verify-zone -Z " + path);
  EXPECT_EQ(ldns.status, 0) << ldns.output;
  if (have("dnssec-verify")) {
    const ToolRun bind = run("dnssec-verify -o . " + path);
    EXPECT_EQ(bind.status, 0) << bind.output;
  }
  std::filesystem::remove_all(scratch());
}

}  // namespace
}  // namespace rootsim::registry
