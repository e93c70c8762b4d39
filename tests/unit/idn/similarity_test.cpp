// Visual similarity scores and the panel's rule sets.
#include "rootsim/registry/idn/similarity.hpp"

#include "rootsim/registry/idn/panel.hpp"

#include "idn_test_support.hpp"
#include <gtest/gtest.h>

namespace rootsim::registry::idn {
namespace {

using testing::cps;

std::vector<GlyphPair> project_table() {
  auto table = load_glyph_table(testing::project_data() / "idn" / "glyph_similarity.json");
  EXPECT_TRUE(table) << (table ? "" : table.error().message);
  return table ? *table : std::vector<GlyphPair>{};
}

SimilarityIndex index_of(std::vector<Reference> refs) {
  auto index = SimilarityIndex::create(project_table(), std::move(refs));
  EXPECT_TRUE(index);
  return std::move(index).value();
}

RuleSet builtin(const std::string& name) {
  auto rules = load_rule_set(name, testing::project_data() / "idn" / "rules");
  EXPECT_TRUE(rules) << (rules ? "" : rules.error().message);
  return std::move(rules).value();
}

TEST(GlyphTable, ProjectTableLoadsAndEveryEntryHasASource) {
  const auto table = project_table();
  EXPECT_GT(table.size(), 150U);
  for (const GlyphPair& p : table) {
    EXPECT_FALSE(p.source.empty());
    EXPECT_GT(p.score, 0);
    EXPECT_LE(p.score, 1);
  }
  EXPECT_FALSE(parse_glyph_table(R"({"schema": 1, "pairs": [{"a": "ab", "b": "c", "score": 1,
    "source": "x"}]})",
                                 "t.json"));
  auto bad = parse_glyph_table(R"({"schema": 1, "pairs": [{"a": "a", "b": "c", "score": 2,
    "source": "x"}]})",
                               "t.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("/pairs/0/score"), std::string::npos);
}

TEST(Similarity, HomoglyphsScoreOneAndUnrelatedStringsLow) {
  const SimilarityIndex index = index_of({});
  // Cyrillic "сом" in upper case is COM letter for letter (UTS #39 skeletons).
  const Match com = index.score(cps("сом"), cps("com"));
  EXPECT_DOUBLE_EQ(com.upper, 1.0);
  EXPECT_GT(com.lower, 0.8);  // м and m differ in lower case
  EXPECT_LT(index.score(cps("中国"), cps("com")).best(), 0.01);
  // Multi-character confusables: "rn" and "m".
  EXPECT_DOUBLE_EQ(index.score(cps("rn"), cps("m")).lower, 1.0);
  // Symmetric.
  const Match ab = index.score(cps("бг"), cps("br"));
  const Match ba = index.score(cps("br"), cps("бг"));
  EXPECT_DOUBLE_EQ(ab.lower, ba.lower);
  EXPECT_DOUBLE_EQ(ab.upper, ba.upper);
  // Near homoglyphs from RZ-LGR-5 (г ~ r) and from the project table (б ~ b).
  EXPECT_GT(ab.lower, 0.75);
  EXPECT_LT(ab.upper, 0.5);  // БГ and BR look different
}

TEST(Similarity, GeorgianIsNotUpperCased) {
  const SimilarityIndex index = index_of({});
  // Mtavruli capitals would make "გე" unlike itself; it is compared as written in both cases.
  const Match m = index.score(cps("გე"), cps("გე"));
  EXPECT_DOUBLE_EQ(m.lower, 1.0);
  EXPECT_DOUBLE_EQ(m.upper, 1.0);
}

TEST(Similarity, CompareSortsAndSkipsTheStringItself) {
  const SimilarityIndex index = index_of({{"eu", ReferenceKind::kTld, "EU"},
                                          {"EU", ReferenceKind::kIsoCode, "EU"},
                                          {"ею", ReferenceKind::kTld, "EU"},
                                          {"com", ReferenceKind::kTld, std::nullopt}});
  EXPECT_EQ(index.size(), 4U);
  const auto matches = index.compare(cps("ею"), 0.3);
  ASSERT_EQ(matches.size(), 2U);
  EXPECT_EQ(matches[0].reference->text, "EU");  // ties broken by text
  EXPECT_EQ(matches[1].reference->text, "eu");
  EXPECT_GE(matches[0].best(), matches[1].best());
}

