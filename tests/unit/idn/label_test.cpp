// Label conversion: UTS #46 both ways, the IDNA2008 registration check, ASCII TLD rules, UTF-8.
#include "rootsim/registry/idn/label.hpp"

#include "idn_test_support.hpp"
#include <gtest/gtest.h>

namespace rootsim::registry::idn {
namespace {

TEST(Label, EveryIdnCcTldConvertsBothWays) {
  const auto tlds = testing::idn_cctlds();
  if (tlds.empty()) {
    GTEST_SKIP() << "no idn_cctlds.csv in " << testing::shared_data();
  }
  ASSERT_EQ(tlds.size(), 61U);
  for (const auto& tld : tlds) {
    SCOPED_TRACE(tld.a_label);
    auto from_a = check_label(tld.a_label);
    ASSERT_TRUE(from_a) << from_a.error().message;
    EXPECT_EQ(from_a->u_label, tld.u_label);
    EXPECT_TRUE(from_a->is_idn);
    auto from_u = check_label(tld.u_label);
    ASSERT_TRUE(from_u) << from_u.error().message;
    EXPECT_EQ(from_u->a_label, tld.a_label);
    EXPECT_EQ(*from_a, *from_u);
  }
}

TEST(Label, RfIsXnP1ai) {
  auto forms = check_label("рф");
  ASSERT_TRUE(forms);
  EXPECT_EQ(forms->a_label, "xn--p1ai");
  EXPECT_EQ(forms->code_points, (CodePoints{0x0440, 0x0444}));
  EXPECT_EQ(script_of(forms->code_points), "Cyrl");
  auto upper = check_label("XN--P1AI");
  ASSERT_TRUE(upper) << upper.error().message;
  EXPECT_EQ(upper->u_label, "рф");
  EXPECT_EQ(to_a_label("中国").value(), "xn--fiqs8s");
  EXPECT_EQ(to_u_label("xn--fiqs8s").value(), "中国");
}

TEST(Label, AsciiTldRules) {
  EXPECT_EQ(check_label("CZ")->a_label, "cz");
  EXPECT_FALSE(check_label("co1"));
  EXPECT_FALSE(check_label("-ab"));
  EXPECT_FALSE(check_label("ab-"));
  auto reserved = check_label("ab--cd");
  ASSERT_FALSE(reserved);
  EXPECT_NE(reserved.error().message.find("positions 3 and 4"), std::string::npos);
  EXPECT_FALSE(check_label("a-b"));
  EXPECT_FALSE(check_label(""));
  EXPECT_FALSE(check_label(std::string(64, 'a')));
}

TEST(Label, Uts46ErrorsAreReportedByName) {
  // Arabic followed by a Latin letter breaks the RFC 5893 BiDi rule.
  auto bidi = check_label("\u0628a");
  ASSERT_FALSE(bidi);
  EXPECT_NE(bidi.error().message.find("BIDI"), std::string::npos) << bidi.error().message;
  // ZERO WIDTH JOINER outside a virama context fails CONTEXTJ.
  auto zwj = check_label("a\u200db\u0431");
  ASSERT_FALSE(zwj);
  EXPECT_NE(zwj.error().message.find("CONTEXTJ"), std::string::npos) << zwj.error().message;
  // A bad Punycode A-label.
  EXPECT_FALSE(check_label("xn--zz-"));
  // An A-label that is not the canonical one of its U-label (upper case inside Punycode
  // decodes to the same U-label in some libraries; here the digits are simply wrong).
  EXPECT_FALSE(check_label("xn--p1ai1"));
}

TEST(Label, UpperCaseUnicodeIsRefusedAsAUlabel) {
  auto upper = check_label("РФ");
  ASSERT_FALSE(upper);
  EXPECT_NE(upper.error().message.find("maps it to 'рф'"), std::string::npos);
}

TEST(Label, Idna2008RefusesWhatUts46Allows) {
  // U+2665 BLACK HEART SUIT is valid for UTS #46 lookup (NV8) but DISALLOWED in IDNA2008.
  auto heart = check_label("\u2665a");
  ASSERT_FALSE(heart);
  EXPECT_NE(heart.error().message.find("IDNA2008"), std::string::npos) << heart.error().message;
}

TEST(Label, InvalidUtf8AndOverlongLabels) {
  for (const std::string& bad : {std::string("\xff"), std::string("a\xc3"), std::string("\xc0\xaf"),
                                std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    auto decoded = decode_utf8(bad);
    EXPECT_FALSE(decoded);
    EXPECT_FALSE(check_label(bad));
  }
  std::string long_label;
  for (int i = 0; i < 64; ++i) {
    long_label += "б";
  }
  EXPECT_FALSE(check_label(long_label));
  EXPECT_EQ(encode_utf8(decode_utf8("aé中\U0001F600").value()), "aé中\U0001F600");
  EXPECT_EQ(format_code_points(CodePoints{0x61, 0x440}), "U+0061 U+0440");
}

TEST(Label, ScriptOfLabels) {
  EXPECT_EQ(script_of(testing::cps("中国")), "Hani");
  EXPECT_EQ(script_of(testing::cps("한국")), "Hang");
  EXPECT_EQ(script_of(testing::cps("日本ドメイン")), "Jpan");
  EXPECT_EQ(script_of(testing::cps("한國")), "Kore");
  EXPECT_EQ(script_of(testing::cps("рфa")), "Zyyy");
  EXPECT_EQ(script_of(testing::cps("ελ")), "Grek");
}

}  // namespace
}  // namespace rootsim::registry::idn
