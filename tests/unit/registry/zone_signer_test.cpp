#include "rootsim/registry/zone_signer.hpp"

#include "rootsim/dns/dnssec.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/key_rollover.hpp"
#include "rootsim/registry/zonemd.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace rootsim::registry {
namespace {

constexpr std::int64_t kNow = 1785500000;  // 2026-07-31, fixed

constexpr const char* kZone = R"(
.  86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400
.  518400 IN NS a.root-servers.net.
.  518400 IN NS b.root-servers.net.
aaa. 172800 IN NS ns1.aaa.
aaa. 172800 IN NS ns.example.bbb.
ns1.aaa. 172800 IN A 192.0.2.1
ns1.aaa. 172800 IN AAAA 2001:db8::1
aaa. 86400 IN DS 1234 8 2 0000000000000000000000000000000000000000000000000000000000000001
bbb. 172800 IN NS ns.example.bbb.
ns.example.bbb. 172800 IN A 192.0.2.2
net. 172800 IN NS a.gtld-servers.net.
net. 86400 IN DS 37331 13 2 0000000000000000000000000000000000000000000000000000000000000002
a.gtld-servers.net. 172800 IN A 192.5.6.30
a.root-servers.net. 172800 IN A 198.41.0.4
b.root-servers.net. 172800 IN A 170.247.170.2
)";

std::vector<dns::Record> parse(const std::string& text) {
  auto zone = dns::parse_zone_text(text, dns::Name(), "<test>");
  EXPECT_TRUE(zone) << (zone ? "" : zone.error().message);
  return zone->records;
}

dns::Name name(const char* text) { return *dns::Name::from_text(text); }

const std::vector<SigningKey>& ecdsa_keys() {
  static const std::vector<SigningKey> keys = [] {
    return std::vector<SigningKey>{
        *generate_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, kNow),
        *generate_key(KeyRole::kZsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, kNow)};
  }();
  return keys;
}

SigningPolicy policy(unsigned threads = 2) {
  SigningPolicy p;
  p.now = kNow;
  p.threads = threads;
  return p;
}

SignedZone sign(const std::vector<dns::Record>& records, unsigned threads = 2) {
  auto zone = sign_zone(records, ecdsa_keys(), policy(threads));
  EXPECT_TRUE(zone) << (zone ? "" : zone.error().message);
  return *zone;
}

std::vector<dns::Record> of(const std::vector<dns::Record>& records, const dns::Name& owner,
                            dns::RRType type) {
  std::vector<dns::Record> out;
  for (const auto& r : records) {
    if (r.owner == owner && r.type == type) {
      out.push_back(r);
    }
  }
  return out;
}

dns::RRType covered(const dns::Record& rrsig) {
  return static_cast<dns::RRType>(dns::get_u16(rrsig.rdata, 0));
}

// Checks every RRSIG against its RRset and the DNSKEY it names; returns how many verified.
std::size_t verify_all(const std::vector<dns::Record>& records) {
  std::map<std::uint16_t, dns::Record> dnskeys;
  for (const auto& r : of(records, dns::Name(), dns::RRType::kDnskey)) {
    dnskeys.emplace(dns::key_tag(r.rdata), r);
  }
  std::size_t verified = 0;
  for (const auto& r : records) {
    if (r.type != dns::RRType::kRrsig) {
      continue;
    }
    const auto key = dnskeys.find(dns::get_u16(r.rdata, 16));
    EXPECT_NE(key, dnskeys.end());
    const Status ok = verify_rrsig(r, of(records, r.owner, covered(r)), key->second, kNow);
    EXPECT_TRUE(ok) << dns::to_text(r) << ": " << (ok ? "" : ok.error().message);
    verified += ok ? 1U : 0U;
  }
  return verified;
}

std::string nsec_text(const std::vector<dns::Record>& records, const char* owner) {
  const auto nsec = of(records, name(owner), dns::RRType::kNsec);
  EXPECT_EQ(nsec.size(), 1U) << owner;
  return nsec.empty() ? "" : dns::rdata_to_text(dns::RRType::kNsec, nsec.front().rdata);
}

