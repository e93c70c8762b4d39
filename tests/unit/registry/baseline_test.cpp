#include "rootsim/registry/baseline.hpp"
#include "rootsim/registry/technical_checks.hpp"
#include "rootsim/registry/zone_io.hpp"

#include "rootsim/dns/dnssec.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <set>

namespace rootsim::registry {
namespace {

constexpr std::int64_t kNow = 1785542400;  // 2026-08-01T00:00:00Z

const ZoneStatistics& real_stats() {
  static const ZoneStatistics s = [] {
    auto loaded = load_zone_statistics(default_statistics_path());
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return *std::move(loaded);
  }();
  return s;
}

const RegistryState& baseline() {
  static const RegistryState state = [] {
    auto built = build_baseline({}, real_stats(), 42, kNow);
    if (!built) {
      ADD_FAILURE() << built.error().message;
      std::abort();
    }
    return *std::move(built);
  }();
  return state;
}

dns::Name name(const std::string& text) { return *dns::Name::from_text(text); }

std::uint64_t get(const Histogram& h, std::uint32_t key) {
  const auto it = h.find(key);
  return it == h.end() ? 0 : it->second;
}
double share(const Histogram& h, std::uint32_t key) {
  std::uint64_t total = 0;
  for (const auto& [k, v] : h) {
    total += v;
  }
  return total == 0 ? 0.0 : static_cast<double>(get(h, key)) / static_cast<double>(total);
}

// The baseline, exported and measured like a real zone, looks like the real root.
TEST(Baseline, StatisticsMatchTheMeasuredOnes) {
  const ZoneStatistics& want = real_stats();
  const ZoneStatistics got = measure_zone_statistics(dns::ZoneContent{dns::Name(), build_unsigned_zone(baseline())});
  EXPECT_EQ(got.tld_count, baseline().tlds.size());
  EXPECT_NEAR(static_cast<double>(got.tld_count), static_cast<double>(want.tld_count),
              0.05 * static_cast<double>(want.tld_count));
  EXPECT_NEAR(got.mean_ns_per_tld(), want.mean_ns_per_tld(), 0.15);
  for (const std::uint32_t n : {4U, 6U, 8U}) {
    EXPECT_NEAR(share(got.ns_per_tld, n), share(want.ns_per_tld, n), 0.03) << n << " NS";
  }
  EXPECT_NEAR(got.in_bailiwick_share(), want.in_bailiwick_share(), 0.04);
  EXPECT_NEAR(got.ipv6_tld_share(), want.ipv6_tld_share(), 0.015);
  EXPECT_NEAR(got.ds_tld_share(), want.ds_tld_share(), 0.03);
  EXPECT_NEAR(share(got.ds_algorithms, 8), share(want.ds_algorithms, 8), 0.04);
  EXPECT_NEAR(share(got.ds_algorithms, 13), share(want.ds_algorithms, 13), 0.04);
  EXPECT_NEAR(share(got.ds_digest_types, 2), share(want.ds_digest_types, 2), 0.02);
  EXPECT_EQ(got.hosts_with_glue, got.host_count);
  EXPECT_NEAR(share(got.ipv4_per_host, 1), share(want.ipv4_per_host, 1), 0.02);
  EXPECT_NEAR(share(got.ipv6_per_host, 0), share(want.ipv6_per_host, 0), 0.03);
  EXPECT_NEAR(got.shared_host_share(), want.shared_host_share(), 0.03);
  EXPECT_NEAR(got.top_provider_share(5), want.top_provider_share(5), 0.04);
  EXPECT_NEAR(got.top_provider_share(10), want.top_provider_share(10), 0.05);
  EXPECT_NEAR(static_cast<double>(got.provider_count), static_cast<double>(want.provider_count),
              0.2 * static_cast<double>(want.provider_count));
  EXPECT_EQ(got.ns_ttls.size(), 1U);
  EXPECT_EQ(got.ns_ttls.begin()->first, 172800U);
  EXPECT_EQ(got.ds_ttls.begin()->first, 86400U);
}

TEST(Baseline, SameSeedSameStateOtherSeedOtherState) {
  auto again = build_baseline({}, real_stats(), 42, kNow);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->apex, baseline().apex);
  EXPECT_TRUE(again->tlds == baseline().tlds);
  EXPECT_TRUE(again->hosts == baseline().hosts);
  auto other = build_baseline({}, real_stats(), 43, kNow);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->tlds.size(), baseline().tlds.size());  // same TLDs ...
  EXPECT_FALSE(other->tlds == baseline().tlds);           // ... other delegations
  EXPECT_FALSE(other->hosts == baseline().hosts);
}

