#include "rootsim/registry/zone_statistics.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <cstdlib>

namespace rootsim::registry {
namespace {

dns::ZoneContent make_zone(const std::string& text) {
  auto zone = dns::parse_zone_text(text, dns::Name(), "<test>");
  EXPECT_TRUE(zone) << zone.error().message;
  return *std::move(zone);
}

// Two TLDs sharing one provider host, one in-bailiwick host, one signed TLD.
constexpr const char* kSmallRoot = R"(
.	86400	IN	SOA	a.root-servers.net. nstld.verisign-grs.com. 2026010100 1800 900 604800 86400
.	518400	IN	NS	a.root-servers.net.
aa.	172800	IN	NS	ns1.nic.aa.
aa.	172800	IN	NS	ns.shared-dns.com.
aa.	86400	IN	DS	12345 13 2 0011223344556677889900112233445566778899001122334455667788990011
aa.	86400	IN	DS	12346 8 1 0011223344556677889900112233445566778899
bb.	172800	IN	NS	ns.shared-dns.com.
com.	172800	IN	NS	a.gtld.net.
ns1.nic.aa.	172800	IN	A	192.0.2.1
ns1.nic.aa.	172800	IN	AAAA	2001:db8::1
ns.shared-dns.com.	172800	IN	A	192.0.2.2
ns.shared-dns.com.	172800	IN	A	192.0.2.3
a.root-servers.net.	518400	IN	A	198.41.0.4
)";

TEST(ZoneStatistics, MeasuresASmallRoot) {
  const auto s = measure_zone_statistics(make_zone(kSmallRoot));
  EXPECT_EQ(s.serial, 2026010100U);
  EXPECT_EQ(s.tld_count, 3U);
  EXPECT_EQ(s.ns_count, 4U);
  EXPECT_EQ(s.ns_per_tld, (Histogram{{1, 2}, {2, 1}}));
  EXPECT_EQ(s.ns_in_bailiwick, 1U);
  EXPECT_EQ(s.host_count, 3U);
  EXPECT_EQ(s.hosts_with_glue, 2U);  // a.gtld.net has none here
  EXPECT_EQ(s.ipv4_per_host, (Histogram{{0, 1}, {1, 1}, {2, 1}}));
  EXPECT_EQ(s.ipv6_per_host, (Histogram{{0, 2}, {1, 1}}));
  EXPECT_EQ(s.tlds_with_ipv6_glue, 1U);
  EXPECT_EQ(s.tlds_with_ds, 1U);
  EXPECT_EQ(s.ds_per_tld, (Histogram{{0, 2}, {2, 1}}));
  EXPECT_EQ(s.ds_algorithms, (Histogram{{8, 1}, {13, 1}}));
  EXPECT_EQ(s.ds_digest_types, (Histogram{{1, 1}, {2, 1}}));
  EXPECT_EQ(s.tlds_per_host, (Histogram{{1, 2}, {2, 1}}));
  EXPECT_EQ(s.provider_count, 3U);  // nic.aa, shared-dns.com, gtld.net
  EXPECT_EQ(s.tld_provider_pairs, 4U);
  EXPECT_EQ(s.provider_shapes, (std::vector<ProviderShape>{{2, 1, 1}}));
  ASSERT_EQ(s.top_providers.size(), 3U);
  EXPECT_EQ(s.top_providers[0], (ProviderShare{"shared-dns.com", 2}));
  EXPECT_EQ(s.top_providers[1], (ProviderShare{"gtld.net", 1}));  // ties by name
  EXPECT_EQ(s.ns_ttls, (Histogram{{172800, 4}}));
  EXPECT_EQ(s.glue_ttls, (Histogram{{172800, 4}}));  // the root server's glue is not counted
  EXPECT_EQ(s.ds_ttls, (Histogram{{86400, 2}}));
  EXPECT_DOUBLE_EQ(s.in_bailiwick_share(), 0.25);
  EXPECT_DOUBLE_EQ(s.shared_host_share(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.top_provider_share(1), 0.5);
}

TEST(ZoneStatistics, ProviderIsTheRegistrableParent) {
  const auto n = [](const char* t) { return *dns::Name::from_text(t); };
  EXPECT_EQ(provider_of(n("ns1.TRS-DNS.com.")), "trs-dns.com");
  EXPECT_EQ(provider_of(n("dns1.nic.co.uk.")), "nic.co.uk");
  EXPECT_EQ(provider_of(n("a.nic.fr.")), "nic.fr");
  EXPECT_EQ(provider_of(n("a.ns.se.")), "ns.se");
  EXPECT_EQ(provider_of(n("localhost.")), "localhost");
}

TEST(ZoneStatistics, JsonRoundTrips) {
  const auto s = measure_zone_statistics(make_zone(kSmallRoot));
  const std::string text = to_json(s);
  auto back = zone_statistics_from_json(text, "stats.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
  EXPECT_EQ(to_json(*back), text);
}

TEST(ZoneStatistics, JsonErrorsNamePointer) {
  const std::string good = to_json(measure_zone_statistics(make_zone(kSmallRoot)));
  const auto expect_error = [](const std::string& text, const std::string& needle) {
    auto got = zone_statistics_from_json(text, "s.json");
    ASSERT_FALSE(got) << needle;
    EXPECT_EQ(got.error().code, Errc::kParse);
    EXPECT_NE(got.error().message.find(needle), std::string::npos) << got.error().message;
  };
  expect_error("{", "s.json: byte");
  std::string unknown = good;
  unknown.insert(1, "\"extra\": 1,");
  expect_error(unknown, "s.json: /extra: unknown key");
  std::string bad_key = good;
  bad_key.replace(bad_key.find("\"ns_per_tld\": {") + 15, 0, "\"x\": 1,");
  expect_error(bad_key, "/ns_per_tld/x: key is not an unsigned integer");
  std::string negative = good;
  negative.replace(negative.find("\"tld_count\": 3"), 14, "\"tld_count\": -3");
  expect_error(negative, "/tld_count: expected a non-negative integer");
  std::string missing = good;
  missing.replace(missing.find("\"serial\""), 8, "\"serialx\"");
  expect_error(missing, "/serialx: unknown key");
}

TEST(ZoneStatistics, MissingFileIsAnIoError) {
  auto got = load_zone_statistics("/nonexistent/stats.json");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kIo);
}

// The committed data/root_zone_statistics.json is exactly what the real zone measures. To
// regenerate after replacing the zone: ROOTSIM_UPDATE_GOLDEN=1 ctest --preset dev -R
// ZoneStatistics.CommittedFileMatchesRealRootZone, then review the diff.
TEST(ZoneStatistics, CommittedFileMatchesRealRootZone) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone) << zone.error().message;
  const auto measured = measure_zone_statistics(*zone);
  const auto file = testing::project_data() / "root_zone_statistics.json";
  if (std::getenv("ROOTSIM_UPDATE_GOLDEN") != nullptr) {
    ASSERT_TRUE(save_zone_statistics(file, measured));
  }
  EXPECT_EQ(default_statistics_path(), file);
  auto committed = load_zone_statistics(file);
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(*committed, measured);
  // Facts stated in shared/data/SOURCES.md for serial 2026073102.
  EXPECT_EQ(measured.serial, 2026073102U);
  EXPECT_EQ(measured.tld_count, 1438U);
  EXPECT_EQ(measured.tlds_with_ds, 1349U);
  EXPECT_EQ(measured.ns_count, 7564U);
}

}  // namespace
}  // namespace rootsim::registry
