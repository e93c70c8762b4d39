// answer(): behaviours on small inline (unsigned) zones, read back through ldns.
#include "snapshot_test_util.hpp"
#include <gtest/gtest.h>

#include <algorithm>

namespace rootsim::resolver {
namespace {

using dns::RRType;
using testing::ask;
using testing::kSmallRoot;
using testing::make_query;
using testing::make_snapshot;
using testing::QueryOptions;

bool has_record(const std::vector<testing::ParsedRecord>& section, const std::string& owner,
                RRType type) {
  return std::any_of(section.begin(), section.end(),
                     [&](const auto& r) { return r.owner == owner && r.type == type; });
}

TEST(Answer, ReferralHasNsInAuthorityGlueInAdditionalAndNoAa) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, "www.cz.", RRType::kA);
  ASSERT_TRUE(ex.response);
  const auto& r = *ex.response;
  EXPECT_EQ(ex.result.kind, AnswerKind::kReferral);
  EXPECT_EQ(r.rcode, 0U);
  EXPECT_FALSE(r.aa);
  EXPECT_TRUE(r.qr);
  EXPECT_EQ(r.id, 0x1234);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.count(r.authority, RRType::kNs), 3U);
  EXPECT_TRUE(has_record(r.additional, "a.ns.nic.cz.", RRType::kA));
  EXPECT_TRUE(has_record(r.additional, "a.ns.nic.cz.", RRType::kAaaa));
  EXPECT_TRUE(has_record(r.additional, "b.ns.nic.cz.", RRType::kA));
  EXPECT_TRUE(has_record(r.additional, "ns.provider.net.", RRType::kA));
  EXPECT_EQ(r.additional.size(), 4U);  // ldns moves the OPT out of the section
  EXPECT_TRUE(r.edns);
  EXPECT_EQ(r.udp_size, 1232);
}

TEST(Answer, QnameCaseIsEchoedAndUsedForOwnerNames) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, "WwW.Cz.", RRType::kA);
  ASSERT_TRUE(ex.response);
  EXPECT_EQ(ex.response->qname, "WwW.Cz.");
  ASSERT_FALSE(ex.response->authority.empty());
  EXPECT_EQ(ex.response->authority.front().owner, "Cz.");
}

TEST(Answer, ApexSoaAndNsAreAuthoritative) {
  auto snap = make_snapshot(kSmallRoot);
  auto soa = ask(*snap, ".", RRType::kSoa);
  ASSERT_TRUE(soa.response);
  EXPECT_EQ(soa.result.kind, AnswerKind::kAnswer);
  EXPECT_TRUE(soa.response->aa);
  ASSERT_EQ(soa.response->answer.size(), 1U);
  EXPECT_NE(soa.response->answer[0].text.find("2024010101"), std::string::npos);

  auto ns = ask(*snap, ".", RRType::kNs);
  ASSERT_TRUE(ns.response);
  EXPECT_EQ(ns.response->count(ns.response->answer, RRType::kNs), 2U);
  EXPECT_TRUE(has_record(ns.response->additional, "a.root-servers.net.", RRType::kAaaa));
  EXPECT_TRUE(has_record(ns.response->additional, "b.root-servers.net.", RRType::kA));
}

TEST(Answer, NxdomainCarriesSoaInAuthority) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, "nosuchtld.", RRType::kA);
  ASSERT_TRUE(ex.response);
  EXPECT_EQ(ex.result.kind, AnswerKind::kNxdomain);
  EXPECT_EQ(ex.response->rcode, 3U);
  EXPECT_TRUE(ex.response->aa);
  ASSERT_EQ(ex.response->authority.size(), 1U);
  EXPECT_EQ(ex.response->authority[0].type, RRType::kSoa);
}

