#include "rootsim/policy/analysis.hpp"

#include "policy_fixture.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rootsim::policy {
namespace {

using testing::builtin;
using testing::directory;

const KindAnalysis& kind_of(const ArrangementAnalysis& a, RequestKind kind) {
  for (const KindAnalysis& k : a.kinds) {
    if (k.kind == kind) {
      return k;
    }
  }
  ADD_FAILURE() << "no " << to_string(kind) << " in " << a.name;
  std::abort();
}

using Ids = std::vector<std::string>;

TEST(Analysis, UnilateralOversightHasTheOverseerAsSinglePointOfControl) {
  const auto a = analyze(builtin("unilateral-oversight"), directory());
  const KindAnalysis& revoke = kind_of(a, RequestKind::kRevoke);
  EXPECT_EQ(revoke.combined.single_points_of_control, Ids{"oversight"});
  EXPECT_TRUE(revoke.combined.foreign_influence_on_cctld);
  const KindAnalysis& ns = kind_of(a, RequestKind::kNsUpdate);
  EXPECT_EQ(ns.combined.single_points_of_control, Ids{"oversight"});
  EXPECT_EQ(ns.combined.veto_points, (Ids{"@tld-manager", "iana", "oversight"}));
}

TEST(Analysis, SovereigntyKeepsForeignGovernmentsOut) {
  const auto a = analyze(builtin("cctld-sovereignty"), directory());
  for (const KindAnalysis& k : a.kinds) {
    EXPECT_FALSE(k.cctld.foreign_influence_on_cctld) << to_string(k.kind);
  }
  const KindAnalysis& revoke = kind_of(a, RequestKind::kRevoke);
  EXPECT_EQ(revoke.cctld.single_points_of_control, Ids{"@tld-government"});
  EXPECT_EQ(revoke.cctld.veto_points, Ids{"@tld-government"});
  EXPECT_EQ(revoke.cctld.regions, Ids{"(the TLD's own)"});
  EXPECT_EQ(revoke.gtld.single_points_of_control, Ids{});  // iana and the board both decide
}

TEST(Analysis, IntergovernmentalPlenaryHasNoSingleControlButForeignInfluence) {
  const auto a = analyze(builtin("intergovernmental"), directory());
  const KindAnalysis& transfer = kind_of(a, RequestKind::kTransfer);
  EXPECT_TRUE(transfer.combined.single_points_of_control.empty());
  EXPECT_EQ(transfer.combined.veto_points, Ids{"@tld-manager"});
  EXPECT_TRUE(transfer.combined.foreign_influence_on_cctld);
  EXPECT_EQ(transfer.combined.regions.size(), 5U);
}

TEST(Analysis, MultistakeholderGivesTheIncumbentAVetoOnCcTldTransfers) {
  const auto a = analyze(builtin("multistakeholder"), directory());
  const KindAnalysis& transfer = kind_of(a, RequestKind::kTransfer);
  EXPECT_EQ(transfer.cctld.veto_points, (Ids{"@tld-manager", "board", "iana"}));
  EXPECT_TRUE(transfer.cctld.single_points_of_control.empty());
  EXPECT_FALSE(transfer.cctld.foreign_influence_on_cctld);
  // gTLD decisions can be challenged by the Empowered Community (GAC among its participants).
  EXPECT_GT(transfer.gtld.expected_lead_time_days, transfer.cctld.expected_lead_time_days - 30);
  const KindAnalysis& ns = kind_of(a, RequestKind::kNsUpdate);
  EXPECT_EQ(ns.combined.single_points_of_control, Ids{});
}

TEST(Analysis, EnhancedCooperationLetsEveryGovernmentBlockPrinciples) {
  const auto a = analyze(builtin("enhanced-cooperation"), directory());
  const KindAnalysis& principle = kind_of(a, RequestKind::kPrincipleChange);
  EXPECT_EQ(principle.combined.veto_points, Ids{"gov:*"});
  EXPECT_FALSE(kind_of(a, RequestKind::kNsUpdate).combined.foreign_influence_on_cctld);
}

TEST(Analysis, ExpectedLeadTimeIsTheSumOfStageMeans) {
  const Arrangement& ms = builtin("multistakeholder");
  const auto a = analyze(ms, directory());
  double expected = 0;
  for (const std::uint16_t s : ms.pipeline(RequestKind::kNsUpdate, TldClass::kGeneric)->stages) {
    expected += ms.stages[s].delay.expected_days() + ms.stages[s].primitive->expected_wait_days();
  }
  EXPECT_NEAR(kind_of(a, RequestKind::kNsUpdate).combined.expected_lead_time_days, expected, 0.006);
  EXPECT_GT(expected, 2.0);
  EXPECT_LT(expected, 6.0);
}

TEST(Analysis, JsonHasTheContractFields) {
  std::vector<ArrangementAnalysis> all;
  for (const auto& name : builtin_arrangement_names()) {
    all.push_back(analyze(builtin(name), directory()));
  }
  const auto j = nlohmann::json::parse(analysis_to_json(all));
  ASSERT_EQ(j.at("arrangements").size(), 6U);
  for (const auto& a : j.at("arrangements")) {
    for (const auto& [type, entry] : a.at("request_types").items()) {
      EXPECT_TRUE(entry.at("single_points_of_control").is_array()) << type;
      EXPECT_TRUE(entry.at("veto_points").is_array());
      EXPECT_TRUE(entry.at("foreign_influence_on_cctld").is_boolean());
      EXPECT_TRUE(entry.at("expected_lead_time_days").is_number());
    }
  }
  const std::string text = analysis_to_text(all);
  EXPECT_NE(text.find("legend:"), std::string::npos);
  EXPECT_NE(text.find("unilateral-oversight"), std::string::npos);
}

}  // namespace
}  // namespace rootsim::policy