TEST(Baseline, TldsAreClassifiedWithPeople) {
  const auto& s = baseline();
  const Tld* cz = s.find_tld(name("cz."));
  ASSERT_NE(cz, nullptr);
  EXPECT_EQ(cz->kind, TldKind::kCountryCode);
  EXPECT_EQ(cz->iso_code, "CZ");
  EXPECT_EQ(cz->manager, "Registry of Czechia");
  EXPECT_EQ(cz->admin.email, "admin@nic.cz");
  const Tld* rf = s.find_tld(name("xn--p1ai."));
  ASSERT_NE(rf, nullptr);
  EXPECT_EQ(rf->kind, TldKind::kIdnCountryCode);
  EXPECT_EQ(rf->u_label, "рф");
  EXPECT_EQ(s.find_tld(name("arpa."))->kind, TldKind::kInfrastructure);
  EXPECT_EQ(s.find_tld(name("coop."))->kind, TldKind::kSponsored);
  EXPECT_EQ(s.find_tld(name("onion.")), nullptr);  // special-use, RFC 7686
  for (const auto& [label, tld] : s.tlds) {
    EXPECT_FALSE(tld.manager.empty()) << label.to_text();
    EXPECT_FALSE(tld.delegation.name_servers.empty()) << label.to_text();
    EXPECT_EQ(tld.created_at, kNow);
  }
}

TEST(Baseline, ApexIsTheRootsWithRootHints) {
  const auto& s = baseline();
  EXPECT_EQ(s.serial(), 2026080100U);
  std::size_t ns = 0;
  for (const auto& r : s.apex) {
    if (r.type == dns::RRType::kSoa) {
      EXPECT_EQ(r.ttl, 86400U);
      auto soa = dns::read_soa_rdata(r.rdata);
      ASSERT_TRUE(soa);
      EXPECT_EQ(soa->mname, name("a.root-servers.net."));
      EXPECT_EQ(soa->rname, name("nstld.verisign-grs.com."));
      EXPECT_EQ(soa->refresh, 1800U);
      EXPECT_EQ(soa->retry, 900U);
      EXPECT_EQ(soa->expire, 604800U);
      EXPECT_EQ(soa->minimum, 86400U);
    } else if (r.type == dns::RRType::kNs) {
      EXPECT_EQ(r.ttl, 518400U);
      ++ns;
    }
  }
  EXPECT_EQ(ns, 13U);
  const Host* a = s.find_host(name("a.root-servers.net."));
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->addresses.size(), 2U);
  EXPECT_EQ(dns::address_to_text(a->addresses[0].address.rdata), "198.41.0.4");
}

// Independent of the special-purpose table: the ranges the brief names, checked by prefix.
bool in_named_special_range(const dns::Address& a) {
  const auto& b = a.rdata;
  if (a.type == dns::RRType::kA) {
    return b[0] == 10 || b[0] == 127 || b[0] == 0 || b[0] >= 224 ||
           (b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 169 && b[1] == 254) ||
           (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113);
  }
  return (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || b[0] == 0xfe ||
         b[0] == 0xff || (b[0] & 0xfe) == 0xfc || (b[0] == 0x20 && b[1] == 0x02);
}

TEST(Baseline, GlueIsUniqueAndNeverSpecialPurpose) {
  std::set<dns::Bytes> seen;
  std::size_t count = 0;
  for (const auto& [n, host] : baseline().hosts) {
    for (const auto& a : host.addresses) {
      EXPECT_EQ(find_special_purpose_block(a.address.rdata), nullptr) << n.to_text();
      EXPECT_FALSE(in_named_special_range(a.address)) << n.to_text();
      EXPECT_TRUE(seen.insert(a.address.rdata).second) << "duplicate at " << n.to_text();
      ++count;
    }
  }
  EXPECT_GT(count, 10000U);
}

TEST(Baseline, DsMatchesAKeyOfTheStatedAlgorithm) {
  std::size_t signed_tlds = 0;
  for (const auto& [label, tld] : baseline().tlds) {
    for (const auto& ds : tld.delegation.ds) {
      const std::size_t want = ds.digest_type == 1 ? 20 : ds.digest_type == 2 ? 32 : 48;
      EXPECT_EQ(ds.digest.size(), want) << label.to_text();
      EXPECT_NE(ds.algorithm, 0) << label.to_text();
    }
    signed_tlds += tld.delegation.ds.empty() ? 0U : 1U;
  }
  EXPECT_GT(signed_tlds, 1000U);
}

TEST(Baseline, TrustAnchorsFromRootKey) {
  auto keys = load_trust_anchors();
  ASSERT_TRUE(keys) << keys.error().message;
  std::set<std::uint16_t> tags;
  for (const auto& k : *keys) {
    EXPECT_TRUE(k.owner.is_root());
    tags.insert(dns::key_tag(k.rdata));
  }
  EXPECT_TRUE(tags.count(20326)) << "KSK-2017";
  auto missing = load_trust_anchors("/nonexistent/root.key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kIo);
}

TEST(Baseline, EmptyStatisticsAreRefused) {
  auto got = build_baseline({}, ZoneStatistics{}, 1, kNow);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kSemantic);
}

}  // namespace
}  // namespace rootsim::registry
