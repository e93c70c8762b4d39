// answer() on the real, signed IANA root zone: DNSSEC behaviours (signatures checked with ldns at
// a fixed time before they expired) and every TLD × {NS, DS, A, SOA} × DO.
#include "rootsim/dns/zone_file.hpp"

#include "snapshot_test_util.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <ldns/ldns.h>

#include <ctime>
#include <map>
#include <set>

namespace rootsim::resolver {
namespace {

using dns::RRType;
using testing::ask;
using testing::QueryOptions;

constexpr std::time_t kValidationTime = 1785542400;  // 2026-08-01T00:00:00Z

class RootZone : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::real_root_zone())) {
      return;
    }
    auto parsed = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    zone_ = new dns::ZoneContent(std::move(*parsed));
    auto snap = build_snapshot(*zone_, {.instance_name = "test"});
    ASSERT_TRUE(snap.has_value()) << snap.error().message;
    snapshot_ = new std::shared_ptr<const ZoneSnapshot>(*snap);
  }
  static void TearDownTestSuite() {
    delete snapshot_;
    delete zone_;
    snapshot_ = nullptr;
    zone_ = nullptr;
  }
  void SetUp() override { ROOTSIM_REQUIRE_ROOT_ZONE(); }
  static const ZoneSnapshot& snap() { return **snapshot_; }

  // Whether all RRSIGs over `type` in `section` of the response verify with the apex keys.
  static bool signatures_verify(const std::vector<std::uint8_t>& wire, ldns_rr_type type,
                                ldns_pkt_section section) {
    auto keys_query = testing::make_query(".", RRType::kDnskey, {.dnssec_ok = true});
    auto keys_answer = ask(snap(), keys_query);
    ldns_pkt* keys_pkt = nullptr;
    ldns_pkt* pkt = nullptr;
    if (ldns_wire2pkt(&keys_pkt, keys_answer.wire.data(), keys_answer.wire.size()) !=
            LDNS_STATUS_OK ||
        ldns_wire2pkt(&pkt, wire.data(), wire.size()) != LDNS_STATUS_OK) {
      return false;
    }
    ldns_rr_list* keys =
        ldns_pkt_rr_list_by_type(keys_pkt, LDNS_RR_TYPE_DNSKEY, LDNS_SECTION_ANSWER);
    ldns_rr_list* rrset = ldns_pkt_rr_list_by_type(pkt, type, section);
    ldns_rr_list* sigs = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_RRSIG, section);
    bool ok = keys != nullptr && rrset != nullptr && sigs != nullptr;
    std::size_t checked = 0;
    for (std::size_t i = 0; ok && i < ldns_rr_list_rr_count(sigs); ++i) {
      ldns_rr* sig = ldns_rr_list_rr(sigs, i);
      if (ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig)) != type) {
        continue;
      }
      ldns_rr_list* owned = ldns_rr_list_new();
      for (std::size_t k = 0; k < ldns_rr_list_rr_count(rrset); ++k) {
        ldns_rr* rr = ldns_rr_list_rr(rrset, k);
        if (ldns_dname_compare(ldns_rr_owner(rr), ldns_rr_owner(sig)) == 0) {
          ldns_rr_list_push_rr(owned, rr);
        }
      }
      ldns_rr_list* good = ldns_rr_list_new();
      ok =
          ldns_verify_rrsig_keylist_time(owned, sig, keys, kValidationTime, good) == LDNS_STATUS_OK;
      ++checked;
      ldns_rr_list_free(good);
      ldns_rr_list_free(owned);
    }
    ldns_rr_list_deep_free(keys);
    ldns_rr_list_deep_free(rrset);
    ldns_rr_list_deep_free(sigs);
    ldns_pkt_free(keys_pkt);
    ldns_pkt_free(pkt);
    return ok && checked > 0;
  }

  static dns::ZoneContent* zone_;
  static std::shared_ptr<const ZoneSnapshot>* snapshot_;
};
dns::ZoneContent* RootZone::zone_ = nullptr;
std::shared_ptr<const ZoneSnapshot>* RootZone::snapshot_ = nullptr;

