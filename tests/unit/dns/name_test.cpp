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

// Names up to 31 wire octets are held inline, longer ones on the heap: every operation must
// give the same results on both sides of that line, through copies, moves and assignments.
TEST(Name, InlineAndHeapNamesBehaveAlike) {
  const std::string long_label(40, 'X');
  for (const std::string& text :
       {std::string("a.bb.ccc."), std::string("abcdefghijklmnopqrstuvwxyz.abc."),  // 31 octets
        std::string("abcdefghijklmnopqrstuvwxyz.abcd."),                           // 32 octets
        "ns1." + long_label + ".Example.", std::string(".")}) {
    SCOPED_TRACE(text);
    const Name original = name(text);
    ASSERT_EQ(original.to_text(), text);
    Name copy = original;
    EXPECT_EQ(copy, original);
    EXPECT_TRUE(std::equal(copy.wire().begin(), copy.wire().end(), original.wire().begin(),
                           original.wire().end()));
    Name moved = std::move(copy);
    EXPECT_EQ(moved.to_text(), text);
    EXPECT_TRUE(copy.is_root());  // NOLINT(bugprone-use-after-move): a moved-from name is "."
    Name assigned = name("other.example.");
    assigned = moved;
    EXPECT_EQ(assigned, original);
    assigned = name("a-much-longer-name-than-thirty-one-octets.example.");
    assigned = std::move(moved);
    EXPECT_EQ(assigned, original);
    Name& self = assigned;
    assigned = self;
    EXPECT_EQ(assigned, original);
    const Name lower = original.lowercased();
    EXPECT_EQ(lower, original);
    EXPECT_EQ(lower.lookup_key(), original.lookup_key());
    EXPECT_EQ(lower.to_text().find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos);
    EXPECT_EQ(original.lowercased().to_text(), lower.to_text());
    if (!original.is_root()) {
      EXPECT_TRUE(original.is_subdomain_of(original.parent()));
      EXPECT_EQ(original.suffix(1).label_count(), 1U);
      EXPECT_EQ(*Name::from_wire(original.wire()), original);
    }
  }
  std::vector<Name> names;
  for (int i = 0; i < 100; ++i) {  // reallocations move every element
    names.push_back(name(std::string(static_cast<std::size_t>(i % 50) + 1, 'a') + ".example."));
  }
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(names[static_cast<std::size_t>(i)].first_label().size(),
              static_cast<std::size_t>(i % 50) + 1);
  }
}

}  // namespace
}  // namespace rootsim::dns
