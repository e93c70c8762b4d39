// The RFC 7940 engine on small LGRs written inline (after the RFC's own examples), and on
// malformed or hostile files.
#include "rootsim/registry/idn/lgr.hpp"

#include "idn_test_support.hpp"
#include <gtest/gtest.h>

namespace rootsim::registry::idn {
namespace {

using testing::cps;

Lgr load(const std::string& body) {
  const std::string xml = R"(<?xml version="1.0" encoding="utf-8"?>
<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><version>1</version>
<language>und-Latn</language><unicode-version>11.0.0</unicode-version></meta>)" +
                          body + "</lgr>";
  auto lgr = Lgr::load_text(xml, "test.xml");
  EXPECT_TRUE(lgr) << (lgr ? "" : lgr.error().message);
  return std::move(lgr).value();
}

Error load_error(const std::string& xml, const LgrLimits& limits = {}) {
  auto lgr = Lgr::load_text(xml, "bad.xml", limits);
  EXPECT_FALSE(lgr);
  return lgr ? Error{Errc::kParse, ""} : lgr.error();
}

Disposition disposition(const Lgr& lgr, const std::string& label) {
  auto verdict = lgr.evaluate(cps(label));
  EXPECT_TRUE(verdict);
  return verdict ? verdict->disposition : Disposition::kOther;
}

TEST(Lgr, RepertoireMembershipAndSequences) {
  const Lgr lgr = load(R"(<data><char cp="0061"/><char cp="0062"/><char cp="0063 0327"/>
    <range first-cp="0070" last-cp="0072"/></data>)");
  EXPECT_EQ(lgr.repertoire_size(), 6U);
  EXPECT_EQ(disposition(lgr, "abq"), Disposition::kValid);
  EXPECT_EQ(disposition(lgr, "ac\u0327"), Disposition::kValid);  // the sequence
  auto alone = lgr.evaluate(cps("ac"));                          // U+0063 only in the sequence
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->disposition, Disposition::kInvalid);
  EXPECT_EQ(alone->position, 1U);
  EXPECT_NE(alone->reason.find("U+0063"), std::string::npos);
  EXPECT_FALSE(lgr.covers(cps("az")));
  EXPECT_FALSE(lgr.evaluate(CodePoints{}));
  EXPECT_EQ(lgr.evaluate(CodePoints(64, U'a')).error().code, Errc::kLimit);
}

