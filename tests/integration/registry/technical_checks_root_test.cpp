// The technical checks over every TLD of the real IANA root zone: the great majority of live
// delegations must pass, and the failures are printed by code so that a change in a rule shows.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/technical_checks.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include "registry_fixtures.hpp"

#include <chrono>
#include <iostream>
#include <map>

namespace rootsim::registry {
namespace {


TEST(TechnicalChecksRealRoot, GreatMajorityOfTldsPass) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone) << zone.error().message;
  const RegistryState state = testing::imported(zone->records);
  ASSERT_GT(state.tlds.size(), 1000U);

  const auto start = std::chrono::steady_clock::now();
  std::size_t pass = 0;
  std::size_t referral_max = 0;
  std::size_t glue_dropped_tlds = 0;
  std::map<std::string, std::size_t> by_code;
  std::map<std::string, std::vector<std::string>> examples;
  for (const auto& [label, tld] : state.tlds) {
    const auto findings = run_technical_checks(tld, state, CheckInput{});
    pass += passed(findings) ? 1U : 0U;
    const ReferralSize r = measure_referral(tld, state, 63, 512);
    referral_max = std::max(referral_max, r.full_size);
    glue_dropped_tlds += r.glue_fitted < r.glue_total ? 1U : 0U;
    for (const CheckFinding& f : findings) {
      const std::string key =
          std::string(to_string(f.code)) + "/" + std::string(to_string(f.severity));
      ++by_code[key];
      if (examples[key].size() < 3) {
        examples[key].push_back(f.message);
      }
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::cout << "root zone: " << pass << " of " << state.tlds.size() << " TLDs pass all checks ("
            << ms << " ms, largest full referral " << referral_max << " octets, "
            << glue_dropped_tlds << " TLDs drop some glue at 512)\n";
  for (const auto& [key, count] : by_code) {
    std::cout << "  " << key << ": " << count << "\n";
    for (const std::string& m : examples[key]) {
      std::cout << "      e.g. " << m << "\n";
    }
  }
  EXPECT_GE(pass * 100, state.tlds.size() * 95) << "fewer than 95% of real TLDs pass";
}

}  // namespace
}  // namespace rootsim::registry