TEST(Answer, NodataAtApexAndForDsOfUnsignedDelegation) {
  auto snap = make_snapshot(kSmallRoot);
  for (const auto& [name, type] : {std::pair{".", RRType::kTxt}, std::pair{"cz.", RRType::kDs}}) {
    auto ex = ask(*snap, name, type);
    ASSERT_TRUE(ex.response);
    EXPECT_EQ(ex.result.kind, AnswerKind::kNodata) << name;
    EXPECT_EQ(ex.response->rcode, 0U);
    EXPECT_TRUE(ex.response->aa);
    EXPECT_TRUE(ex.response->answer.empty());
    ASSERT_EQ(ex.response->authority.size(), 1U);
    EXPECT_EQ(ex.response->authority[0].type, RRType::kSoa);
  }
}

TEST(Answer, GlueBelowACutIsAReferralNotAnAnswer) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, "a.ns.nic.cz.", RRType::kA);
  EXPECT_EQ(ex.result.kind, AnswerKind::kReferral);
  ASSERT_TRUE(ex.response);
  EXPECT_FALSE(ex.response->aa);
  EXPECT_TRUE(ex.response->answer.empty());
}

TEST(Answer, AnyIsMinimal) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, ".", RRType::kAny);
  ASSERT_TRUE(ex.response);
  EXPECT_EQ(ex.result.kind, AnswerKind::kAnswer);
  ASSERT_EQ(ex.response->answer.size(), 1U);  // RFC 8482: one RRset
  EXPECT_EQ(ex.response->answer[0].type, RRType::kSoa);
}

TEST(Answer, EdnsIsEchoedWithOurSizeAndDoBit) {
  auto snap = make_snapshot(kSmallRoot, ".", {.instance_name = "", .edns_udp_size = 1400});
  auto ex = ask(*snap, ".", RRType::kSoa, {.dnssec_ok = true, .udp_size = 4096});
  ASSERT_TRUE(ex.response);
  EXPECT_TRUE(ex.response->edns);
  EXPECT_EQ(ex.response->udp_size, 1400);
  EXPECT_TRUE(ex.response->dnssec_ok);
  auto plain = ask(*snap, ".", RRType::kSoa, {.edns = false});
  ASSERT_TRUE(plain.response);
  EXPECT_FALSE(plain.response->edns);
  EXPECT_TRUE(plain.response->additional.empty());
}

TEST(Answer, BadversForEdnsVersionAboveZero) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, ".", RRType::kSoa, {.version = 1});
  ASSERT_TRUE(ex.response);
  EXPECT_EQ(ex.result.kind, AnswerKind::kBadVers);
  EXPECT_EQ(ex.response->rcode, 16U);
  EXPECT_TRUE(ex.response->answer.empty());
  EXPECT_EQ(ex.response->version, 0);
}

TEST(Answer, FlagsRdAndCdAreCopiedRaAndAdAreClear) {
  auto snap = make_snapshot(kSmallRoot);
  auto ex = ask(*snap, ".", RRType::kSoa, {.rd = true, .cd = true});
  ASSERT_TRUE(ex.response);
  EXPECT_TRUE(ex.response->rd);
  EXPECT_TRUE(ex.response->cd);
  EXPECT_FALSE(ex.response->ra);
  EXPECT_FALSE(ex.response->ad);
}

TEST(Answer, NotimpForOpcodesOtherThanQuery) {
  auto snap = make_snapshot(kSmallRoot);
  for (const std::uint8_t opcode :
       {std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{4}, std::uint8_t{5}}) {
    auto ex = ask(*snap, ".", RRType::kSoa, {.opcode = opcode});
    ASSERT_TRUE(ex.response);
    EXPECT_EQ(ex.result.kind, AnswerKind::kNotImp);
    EXPECT_EQ(ex.response->rcode, 4U);
  }
}