TEST(ZoneSigner, NsecBitmapsAreLikeTheRoot) {
  const auto zone = sign(parse(kZone));
  EXPECT_EQ(nsec_text(zone.records, "."), "aaa. NS SOA RRSIG NSEC DNSKEY ZONEMD");
  EXPECT_EQ(nsec_text(zone.records, "aaa."), "bbb. NS DS RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone.records, "bbb."), "net. NS RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone.records, "net."), ". NS DS RRSIG NSEC");
  EXPECT_EQ(of(zone.records, dns::Name(), dns::RRType::kNsec).front().ttl, 86400U);
}

TEST(ZoneSigner, NsecChainClosesBackToTheApexOverAuthoritativeNamesOnly) {
  const auto zone = sign(parse(kZone));
  std::set<std::string> owners;
  for (const auto& r : zone.records) {
    if (r.type == dns::RRType::kNsec) {
      owners.insert(r.owner.to_text());
    }
  }
  EXPECT_EQ(owners, (std::set<std::string>{".", "aaa.", "bbb.", "net."}));
  dns::Name at;
  std::size_t hops = 0;
  do {
    const auto nsec = of(zone.records, at, dns::RRType::kNsec);
    ASSERT_EQ(nsec.size(), 1U) << at.to_text();
    const auto& rdata = nsec.front().rdata;
    std::size_t len = 0;
    while (rdata[len] != 0) {
      len += 1U + rdata[len];
    }
    at = *dns::Name::from_wire(std::span(rdata).first(len + 1));
    ++hops;
  } while (!at.is_root() && hops < 10);
  EXPECT_TRUE(at.is_root());
  EXPECT_EQ(hops, owners.size());
  EXPECT_EQ(zone.stats.nsec_records, 4U);
}

TEST(ZoneSigner, SignsAuthoritativeRrsetsOnlyWithTheRightKeys) {
  const auto zone = sign(parse(kZone));
  const auto& keys = ecdsa_keys();
  std::set<std::string> signed_sets;
  for (const auto& r : zone.records) {
    if (r.type != dns::RRType::kRrsig) {
      continue;
    }
    signed_sets.insert(r.owner.to_text() + " " + dns::to_text(covered(r)));
    const std::uint16_t tag = dns::get_u16(r.rdata, 16);
    EXPECT_EQ(tag, covered(r) == dns::RRType::kDnskey ? keys[0].key_tag : keys[1].key_tag);
    EXPECT_EQ(r.rdata.size(), 18U + 1U + 64U) << "ECDSA P-256 signatures are r||s";
    EXPECT_EQ(dns::get_u32(r.rdata, 12), kNow - 3600);
    EXPECT_EQ(dns::get_u32(r.rdata, 8), kNow + 13 * 86400);
  }
  EXPECT_EQ(signed_sets,
            (std::set<std::string>{". SOA", ". NS", ". NSEC", ". DNSKEY", ". ZONEMD", "aaa. DS",
                                   "aaa. NSEC", "bbb. NSEC", "net. DS", "net. NSEC"}));
  EXPECT_EQ(verify_all(zone.records), 10U);
  EXPECT_EQ(zone.stats.signatures, 10U);
  const auto dnskey = of(zone.records, dns::Name(), dns::RRType::kDnskey);
  ASSERT_EQ(dnskey.size(), 2U);
  EXPECT_EQ(dnskey.front().ttl, 172800U);
}

TEST(ZoneSigner, AFlippedSignatureByteFailsVerification) {
  auto zone = sign(parse(kZone));
  for (auto& r : zone.records) {
    if (r.type == dns::RRType::kRrsig && covered(r) == dns::RRType::kDs) {
      r.rdata.back() ^= 0x01;
      const auto dnskey = of(zone.records, dns::Name(), dns::RRType::kDnskey);
      const auto& zsk = dns::get_u16(dnskey[0].rdata, 0) == 256 ? dnskey[0] : dnskey[1];
      EXPECT_FALSE(verify_rrsig(r, of(zone.records, r.owner, dns::RRType::kDs), zsk, kNow));
      return;
    }
  }
  FAIL() << "no RRSIG over DS";
}

