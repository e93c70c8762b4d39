// ZONEMD and RRSIG checks against the real root zone: a strong test of the canonical form.
#include "rootsim/dns/dnssec.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/zone_signer.hpp"
#include "rootsim/registry/zonemd.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace rootsim::registry {
namespace {

constexpr std::int64_t kBeforeExpiry = 1785542400;  // 2026-08-01T00:00:00Z

const std::vector<dns::Record>& root_zone() {
  static const std::vector<dns::Record> records = [] {
    if (!std::filesystem::exists(testing::real_root_zone())) {
      return std::vector<dns::Record>{};  // tests that need it skip (ROOTSIM_REQUIRE_ROOT_ZONE)
    }
    auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
    EXPECT_TRUE(zone) << (zone ? "" : zone.error().message);
    return zone ? zone->records : std::vector<dns::Record>{};
  }();
  return records;
}

TEST(Zonemd, RdataRoundTrips) {
  const ZonemdRdata z{2026073102, 1, 1, dns::Bytes(48, 0xab)};
  const dns::Bytes rdata = make_zonemd_rdata(z);
  EXPECT_EQ(rdata.size(), 54U);
  EXPECT_EQ(*read_zonemd_rdata(rdata), z);
  EXPECT_FALSE(read_zonemd_rdata(dns::Bytes(5, 0)));
}

TEST(Zonemd, RealRootZoneDigestMatchesItsZonemdRecord) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  const auto& records = root_zone();
  const Status ok = verify_zonemd(records, dns::Name());
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().message);
  for (const auto& r : records) {
    if (r.type == dns::RRType::kZonemd) {
      EXPECT_EQ(read_zonemd_rdata(r.rdata)->digest, compute_zonemd_digest(records, dns::Name()));
    }
  }
}

TEST(Zonemd, DigestIgnoresOrderAndDuplicatesButNotContent) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto records = root_zone();
  std::reverse(records.begin(), records.end());
  records.push_back(records[100]);  // a duplicate RR is digested once (RFC 8976 §3.3.1.1)
  EXPECT_TRUE(verify_zonemd(records, dns::Name()));
  for (auto& r : records) {
    if (r.type == dns::RRType::kA) {
      r.ttl += 1;  // one glue TTL changed
      break;
    }
  }
  const Status changed = verify_zonemd(records, dns::Name());
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, Errc::kSemantic);
}

TEST(Zonemd, MissingZonemdIsNotFound) {
  auto records = root_zone();
  std::erase_if(records, [](const dns::Record& r) { return r.type == dns::RRType::kZonemd; });
  if (records.empty()) {
    records.push_back(dns::Record{dns::Name(), dns::RRType::kSoa, dns::RRClass::kIn, 1,
                                  dns::make_soa_rdata(dns::SoaRdata{})});
  }
  const Status missing = verify_zonemd(records, dns::Name());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

// verify_rrsig agrees with IANA's own signatures (checked at a time before they expired).
TEST(VerifyRrsig, RealRootSignaturesVerifyAndTamperedOnesDoNot) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  const auto& records = root_zone();
  std::map<std::uint16_t, dns::Record> dnskeys;
  std::map<std::string, std::vector<dns::Record>> rrsets;
  for (const auto& r : records) {
    if (r.type == dns::RRType::kDnskey) {
      dnskeys.emplace(dns::key_tag(r.rdata), r);
    }
    if (r.type != dns::RRType::kRrsig) {
      rrsets[r.owner.lookup_key() + "/" + dns::to_text(r.type)].push_back(r);
    }
  }
  std::size_t checked = 0;
  for (const auto& r : records) {
    if (r.type != dns::RRType::kRrsig || checked >= 60) {
      continue;
    }
    const auto type = static_cast<dns::RRType>(dns::get_u16(r.rdata, 0));
    const auto& rrset = rrsets[r.owner.lookup_key() + "/" + dns::to_text(type)];
    const auto& key = dnskeys.at(dns::get_u16(r.rdata, 16));
    const Status ok = verify_rrsig(r, rrset, key, kBeforeExpiry);
    EXPECT_TRUE(ok) << dns::to_text(r) << ": " << (ok ? "" : ok.error().message);
    auto tampered = r;
    tampered.rdata[tampered.rdata.size() / 2 + 20] ^= 0x40;
    EXPECT_FALSE(verify_rrsig(tampered, rrset, key, kBeforeExpiry));
    EXPECT_FALSE(verify_rrsig(r, rrset, key, kBeforeExpiry + 30 * 86400)) << "expired";
    ++checked;
  }
  EXPECT_EQ(checked, 60U);
}

}  // namespace
}  // namespace rootsim::registry
