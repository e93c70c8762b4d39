// The IDN rules in plan_change: IDNA2008 and LGR checks on delegation, blocked and allocatable
// variants, transfers that would split a variant set, and a TLD's variant set.
#include "rootsim/registry/idn/idn_review.hpp"

#include "rootsim/registry/change_request.hpp"

#include "idn_test_support.hpp"
#include <gtest/gtest.h>

namespace rootsim::registry::idn {
namespace {

dns::Name name(const std::string& text) { return dns::Name::from_text(text).value(); }

Tld live_tld(const std::string& a_label, const std::string& manager) {
  Tld tld;
  tld.label = name(a_label);
  if (a_label.rfind("xn--", 0) == 0) {
    tld.u_label = to_u_label(a_label).value();
  }
  tld.manager = manager;
  tld.delegation.name_servers = {name("ns1.example.net.")};
  return tld;
}

RegistryState state_with(std::initializer_list<Tld> tlds) {
  RegistryState state;
  Tld net = live_tld("net", "Verisign");
  state.tlds.emplace(net.label, net);
  for (const Tld& tld : tlds) {
    state.tlds.emplace(tld.label, tld);
  }
  return state;
}

ChangeRequest delegate(const std::string& label, const std::string& manager) {
  Delegate d;
  d.kind = TldKind::kGeneric;
  d.manager = manager;
  d.ns = {name("ns1.example.net.")};
  return ChangeRequest{name(to_a_label(label).value()), "iana", std::nullopt, d};
}

std::shared_ptr<const LgrSet> shared_rz_lgr() {
  // The tests share the one loaded set; the review borrows it through a non-owning pointer.
  return std::shared_ptr<const LgrSet>(testing::rz_lgr(), [](const LgrSet*) {});
}

TEST(IdnReview, ValidIdnLabelIsDelegated) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const IdnLabelReview review(shared_rz_lgr());
  auto mutation = plan_change(delegate("рф", "RIPN"), state_with({}), &review);
  ASSERT_TRUE(mutation) << mutation.error().message;
  EXPECT_EQ(mutation->upserts.at(0).u_label, "рф");
}

TEST(IdnReview, LabelTheLgrRejectsIsRefused) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const IdnLabelReview review(shared_rz_lgr());
  auto mixed = plan_change(delegate("рфa", "X"), state_with({}), &review);
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, Errc::kSemantic);
  EXPECT_NE(mixed.error().message.find("Root Zone LGR"), std::string::npos);
  // The same label without the review passes the planner: the hook is what refuses it.
  EXPECT_TRUE(plan_change(delegate("рфa", "X"), state_with({})));
}

TEST(IdnReview, BlockedVariantOfAnExistingTldIsRefused) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const IdnLabelReview review(shared_rz_lgr());
  const RegistryState state = state_with({live_tld("xn--fiqs8s", "CNNIC")});  // 中国
  auto blocked = plan_change(delegate("中囯", "CNNIC"), state, &review);
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().message.find("blocked variant of xn--fiqs8s."), std::string::npos)
      << blocked.error().message;
}

TEST(IdnReview, AllocatableVariantOnlyForTheSameManager) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const IdnLabelReview review(shared_rz_lgr());
  const RegistryState state = state_with({live_tld("xn--fiqs8s", "CNNIC")});
  auto other = plan_change(delegate("中國", "Someone Else"), state, &review);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("allocatable variant"), std::string::npos);
  auto same = plan_change(delegate("中國", "CNNIC"), state, &review);
  EXPECT_TRUE(same) << same.error().message;
}

TEST(IdnReview, CrossScriptLookAlikeIsBlocked) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const IdnLabelReview review(shared_rz_lgr());
  const RegistryState state = state_with({live_tld("cop", "Latin Registry")});
  auto cyrillic = plan_change(delegate("\u0441\u043e\u0440", "Latin Registry"), state, &review);
  ASSERT_FALSE(cyrillic);
  EXPECT_NE(cyrillic.error().message.find("cross-script"), std::string::npos)
      << cyrillic.error().message;
}

TEST(IdnReview, TransferMayNotSplitAVariantSet) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const IdnLabelReview review(shared_rz_lgr());
  const RegistryState state =
      state_with({live_tld("xn--fiqs8s", "CNNIC"), live_tld("xn--fiqz9s", "CNNIC")});
  ChangeRequest transfer{name("xn--fiqs8s."), "iana", std::nullopt,
                         Transfer{"New Manager", {}, {}, std::nullopt, {}, std::nullopt}};
  auto split = plan_change(transfer, state, &review);
  ASSERT_FALSE(split);
  EXPECT_NE(split.error().message.find("one manager"), std::string::npos);
}

TEST(IdnReview, VariantSetOfATld) {
  ROOTSIM_REQUIRE_RZ_LGR();
  const RegistryState state =
      state_with({live_tld("xn--fiqs8s", "CNNIC"), live_tld("xn--fiqz9s", "CNNIC")});
  auto set = variant_set(*testing::rz_lgr(), state.tlds.at(name("xn--fiqs8s.")), state);
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_EQ(set->members.size(), 1U);
  EXPECT_EQ(set->members[0].u_label, "中國");
  EXPECT_EQ(set->members[0].a_label, "xn--fiqz9s");
  EXPECT_EQ(set->members[0].disposition, Disposition::kAllocatable);
  EXPECT_TRUE(set->members[0].delegated);
  EXPECT_EQ(set->members[0].manager, "CNNIC");
  EXPECT_EQ(set->blocked, 2U);
}

TEST(IdnReview, MissingLgrIsAClearErrorForIdnLabelsOnly) {
  const IdnLabelReview review(std::filesystem::path("/nonexistent/rz-lgr"));
  auto idn = plan_change(delegate("рф", "RIPN"), state_with({}), &review);
  ASSERT_FALSE(idn);
  EXPECT_EQ(idn.error().code, Errc::kNotFound);
  EXPECT_NE(idn.error().message.find("--lgr-dir"), std::string::npos) << idn.error().message;
  EXPECT_TRUE(plan_change(delegate("example", "X"), state_with({}), &review));
  auto bad = plan_change(ChangeRequest{name("xn--zz-9xa."), "iana", std::nullopt, Delegate{}},
                         state_with({}), &review);
  EXPECT_FALSE(bad);
}

}  // namespace
}  // namespace rootsim::registry::idn