TEST(ZoneSigner, OutputIsInCanonicalOrderWithAVerifiedZonemd) {
  const auto zone = sign(parse(kZone));
  auto sorted = zone.records;
  dns::sort_canonical(sorted);
  EXPECT_EQ(sorted, zone.records);
  const Status ok = verify_zonemd(zone.records, dns::Name());
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().message);
  const auto zonemd = of(zone.records, dns::Name(), dns::RRType::kZonemd);
  ASSERT_EQ(zonemd.size(), 1U);
  EXPECT_EQ(read_zonemd_rdata(zonemd.front().rdata)->serial, 2026073102U);
  EXPECT_EQ(zone.stats.records, zone.records.size());
}

TEST(ZoneSigner, ThreadCountDoesNotChangeTheUnsignedContent) {
  const auto one = sign(parse(kZone), 1);
  const auto four = sign(parse(kZone), 4);
  ASSERT_EQ(one.records.size(), four.records.size());
  for (std::size_t i = 0; i < one.records.size(); ++i) {
    if (one.records[i].type != dns::RRType::kRrsig && one.records[i].type != dns::RRType::kZonemd) {
      EXPECT_EQ(one.records[i], four.records[i]) << dns::to_text(one.records[i]);
    }
  }
  EXPECT_EQ(verify_all(four.records), 10U);
}

TEST(ZoneSigner, RejectsZonesWithoutOneSoaOrOutsideRecordsOrActiveKsk) {
  auto no_soa = sign_zone(parse("aaa. 3600 IN NS ns.aaa.\n"), ecdsa_keys(), policy());
  ASSERT_FALSE(no_soa);
  EXPECT_EQ(no_soa.error().code, Errc::kSemantic);
  auto outside =
      sign_zone(parse("example. 3600 IN SOA a. b. 1 2 3 4 5\nother. 3600 IN A 1.2.3.4\n"),
                ecdsa_keys(), policy());
  ASSERT_FALSE(outside);
  EXPECT_NE(outside.error().message.find("other."), std::string::npos);
  auto zsk_only = sign_zone(parse(kZone), {ecdsa_keys()[1]}, policy());
  ASSERT_FALSE(zsk_only);
  EXPECT_NE(zsk_only.error().message.find("KSK"), std::string::npos);
}

std::string with_serial(std::string text, const char* serial) {
  text.replace(text.find("2026073102"), 10, serial);
  return text;
}

std::map<std::string, dns::Bytes> rrsigs_by_set(const std::vector<dns::Record>& records) {
  std::map<std::string, dns::Bytes> out;
  for (const auto& r : records) {
    if (r.type == dns::RRType::kRrsig) {
      out[r.owner.to_text() + " " + dns::to_text(covered(r))] = r.rdata;
    }
  }
  return out;
}

// The sets whose signatures differ between two signed zones.
std::set<std::string> resigned(const std::vector<dns::Record>& before,
                               const std::vector<dns::Record>& after) {
  const auto a = rrsigs_by_set(before);
  std::set<std::string> out;
  for (const auto& [set, rdata] : rrsigs_by_set(after)) {
    const auto it = a.find(set);
    if (it == a.end() || it->second != rdata) {
      out.insert(set);
    }
  }
  return out;
}

TEST(ZoneSigner, IncrementalDsChangeResignsOnlyDsSoaAndZonemd) {
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), policy()));
  const auto before = signer.records();
  std::string next = with_serial(kZone, "2026073103");
  next.replace(next.find("37331 13 2 0"), 12, "40000 13 2 F");
  auto stats = signer.update(parse(next), ecdsa_keys(), policy());
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->signatures, 3U);
  EXPECT_EQ(stats->signatures_reused, 7U);
  EXPECT_EQ(stats->rrsets_signed, 3U);
  EXPECT_EQ(signer.serial(), 2026073103U);
  const auto after = signer.records();
  EXPECT_EQ(resigned(before, after), (std::set<std::string>{". SOA", ". ZONEMD", "net. DS"}));
  EXPECT_EQ(verify_all(after), 10U);
  EXPECT_TRUE(verify_zonemd(after, dns::Name()));
  // Same content as a full signing of the new zone, signatures aside.
  const auto full = sign(parse(next));
  ASSERT_EQ(full.records.size(), after.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i].type != dns::RRType::kRrsig && after[i].type != dns::RRType::kZonemd) {
      EXPECT_EQ(after[i], full.records[i]);
    }
  }
}

