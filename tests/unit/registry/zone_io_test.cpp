#include "rootsim/registry/zone_io.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "registry_fixtures.hpp"
#include "test_paths.hpp"

namespace rootsim::registry {
namespace {

using testing::name;

std::vector<std::string> lines(const std::vector<dns::Record>& records) {
  std::vector<std::string> out;
  for (const dns::Record& r : records) {
    out.push_back(dns::to_text(r));
  }
  return out;
}

TEST(ZoneIo, UnsignedZoneHasApexDelegationsAndInZoneGlueInCanonicalOrder) {
  const auto zone = build_unsigned_zone(testing::small_registry());
  const std::vector<std::string> expected = {
      ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400",
      ".\t518400\tIN\tNS\ta.root-servers.net.",
      "cz.\t172800\tIN\tNS\ta.ns.nic.cz.",
      "cz.\t172800\tIN\tNS\tb.ns.nic.cz.",
      "cz.\t86400\tIN\tDS\t20237 13 2 CFF0F3EC",
      "a.ns.nic.cz.\t172800\tIN\tA\t194.0.12.1",
      "a.ns.nic.cz.\t172800\tIN\tAAAA\t2001:678:f:0:0:0:0:1",
      "b.ns.nic.cz.\t172800\tIN\tA\t194.0.12.1",
      "b.ns.nic.cz.\t172800\tIN\tAAAA\t2001:678:f:0:0:0:0:1",
      "ns1.provider.cz.\t172800\tIN\tA\t194.0.12.1",
      "ns1.provider.cz.\t172800\tIN\tAAAA\t2001:678:f:0:0:0:0:1",
      "example.\t172800\tIN\tNS\tns1.provider.cz.",
      "example.\t172800\tIN\tNS\tns2.other.net.",
  };
  EXPECT_EQ(lines(zone), expected);
}

TEST(ZoneIo, RemovedTldsLeaveTheZoneWithTheirGlue) {
  RegistryState state = testing::small_registry();
  state.tlds.at(name("cz.")).status = TldStatus::kRemoved;
  for (const std::string& line : lines(build_unsigned_zone(state))) {
    EXPECT_EQ(line.find("cz.\t"), std::string::npos) << line;
  }
}

TEST(ZoneIo, ImportRejectsNonDelegationRecords) {
  auto classifier = TldClassifier::load();
  ASSERT_TRUE(classifier) << classifier.error().message;
  auto zone = dns::parse_zone_text(
      ". 86400 IN SOA a. b. 1 2 3 4 5\ncz. 300 IN TXT \"hello\"\n", dns::Name(), "<t>");
  ASSERT_TRUE(zone);
  auto state = import_zone(*zone, *classifier, 0);
  ASSERT_FALSE(state);
  EXPECT_NE(state.error().message.find("cz. TXT"), std::string::npos) << state.error().message;
  auto orphan_ds = dns::parse_zone_text(
      ". 86400 IN SOA a. b. 1 2 3 4 5\ncz. 300 IN DS 1 8 2 AABB\n", dns::Name(), "<t>");
  EXPECT_FALSE(import_zone(*orphan_ds, *classifier, 0));
}

// The acceptance check: import the real root zone, export it unsigned, and every delegation
// record (NS, DS, glue A/AAAA) equals the input's, record for record.
TEST(ZoneIo, RealRootZoneDelegationsRoundTripExactly) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone) << zone.error().message;
  auto classifier = TldClassifier::load();
  ASSERT_TRUE(classifier) << classifier.error().message;
  auto state = import_zone(*zone, *classifier, 1785542400);
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->tlds.size(), 1438U);
  EXPECT_EQ(state->serial(), 2026073102U);

  auto delegation_lines = [](const std::vector<dns::Record>& records) {
    std::vector<std::string> out;
    for (const dns::Record& r : records) {
      if (!r.owner.is_root() && !is_dnssec_type(r.type)) {
        out.push_back(dns::to_text(r));
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto input = delegation_lines(zone->records);
  const auto output = delegation_lines(build_unsigned_zone(*state));
  EXPECT_EQ(input.size(), 7577U - 13U + 1483U + 5938U + 5643U);  // NS (minus apex) + DS + glue
  ASSERT_EQ(output.size(), input.size());
  EXPECT_EQ(output, input);
}

TEST(ZoneIo, ClassifiesTheRealRootsIdnCcTlds) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  auto classifier = TldClassifier::load();
  ASSERT_TRUE(zone && classifier);
  auto state = import_zone(*zone, *classifier, 0);
  ASSERT_TRUE(state);
  const Tld* rf = state->find_tld(name("xn--p1ai."));
  ASSERT_NE(rf, nullptr);
  EXPECT_EQ(rf->kind, TldKind::kIdnCountryCode);
  EXPECT_EQ(rf->iso_code, "RU");
  EXPECT_EQ(rf->u_label, "рф");
  EXPECT_EQ(state->find_tld(name("arpa."))->kind, TldKind::kInfrastructure);
  EXPECT_EQ(state->find_tld(name("uk."))->kind, TldKind::kCountryCode);
  EXPECT_EQ(state->find_tld(name("com."))->kind, TldKind::kGeneric);
}

}  // namespace
}  // namespace rootsim::registry