TEST_F(RootZone, SnapshotFigures) {
  EXPECT_EQ(snap().serial(), 2026073102U);
  EXPECT_TRUE(snap().is_signed());
  EXPECT_GT(snap().stats().delegations, 1400U);
  EXPECT_EQ(snap().stats().records, zone_->records.size());
}

TEST_F(RootZone, SignedReferralCarriesDsWithAValidRrsig) {
  auto ex = ask(snap(), "www.cz.", RRType::kA, {.dnssec_ok = true});
  ASSERT_TRUE(ex.response);
  const auto& r = *ex.response;
  EXPECT_EQ(ex.result.kind, AnswerKind::kReferral);
  EXPECT_FALSE(r.aa);
  EXPECT_EQ(r.count(r.authority, RRType::kNs), 4U);
  EXPECT_EQ(r.count(r.authority, RRType::kDs), 1U);
  EXPECT_EQ(r.count(r.authority, RRType::kRrsig), 1U);
  EXPECT_EQ(r.count(r.authority, RRType::kNsec), 0U);
  EXPECT_GE(r.count(r.additional, RRType::kA), 1U);
  EXPECT_TRUE(signatures_verify(ex.wire, LDNS_RR_TYPE_DS, LDNS_SECTION_AUTHORITY));

  auto plain = ask(snap(), "www.cz.", RRType::kA);
  ASSERT_TRUE(plain.response);
  EXPECT_EQ(plain.response->count(plain.response->authority, RRType::kDs), 0U);
  EXPECT_EQ(plain.response->count(plain.response->authority, RRType::kRrsig), 0U);
}

TEST_F(RootZone, UnsignedDelegationUnderDoProvesNoDsWithNsec) {
  auto ex = ask(snap(), "zw.", RRType::kNs, {.dnssec_ok = true});
  ASSERT_TRUE(ex.response);
  const auto& r = *ex.response;
  EXPECT_EQ(ex.result.kind, AnswerKind::kReferral);
  EXPECT_EQ(r.count(r.authority, RRType::kDs), 0U);
  ASSERT_EQ(r.count(r.authority, RRType::kNsec), 1U);
  EXPECT_TRUE(signatures_verify(ex.wire, LDNS_RR_TYPE_NSEC, LDNS_SECTION_AUTHORITY));
}

TEST_F(RootZone, NxdomainUnderDoHasSoaAndNsecsCoveringNameAndWildcard) {
  auto ex = ask(snap(), "nosuchtld.", RRType::kA, {.dnssec_ok = true});
  ASSERT_TRUE(ex.response);
  const auto& r = *ex.response;
  EXPECT_EQ(ex.result.kind, AnswerKind::kNxdomain);
  EXPECT_EQ(r.rcode, 3U);
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.count(r.authority, RRType::kSoa), 1U);
  ASSERT_EQ(r.count(r.authority, RRType::kNsec), 2U);
  EXPECT_EQ(r.count(r.authority, RRType::kRrsig), 3U);
  // One NSEC covers the qname, the apex NSEC covers the wildcard "*." (RFC 4035 §3.1.3.2).
  const auto qname = *dns::Name::from_text("nosuchtld.");
  const auto wildcard = *dns::Name::from_text("*.");
  bool covers_qname = false;
  bool covers_wildcard = false;
  for (const auto& rr : r.authority) {
    if (rr.type != RRType::kNsec) {
      continue;
    }
    const auto owner = *dns::Name::from_text(rr.owner);
    const std::string next_text = rr.text.substr(rr.text.find("NSEC\t") + 5);
    const auto next = *dns::Name::from_text(next_text.substr(0, next_text.find(' ')));
    covers_qname |= owner < qname && qname < next;
    covers_wildcard |= owner < wildcard && (wildcard < next || next.is_root());
  }
  EXPECT_TRUE(covers_qname);
  EXPECT_TRUE(covers_wildcard);
  EXPECT_TRUE(signatures_verify(ex.wire, LDNS_RR_TYPE_NSEC, LDNS_SECTION_AUTHORITY));
  EXPECT_TRUE(signatures_verify(ex.wire, LDNS_RR_TYPE_SOA, LDNS_SECTION_AUTHORITY));
}

