// Property: ZoneSnapshot::lookup() agrees with a naive std::set oracle on random zones and names;
// answer() agrees on the response kind. Seed from ROOTSIM_TEST_SEED, printed on failure.
#include "snapshot_test_util.hpp"
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>

namespace rootsim::resolver {
namespace {

std::uint64_t test_seed() {
  const char* env = std::getenv("ROOTSIM_TEST_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20260731;
}

// Labels from a tiny alphabet, so that random names collide with and nest under zone names.
std::string random_label(std::mt19937_64& rng) {
  static constexpr char kAlphabet[] = "abAB-0";
  const std::size_t len = 1 + rng() % 3;
  std::string label;
  for (std::size_t i = 0; i < len; ++i) {
    label.push_back(kAlphabet[rng() % (sizeof kAlphabet - 1)]);
  }
  return label;
}

std::string random_name(std::mt19937_64& rng, std::size_t max_labels) {
  std::string name;
  const std::size_t labels = 1 + rng() % max_labels;
  for (std::size_t i = 0; i < labels; ++i) {
    name += random_label(rng) + ".";
  }
  return name;
}

struct Oracle {
  std::set<dns::Name> names;        // owners and empty non-terminals
  std::set<dns::Name> delegations;  // cuts below the apex

  void add_owner(const dns::Name& owner) {
    for (dns::Name n = owner; !n.is_root(); n = n.parent()) {
      names.insert(n);
    }
    names.insert(dns::Name());
  }
  Lookup expect(const dns::Name& qname, const ZoneSnapshot& snap) const {
    Lookup out;
    std::vector<dns::Name> chain;  // from the top label down to qname
    for (dns::Name n = qname; !n.is_root(); n = n.parent()) {
      chain.insert(chain.begin(), n);
    }
    dns::Name current;
    out.kind = LookupKind::kExact;
    for (const auto& n : chain) {
      if (names.count(n) == 0) {
        out.kind = LookupKind::kNxdomain;
        break;
      }
      current = n;
      if (delegations.count(n) != 0) {
        out.kind = LookupKind::kDelegation;
        break;
      }
    }
    auto it = names.upper_bound(qname);
    const dns::Name pred = *std::prev(it);
    out.node = index_of(current, snap);
    out.predecessor = index_of(pred, snap);
    return out;
  }
  std::uint32_t index_of(const dns::Name& n, const ZoneSnapshot&) const {
    return static_cast<std::uint32_t>(std::distance(names.begin(), names.find(n)));
  }
};

TEST(LookupProperty, MatchesANaiveOracle) {
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("ROOTSIM_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 20; ++round) {
    std::string text = ". 86400 IN SOA a. b. 1 2 3 4 5\n. 86400 IN NS ns.root.\n";
    Oracle oracle;
    oracle.add_owner(dns::Name());
    std::set<dns::Name> owners;
    for (int i = 0; i < 60; ++i) {
      const std::string name = random_name(rng, 3);
      const bool cut = rng() % 3 == 0;
      text += name + " 3600 IN " + (cut ? "NS ns." + name : std::string("A 192.0.2.1")) + "\n";
      const auto owner = *dns::Name::from_text(name);
      oracle.add_owner(owner);
      if (cut) {
        oracle.delegations.insert(owner);
      }
    }
    // Occluded cuts (below another cut) are not delegations.
    for (auto it = oracle.delegations.begin(); it != oracle.delegations.end();) {
      bool occluded = false;
      for (dns::Name p = it->parent(); !p.is_root(); p = p.parent()) {
        occluded |= oracle.delegations.count(p) != 0;
      }
      it = occluded ? oracle.delegations.erase(it) : std::next(it);
    }
    auto snap = testing::make_snapshot(text);
    ASSERT_TRUE(snap);
    ASSERT_EQ(snap->stats().names, oracle.names.size());
    for (int k = 0; k < 300; ++k) {
      const dns::Name qname = *dns::Name::from_text(random_name(rng, 4));
      const Lookup want = oracle.expect(qname, *snap);
      const Lookup got = snap->lookup(qname);
      ASSERT_EQ(got.kind, want.kind) << qname.to_text();
      ASSERT_EQ(got.node, want.node) << qname.to_text();
      ASSERT_EQ(got.predecessor, want.predecessor) << qname.to_text();
      const auto ex = testing::ask(*snap, qname.to_text(), dns::RRType::kTxt);
      ASSERT_TRUE(ex.response) << qname.to_text();
      const AnswerKind kind = want.kind == LookupKind::kDelegation ? AnswerKind::kReferral
                              : want.kind == LookupKind::kNxdomain ? AnswerKind::kNxdomain
                                                                   : AnswerKind::kNodata;
      ASSERT_EQ(ex.result.kind, kind) << qname.to_text();
    }
  }
}

}  // namespace
}  // namespace rootsim::resolver
