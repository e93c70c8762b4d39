#include "rootsim/dns/record.hpp"

#include <gtest/gtest.h>

#include "rootsim/dns/zone_file.hpp"

namespace rootsim::dns {
namespace {

Record parse_one(const std::string& line) {
  auto zone = parse_zone_text(line + "\n", Name(), "<test>");
  EXPECT_TRUE(zone) << (zone ? "" : zone.error().message);
  EXPECT_EQ(zone->records.size(), 1U);
  return zone->records.front();
}

// Each type the root zone holds prints back exactly as IANA writes it.
TEST(Record, PresentationRoundTripsRootZoneTypes) {
  const std::vector<std::string> lines = {
      ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400",
      "cz.\t172800\tIN\tNS\ta.ns.nic.cz.",
      "a.ns.nic.cz.\t172800\tIN\tA\t194.0.12.1",
      "a.ns.nic.cz.\t172800\tIN\tAAAA\t2001:678:f:0:0:0:0:1",
      "cz.\t86400\tIN\tDS\t20237 13 2 CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2",
      "cz.\t86400\tIN\tNSEC\tdad. NS DS RRSIG NSEC",
      ".\t86400\tIN\tZONEMD\t2026073102 1 1 C3A465783C10B43AAC6515B1711B16DF39A420D782A9BED3FE891A19FC67EC4063F3FB357FFB1097D5AB205F28A74CF5",
      ".\t172800\tIN\tDNSKEY\t256 3 8 AwEAAeCYD6Z7WWKVLeuWgowKP+3g+Gs1",
      "cz.\t86400\tIN\tRRSIG\tDS 8 1 86400 20260813200000 20260731190000 57780 . vQvykoJXNJw+P2Z9",
      "x.\t300\tIN\tTXT\t\"hello \\\"world\\\"\" \"two\"",
      "x.\t300\tIN\tTYPE65000\t\\# 2 ABCD",
  };
  for (const std::string& line : lines) {
    EXPECT_EQ(to_text(parse_one(line)), line);
  }
}

TEST(Record, CanonicalRdataLowercasesEmbeddedNames) {
  const Record ns = parse_one("cz. 1 IN NS A.NS.NIC.CZ.");
  const Bytes canonical = canonical_rdata(ns.type, ns.rdata);
  EXPECT_EQ(*read_name_rdata(canonical), *Name::from_text("a.ns.nic.cz."));
  EXPECT_EQ(read_name_rdata(canonical)->to_text(), "a.ns.nic.cz.");
}

TEST(Record, SortCanonicalOrdersOwnersThenTypesThenRdata) {
  auto zone = parse_zone_text(
      "b. 1 IN NS z.\nb. 1 IN NS a.\na. 1 IN DS 1 8 2 AA\na. 1 IN NS x.\n. 1 IN NS r.\n", Name(),
      "<t>");
  ASSERT_TRUE(zone);
  sort_canonical(zone->records);
  std::string order;
  for (const Record& r : zone->records) {
    order += r.owner.to_text() + to_text(r.type) + rdata_to_text(r.type, r.rdata) + " ";
  }
  EXPECT_EQ(order, ".NSr. a.NSx. a.DS1 8 2 AA b.NSa. b.NSz. ");
}

TEST(Record, AddressParsing) {
  EXPECT_EQ(parse_address("192.0.2.1")->type, RRType::kA);
  EXPECT_EQ(parse_address("2001:db8::1")->type, RRType::kAaaa);
  EXPECT_FALSE(parse_address("192.0.2"));
  EXPECT_EQ(address_to_text(parse_address("2001:db8::1")->rdata), "2001:db8:0:0:0:0:0:1");
}

TEST(Record, DsRdataRoundTrip) {
  const DsRdata ds{20237, 13, 2, *from_hex("CFF0")};
  EXPECT_EQ(*read_ds_rdata(make_ds_rdata(ds)), ds);
  EXPECT_FALSE(read_ds_rdata(Bytes{1, 2}));
}

TEST(Record, Base64AndHex) {
  const Bytes b = {'f', 'o', 'o', 'b'};
  EXPECT_EQ(to_base64(b), "Zm9vYg==");
  EXPECT_EQ(to_hex(b), "666F6F62");
  EXPECT_EQ(*from_hex("666f6f62"), b);
  EXPECT_FALSE(from_hex("6g"));
}

}  // namespace
}  // namespace rootsim::dns