TEST(ZoneSigner, IncrementalTldAdditionResignsItsSetsAndThePredecessorNsec) {
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), policy()));
  const auto before = signer.records();
  const std::string next = with_serial(kZone, "2026073103") +
                           "bar. 172800 IN NS ns.bar.\nns.bar. 172800 IN A 192.0.2.9\n"
                           "bar. 86400 IN DS 1 13 2 00000000000000000000000000000000000000000000"
                           "00000000000000000009\n";
  auto stats = signer.update(parse(next), ecdsa_keys(), policy());
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->signatures, 5U);
  const auto after = signer.records();
  EXPECT_EQ(resigned(before, after),
            (std::set<std::string>{". SOA", ". ZONEMD", "aaa. NSEC", "bar. DS", "bar. NSEC"}));
  EXPECT_EQ(nsec_text(after, "aaa."), "bar. NS DS RRSIG NSEC");
  EXPECT_EQ(nsec_text(after, "bar."), "bbb. NS DS RRSIG NSEC");
  EXPECT_EQ(verify_all(after), 12U);
  EXPECT_TRUE(verify_zonemd(after, dns::Name()));
}

TEST(ZoneSigner, IncrementalTldRemovalResignsOnlyThePredecessorNsec) {
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), policy()));
  std::string next = with_serial(kZone, "2026073103");
  for (const char* line :
       {"bbb. 172800 IN NS ns.example.bbb.\n", "ns.example.bbb. 172800 IN A 192.0.2.2\n"}) {
    next.erase(next.find(line), std::string(line).size());
  }
  auto stats = signer.update(parse(next), ecdsa_keys(), policy());
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->signatures, 3U);  // aaa. NSEC, SOA, ZONEMD
  const auto after = signer.records();
  EXPECT_EQ(nsec_text(after, "aaa."), "net. NS DS RRSIG NSEC");
  EXPECT_TRUE(of(after, name("ns.example.bbb."), dns::RRType::kA).empty());
  EXPECT_EQ(verify_all(after), 9U);
}

TEST(ZoneSigner, UnchangedZoneReusesEverythingButRefreshesExpiringSignatures) {
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), policy()));
  auto same = signer.update(parse(kZone), ecdsa_keys(), policy());
  ASSERT_TRUE(same);
  EXPECT_EQ(same->signatures, 0U);
  SigningPolicy later = policy();
  later.now += 11 * 86400;  // within policy.refresh of expiry
  auto refreshed = signer.update(parse(kZone), ecdsa_keys(), later);
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->signatures, 10U);
}

TEST(ZoneSigner, ZskRolloverSwitchesSignersAndKeepsKskSignature) {
  ZoneSigner signer;
  auto keys = ecdsa_keys();
  ASSERT_TRUE(signer.update(parse(kZone), keys, policy()));
  keys = *roll_keys(keys, KeyRole::kZsk, kNow);  // new ZSK published: only DNSKEY changes
  auto published = signer.update(parse(kZone), keys, policy());
  ASSERT_TRUE(published);
  EXPECT_EQ(published->signatures, 2U);  // DNSKEY (KSK) and ZONEMD
  EXPECT_EQ(of(signer.records(), dns::Name(), dns::RRType::kDnskey).size(), 3U);
  keys = *roll_keys(keys, KeyRole::kZsk, kNow);  // swap: DNSKEY RRset unchanged
  auto swapped = signer.update(parse(kZone), keys, policy());
  ASSERT_TRUE(swapped);
  EXPECT_EQ(swapped->signatures, 9U);  // everything but DNSKEY, now by the new ZSK
  EXPECT_EQ(swapped->signatures_reused, 1U);
  const auto records = signer.records();
  for (const auto& r : records) {
    if (r.type == dns::RRType::kRrsig && covered(r) != dns::RRType::kDnskey) {
      EXPECT_EQ(dns::get_u16(r.rdata, 16), keys.back().key_tag);
    }
  }
  EXPECT_EQ(verify_all(records), 10U);
}

