#include "rootsim/registry/technical_checks.hpp"

#include "rootsim/dns/dnssec.hpp"
#include "rootsim/dns/zone_file.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include "registry_fixtures.hpp"

#include <algorithm>

namespace rootsim::registry {
namespace {

using dns::Name;

Name name(const std::string& text) { return *Name::from_text(text); }


RegistryState make_state(const std::string& zone) {
  auto parsed = dns::parse_zone_text(zone, Name(), "<test>");
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return testing::imported(parsed->records);
}

const Tld& xx(const RegistryState& state) { return *state.find_tld(name("xx.")); }

std::vector<CheckFinding> only(CheckCode code, const std::vector<CheckFinding>& all) {
  std::vector<CheckFinding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [code](const CheckFinding& f) { return f.code == code; });
  return out;
}

std::vector<CheckFinding> run(const RegistryState& state, const CheckInput& input = {}) {
  return run_technical_checks(xx(state), state, input);
}

// Two name servers inside xx., glue for both; passes every check.
const std::string kGood = R"(
xx. 172800 IN NS ns1.nic.xx.
xx. 172800 IN NS ns2.nic.xx.
ns1.nic.xx. 172800 IN A 192.0.32.10
ns2.nic.xx. 172800 IN AAAA 2001:500:8f::53
)";

TEST(TechnicalChecks, GoodDelegationPassesEveryCheck) {
  const auto state = make_state(kGood);
  const auto findings = run(state);
  EXPECT_TRUE(findings.empty()) << findings.front().message;
  EXPECT_TRUE(passed(findings));
}

TEST(TechnicalChecks, CatalogCodesAreUniqueAndRoundTrip) {
  std::vector<CheckCode> seen;
  for (const CheckDescriptor& d : technical_check_catalog()) {
    EXPECT_EQ(std::count(seen.begin(), seen.end(), d.code), 0);
    seen.push_back(d.code);
    EXPECT_EQ(check_code_from_string(to_string(d.code)), d.code);
    EXPECT_FALSE(d.summary.empty());
  }
  EXPECT_EQ(to_string(CheckCode::kGlueMissing), "glue-missing");
  EXPECT_EQ(to_string(Severity::kWarning), "warning");
  EXPECT_FALSE(check_code_from_string("no-such-check"));
}

TEST(TechnicalChecks, NsCount) {
  const auto state = make_state(kGood + "yy. 1 IN NS ns1.nic.xx.\n");
  EXPECT_TRUE(only(CheckCode::kNsCount, run(state)).empty());
  const auto yy = run_technical_checks(*state.find_tld(name("yy.")), state, {});
  const auto f = only(CheckCode::kNsCount, yy);
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].subject, "yy.");
  EXPECT_FALSE(passed(yy));
}

TEST(TechnicalChecks, NsDistinctAddresses) {
  const auto same = make_state(R"(
xx. 1 IN NS ns1.nic.xx.
xx. 1 IN NS ns2.nic.xx.
ns1.nic.xx. 1 IN A 192.0.32.10
ns2.nic.xx. 1 IN A 192.0.32.10
)");
  const auto f = only(CheckCode::kNsDistinctAddresses, run(same));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_TRUE(only(CheckCode::kNsDistinctAddresses, run(make_state(kGood))).empty());
  // Out-of-zone name servers without glue: unknown, so informational only.
  const auto unknown = make_state("xx. 1 IN NS a.example.\nxx. 1 IN NS b.example.\n");
  const auto u = only(CheckCode::kNsDistinctAddresses, run(unknown));
  ASSERT_EQ(u.size(), 1U);
  EXPECT_EQ(u[0].severity, Severity::kInfo);
  EXPECT_TRUE(passed(run(unknown)));
}