// RFC 7940 §6.4: a code point allowed only in a context (ZWJ after a virama).
TEST(Lgr, WhenContextWithLookBehindAndAnchor) {
  const Lgr lgr = load(R"(<data><char cp="0915"/><char cp="094D"/>
    <char cp="200D" when="follows-virama"/><char cp="0061" not-when="at-start"/></data>
    <rules><rule name="follows-virama"><look-behind><char cp="094D"/></look-behind><anchor/></rule>
    <rule name="at-start"><start/><anchor/></rule></rules>)");
  EXPECT_EQ(disposition(lgr, "\u0915\u094d\u200d\u0915"), Disposition::kValid);
  auto bad = lgr.evaluate(cps("\u0915\u200d"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->disposition, Disposition::kInvalid);
  EXPECT_NE(bad->reason.find("follows-virama"), std::string::npos) << bad->reason;
  EXPECT_EQ(disposition(lgr, "\u0915a"), Disposition::kValid);
  EXPECT_EQ(disposition(lgr, "a\u0915"), Disposition::kInvalid);  // not-when at-start matches
}

// RFC 7940 §6.3 and §7: whole-label evaluation rules, classes and the first action that
// triggers.
TEST(Lgr, WholeLabelRulesClassesAndActionOrder) {
  const Lgr lgr = load(R"(<data><char cp="0061" tag="vowel"/><char cp="0065" tag="vowel"/>
    <char cp="0062"/><char cp="0063"/><char cp="0301"/></data><rules>
    <class name="vowels" from-tag="vowel"/>
    <difference name="consonants"><class>0061-0065</class><class by-ref="vowels"/></difference>
    <rule name="leading-mark"><start/><class property="gc:Mn"/></rule>
    <rule name="three-vowels"><class by-ref="vowels" count="3"/></rule>
    <rule name="only-consonants"><start/><class by-ref="consonants" count="1+"/><end/></rule>
    <rule name="c-then-a"><choice><rule><char cp="0063"/><any count="0+"/><char cp="0061"/></rule>
      <rule><char cp="0061"/><char cp="0061"/></rule></choice></rule>
    <action disp="invalid" match="leading-mark"/>
    <action disp="blocked" match="three-vowels"/>
    <action disp="invalid" match="only-consonants"/>
    <action disp="allocatable" match="c-then-a"/>
    <action disp="valid"/></rules>)");
  EXPECT_EQ(disposition(lgr, "\u0301a"), Disposition::kInvalid);
  EXPECT_EQ(disposition(lgr, "baeae"), Disposition::kBlocked);
  EXPECT_EQ(disposition(lgr, "bcb"), Disposition::kInvalid);
  EXPECT_EQ(disposition(lgr, "cbba"), Disposition::kAllocatable);
  EXPECT_EQ(disposition(lgr, "baab"), Disposition::kAllocatable);
  EXPECT_EQ(disposition(lgr, "bab"), Disposition::kValid);
  auto verdict = lgr.evaluate(cps("bab"));
  EXPECT_EQ(verdict->reason, "action valid");
}

TEST(Lgr, CountRangesAndLookAhead) {
  const Lgr lgr = load(R"(<data><char cp="0061"/><char cp="0062" when="before-a"/></data><rules>
    <rule name="before-a"><anchor/><look-ahead><char cp="0061" count="1:2"/><end/></look-ahead></rule>
    <rule name="two-to-three-a"><start/><char cp="0061" count="2:3"/><end/></rule>
    <action disp="blocked" match="two-to-three-a"/></rules>)");
  EXPECT_EQ(disposition(lgr, "ba"), Disposition::kValid);
  EXPECT_EQ(disposition(lgr, "baa"), Disposition::kValid);
  EXPECT_EQ(disposition(lgr, "baaa"), Disposition::kInvalid);  // three a after b
  EXPECT_EQ(disposition(lgr, "aa"), Disposition::kBlocked);
  EXPECT_EQ(disposition(lgr, "aaa"), Disposition::kBlocked);
  EXPECT_EQ(disposition(lgr, "aaaa"), Disposition::kValid);
}

// RFC 7940 §5.3 and §8: variants, reflexive variants and the action triggers.
const char* kVariantLgr = R"(<data>
  <char cp="0061"><var cp="0061" type="r-a"/><var cp="0251" type="alt"/></char>
  <char cp="0251"><var cp="0061" type="alt"/><var cp="0251" type="r-b"/></char>
  <char cp="0062"><var cp="0063" type="blocked"/></char>
  <char cp="0063"><var cp="0062" type="blocked"/></char>
  <char cp="0064"><var cp="0078" type="out-of-repertoire-var"/></char>
  <char cp="0078"><var cp="0078" type="out-of-repertoire-var"/></char>
  </data><rules>
  <action disp="invalid" any-variant="out-of-repertoire-var"/>
  <action disp="blocked" any-variant="blocked"/>
  <action disp="valid" all-variants="r-a r-b"/>
  <action disp="allocatable" only-variants="alt r-a r-b"/>
  <action disp="blocked" all-variants="alt r-a r-b"/>
  </rules>)";