TEST(ZoneSigner, KskDoubleSignatureSignsDnskeyTwice) {
  auto keys = *roll_keys(ecdsa_keys(), KeyRole::kKsk, kNow);
  const auto zone = sign_zone(parse(kZone), keys, policy());
  ASSERT_TRUE(zone);
  std::size_t dnskey_sigs = 0;
  for (const auto& r : zone->records) {
    dnskey_sigs += r.type == dns::RRType::kRrsig && covered(r) == dns::RRType::kDnskey ? 1U : 0U;
  }
  EXPECT_EQ(dnskey_sigs, 2U);
  EXPECT_EQ(verify_all(zone->records), 11U);
}

}  // namespace
}  // namespace rootsim::registry

namespace rootsim::registry {
namespace {

// Records at `owners` in `text`: what a caller of the named update hands over.
std::vector<dns::Record> at_names(const std::string& text, const std::vector<dns::Name>& owners) {
  std::vector<dns::Record> out;
  for (auto& r : parse(text)) {
    if (std::find(owners.begin(), owners.end(), r.owner) != owners.end()) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<dns::Record> without_signatures(std::vector<dns::Record> records) {
  std::erase_if(records, [](const dns::Record& r) {
    return r.type == dns::RRType::kRrsig || r.type == dns::RRType::kZonemd;
  });
  return records;
}

TEST(ZoneSigner, NamedUpdateOfADsChangeEqualsTheGeneralOne) {
  ZoneSigner named;
  ZoneSigner general;
  ASSERT_TRUE(named.update(parse(kZone), ecdsa_keys(), policy()));
  ASSERT_TRUE(general.update(parse(kZone), ecdsa_keys(), policy()));
  std::string next = with_serial(kZone, "2026073103");
  next.replace(next.find("37331 13 2 0"), 12, "40000 13 2 F");
  const std::vector<dns::Name> changed = {dns::Name(), name("NET.")};
  auto stats = named.update(at_names(next, changed), changed, ecdsa_keys(), policy());
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->signatures, 3U);
  EXPECT_EQ(stats->signatures_reused, 7U);
  ASSERT_TRUE(general.update(parse(next), ecdsa_keys(), policy()));
  EXPECT_EQ(named.serial(), 2026073103U);
  const auto after = named.records();
  EXPECT_EQ(without_signatures(after), without_signatures(general.records()));
  EXPECT_EQ(verify_all(after), 10U);
  EXPECT_TRUE(verify_zonemd(after, dns::Name()));
}

TEST(ZoneSigner, NamedUpdateAddsAndRemovesNamesAndRelinksNsec) {
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), policy()));
  std::string next = with_serial(kZone, "2026073103") +
                     "bar. 172800 IN NS ns.bar.\nns.bar. 172800 IN A 192.0.2.9\n";
  for (const char* line :
       {"bbb. 172800 IN NS ns.example.bbb.\n", "ns.example.bbb. 172800 IN A 192.0.2.2\n"}) {
    next.erase(next.find(line), std::string(line).size());
  }
  const std::vector<dns::Name> changed = {dns::Name(), name("bar."), name("ns.bar."), name("bbb."),
                                          name("ns.example.bbb.")};
  auto stats = signer.update(at_names(next, changed), changed, ecdsa_keys(), policy());
  ASSERT_TRUE(stats) << stats.error().message;
  const auto after = signer.records();
  EXPECT_EQ(nsec_text(after, "aaa."), "bar. NS DS RRSIG NSEC");
  EXPECT_EQ(nsec_text(after, "bar."), "net. NS RRSIG NSEC");
  EXPECT_TRUE(of(after, name("bbb."), dns::RRType::kNs).empty());
  EXPECT_EQ(without_signatures(after), without_signatures(sign(parse(next)).records));
  EXPECT_TRUE(verify_zonemd(after, dns::Name()));
  EXPECT_EQ(verify_all(after), 10U);
}

TEST(ZoneSigner, NamedUpdateRejectsMisuseAndKeepsTheZone) {
  ZoneSigner fresh;
  const std::vector<dns::Name> apex = {dns::Name()};
  auto first = fresh.update(at_names(kZone, apex), apex, ecdsa_keys(), policy());
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, Errc::kSemantic);

  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), policy()));
  const auto before = signer.records();
  const std::vector<dns::Name> only_net = {name("net.")};
  auto unlisted =
      signer.update(parse(with_serial(kZone, "2026073103")), only_net, ecdsa_keys(), policy());
  ASSERT_FALSE(unlisted);
  EXPECT_EQ(unlisted.error().code, Errc::kSemantic);
  auto no_soa = signer.update({}, apex, ecdsa_keys(), policy());
  ASSERT_FALSE(no_soa);
  EXPECT_NE(no_soa.error().message.find("SOA"), std::string::npos);
  EXPECT_EQ(signer.records(), before);
}