TEST(TechnicalChecks, HostNameSyntax) {
  EXPECT_FALSE(host_name_problem(name("a.ns.nic.xx.")));
  EXPECT_FALSE(host_name_problem(name("0-9.xn--p1ai.")));
  EXPECT_TRUE(host_name_problem(name("ns_1.example.")));
  EXPECT_TRUE(host_name_problem(name("-ns.example.")));
  EXPECT_TRUE(host_name_problem(name("ns-.example.")));
  EXPECT_TRUE(host_name_problem(name(".")));
  const auto state = make_state("xx. 1 IN NS ns_1.example.\nxx. 1 IN NS ns2.example.\n");
  const auto f = only(CheckCode::kHostNameSyntax, run(state));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].subject, "ns_1.example.");
  EXPECT_NE(f[0].message.find("ns_1.example."), std::string::npos);
}

TEST(TechnicalChecks, GlueMissingFromDataZone) {
  auto zone = dns::parse_zone_file(testing::test_data() / "glue_missing.zone", Name());
  ASSERT_TRUE(zone) << zone.error().message;
  const auto state = testing::imported(zone->records);
  const auto f = only(CheckCode::kGlueMissing, run(state));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].subject, "ns2.nic.xx.");
  EXPECT_TRUE(only(CheckCode::kGlueMissing, run(make_state(kGood))).empty());
  // Out-of-bailiwick hosts need no glue.
  const auto out = make_state("xx. 1 IN NS a.example.\nxx. 1 IN NS b.example.\n");
  EXPECT_TRUE(only(CheckCode::kGlueMissing, run(out)).empty());
}

TEST(TechnicalChecks, GlueInconsistent) {
  // Sibling glue (host under another registry TLD) is fine.
  const auto sibling = make_state(kGood + R"(
xx. 1 IN NS ns.nic.yy.
yy. 1 IN NS ns1.nic.xx.
yy. 1 IN NS ns2.nic.xx.
ns.nic.yy. 1 IN A 192.0.33.1
)");
  EXPECT_TRUE(only(CheckCode::kGlueInconsistent, run(sibling)).empty());
  // Addresses for a host under a TLD the registry does not hold cannot be published.
  const auto orphan = make_state(kGood + "xx. 1 IN NS ns.nic.zz.\nns.nic.zz. 1 IN A 192.0.33.1\n");
  const auto f = only(CheckCode::kGlueInconsistent, run(orphan));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].subject, "ns.nic.zz.");
  const auto twice = make_state(kGood + "ns1.nic.xx. 1 IN A 192.0.32.10\n");
  const auto t = only(CheckCode::kGlueInconsistent, run(twice));
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].severity, Severity::kWarning);
}

TEST(TechnicalChecks, SpecialPurposeTable) {
  const auto block = [](const char* text) {
    return find_special_purpose_block(dns::parse_address(text)->rdata);
  };
  EXPECT_EQ(block("8.8.8.8"), nullptr);
  EXPECT_EQ(block("2001:500:8f::53"), nullptr);
  EXPECT_EQ(block("10.200.0.1")->rfc, "RFC 1918");
  EXPECT_EQ(block("255.255.255.255")->prefix, "255.255.255.255/32");  // not 240/4
  EXPECT_EQ(block("240.0.0.1")->prefix, "240.0.0.0/4");
  EXPECT_EQ(block("192.0.0.9")->globally_reachable, true);  // inside 192.0.0.0/24 (false)
  EXPECT_EQ(block("192.0.0.1")->globally_reachable, false);
  EXPECT_EQ(block("192.175.48.6")->globally_reachable, true);
  EXPECT_EQ(block("2001:4:112::1")->prefix, "2001:4:112::/48");
  EXPECT_EQ(block("2001:db8::1")->rfc, "RFC 3849");
  EXPECT_EQ(block("2001:0:1::1")->prefix, "2001::/32");  // Teredo: N/A
  EXPECT_FALSE(block("2001:0:1::1")->globally_reachable.has_value());
  EXPECT_EQ(block("::ffff:192.0.32.10")->prefix, "::ffff:0:0/96");
  EXPECT_EQ(block("::")->prefix, "::/128");
  EXPECT_EQ(block("::2"), nullptr);
  EXPECT_EQ(block("fe80::1")->prefix, "fe80::/10");
  EXPECT_EQ(block("ff02::1")->prefix, "ff00::/8");
}

