// The engine against the real Root Zone LGR (5th edition): the root's IDN ccTLDs, Chinese
// variants, cross-script homoglyphs through the Common LGR, mixed-script labels.
#include "rootsim/registry/idn/lgr_set.hpp"

#include "idn_test_support.hpp"
#include <gtest/gtest.h>

namespace rootsim::registry::idn {
namespace {

using testing::cps;

TEST(RzLgr, LoadsAllTwentySixFiles) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const LgrSet& set = *testing::rz_lgr();
  EXPECT_EQ(set.scripts().size(), 25U);
  ASSERT_NE(set.common(), nullptr);
  EXPECT_EQ(set.common()->metadata().version, "5");
  EXPECT_EQ(set.common()->metadata().unicode_version, "11.0.0");
  ASSERT_NE(set.element("Cyrl"), nullptr);
  EXPECT_EQ(set.element("Cyrl")->metadata().scope, ".");
}

TEST(RzLgr, EveryIdnCcTldInTheRootIsValid) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const auto tlds = testing::idn_cctlds();
  ASSERT_EQ(tlds.size(), 61U);
  const LgrSet& set = *testing::rz_lgr();
  for (const auto& tld : tlds) {
    SCOPED_TRACE(tld.a_label + " " + tld.u_label);
    auto forms = check_label(tld.a_label);
    ASSERT_TRUE(forms) << forms.error().message;
    EXPECT_EQ(forms->u_label, tld.u_label);
    auto verdict = set.check(forms->code_points);
    ASSERT_TRUE(verdict);
    EXPECT_NE(verdict->disposition, Disposition::kInvalid) << verdict->reason;
    EXPECT_NE(verdict->disposition, Disposition::kBlocked) << verdict->reason;
    const std::string expected_lgr = tld.script == "Hang" ? "Kore" : tld.script;
    EXPECT_EQ(verdict->script, expected_lgr);
  }
}

TEST(RzLgr, SimplifiedAndTraditionalChinaAreAllocatableVariants) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const LgrSet& set = *testing::rz_lgr();
  auto variants = set.variants(cps("中国"));
  ASSERT_TRUE(variants) << variants.error().message;
  bool found = false;
  for (const VariantLabel& v : variants->variants) {
    if (v.label == cps("中國")) {
      found = true;
      EXPECT_EQ(v.disposition, Disposition::kAllocatable);
    }
  }
  EXPECT_TRUE(found);
  const auto relation = set.relation(cps("中国"), cps("中國"));
  ASSERT_TRUE(relation);
  EXPECT_EQ(relation->disposition, Disposition::kAllocatable);
  EXPECT_FALSE(relation->cross_script);
  // Mixing a simplified and a traditional form is blocked: 中国 -> 中囯 (U+56EF).
  const auto mixed = set.relation(cps("中国"), cps("中囯"));
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->disposition, Disposition::kBlocked);
  // Symmetric for the traditional label.
  const auto back = set.relation(cps("中國"), cps("中国"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->disposition, Disposition::kAllocatable);
}

TEST(RzLgr, CyrillicLabelAndItsLatinLookAlikeAreBlockedThroughTheCommonLgr) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const LgrSet& set = *testing::rz_lgr();
  // "сор" in Cyrillic (U+0441 U+043E U+0440) and Latin "cop": homoglyphs in the Common LGR.
  const auto cyrillic = cps("\u0441\u043e\u0440");
  auto verdict = set.check(cyrillic);
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->disposition, Disposition::kValid);
  EXPECT_EQ(verdict->script, "Cyrl");
  const auto relation = set.relation(cyrillic, cps("cop"));
  ASSERT_TRUE(relation);
  EXPECT_EQ(relation->disposition, Disposition::kBlocked);
  EXPECT_TRUE(relation->cross_script);
  const auto back = set.relation(cps("cop"), cyrillic);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->disposition, Disposition::kBlocked);
  // рф has no Latin look-alike with ф: unrelated to "pf".
  EXPECT_FALSE(set.relation(cps("рф"), cps("pf")));
  // Unrelated labels.
  EXPECT_FALSE(set.relation(cyrillic, cps("com")));
}

TEST(RzLgr, LabelMixingScriptsIsInvalid) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const LgrSet& set = *testing::rz_lgr();
  for (const char* label : {"рфa", "中国a", "ελλάδαgr", "بارتx"}) {
    SCOPED_TRACE(label);
    auto verdict = set.check(cps(label));
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->disposition, Disposition::kInvalid);
    EXPECT_FALSE(verdict->reason.empty());
  }
}

TEST(RzLgr, WholeLabelAndContextRulesApply) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const LgrSet& set = *testing::rz_lgr();
  // Arabic WLE rule 1: KAF (U+0643) and KEHEH (U+06A9) must not be mixed.
  auto mixed = set.check(cps("\u0643\u0644\u06a9"));
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->disposition, Disposition::kInvalid);
  EXPECT_NE(mixed->reason.find("KAF"), std::string::npos) << mixed->reason;
  // Devanagari virama (U+094D) must follow a consonant: at the start it fails its context.
  auto virama = set.check(cps("\u0915\u093e\u094d"));
  ASSERT_TRUE(virama);
  EXPECT_EQ(virama->disposition, Disposition::kInvalid) << virama->reason;
  // Korean: Hangul and Hanja must not be mixed.
  auto korean = set.check(cps("한國"));
  ASSERT_TRUE(korean);
  EXPECT_NE(korean->disposition, Disposition::kValid);
  // Digits and hyphens are not in the root's repertoire.
  auto digits = set.check(cps("abc1"));
  ASSERT_TRUE(digits);
  EXPECT_EQ(digits->disposition, Disposition::kInvalid);
}

TEST(RzLgr, LatinSharpSVariants) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const LgrSet& set = *testing::rz_lgr();
  // Latin LGR: "ß" and "ss" are allocatable variants of each other.
  const auto relation = set.relation(cps("straße"), cps("strasse"));
  ASSERT_TRUE(relation);
  EXPECT_EQ(relation->disposition, Disposition::kAllocatable);
}

}  // namespace
}  // namespace rootsim::registry::idn