// Enough names that node building, the ZONEMD buffer and the output run on two workers.
std::string big_zone(int tlds) {
  std::string text = kZone;
  for (int i = 0; i < tlds; ++i) {
    const std::string tld = "t" + std::to_string(i);
    text += tld + ". 172800 IN NS ns." + tld + ".\nns." + tld + ". 172800 IN A 192.0.2." +
            std::to_string(i % 250 + 1) + "\n";
  }
  return text;
}

TEST(ZoneSigner, LargeZoneIsTheSameOnOneOrTwoThreadsAndStaysDigestedAfterNamedUpdates) {
  const std::string text = big_zone(400);
  const auto one = sign(parse(text), 1);
  const auto two = sign(parse(text), 2);
  EXPECT_EQ(without_signatures(one.records), without_signatures(two.records));
  EXPECT_TRUE(verify_zonemd(two.records, dns::Name()));
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(text), ecdsa_keys(), policy()));
  // Same lengths (patched in place), then a new name (the buffer is laid out again).
  std::string next = with_serial(text, "2026073103");
  next.replace(next.find("192.0.2.7\n"), 10, "192.0.2.8\n");
  const std::vector<dns::Name> changed = {dns::Name(), name("ns.t6.")};
  ASSERT_TRUE(signer.update(at_names(next, changed), changed, ecdsa_keys(), policy()));
  EXPECT_TRUE(verify_zonemd(signer.records(), dns::Name()));
  next.replace(next.find("2026073103"), 10, "2026073104");
  next += "zz. 172800 IN NS ns.aaa.\n";
  const std::vector<dns::Name> added = {dns::Name(), name("zz.")};
  ASSERT_TRUE(signer.update(at_names(next, added), added, ecdsa_keys(), policy()));
  const auto records = signer.records();
  EXPECT_TRUE(verify_zonemd(records, dns::Name()));
  EXPECT_EQ(without_signatures(records), without_signatures(sign(parse(next)).records));
}

}  // namespace
}  // namespace rootsim::registry

namespace rootsim::registry {
namespace {

TEST(ZoneSigner, KeptZoneEqualsTheRecordsAfterChangesAdditionsRemovalsAndRefreshes) {
  const std::string text = big_zone(50);
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(text), ecdsa_keys(), policy()));
  EXPECT_EQ(signer.zone().records, signer.records());
  EXPECT_EQ(signer.zone().origin, dns::Name());
  // A glue change, then a name added and one removed, then only a signature refresh.
  std::string next = with_serial(text, "2026073103");
  next.replace(next.find("192.0.2.7\n"), 10, "192.0.2.8\n");
  const std::vector<dns::Name> glue = {dns::Name(), name("ns.t6.")};
  ASSERT_TRUE(signer.update(at_names(next, glue), glue, ecdsa_keys(), policy()));
  std::vector<dns::Name> changed;
  EXPECT_EQ(signer.zone(&changed).records, signer.records());
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  EXPECT_EQ(changed, glue);  // the apex (SOA, ZONEMD) and the host
  next.replace(next.find("2026073103"), 10, "2026073104");
  next += "zz. 172800 IN NS ns.aaa.\n";
  for (const char* line : {"t3. 172800 IN NS ns.t3.\n", "ns.t3. 172800 IN A 192.0.2.4\n"}) {
    next.erase(next.find(line), std::string(line).size());
  }
  const std::vector<dns::Name> moved = {dns::Name(), name("zz."), name("t3."), name("ns.t3.")};
  ASSERT_TRUE(signer.update(at_names(next, moved), moved, ecdsa_keys(), policy()));
  // Two updates between calls: the marks of both count.
  SigningPolicy later = policy();
  later.now += 11 * 86400;
  next.replace(next.find("2026073104"), 10, "2026073105");
  const std::vector<dns::Name> apex = {dns::Name()};
  ASSERT_TRUE(signer.update(at_names(next, apex), apex, ecdsa_keys(), later));
  const auto& kept = signer.zone(&changed).records;
  // Every signed RRset was re-signed; zz. came and t3. went (ns.t3.'s glue with it); the glue
  // of ns.t6., unsigned and unchanged since the last call, is not listed.
  for (const char* owner : {".", "t2.", "zz.", "t3.", "ns.t3."}) {
    EXPECT_NE(std::find(changed.begin(), changed.end(), name(owner)), changed.end()) << owner;
  }
  EXPECT_EQ(std::find(changed.begin(), changed.end(), name("ns.t6.")), changed.end());
  EXPECT_EQ(kept, signer.records());
  EXPECT_TRUE(verify_zonemd(kept, dns::Name()));
  EXPECT_EQ(without_signatures(kept), without_signatures(sign(parse(next)).records));
}

