// build_snapshot(): errors, index order and the transfer stream on inline zones.
#include "snapshot_test_util.hpp"
#include <gtest/gtest.h>

namespace rootsim::resolver {
namespace {

Result<std::shared_ptr<const ZoneSnapshot>> build(const std::string& text,
                                                  const std::string& origin = ".") {
  auto zone = dns::parse_zone_text(text, *dns::Name::from_text(origin), "<inline>");
  EXPECT_TRUE(zone.has_value());
  return build_snapshot(*zone, {});
}

TEST(ZoneSnapshot, RejectsZonesItCannotServe) {
  const std::string soa = ". 86400 IN SOA a. b. 1 2 3 4 5\n";
  const std::string ns = ". 86400 IN NS a.root-servers.net.\n";
  struct Case {
    std::string text;
    Errc code;
  };
  for (const auto& c : {Case{ns, Errc::kSemantic}, Case{soa, Errc::kSemantic},
                        Case{soa + ns + "www.x. 60 IN CNAME y.\n", Errc::kSemantic},
                        Case{soa + ns + "*.x. 60 IN A 192.0.2.1\n", Errc::kSemantic},
                        Case{soa + ns + soa, Errc::kSemantic}}) {
    auto snap = build(c.text);
    ASSERT_FALSE(snap.has_value()) << c.text;
    EXPECT_EQ(snap.error().code, c.code) << snap.error().message;
  }
  auto outside =
      build("example. 60 IN SOA a. b. 1 2 3 4 5\nexample. 60 IN NS a.\nx.org. 60 IN A 192.0.2.1\n",
            "example.");
  ASSERT_FALSE(outside.has_value());
  EXPECT_NE(outside.error().message.find("outside"), std::string::npos);
}

TEST(ZoneSnapshot, IndexIsInCanonicalOrderWithEmptyNonTerminals) {
  auto snap = testing::make_snapshot(testing::kSmallRoot);
  ASSERT_TRUE(snap);
  // Owners plus the empty non-terminals nic.cz., ns.nic.cz., root-servers.net., ...
  EXPECT_EQ(snap->stats().delegations, 2U);
  for (std::uint32_t i = 1; i < snap->stats().names; ++i) {
    EXPECT_LT(snap->node_name(i - 1), snap->node_name(i)) << i;
  }
  const auto ent = snap->lookup(*dns::Name::from_text("ns.nic.cz."));
  EXPECT_EQ(ent.kind, LookupKind::kDelegation);
  EXPECT_EQ(snap->node_name(ent.node).to_text(), "cz.");
}

TEST(ZoneSnapshot, TransferHoldsSoaFirstAndLastAndEveryRecordOnce) {
  auto snap = testing::make_snapshot(testing::kSmallRoot);
  ASSERT_TRUE(snap);
  const auto chunks = snap->transfer();
  ASSERT_EQ(chunks.size(), 1U);
  EXPECT_EQ(chunks[0].record_count, snap->stats().records + 1);
  EXPECT_EQ(dns::get_u16(chunks[0].wire, 1), 6);
  const auto tail = chunks[0].wire.size();
  // The final SOA: same bytes as the first one.
  std::size_t first_len = 1 + 10 + dns::get_u16(chunks[0].wire, 9);
  EXPECT_TRUE(std::equal(chunks[0].wire.begin(),
                         chunks[0].wire.begin() + static_cast<std::ptrdiff_t>(first_len),
                         chunks[0].wire.begin() + static_cast<std::ptrdiff_t>(tail - first_len)));
  auto lean = dns::parse_zone_text(testing::kSmallRoot, dns::Name(), "<inline>");
  auto without = build_snapshot(
      *lean, {.instance_name = "", .edns_udp_size = 1232, .keep_transfer_data = false});
  ASSERT_TRUE(without.has_value());
  EXPECT_TRUE((*without)->transfer().empty());
}

}  // namespace
}  // namespace rootsim::resolver
