#include "rootsim/dns/name.hpp"

#include <gtest/gtest.h>

#include <random>

namespace rootsim::dns {
namespace {

Name name(std::string_view text) { return *Name::from_text(text); }

TEST(Name, ParsesAndPrintsAbsoluteNames) {
  EXPECT_EQ(name("www.Example.").to_text(), "www.Example.");
  EXPECT_EQ(name("example").to_text(), "example.");
  EXPECT_EQ(name(".").to_text(), ".");
  EXPECT_TRUE(name(".").is_root());
  EXPECT_EQ(name("a\\.b.c.").label_count(), 2U);
  EXPECT_EQ(name("a\\.b.c.").to_text(), "a\\.b.c.");
  EXPECT_EQ(name("\\065.").to_text(), "A.");
}

TEST(Name, RejectsMalformedText) {
  EXPECT_FALSE(Name::from_text(""));
  EXPECT_FALSE(Name::from_text("a..b."));
  EXPECT_FALSE(Name::from_text(std::string(64, 'a') + "."));
  EXPECT_FALSE(Name::from_text("\\25"));
  EXPECT_FALSE(Name::from_text("\\300."));
  std::string long_name;
  for (int i = 0; i < 60; ++i) {
    long_name += "abcd.";
  }
  EXPECT_FALSE(Name::from_text(long_name));
}

TEST(Name, ComparesCaseInsensitively) {
  EXPECT_EQ(name("CZ."), name("cz."));
  EXPECT_NE(name("cz."), name("cza."));
}

TEST(Name, LookupKeyIsReversedLowercaseLabels) {
  EXPECT_EQ(name("www.Example.").lookup_key(), std::string("example\0www\0", 12));
  EXPECT_EQ(name(".").lookup_key(), "");
}

// RFC 4034 §6.1's own example, in order.
TEST(Name, CanonicalOrderMatchesRfc4034Example) {
  const std::vector<std::string> ordered = {
      "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
      "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example."};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(name(ordered[i]), name(ordered[i + 1])) << ordered[i] << " < " << ordered[i + 1];
  }
}

TEST(Name, LookupKeyOrderEqualsCanonicalOrder) {
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const std::string alphabet = "aZ-0\\001";
  std::vector<Name> names;
  for (int i = 0; i < 300; ++i) {
    std::string text;
    const auto labels = 1 + rng() % 3;
    for (std::size_t l = 0; l < labels; ++l) {
      const auto len = 1 + rng() % 3;
      for (std::size_t k = 0; k < len; ++k) {
        text += "abZ-0"[rng() % 5];
      }
      text += '.';
    }
    names.push_back(name(text));
  }
  for (const Name& a : names) {
    for (const Name& b : names) {
      const bool by_key = a.lookup_key() < b.lookup_key();
      const bool by_name = a < b;
      ASSERT_EQ(by_key, by_name) << a.to_text() << " vs " << b.to_text();
    }
  }
}

TEST(Name, ParentSuffixAndSubdomain) {
  EXPECT_EQ(name("a.b.c.").parent(), name("b.c."));
  EXPECT_EQ(name("a.b.c.").suffix(1), name("c."));
  EXPECT_TRUE(name("a.b.c.").is_subdomain_of(name("c.")));
  EXPECT_TRUE(name("a.b.c.").is_subdomain_of(name(".")));
  EXPECT_FALSE(name("a.b.c.").is_subdomain_of(name("b.")));
}

TEST(Name, WireRoundTrip) {
  const Name n = name("xn--p1ai.");
  const auto back = Name::from_wire(n.wire());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, n);
  const std::vector<std::uint8_t> compressed = {0xc0, 0x0c};
  EXPECT_FALSE(Name::from_wire(compressed));
  const std::vector<std::uint8_t> truncated = {3, 'a', 'b'};
  EXPECT_FALSE(Name::from_wire(truncated));
}

}  // namespace
}  // namespace rootsim::dns