TEST(Lgr, VariantsWithDispositions) {
  const Lgr lgr = load(kVariantLgr);
  EXPECT_EQ(disposition(lgr, "aa"), Disposition::kValid);
  EXPECT_EQ(disposition(lgr, "ab"), Disposition::kValid);   // default catch-all
  EXPECT_EQ(disposition(lgr, "x"), Disposition::kInvalid);  // out-of-repertoire-var
  auto variants = lgr.variants(cps("aa"));
  ASSERT_TRUE(variants);
  ASSERT_EQ(variants->variants.size(), 3U);
  for (const VariantLabel& v : variants->variants) {
    EXPECT_EQ(v.disposition, Disposition::kAllocatable) << encode_utf8(v.label);
  }
  // With "b" the label has a code point without reflexive mapping: only-variants fails and
  // the alt variant falls to the all-variants action.
  auto mixed = lgr.variant_of(cps("ab"), cps("\u0251b"));
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->disposition, Disposition::kBlocked);
  auto blocked = lgr.variant_of(cps("ab"), cps("ac"));
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->disposition, Disposition::kBlocked);
  EXPECT_FALSE(lgr.variant_of(cps("ab"), cps("bb")));
  EXPECT_EQ(lgr.variant_of(cps("ab"), cps("ab"))->disposition, Disposition::kValid);
  // "d" maps to "x", which is only a variant target: that label is invalid and left out.
  auto with_x = lgr.variants(cps("d"), 100, true);
  ASSERT_TRUE(with_x);
  ASSERT_EQ(with_x->variants.size(), 1U);
  EXPECT_EQ(with_x->variants[0].disposition, Disposition::kInvalid);
  EXPECT_TRUE(lgr.variants(cps("d"))->variants.empty());
  EXPECT_EQ(lgr.variants(cps("x")).error().code, Errc::kSemantic);
}

TEST(Lgr, VariantGenerationStopsAtTheLimit) {
  const Lgr lgr = load(kVariantLgr);
  auto variants = lgr.variants(cps("aaaaaaaaaa"), 50);
  ASSERT_TRUE(variants);
  EXPECT_TRUE(variants->truncated);
  EXPECT_EQ(variants->variants.size(), 50U);
}

TEST(Lgr, DefaultActionsApplyWithoutExplicitOnes) {
  const Lgr lgr = load(R"(<data><char cp="0061"><var cp="0062" type="blocked"/>
    <var cp="0063" type="allocatable"/></char><char cp="0062"/><char cp="0063"/></data>)");
  EXPECT_EQ(lgr.variant_of(cps("a"), cps("b"))->disposition, Disposition::kBlocked);
  EXPECT_EQ(lgr.variant_of(cps("a"), cps("c"))->disposition, Disposition::kAllocatable);
  EXPECT_EQ(disposition(lgr, "a"), Disposition::kValid);
}

TEST(Lgr, SetOperators) {
  const Lgr lgr = load(R"(<data><char cp="0061"/><char cp="0062"/><char cp="0063"/></data><rules>
    <union name="ab"><class>0061</class><class>0062</class></union>
    <intersection name="b"><class by-ref="ab"/><class>0062-0063</class></intersection>
    <symmetric-difference name="ac"><class by-ref="ab"/><class>0062 0063</class></symmetric-difference>
    <complement name="not-ab"><class by-ref="ab"/></complement>
    <rule name="has-b"><class by-ref="b"/></rule>
    <rule name="starts-a-or-c"><start/><class by-ref="ac"/></rule>
    <rule name="ends-not-ab"><class by-ref="not-ab"/><end/></rule>
    <action disp="blocked" match="has-b"/><action disp="allocatable" match="starts-a-or-c"/>
    <action disp="invalid" not-match="ends-not-ab"/></rules>)");
  EXPECT_EQ(disposition(lgr, "ab"), Disposition::kBlocked);
  EXPECT_EQ(disposition(lgr, "ca"), Disposition::kAllocatable);
  EXPECT_EQ(disposition(lgr, "cc"), Disposition::kAllocatable);
}

TEST(LgrHostile, MalformedXmlNamesTheLine) {
  const Error e = load_error("<lgr xmlns=\"urn:ietf:params:xml:ns:lgr-1.0\">\n<data>\n</lgr>");
  EXPECT_EQ(e.code, Errc::kParse);
  EXPECT_NE(e.message.find("bad.xml:3"), std::string::npos) << e.message;
  EXPECT_EQ(load_error("").code, Errc::kParse);
  EXPECT_NE(load_error("<other/>").message.find("not <lgr>"), std::string::npos);
}