TEST(TechnicalChecks, AddressSpecialPurposeFromDataZone) {
  auto zone = dns::parse_zone_file(testing::test_data() / "special_purpose_address.zone", Name());
  ASSERT_TRUE(zone) << zone.error().message;
  const auto f = only(CheckCode::kAddressSpecialPurpose, run(testing::imported(zone->records)));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].subject, "10.1.2.3");
  EXPECT_NE(f[0].message.find("RFC 1918"), std::string::npos);
  // AS112 is globally reachable; 6to4 is N/A, a warning.
  const auto as112 = make_state(R"(
xx. 1 IN NS ns1.nic.xx.
xx. 1 IN NS ns2.nic.xx.
ns1.nic.xx. 1 IN A 192.175.48.1
ns2.nic.xx. 1 IN AAAA 2002:c000:2001::1
)");
  const auto a = only(CheckCode::kAddressSpecialPurpose, run(as112));
  ASSERT_EQ(a.size(), 1U);
  EXPECT_EQ(a[0].severity, Severity::kWarning);
  EXPECT_NE(a[0].message.find("6to4"), std::string::npos);
}

TEST(TechnicalChecks, ReferralSizeIsExact) {
  const auto state = make_state(R"(
xx. 1 IN NS a.nic.xx.
xx. 1 IN NS b.nic.xx.
a.nic.xx. 1 IN A 192.0.32.10
b.nic.xx. 1 IN AAAA 2001:500:8f::53
)");
  // Header 12; question 63-octet label + xx. (68) + 4; NS a.nic.xx. 2+10+(2+4+2);
  // NS b.nic.xx. 2+10+(2+2); A 2+10+4; AAAA 2+10+16.
  const ReferralSize r = measure_referral(xx(state), state, 63, 512);
  EXPECT_EQ(r.size, 12U + 72U + 20U + 16U + 16U + 28U);
  EXPECT_EQ(r.full_size, r.size);
  EXPECT_EQ(r.glue_total, 2U);
  EXPECT_EQ(r.glue_fitted, 2U);
  EXPECT_TRUE(r.ns_fit);
  EXPECT_TRUE(r.in_bailiwick_glue_needed);
  EXPECT_EQ(measure_referral(xx(state), state, 1, 512).size, r.size - 62U);
}

std::string many_ns_zone(std::size_t count, std::size_t label_length) {
  std::string zone;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string host = std::string(label_length, static_cast<char>('a' + i)) + ".nic.xx.";
    zone += "xx. 1 IN NS " + host + "\n" + host +
            " 1 IN AAAA 2001:500:8f::" + std::to_string(i + 1) + "\n";
  }
  return zone;
}

TEST(TechnicalChecks, ReferralSizeDropsGlueButKeepsOne) {
  // 13 NS with 20-octet first labels: NS set 12+72+(2+10+27)+12*(2+10+23) = 543 > 512.
  const auto too_big = make_state(many_ns_zone(13, 20));
  const auto f = only(CheckCode::kReferralSize, run(too_big));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_NE(f[0].message.find("NS set alone"), std::string::npos);
  // 10 NS with 10-octet labels fit (338 octets), 10 AAAA glue (280) do not, with some glue dropped:
  // informational.
  const auto state = make_state(many_ns_zone(10, 10));
  const ReferralSize r = measure_referral(xx(state), state, 63, 512);
  EXPECT_TRUE(r.ns_fit);
  EXPECT_GT(r.full_size, 512U);
  EXPECT_LE(r.size, 512U);
  EXPECT_GT(r.glue_fitted, 0U);
  EXPECT_LT(r.glue_fitted, r.glue_total);
  const auto g = only(CheckCode::kReferralSize, run(state));
  ASSERT_EQ(g.size(), 1U);
  EXPECT_EQ(g[0].severity, Severity::kInfo);
  EXPECT_TRUE(passed(run(state)));
}