// The NSEC proof of an NXDOMAIN is found from the first missing label (nothing lies between a
// missing name and the names below it); check that against the zone's own NSEC chain for names
// several labels below a missing TLD, next to existing TLDs, long and in mixed case.
TEST_F(RootZone, NxdomainProofCoversDeepLongAndMixedCaseNames) {
  const std::vector<std::string> names = {"a.b.c.nosuchtld.",
                                          "www.comz.",
                                          "COM-X.",
                                          "coma.",
                                          "x.y.aaa0.",
                                          "WWW.XN--NOSUCH-LONG-LABEL-9ZZ.",
                                          "zzzzzzzzzzzzzzzzzzzz.",
                                          "0.",
                                          "a.AAAAAAAAAA.",
                                          "sub.NOSUCHTLD-with-a-very-long-label-to-cross-words.",
                                          "ab.",
                                          "Qq.",
                                          "org1.org2."};
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    auto ex = ask(snap(), name, RRType::kA, {.dnssec_ok = true});
    ASSERT_TRUE(ex.response);
    const auto& r = *ex.response;
    ASSERT_EQ(ex.result.kind, AnswerKind::kNxdomain);
    const auto qname = *dns::Name::from_text(name);
    bool covers_qname = false;
    for (const auto& rr : r.authority) {
      if (rr.type != RRType::kNsec) {
        continue;
      }
      const auto owner = *dns::Name::from_text(rr.owner);
      const std::string next_text = rr.text.substr(rr.text.find("NSEC\t") + 5);
      const auto next = *dns::Name::from_text(next_text.substr(0, next_text.find(' ')));
      covers_qname |= owner < qname && (qname < next || next.is_root());
    }
    EXPECT_TRUE(covers_qname);
    EXPECT_TRUE(signatures_verify(ex.wire, LDNS_RR_TYPE_NSEC, LDNS_SECTION_AUTHORITY));
  }
}

TEST_F(RootZone, ApexAnswersCarryValidSignaturesUnderDo) {
  for (const auto& [type, ldns_type, count] :
       {std::tuple{RRType::kDnskey, LDNS_RR_TYPE_DNSKEY, 3U},
        std::tuple{RRType::kZonemd, static_cast<ldns_rr_type>(63), 1U},
        std::tuple{RRType::kNs, LDNS_RR_TYPE_NS, 13U},
        std::tuple{RRType::kSoa, LDNS_RR_TYPE_SOA, 1U},
        std::tuple{RRType::kNsec, LDNS_RR_TYPE_NSEC, 1U}}) {
    auto ex = ask(snap(), ".", type, {.dnssec_ok = true, .udp_size = 4096});
    ASSERT_TRUE(ex.response);
    EXPECT_EQ(ex.result.kind, AnswerKind::kAnswer);
    EXPECT_TRUE(ex.response->aa);
    EXPECT_FALSE(ex.response->tc);
    EXPECT_EQ(ex.response->count(ex.response->answer, type), count) << dns::to_text(type);
    EXPECT_EQ(ex.response->count(ex.response->answer, RRType::kRrsig), 1U);
    EXPECT_TRUE(signatures_verify(ex.wire, ldns_type, LDNS_SECTION_ANSWER)) << dns::to_text(type);
  }
}

TEST_F(RootZone, NodataUnderDoProvesTheTypeIsAbsent) {
  auto ex = ask(snap(), "zw.", RRType::kDs, {.dnssec_ok = true});
  ASSERT_TRUE(ex.response);
  EXPECT_EQ(ex.result.kind, AnswerKind::kNodata);
  EXPECT_TRUE(ex.response->aa);
  EXPECT_EQ(ex.response->count(ex.response->authority, RRType::kSoa), 1U);
  ASSERT_EQ(ex.response->count(ex.response->authority, RRType::kNsec), 1U);
  EXPECT_EQ(ex.response->authority[2].owner, "zw.");
}

TEST_F(RootZone, PlainUdpReferralDropsSiblingGlueWithoutTc) {
  auto ex = ask(snap(), "example.com.", RRType::kA, {.edns = false});
  ASSERT_TRUE(ex.response);
  EXPECT_LE(ex.wire.size(), 512U);
  EXPECT_FALSE(ex.response->tc);  // gtld-servers.net glue is not in-domain for com
  EXPECT_EQ(ex.response->count(ex.response->authority, RRType::kNs), 13U);
  EXPECT_LT(ex.response->additional.size(), 26U);
}