TEST(LgrHostile, DtdsAndEntitiesAreRefused) {
  const std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lgr [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<lgr><data><char cp="0061" comment="&c;"/></data></lgr>)";
  EXPECT_NE(load_error(laughs).message.find("DTD"), std::string::npos);
  const std::string external =
      R"(<?xml version="1.0"?><!DOCTYPE lgr SYSTEM "http://example.net/x.dtd">
<lgr><data><char cp="0061"/></data></lgr>)";
  EXPECT_NE(load_error(external).message.find("DTD"), std::string::npos);
}

TEST(LgrHostile, SizeDepthAndElementLimits) {
  LgrLimits small;
  small.max_file_bytes = 100;
  EXPECT_EQ(load_error(std::string(200, ' '), small).code, Errc::kLimit);
  std::string deep = "<lgr><data><char cp=\"0061\"/></data><rules><rule name=\"r\">";
  for (int i = 0; i < 60; ++i) {
    deep += "<rule>";
  }
  deep += "<any/>";
  for (int i = 0; i < 60; ++i) {
    deep += "</rule>";
  }
  deep += "</rule></rules></lgr>";
  const Error e = load_error(deep);
  EXPECT_EQ(e.code, Errc::kLimit);
  EXPECT_NE(e.message.find("nested deeper"), std::string::npos);
  LgrLimits few;
  few.max_elements = 3;
  EXPECT_EQ(load_error("<lgr><data><char cp=\"61\"/><char cp=\"62\"/></data></lgr>", few).code,
            Errc::kLimit);
}

TEST(LgrHostile, UndefinedNamesAndCyclesAreErrors) {
  auto with_rules = [](const std::string& rules) {
    return "<lgr><data><char cp=\"0061\"/></data><rules>" + rules + "</rules></lgr>";
  };
  EXPECT_NE(load_error(with_rules("<action disp=\"invalid\" match=\"nope\"/>"))
                .message.find("rule 'nope' is not defined"),
            std::string::npos);
  EXPECT_NE(load_error(with_rules("<rule name=\"r\"><class by-ref=\"nope\"/></rule>"))
                .message.find("class 'nope' is not defined"),
            std::string::npos);
  EXPECT_NE(load_error(with_rules("<rule name=\"r\"><rule by-ref=\"s\"/></rule>"
                                  "<rule name=\"s\"><rule by-ref=\"r\"/></rule>"))
                .message.find("refers to itself"),
            std::string::npos);
  EXPECT_NE(
      load_error(with_rules("<class name=\"c\" from-tag=\"none\"/>")).message.find("tag 'none'"),
      std::string::npos);
  EXPECT_NE(load_error("<lgr><data><char cp=\"0061\" when=\"ghost\"/></data></lgr>")
                .message.find("'ghost'"),
            std::string::npos);
  EXPECT_FALSE(Lgr::load_text(with_rules("<class name=\"p\" property=\"xx:yy\"/>"), "p.xml"));
  EXPECT_FALSE(Lgr::load_text(with_rules("<bogus/>"), "p.xml"));
}

TEST(LgrHostile, BadCodePointsAndDuplicates) {
  EXPECT_FALSE(Lgr::load_text("<lgr><data><char cp=\"110000\"/></data></lgr>", "x"));
  EXPECT_FALSE(Lgr::load_text("<lgr><data><char cp=\"D800\"/></data></lgr>", "x"));
  EXPECT_FALSE(Lgr::load_text("<lgr><data><char cp=\"zz\"/></data></lgr>", "x"));
  EXPECT_FALSE(Lgr::load_text("<lgr><data><char cp=\"61\"/><char cp=\"61\"/></data></lgr>", "x"));
  EXPECT_FALSE(
      Lgr::load_text("<lgr><data><range first-cp=\"62\" last-cp=\"61\"/></data></lgr>", "x"));
  std::string many = "<lgr><data><char cp=\"61\">";
  for (int i = 0; i < 70; ++i) {
    many += "<var cp=\"62\" type=\"t" + std::to_string(i) + "\"/>";
  }
  many += "</char><char cp=\"62\"/></data></lgr>";
  EXPECT_EQ(load_error(many).code, Errc::kLimit);
}

}  // namespace
}  // namespace rootsim::registry::idn