TEST(Panel, BuiltinRuleSetsParse) {
  for (const char* name : {"fast-track-2009", "epsrp-2014", "fip-2019"}) {
    const RuleSet rules = builtin(name);
    EXPECT_EQ(rules.name, name);
    EXPECT_FALSE(rules.sources.empty());
  }
  auto missing = load_rule_set("nope", testing::project_data() / "idn" / "rules");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_NE(missing.error().message.find("fip-2019"), std::string::npos);
}

TEST(Panel, RuleSetErrorsNameTheJsonPointer) {
  const auto error = [](const std::string& text) {
    auto rules = parse_rule_set(text, "r.json");
    EXPECT_FALSE(rules);
    return rules ? std::string() : rules.error().message;
  };
  const std::string head = R"({"schema": 1, "name": "x", "threshold": 0.8, "rules": )";
  EXPECT_NE(error(head + R"([{"id": "a", "verdict": "maybe"}]})").find("/rules/0/verdict"),
            std::string::npos);
  EXPECT_NE(error(head + R"([{"id": "a", "if": {"case": "sideways"}, "verdict": "reject"},
    {"id": "b", "verdict": "accept"}]})")
                .find("/rules/0/if/case"),
            std::string::npos);
  EXPECT_NE(error(head + R"([{"id": "a", "if": {"case": "lower"}, "verdict": "reject"}]})")
                .find("last rule"),
            std::string::npos);
  EXPECT_NE(
      error(head + R"([{"id": "a", "verdict": "accept", "extra": 1}]})").find("/rules/0/extra"),
      std::string::npos);
  EXPECT_NE(error(head + R"([{"id": "a", "verdict": "accept"}, {"id": "a", "verdict": "accept"}]})")
                .find("duplicate"),
            std::string::npos);
  EXPECT_NE(error(R"({"schema": 2})").find("/schema"), std::string::npos);
}

TEST(Panel, EuInCyrillicUnderEachRuleSet) {
  const SimilarityIndex index = index_of({{"eu", ReferenceKind::kTld, "EU"},
                                          {"EU", ReferenceKind::kIsoCode, "EU"},
                                          {"BG", ReferenceKind::kIsoCode, "BG"},
                                          {"com", ReferenceKind::kTld, std::nullopt}});
  const auto ft = judge(builtin("fast-track-2009"), index, cps("ею"));
  EXPECT_EQ(ft.verdict, PanelVerdict::kReject);
  EXPECT_EQ(ft.decided_by, "two-letter-lgc-presumption");
  const auto epsrp = judge(builtin("epsrp-2014"), index, cps("ею"));
  EXPECT_EQ(epsrp.confusable_case, "upper");
  EXPECT_EQ(epsrp.verdict, PanelVerdict::kAccept);
  const auto fip = judge(builtin("fip-2019"), index, cps("ею"));
  EXPECT_EQ(fip.verdict, PanelVerdict::kAcceptWithMitigation);
  EXPECT_EQ(fip.decided_by, "confusable-upper-case-only");
  ASSERT_FALSE(fip.closest.empty());
  EXPECT_EQ(fip.closest[0].case_name, "upper");
  EXPECT_TRUE(fip.closest[0].confusable);
  // The same-country exemption drops EU and eu when the rule set asks for it.
  RuleSet exempt = builtin("fip-2019");
  exempt.exempt_same_country = true;
  EXPECT_EQ(judge(exempt, index, cps("ею"), std::string("EU")).verdict, PanelVerdict::kAccept);
}

TEST(Panel, NonLatinLookingStringsPass) {
  const SimilarityIndex index =
      index_of({{"cn", ReferenceKind::kTld, "CN"}, {"CN", ReferenceKind::kIsoCode, "CN"}});
  for (const char* name : {"fast-track-2009", "epsrp-2014", "fip-2019"}) {
    const auto d = judge(builtin(name), index, cps("中国"));
    EXPECT_EQ(d.verdict, PanelVerdict::kAccept) << name;
    EXPECT_EQ(d.decided_by, "not-confusable");
    EXPECT_EQ(d.confusable_case, "none");
  }
}

}  // namespace
}  // namespace rootsim::registry::idn
