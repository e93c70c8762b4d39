#include "rootsim/registry/zone_diff.hpp"

#include "rootsim/dns/zone_file.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rootsim::registry {
namespace {

using dns::Name;
using dns::RRType;

dns::ZoneContent zone(std::string_view text) {
  auto parsed = dns::parse_zone_text(text, Name(), "<test>");
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(parsed).value() : dns::ZoneContent{};
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool update_golden() {
  const char* flag = std::getenv("ROOTSIM_UPDATE_GOLDEN");
  return flag != nullptr && std::string_view(flag) == "1";
}

// Compares `actual` with the golden file, or rewrites the file under ROOTSIM_UPDATE_GOLDEN=1.
void expect_golden(const std::filesystem::path& file, const std::string& actual) {
  if (update_golden()) {
    ASSERT_TRUE(dns::write_file_atomically(file, actual).has_value()) << file;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(file)) << file << " is missing: run with "
                                             << "ROOTSIM_UPDATE_GOLDEN=1 and review it";
  EXPECT_EQ(actual, slurp(file)) << "golden file " << file;
}

class ZoneDiffGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ZoneDiffGolden, MatchesExpectedTextAndJson) {
  const auto dir = testing::golden_dir() / "zone-diff" / GetParam();
  auto before = dns::parse_zone_file(dir / "old.zone", Name());
  auto after = dns::parse_zone_file(dir / "new.zone", Name());
  ASSERT_TRUE(before.has_value()) << before.error().message;
  ASSERT_TRUE(after.has_value()) << after.error().message;
  const ZoneDiff diff = diff_zones(*before, *after);
  expect_golden(dir / "expected.txt", render_text(diff));
  expect_golden(dir / "expected.json", render_json(diff));
  const ZoneDiff with_dnssec = diff_zones(*before, *after, {.include_dnssec = true});
  expect_golden(dir / "expected.dnssec.txt", render_text(with_dnssec));
}

INSTANTIATE_TEST_SUITE_P(Cases, ZoneDiffGolden,
                         ::testing::Values("ds-changed", "tld-added", "tld-removed", "glue-changed",
                                           "ns-reordered-is-no-change", "identical"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

constexpr std::string_view kBase = R"(
. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400
. 518400 IN NS a.root-servers.net.
a.root-servers.net. 518400 IN A 198.41.0.4
cz. 172800 IN NS a.ns.nic.cz.
cz. 172800 IN NS b.ns.nic.cz.
cz. 86400 IN DS 20237 13 2 CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2
cz. 86400 IN RRSIG DS 13 1 86400 20260813200000 20260731190000 42 . Zm9vYmFy
a.ns.nic.cz. 172800 IN A 194.0.12.1
b.ns.nic.cz. 172800 IN A 194.0.13.1
)";

std::string with(std::string_view base, std::string_view from, std::string_view to) {
  std::string out(base);
  const auto pos = out.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) {
    out.replace(pos, from.size(), to);
  }
  return out;
}

TEST(ZoneDiff, IdenticalZonesHaveNoDifferences) {
  const ZoneDiff diff = diff_zones(zone(kBase), zone(kBase));
  EXPECT_TRUE(diff.empty());
  EXPECT_EQ(render_text(diff), "");
}

TEST(ZoneDiff, NameCaseAndOrderDoNotMatter) {
  const std::string after = with(with(kBase, "cz. 172800 IN NS a.ns.nic.cz.\n", ""),
                                 "b.ns.nic.cz.\n", "b.ns.nic.cz.\nCZ. 172800 IN NS A.NS.NIC.CZ.\n");
  EXPECT_TRUE(diff_zones(zone(kBase), zone(after)).empty());
}

TEST(ZoneDiff, DsChangeIsReportedWithBothSides) {
  const std::string after = with(kBase, "20237 13 2 CFF0F3EC", "12345 13 2 CFF0F3EC");
  const ZoneDiff diff = diff_zones(zone(kBase), zone(after));
  ASSERT_EQ(diff.changed.size(), 1U);
  EXPECT_EQ(diff.changed[0].tld.to_text(), "cz.");
  ASSERT_EQ(diff.changed[0].ds.added.size(), 1U);
  ASSERT_EQ(diff.changed[0].ds.removed.size(), 1U);
  EXPECT_TRUE(diff.changed[0].ns.empty());
  EXPECT_TRUE(diff.apex.empty());
  EXPECT_EQ(render_text(diff),
            "~ cz: DS -20237 13 2 "
            "CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2 +12345 13 2 "
            "CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2\n");
}

TEST(ZoneDiff, TtlChangesAreReported) {
  const std::string after = with(kBase, "cz. 86400 IN DS", "cz. 3600 IN DS");
  const ZoneDiff diff = diff_zones(zone(kBase), zone(after));
  ASSERT_EQ(diff.changed.size(), 1U);
  EXPECT_EQ(diff.changed[0].ds.ttl_before, 86400U);
  EXPECT_EQ(diff.changed[0].ds.ttl_after, 3600U);
  EXPECT_EQ(render_text(diff), "~ cz: DS TTL 86400 -> 3600\n");
}

TEST(ZoneDiff, DnssecRecordsOnlyWithTheFlag) {
  const std::string after = with(with(kBase, "Zm9vYmFy", "YmFyYmF6"), " 1 1800", " 2 1800");
  const ZoneDiff plain = diff_zones(zone(kBase), zone(after));
  EXPECT_TRUE(plain.changed.empty());
  EXPECT_EQ(plain.apex.serial_before, 1U);
  EXPECT_EQ(plain.apex.serial_after, 2U);
  EXPECT_TRUE(plain.apex.soa.empty());  // only the serial changed
  const ZoneDiff full = diff_zones(zone(kBase), zone(after), {.include_dnssec = true});
  ASSERT_EQ(full.changed.size(), 1U);
  EXPECT_EQ(full.changed[0].dnssec.added.size(), 1U);
  EXPECT_EQ(full.changed[0].dnssec.added[0].type, RRType::kRrsig);
}

TEST(ZoneDiff, OrphanAddressRecordsAreUnattached) {
  const std::string after = std::string(kBase) + "stray.cz. 172800 IN A 192.0.2.99\n";
  const ZoneDiff diff = diff_zones(zone(kBase), zone(after));
  EXPECT_TRUE(diff.changed.empty());
  ASSERT_EQ(diff.unattached.added.size(), 1U);
  EXPECT_EQ(render_text(diff), "~ unattached: records +stray.cz. A 192.0.2.99\n");
}

// The real root zone: against itself, and against a copy changed in memory the way a day of
// registry work would change it.
TEST(ZoneDiff, RealRootZone) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto parsed = dns::parse_zone_file(testing::real_root_zone(), Name());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const dns::ZoneContent& root = *parsed;
  EXPECT_TRUE(diff_zones(root, root).empty());
  EXPECT_TRUE(diff_zones(root, root, {.include_dnssec = true}).empty());