dns::DsRdata ds(std::uint8_t algorithm, std::uint8_t digest_type, std::size_t length = 32) {
  return {12345, algorithm, digest_type, dns::Bytes(length, 0xab)};
}

std::vector<CheckFinding> run_with_ds(std::vector<dns::DsRdata> list, const CheckInput& in = {}) {
  auto state = make_state(kGood);
  state.tlds.at(name("xx.")).delegation.ds = std::move(list);
  return run(state, in);
}

TEST(TechnicalChecks, DsAlgorithm) {
  for (const std::uint8_t ok : std::initializer_list<std::uint8_t>{8, 10, 13, 14, 15, 16}) {
    EXPECT_TRUE(only(CheckCode::kDsAlgorithm, run_with_ds({ds(ok, 2)})).empty()) << int{ok};
  }
  for (const std::uint8_t deprecated : std::initializer_list<std::uint8_t>{5, 7}) {
    const auto f = only(CheckCode::kDsAlgorithm, run_with_ds({ds(deprecated, 2)}));
    ASSERT_EQ(f.size(), 1U);
    EXPECT_EQ(f[0].severity, Severity::kWarning);
  }
  for (const std::uint8_t bad : std::initializer_list<std::uint8_t>{1, 3, 6, 12, 0, 9, 99, 200}) {
    const auto f = only(CheckCode::kDsAlgorithm, run_with_ds({ds(bad, 2)}));
    ASSERT_EQ(f.size(), 1U) << int{bad};
    EXPECT_EQ(f[0].severity, Severity::kError);
    EXPECT_EQ(f[0].subject, "DS 12345 " + std::to_string(bad) + " 2");
  }
}

TEST(TechnicalChecks, DsDigestTypeAndLength) {
  EXPECT_TRUE(only(CheckCode::kDsDigestType, run_with_ds({ds(13, 2), ds(13, 4, 48)})).empty());
  const auto sha1 = only(CheckCode::kDsDigestType, run_with_ds({ds(13, 1, 20)}));
  ASSERT_EQ(sha1.size(), 1U);
  EXPECT_EQ(sha1[0].severity, Severity::kWarning);
  for (const std::uint8_t bad : std::initializer_list<std::uint8_t>{0, 3, 7, 200}) {
    const auto f = only(CheckCode::kDsDigestType, run_with_ds({ds(13, bad)}));
    ASSERT_EQ(f.size(), 1U) << int{bad};
    EXPECT_EQ(f[0].severity, Severity::kError);
  }
  EXPECT_TRUE(only(CheckCode::kDsDigestLength, run_with_ds({ds(13, 1, 20)})).empty());
  EXPECT_EQ(only(CheckCode::kDsDigestLength, run_with_ds({ds(13, 4, 32)})).size(), 1U);
  auto zone = dns::parse_zone_file(testing::test_data() / "ds_digest_length.zone", Name());
  ASSERT_TRUE(zone) << zone.error().message;
  const auto f = only(CheckCode::kDsDigestLength, run(testing::imported(zone->records)));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_NE(f[0].message.find("31 octets"), std::string::npos);
}

dns::Bytes dnskey(std::uint16_t flags) {
  dns::Bytes key;
  dns::put_u16(key, flags);
  key.push_back(3);
  key.push_back(13);
  for (std::uint8_t i = 0; i < 64; ++i) {
    key.push_back(static_cast<std::uint8_t>(i * 7 + 1));
  }
  return key;
}

CheckInput with_keys(std::vector<dns::Bytes> keys) {
  CheckInput in;
  in.dnskeys = std::move(keys);
  return in;
}

