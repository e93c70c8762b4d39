// answer() on malformed queries, small buffers and truncation on inline zones.
#include "snapshot_test_util.hpp"
#include <gtest/gtest.h>

namespace rootsim::resolver {
namespace {

using dns::RRType;
using testing::ask;
using testing::kSmallRoot;
using testing::make_query;
using testing::make_snapshot;

using Bytes = std::vector<std::uint8_t>;

AnswerKind kind_of(const ZoneSnapshot& snap, const Bytes& query) {
  return ask(snap, query).result.kind;
}

TEST(AnswerMalformed, ShortPacketsAndResponsesAreDropped) {
  auto snap = make_snapshot(kSmallRoot);
  for (std::size_t n = 0; n < 12; ++n) {
    const Bytes q(n, 0);
    EXPECT_EQ(ask(*snap, q).result.size, 0U);
  }
  Bytes response = make_query(".", RRType::kSoa);
  response[2] |= 0x80;
  const auto ex = ask(*snap, response);
  EXPECT_EQ(ex.result.kind, AnswerKind::kDrop);
  EXPECT_EQ(ex.result.size, 0U);
}

TEST(AnswerMalformed, FormerrForBrokenHeadersAndQuestions) {
  auto snap = make_snapshot(kSmallRoot);
  const Bytes good = make_query("cz.", RRType::kNs, {.edns = false});
  Bytes two_questions = good;
  two_questions[5] = 2;
  Bytes no_question = good;
  no_question[5] = 0;
  Bytes with_answer = good;
  with_answer[7] = 1;
  Bytes cut_question(good.begin(), good.end() - 3);
  Bytes trailing = good;
  trailing.push_back(0);
  Bytes extended_label = good;
  extended_label[12] = 0x42;
  Bytes pointer_in_qname = good;
  pointer_in_qname[12] = 0xC0;
  pointer_in_qname[13] = 0x00;
  for (const Bytes* q : {&two_questions, &no_question, &with_answer, &cut_question, &trailing,
                         &extended_label, &pointer_in_qname}) {
    const auto ex = ask(*snap, *q);
    EXPECT_EQ(ex.result.kind, AnswerKind::kFormErr);
    ASSERT_TRUE(ex.response);
    EXPECT_EQ(ex.response->rcode, 1U);
    EXPECT_EQ(ex.response->id, 0x1234);
  }
}

TEST(AnswerMalformed, FormerrForNamesOver255Octets) {
  auto snap = make_snapshot(kSmallRoot);
  Bytes q = make_query(".", RRType::kA, {.edns = false});
  Bytes name;
  for (int i = 0; i < 5; ++i) {
    name.push_back(63);
    name.insert(name.end(), 63, 'a');
  }
  q.erase(q.begin() + 12);
  q.insert(q.begin() + 12, name.begin(), name.end());
  q.insert(q.begin() + 12 + static_cast<std::ptrdiff_t>(name.size()), 0);
  EXPECT_EQ(kind_of(*snap, q), AnswerKind::kFormErr);
}

TEST(AnswerMalformed, FormerrForBrokenOpt) {
  auto snap = make_snapshot(kSmallRoot);
  const Bytes with_opt = make_query("cz.", RRType::kNs);
  Bytes two_opts = with_opt;
  two_opts.insert(two_opts.end(), with_opt.end() - 11, with_opt.end());
  two_opts[11] = 2;
  EXPECT_EQ(kind_of(*snap, two_opts), AnswerKind::kFormErr);
  Bytes bad_option = with_opt;
  bad_option[bad_option.size() - 1] = 3;  // RDLEN 3: not a whole option
  bad_option.insert(bad_option.end(), {0, 10, 0});
  EXPECT_EQ(kind_of(*snap, bad_option), AnswerKind::kFormErr);
  Bytes good_option = with_opt;
  good_option[good_option.size() - 1] = 4;  // an empty COOKIE-like option is fine
  good_option.insert(good_option.end(), {0, 10, 0, 0});
  EXPECT_EQ(kind_of(*snap, good_option), AnswerKind::kReferral);
  EXPECT_EQ(kind_of(*snap, make_query(".", static_cast<RRType>(41))), AnswerKind::kFormErr);
}

TEST(AnswerMalformed, NoRoomInTheOutputBufferDrops) {
  auto snap = make_snapshot(kSmallRoot);
  const auto ex = ask(*snap, make_query("cz.", RRType::kNs), Transport::kUdp, 20);
  EXPECT_EQ(ex.result.kind, AnswerKind::kDrop);
  EXPECT_EQ(ex.result.size, 0U);
}

// A delegation whose in-domain glue cannot fit 512 octets: TC (RFC 9471).
std::string big_delegation() {
  std::string zone = kSmallRoot;
  for (int i = 0; i < 13; ++i) {
    const std::string host = "ns" + std::to_string(i) + ".a-rather-long-name-server-label.big.";
    zone += "big. 172800 IN NS " + host + "\n";
    zone += host + " 172800 IN A 192.0.2." + std::to_string(i + 1) + "\n";
    zone += host + " 172800 IN AAAA 2001:db8::" + std::to_string(i + 1) + "\n";
  }
  return zone;
}

TEST(AnswerTruncation, MissingInDomainGlueSetsTc) {
  auto snap = make_snapshot(big_delegation());
  const auto ex = ask(*snap, "www.big.", RRType::kA, {.edns = false});
  ASSERT_TRUE(ex.response);
  EXPECT_LE(ex.wire.size(), 512U);
  EXPECT_TRUE(ex.response->tc);
  EXPECT_TRUE(ex.result.truncated);
  const auto large = ask(*snap, "www.big.", RRType::kA, {.udp_size = 4096});
  ASSERT_TRUE(large.response);
  EXPECT_FALSE(large.response->tc);
  EXPECT_EQ(large.response->additional.size(), 26U);
  EXPECT_GT(large.wire.size(), 512U);
}

TEST(AnswerTruncation, ClientSizeIsCappedByOurs) {
  auto snap = make_snapshot(big_delegation(), ".", {.instance_name = "", .edns_udp_size = 600});
  const auto ex = ask(*snap, "www.big.", RRType::kA, {.udp_size = 4096});
  ASSERT_TRUE(ex.response);
  EXPECT_LE(ex.wire.size(), 600U);
  EXPECT_TRUE(ex.response->tc);
  const auto tcp = ask(*snap, make_query("www.big.", RRType::kA, {.edns = false}), Transport::kTcp);
  ASSERT_TRUE(tcp.response);
  EXPECT_FALSE(tcp.response->tc);
  EXPECT_EQ(tcp.response->additional.size(), 26U);
}

}  // namespace
}  // namespace rootsim::resolver