  dns::ZoneContent changed = root;
  const Name cz = Name::from_text("cz.").value();
  const Name xerox = Name::from_text("xerox.").value();
  const Name glue_host = Name::from_text("a.ns.nic.cz.").value();
  std::erase_if(changed.records, [&](const dns::Record& r) {
    return r.owner.is_subdomain_of(xerox) || (r.owner == cz && r.type == RRType::kDs);
  });
  auto ds = dns::make_ds_rdata({41226, 13, 2, dns::Bytes(32, 0xAB)});
  changed.records.push_back({cz, RRType::kDs, dns::RRClass::kIn, 86400, ds});
  for (dns::Record& r : changed.records) {
    if (r.owner == glue_host && r.type == RRType::kA) {
      r.rdata = dns::parse_address("194.0.12.53")->rdata;
    }
    if (r.owner.is_root() && r.type == RRType::kSoa) {
      auto soa = dns::read_soa_rdata(r.rdata).value();
      soa.serial += 1;
      r.rdata = dns::make_soa_rdata(soa);
    }
  }
  const Name testbed = Name::from_text("testbed.").value();
  const Name host = Name::from_text("a.nic.testbed.").value();
  changed.records.push_back(
      {testbed, RRType::kNs, dns::RRClass::kIn, 172800, dns::make_name_rdata(host)});
  changed.records.push_back(
      {host, RRType::kA, dns::RRClass::kIn, 172800, dns::parse_address("192.0.2.1")->rdata});

  const ZoneDiff diff = diff_zones(root, changed);
  EXPECT_EQ(diff.apex.serial_before, 2026073102U);
  EXPECT_EQ(diff.apex.serial_after, 2026073103U);
  ASSERT_EQ(diff.added.size(), 1U);
  EXPECT_EQ(diff.added[0].tld, testbed);
  EXPECT_EQ(diff.added[0].glue.size(), 1U);
  ASSERT_EQ(diff.removed.size(), 1U);
  EXPECT_EQ(diff.removed[0].tld, xerox);
  EXPECT_EQ(diff.removed[0].ns.size(), 6U);
  EXPECT_TRUE(diff.unattached.empty());  // xerox's glue went with it
  // a.ns.nic.cz serves cz only, so cz is the one changed TLD; its glue and DS differ.
  ASSERT_EQ(diff.changed.size(), 1U);
  EXPECT_EQ(diff.changed[0].tld, cz);
  EXPECT_EQ(diff.changed[0].glue.added.size(), 1U);
  EXPECT_EQ(diff.changed[0].ds.removed.size(), 1U);
  const std::string text = render_text(diff);
  EXPECT_NE(text.find("~ apex: SOA serial 2026073102 -> 2026073103\n"), std::string::npos);
  EXPECT_NE(text.find("~ cz: DS -20237 13 2 CFF0F3EC"), std::string::npos) << text;
  EXPECT_NE(text.find("~ cz: glue -a.ns.nic.cz. A 194.0.12.1 +a.ns.nic.cz. A 194.0.12.53\n"),
            std::string::npos);
  EXPECT_NE(text.find("+ TLD testbed (1 NS, 0 DS, 1 glue)\n"), std::string::npos);
  EXPECT_NE(text.find("- TLD xerox (6 NS, 1 DS, 12 glue)\n"), std::string::npos) << text;
  EXPECT_NE(render_json(diff).find("\"tld\": \"testbed\""), std::string::npos);
}

}  // namespace
}  // namespace rootsim::registry