TEST(TechnicalChecks, DsMatchesDnskey) {
  const dns::Bytes ksk = dnskey(257);
  const auto good = *dns::compute_ds(name("xx."), ksk, 2);
  const CheckInput with_key = with_keys({dnskey(256), ksk});
  EXPECT_TRUE(only(CheckCode::kDsMatchesDnskey, run_with_ds({good}, with_key)).empty());
  auto wrong = good;
  wrong.digest[0] ^= 1;
  const auto f = only(CheckCode::kDsMatchesDnskey, run_with_ds({wrong}, with_key));
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].severity, Severity::kError);
  // Without supplied keys the check has nothing to compare with.
  EXPECT_TRUE(only(CheckCode::kDsMatchesDnskey, run_with_ds({wrong})).empty());
  // A DS of a key without the Zone Key flag.
  const dns::Bytes not_zone = dnskey(1);
  const CheckInput other = with_keys({not_zone});
  const auto z = only(CheckCode::kDsMatchesDnskey,
                      run_with_ds({*dns::compute_ds(name("xx."), not_zone, 2)}, other));
  ASSERT_EQ(z.size(), 1U);
  EXPECT_NE(z[0].message.find("Zone Key"), std::string::npos);
}

// A name server simulated in-process: answers SOA queries, authoritatively or not.
class FakeProbe final : public NetworkProbe {
 public:
  bool authoritative = true;
  bool silent = false;
  int queries = 0;

  Result<dns::Bytes> exchange(const dns::Address& /*server*/,
                              std::span<const std::uint8_t> query) override {
    ++queries;
    if (silent) {
      return fail(Errc::kIo, "timeout");
    }
    auto q = dns::parse_message(query);
    if (!q || q->questions.size() != 1) {
      return fail(Errc::kParse, "bad query");
    }
    dns::MessageBuilder b;
    b.reset(dns::Header{.id = q->header.id, .qr = true, .aa = authoritative}, 512);
    (void)b.add_question(q->questions[0]);
    if (authoritative) {
      (void)b.add(
          dns::Section::kAnswer, q->questions[0].qname, dns::RRType::kSoa, dns::RRClass::kIn, 3600,
          dns::make_soa_rdata({name("ns1.nic.xx."), name("hostmaster.nic.xx."), 1, 2, 3, 4, 5}));
    }
    const auto wire = b.finish();
    return dns::Bytes(wire.begin(), wire.end());
  }
};

CheckInput with_probe(NetworkProbe& probe) {
  CheckInput in;
  in.probe = &probe;
  return in;
}

TEST(TechnicalChecks, NetworkChecksRunOnlyWithAProbe) {
  const auto state = make_state(kGood);
  FakeProbe probe;
  EXPECT_TRUE(run(state, with_probe(probe)).empty());
  EXPECT_EQ(probe.queries, 2);  // one per address
  probe.authoritative = false;
  const auto lame = only(CheckCode::kNsAuthoritative, run(state, with_probe(probe)));
  ASSERT_EQ(lame.size(), 2U);
  EXPECT_NE(lame[0].message.find("AA clear"), std::string::npos);
  probe.silent = true;
  const auto silent = only(CheckCode::kNsAuthoritative, run(state, with_probe(probe)));
  ASSERT_EQ(silent.size(), 2U);
  EXPECT_EQ(silent[0].subject, "ns1.nic.xx. 192.0.32.10");
  probe.queries = 0;
  EXPECT_TRUE(run(state).empty());
  EXPECT_EQ(probe.queries, 0);
}

TEST(TechnicalChecks, SingleNsDataZoneFails) {
  auto zone = dns::parse_zone_file(testing::test_data() / "single_ns.zone", Name());
  ASSERT_TRUE(zone) << zone.error().message;
  const auto findings = run(testing::imported(zone->records));
  EXPECT_FALSE(passed(findings));
  EXPECT_EQ(only(CheckCode::kNsCount, findings).size(), 1U);
  EXPECT_EQ(only(CheckCode::kNsDistinctAddresses, findings).size(), 1U);
}

}  // namespace
}  // namespace rootsim::registry