TEST(Answer, RefusedForOtherClassesAndNamesOutsideTheZone) {
  auto snap = make_snapshot(kSmallRoot);
  for (const std::uint16_t qclass :
       {std::uint16_t{2}, std::uint16_t{4}, std::uint16_t{254}, std::uint16_t{255}}) {
    auto ex = ask(*snap, "cz.", RRType::kNs, {.qclass = qclass});
    ASSERT_TRUE(ex.response);
    EXPECT_EQ(ex.result.kind, AnswerKind::kRefused) << qclass;
    EXPECT_EQ(ex.response->rcode, 5U);
  }
  auto example = make_snapshot(R"(
example.	3600	IN	SOA	ns.example. host.example. 1 2 3 4 5
example.	3600	IN	NS	ns.example.
ns.example.	3600	IN	A	192.0.2.1
)",
                               "example.");
  auto out = ask(*example, "www.example.org.", RRType::kA);
  EXPECT_EQ(out.result.kind, AnswerKind::kRefused);
  auto in = ask(*example, "NS.example.", RRType::kA);
  EXPECT_EQ(in.result.kind, AnswerKind::kAnswer);
  ASSERT_TRUE(in.response);
  EXPECT_EQ(in.response->answer.at(0).owner, "NS.example.");
}

TEST(Answer, ChaosTxtAnswersTheInstanceName) {
  auto snap = make_snapshot(kSmallRoot, ".", {.instance_name = "fra1.rootsim"});
  for (const char* name : {"hostname.bind.", "ID.Server."}) {
    auto ex = ask(*snap, name, RRType::kTxt, {.qclass = 3});
    ASSERT_TRUE(ex.response) << name;
    EXPECT_EQ(ex.result.kind, AnswerKind::kChaos);
    ASSERT_EQ(ex.response->answer.size(), 1U);
    EXPECT_EQ(ex.response->answer[0].owner, name);
    EXPECT_NE(ex.response->answer[0].text.find("\"fra1.rootsim\""), std::string::npos);
  }
  auto version = ask(*snap, "version.bind.", RRType::kTxt, {.qclass = 3});
  EXPECT_EQ(version.result.kind, AnswerKind::kRefused);
  auto anonymous = make_snapshot(kSmallRoot);
  auto hidden = ask(*anonymous, "hostname.bind.", RRType::kTxt, {.qclass = 3});
  EXPECT_EQ(hidden.result.kind, AnswerKind::kRefused);
}

TEST(Answer, EmptyNonTerminalIsNodataAndBelowItNxdomain) {
  auto snap = make_snapshot(R"(
example.	3600	IN	SOA	ns.example. host.example. 1 2 3 4 5
example.	3600	IN	NS	ns.example.
ns.example.	3600	IN	A	192.0.2.1
a.b.example.	3600	IN	A	192.0.2.2
)",
                            "example.");
  EXPECT_EQ(ask(*snap, "b.example.", RRType::kA).result.kind, AnswerKind::kNodata);
  EXPECT_EQ(ask(*snap, "a.b.example.", RRType::kA).result.kind, AnswerKind::kAnswer);
  EXPECT_EQ(ask(*snap, "c.b.example.", RRType::kA).result.kind, AnswerKind::kNxdomain);
  EXPECT_EQ(ask(*snap, "c.example.", RRType::kA).result.kind, AnswerKind::kNxdomain);
}

TEST(Answer, TransferQueries) {
  auto snap = make_snapshot(kSmallRoot);
  auto axfr = ask(*snap, ".", RRType::kAxfr);
  EXPECT_EQ(axfr.result.kind, AnswerKind::kTransfer);
  ASSERT_TRUE(axfr.response);
  EXPECT_EQ(axfr.response->rcode, 5U);
  auto ixfr = ask(*snap, ".", static_cast<RRType>(251));
  EXPECT_EQ(ixfr.result.kind, AnswerKind::kTransfer);
  ASSERT_TRUE(ixfr.response);
  ASSERT_EQ(ixfr.response->answer.size(), 1U);
  EXPECT_EQ(ixfr.response->answer[0].type, RRType::kSoa);
}

}  // namespace
}  // namespace rootsim::resolver
