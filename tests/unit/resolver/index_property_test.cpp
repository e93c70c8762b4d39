// Property: the index (word-at-a-time lowercasing and hashing, 8-byte prefixes in the hash
// records, the 8-ary predecessor tree over those prefixes) agrees with a std::set oracle on big
// zones of long names that share their first 8 bytes, queried in random case. Seed from
// ROOTSIM_TEST_SEED, printed on failure.
#include "snapshot_test_util.hpp"
#include <gtest/gtest.h>

#include <cstdlib>
#include <iterator>
#include <random>
#include <set>
#include <string>

namespace rootsim::resolver {
namespace {

std::uint64_t test_seed() {
  const char* env = std::getenv("ROOTSIM_TEST_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20260801;
}

// Labels that often share 8 or more leading bytes ("dnsprov-12", "dnsprov-123"), cross word
// boundaries (up to 30 bytes) or are short; uppercase letters when `upper`.
std::string random_label(std::mt19937_64& rng, bool upper) {
  static const char* const kStems[] = {"dnsprov-", "xn--abcdefgh", "a", "ab", "nic", "zzzzzzzz"};
  std::string label = kStems[rng() % 6];
  const std::size_t extra = rng() % 4 == 0 ? rng() % 20 : rng() % 4;
  for (std::size_t i = 0; i < extra; ++i) {
    label.push_back("0123456789abcdefxyz-"[rng() % 20]);
  }
  for (char& c : label) {
    if (upper && c >= 'a' && c <= 'z' && rng() % 2 == 0) {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return label;
}

std::string random_name(std::mt19937_64& rng, std::size_t max_labels, bool upper) {
  std::string name;
  const std::size_t labels = 1 + rng() % max_labels;
  for (std::size_t i = 0; i < labels; ++i) {
    name += random_label(rng, upper) + ".";
  }
  return name;
}

TEST(IndexProperty, BigZonesOfSharedPrefixesMatchAnOracleInAnyCase) {
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("ROOTSIM_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 3; ++round) {
    std::string text = ". 86400 IN SOA a. b. 1 2 3 4 5\n. 86400 IN NS ns.root.\n";
    std::set<dns::Name> names = {dns::Name()};  // owners and empty non-terminals
    std::set<dns::Name> cuts;
    // Enough names for a tree of four levels (8^3 < n).
    // Every top-level name is a cut (its NS), names of two labels lie below one (glue).
    for (int i = 0; i < 1500; ++i) {
      const auto owner = *dns::Name::from_text(random_name(rng, 2, false));
      if (names.count(owner) != 0) {
        continue;
      }
      const dns::Name top = owner.label_count() == 1 ? owner : owner.parent();
      if (cuts.insert(top).second) {
        text += top.to_text() + " 3600 IN NS ns." + top.to_text() + "\n";
      }
      if (owner != top) {
        text += owner.to_text() + " 3600 IN A 192.0.2.1\n";
      }
      for (dns::Name n = owner; !n.is_root(); n = n.parent()) {
        names.insert(n);
      }
    }
    auto snap = testing::make_snapshot(text);
    ASSERT_TRUE(snap);
    ASSERT_EQ(snap->stats().names, names.size());
    for (int k = 0; k < 2000; ++k) {
      const auto qname = *dns::Name::from_text(random_name(rng, 3, true));
      // The walk: the first label decides (a cut, or nothing).
      dns::Name top = qname;
      while (top.label_count() > 1) {
        top = top.parent();
      }
      const bool referral = cuts.count(top) != 0;
      const Lookup got = snap->lookup(qname);
      ASSERT_EQ(got.kind, referral ? LookupKind::kDelegation : LookupKind::kNxdomain)
          << qname.to_text();
      const auto pred = std::prev(names.upper_bound(qname));
      ASSERT_EQ(got.predecessor, std::distance(names.begin(), pred)) << qname.to_text();
      if (referral) {
        ASSERT_EQ(got.node, std::distance(names.begin(), names.find(top))) << qname.to_text();
      }
      const auto ex = testing::ask(*snap, qname.to_text(), dns::RRType::kA);
      ASSERT_TRUE(ex.response) << qname.to_text();
      ASSERT_EQ(ex.result.kind, referral ? AnswerKind::kReferral : AnswerKind::kNxdomain)
          << qname.to_text();
    }
  }
}

// Only A-Z fold: '@' (0x40) and '[' (0x5B) border the range, and a byte with the high bit set
// over 'A' (0xC1) must not become 0xE1. Long labels take the word-at-a-time path.
TEST(IndexProperty, CaseFoldingTouchesOnlyAsciiLetters) {
  auto snap = testing::make_snapshot(R"(
. 86400 IN SOA a. b. 1 2 3 4 5
. 86400 IN NS ns.root.
abc\096. 3600 IN NS ns.example.
x\123y. 3600 IN NS ns.example.
\225bcdefghijk. 3600 IN NS ns.example.
averyveryverylonglabelindeed. 3600 IN NS ns.example.
)");
  ASSERT_TRUE(snap);
  const std::pair<const char*, LookupKind> cases[] = {
      {"ABC\\096.", LookupKind::kDelegation},  // '`' itself
      {"abc\\064.", LookupKind::kNxdomain},    // '@' is not '`'
      {"X\\123Y.", LookupKind::kDelegation},
      {"x\\091y.", LookupKind::kNxdomain},  // '[' is not '{'
      {"\\225BCDEFGHIJK.", LookupKind::kDelegation},
      {"\\193bcdefghijk.", LookupKind::kNxdomain},  // 0xC1 is not 0xE1
      {"www.AVERYVERYVERYLONGLABELINDEED.", LookupKind::kDelegation},
      {"AVERYVERYVERYLONGLABELINDEEDX.", LookupKind::kNxdomain},
  };
  for (const auto& [text, kind] : cases) {
    SCOPED_TRACE(text);
    const auto qname = *dns::Name::from_text(text);
    EXPECT_EQ(snap->lookup(qname).kind, kind);
    const auto ex = testing::ask(*snap, text, dns::RRType::kNs);
    ASSERT_TRUE(ex.response);
    EXPECT_EQ(ex.result.kind,
              kind == LookupKind::kDelegation ? AnswerKind::kReferral : AnswerKind::kNxdomain);
  }
}

}  // namespace
}  // namespace rootsim::resolver
