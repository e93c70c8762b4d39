// `rootsim --db reg.db serve`: the registry's zone signed with its stored keys, and a new zone
// version (an applied change request) swapped in while queries keep flowing.
#include "rootsim/dns/message.hpp"

#include "run_command.hpp"
#include "server_support.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace rootsim {
namespace {

using testing::make_query;
using testing::run_command;

constexpr std::uint16_t kSoa = 6, kDs = 43, kDnskey = 48;
const std::string kNow = "1785542400";  // 2026-08-01, as the other registry tests

class RegistryServe : public ::testing::Test {
 protected:
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    const auto init = rootsim("init --from-zone " + testing::real_root_zone().string());
    ASSERT_EQ(init.exit_code, 0) << init.out;
  }
  testing::CommandResult rootsim(const std::string& args) {
    return run_command(testing::rootsim_binary() + " --db " + db_.string() + " --now " + kNow +
                       " " + args);
  }
  std::optional<dns::Message> ask(std::uint16_t port, const std::string& name, std::uint16_t type) {
    auto wire = testing::udp_query(port, make_query(name, type, {.dnssec_ok = true}));
    if (!wire) {
      return std::nullopt;
    }
    auto m = dns::parse_message(*wire);
    return m ? std::optional<dns::Message>(*m) : std::nullopt;
  }
  static std::uint32_t soa_serial(const dns::Message& m) {
    for (const auto& r : m.answer) {
      if (r.type == dns::RRType::kSoa) {
        const std::size_t at = r.rdata.size() - 20;
        return (std::uint32_t{r.rdata[at]} << 24) | (std::uint32_t{r.rdata[at + 1]} << 16) |
               (std::uint32_t{r.rdata[at + 2]} << 8) | r.rdata[at + 3];
      }
    }
    return 0;
  }
  static std::size_t count(const std::vector<dns::Record>& rs, dns::RRType type) {
    return static_cast<std::size_t>(
        std::count_if(rs.begin(), rs.end(), [&](const auto& r) { return r.type == type; }));
  }
  testing::TempDir dir_{"serve_registry"};
  std::filesystem::path db_ = dir_ / "reg.db";
};

TEST_F(RegistryServe, ServesTheSignedZoneAndSwapsInANewVersionWithoutDroppingAnswers) {
  const auto sign =
      rootsim("zone sign --algorithm ecdsap256sha256 -o " + (dir_ / "s.zone").string());
  ASSERT_EQ(sign.exit_code, 0) << sign.out;
  testing::RootsimServer server(testing::rootsim_binary(), {"--db", db_.string(), "--now", kNow},
                                {"--poll-interval", "1", "--threads", "2"}, dir_);
  ASSERT_NE(server.port(), 0) << server.log();
  EXPECT_NE(server.log().find("signed with the registry's 2 keys"), std::string::npos)
      << server.log();
  const auto soa = ask(server.port(), ".", kSoa);
  ASSERT_TRUE(soa.has_value());
  EXPECT_EQ(soa_serial(*soa), 2026073102U);
  const auto keys = ask(server.port(), ".", kDnskey);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(count(keys->answer, dns::RRType::kDnskey), 2U);
  EXPECT_EQ(count(keys->answer, dns::RRType::kRrsig), 1U);

  // Queries keep flowing while the new version is signed and swapped in: each one is answered,
  // and each answer is wholly old (one DS) or wholly new (two DS), always with its signature.
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::atomic<int> bad{0};
  std::thread load([&] {
    while (!done.load()) {
      const auto m = ask(server.port(), "cz.", kDs);
      if (!m) {
        ++bad;
        continue;
      }
      const std::size_t ds = count(m->answer, dns::RRType::kDs);
      if (m->header.rcode != 0 || (ds != 1 && ds != 2) ||
          count(m->answer, dns::RRType::kRrsig) != 1) {
        ++bad;
      }
      ++answered;
    }
  });
  const auto submit = rootsim(
      "request submit " +
      (testing::project_data().parent_path() / "examples/requests/ds-update-cz.json").string());
  const auto apply = rootsim("request apply 1");
  const bool swapped = testing::wait_until(
      [&] {
        const auto m = ask(server.port(), ".", kSoa);
        return m && soa_serial(*m) == 2026080100U;
      },
      std::chrono::seconds(60));
  done = true;
  load.join();
  ASSERT_EQ(submit.exit_code, 0) << submit.out;
  ASSERT_EQ(apply.exit_code, 0) << apply.out;
  ASSERT_TRUE(swapped) << server.log();
  const auto ds = ask(server.port(), "cz.", kDs);
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(count(ds->answer, dns::RRType::kDs), 2U);
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_NE(server.log().find("serial 2026080100"), std::string::npos) << server.log();
}

TEST_F(RegistryServe, WithoutKeysServesUnsignedAndSaysSo) {
  testing::RootsimServer server(testing::rootsim_binary(), {"--db", db_.string(), "--now", kNow},
                                {}, dir_);
  ASSERT_NE(server.port(), 0) << server.log();
  EXPECT_NE(server.log().find("unsigned (the registry has no signing keys"), std::string::npos)
      << server.log();
  const auto keys = ask(server.port(), ".", kDnskey);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(keys->header.rcode, 0);
  EXPECT_TRUE(keys->answer.empty());
}

}  // namespace
}  // namespace rootsim