TEST(ZoneSigner, ANewCutAboveASignedNameTakesItsSignaturesAndNsecAway) {
  // host.zz. is authoritative (signed, in the NSEC chain) until zz. is delegated: then it is
  // glue, neither signed nor chained, though its own records did not change.
  const std::string text = std::string(kZone) + "host.zz. 3600 IN A 192.0.2.9\n";
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(text), ecdsa_keys(), policy()));
  EXPECT_FALSE(of(signer.records(), name("host.zz."), dns::RRType::kRrsig).empty());
  const std::string next = with_serial(text, "2026073103") + "zz. 172800 IN NS host.zz.\n";
  const std::vector<dns::Name> changed = {dns::Name(), name("zz.")};
  ASSERT_TRUE(signer.update(at_names(next, changed), changed, ecdsa_keys(), policy()));
  const auto after = signer.records();
  EXPECT_TRUE(of(after, name("host.zz."), dns::RRType::kRrsig).empty());
  EXPECT_TRUE(of(after, name("host.zz."), dns::RRType::kNsec).empty());
  EXPECT_EQ(without_signatures(after), without_signatures(sign(parse(next)).records));
  EXPECT_TRUE(verify_zonemd(after, dns::Name()));
}

TEST(SignatureCache, ASecondSignerWithTheSameKeysTakesTheSignaturesTheFirstMade) {
  SignatureCache cache;
  SigningPolicy shared = policy();
  shared.signature_cache = &cache;
  ZoneSigner first;
  auto made = first.update(parse(kZone), ecdsa_keys(), shared);
  ASSERT_TRUE(made);
  // Every signature but ZONEMD's: a zone digest is new with every version, so its signature is
  // never asked for again and is not kept.
  const std::size_t kept = made->signatures - 1;
  EXPECT_EQ(cache.size(), kept);
  EXPECT_EQ(cache.hits(), 0U);
  ZoneSigner second;
  ASSERT_TRUE(second.update(parse(kZone), ecdsa_keys(), shared));
  EXPECT_EQ(cache.hits(), kept);
  auto but_zonemd_signature = [](std::vector<dns::Record> records) {
    std::erase_if(records, [](const dns::Record& r) {
      return r.type == dns::RRType::kRrsig && covered(r) == dns::RRType::kZonemd;
    });
    return records;
  };
  // The very same signature bytes.
  EXPECT_EQ(but_zonemd_signature(second.records()), but_zonemd_signature(first.records()));
  EXPECT_EQ(verify_all(second.records()), 10U);
  // Other signature times are other data: new signatures.
  SigningPolicy later = shared;
  later.now += 86400;
  ZoneSigner third;
  ASSERT_TRUE(third.update(parse(kZone), ecdsa_keys(), later));
  EXPECT_EQ(cache.hits(), kept);
  EXPECT_EQ(cache.size(), 2 * kept);
  EXPECT_NE(third.records(), first.records());
}

TEST(SignatureCache, StopsKeepingWhenFull) {
  SignatureCache cache(3);
  SigningPolicy shared = policy();
  shared.signature_cache = &cache;
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(kZone), ecdsa_keys(), shared));
  EXPECT_LE(cache.size(), 4U);  // two threads may both insert past the check at the edge
  EXPECT_EQ(verify_all(signer.records()), 10U);
}

}  // namespace
}  // namespace rootsim::registry