TEST_F(RootZone, SmallBufferCutsAtRrsetBoundariesAndSetsTc) {
  auto ex = ask(snap(), "nosuchtld.", RRType::kA, {.dnssec_ok = true, .udp_size = 512});
  ASSERT_TRUE(ex.response);  // ldns accepts it: counts match the records
  EXPECT_LE(ex.wire.size(), 512U);
  EXPECT_TRUE(ex.result.truncated);
  EXPECT_TRUE(ex.response->tc);
  auto tcp = testing::make_query("nosuchtld.", RRType::kA, {.dnssec_ok = true, .udp_size = 512});
  auto full = ask(snap(), tcp, Transport::kTcp);
  ASSERT_TRUE(full.response);
  EXPECT_FALSE(full.response->tc);
  EXPECT_EQ(full.response->count(full.response->authority, RRType::kNsec), 2U);
}

TEST_F(RootZone, EveryTldAnswersWellFormedWithTheRightKind) {
  std::map<dns::Name, std::pair<std::size_t, std::size_t>> tlds;  // NS count, DS count
  for (const auto& r : zone_->records) {
    if (r.owner.label_count() == 1 && r.type == RRType::kNs) {
      ++tlds[r.owner].first;
    }
    if (r.owner.label_count() == 1 && r.type == RRType::kDs) {
      ++tlds[r.owner].second;
    }
  }
  ASSERT_GT(tlds.size(), 1400U);
  std::size_t checked = 0;
  for (const auto& [tld, facts] : tlds) {
    for (const bool dnssec_ok : {false, true}) {
      for (const RRType type : {RRType::kNs, RRType::kDs, RRType::kA, RRType::kSoa}) {
        auto ex = ask(snap(), tld.to_text(), type, {.dnssec_ok = dnssec_ok});
        ASSERT_TRUE(ex.response) << tld.to_text() << " " << dns::to_text(type);
        const auto& r = *ex.response;
        EXPECT_EQ(r.qname, tld.to_text());
        if (type == RRType::kDs) {
          EXPECT_EQ(ex.result.kind, facts.second > 0 ? AnswerKind::kAnswer : AnswerKind::kNodata);
          EXPECT_TRUE(r.aa);
          EXPECT_EQ(r.count(r.answer, RRType::kDs), facts.second) << tld.to_text();
        } else {
          EXPECT_EQ(ex.result.kind, AnswerKind::kReferral) << tld.to_text();
          EXPECT_FALSE(r.aa);
          if (!r.tc) {
            EXPECT_EQ(r.count(r.authority, RRType::kNs), facts.first) << tld.to_text();
          }
          if (dnssec_ok && !r.tc) {
            EXPECT_EQ(r.count(r.authority, RRType::kDs), facts.second) << tld.to_text();
            EXPECT_EQ(r.count(r.authority, RRType::kNsec), facts.second > 0 ? 0U : 1U);
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, tlds.size() * 8);
}

TEST_F(RootZone, TransferStartsAndEndsWithTheSoaAndHoldsEveryRecord) {
  const auto chunks = snap().transfer();
  ASSERT_FALSE(chunks.empty());
  std::size_t total = 0;
  for (const auto& chunk : chunks) {
    EXPECT_LE(chunk.wire.size(), kTransferChunkBytes);
    total += chunk.record_count;
  }
  EXPECT_EQ(total, zone_->records.size() + 1);
  // The first RR: owner "." (one zero byte), then TYPE = SOA.
  EXPECT_EQ(chunks.front().wire[0], 0);
  EXPECT_EQ(dns::get_u16(chunks.front().wire, 1), 6);
  ldns_rr* first = nullptr;
  std::size_t pos = 0;
  ASSERT_EQ(ldns_wire2rr(&first, chunks.front().wire.data(), chunks.front().wire.size(), &pos,
                         LDNS_SECTION_ANSWER),
            LDNS_STATUS_OK);
  EXPECT_EQ(ldns_rr_get_type(first), LDNS_RR_TYPE_SOA);
  ldns_rr_free(first);
}

}  // namespace
}  // namespace rootsim::resolver
