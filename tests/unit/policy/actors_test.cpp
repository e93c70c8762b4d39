#include "policy_fixture.hpp"
#include <gtest/gtest.h>

#include <array>
#include <set>

namespace rootsim::policy {
namespace {

using testing::actor;
using testing::directory;

TEST(ActorDirectory, HasAGovernmentForEveryIsoCountryWithItsM49Region) {
  const ActorDirectory& d = directory();
  EXPECT_EQ(d.governments().size(), 249U);  // iso-codes 4.15: 249 assigned alpha-2 codes
  const Actor& fr = d.actor(actor("gov:FR"));
  EXPECT_EQ(fr.kind, ActorKind::kGovernment);
  EXPECT_EQ(fr.region, "Europe");
  EXPECT_EQ(fr.subregion, "Western Europe");
  EXPECT_EQ(d.actor(actor("gov:BR")).subregion, "South America");
  EXPECT_EQ(d.actor(actor("gov:BR")).region, "Americas");
  EXPECT_EQ(d.actor(actor("gov:JP")).subregion, "Eastern Asia");
  EXPECT_EQ(d.actor(actor("gov:AQ")).region, "Oceania");  // CLDR: Outlying Oceania
  std::size_t without_region = 0;
  std::set<std::string> regions;
  for (const ActorIndex g : d.governments()) {
    without_region += d.actor(g).region.empty() ? 1U : 0U;
    regions.insert(d.actor(g).region);
  }
  EXPECT_EQ(without_region, 0U);
  EXPECT_EQ(regions, (std::set<std::string>{"Africa", "Americas", "Asia", "Europe", "Oceania"}));
}

TEST(ActorDirectory, EconomyGroupsFollowTheDocumentedPppBands) {
  const ActorDirectory& d = directory();
  EXPECT_EQ(d.actor(actor("gov:CH")).economy, EconomyGroup::kHigh);
  EXPECT_EQ(d.actor(actor("gov:BI")).economy, EconomyGroup::kLow);
  const std::array<double, 3> bounds = {3000, 12000, 25000};
  EXPECT_EQ(economy_group(2999, bounds), EconomyGroup::kLow);
  EXPECT_EQ(economy_group(3000, bounds), EconomyGroup::kLowerMiddle);
  EXPECT_EQ(economy_group(24999, bounds), EconomyGroup::kUpperMiddle);
  EXPECT_EQ(economy_group(25000, bounds), EconomyGroup::kHigh);
  std::size_t grouped = 0;
  for (const ActorIndex g : d.governments()) {
    const Actor& a = d.actor(g);
    if (a.economy) {
      ++grouped;
      EXPECT_EQ(*a.economy, economy_group(a.gdp_ppp / static_cast<double>(a.population), bounds))
          << a.id;
    }
  }
  EXPECT_GT(grouped, 230U);
}

TEST(ActorDirectory, TwelveRootServerOperatorsCoverThirteenLetters) {
  const ActorDirectory& d = directory();
  ASSERT_EQ(d.root_server_operators().size(), 12U);
  std::string letters;
  for (const ActorIndex r : d.root_server_operators()) {
    EXPECT_EQ(d.actor(r).kind, ActorKind::kRootServerOperator);
    for (const char c : d.letters_of(r)) {
      letters += c;
    }
  }
  std::sort(letters.begin(), letters.end());
  EXPECT_EQ(letters, "abcdefghijklm");
  EXPECT_EQ(d.letters_of(actor("rso:verisign")), (std::vector<char>{'a', 'j'}));
}

TEST(ActorDirectory, KnowsTheInstitutionsAndTunisStakeholderGroups) {
  for (const char* id :
       {"iana", "rzm", "oversight", "board", "ccnso", "gnso", "gac", "alac", "ssac", "rssac", "aso",
        "empowered-community", "sg:governments", "sg:private-sector", "sg:civil-society",
        "sg:intergovernmental-organisations", "sg:international-organisations",
        "sg:academic-technical"}) {
    EXPECT_TRUE(directory().find(id)) << id;
  }
  EXPECT_FALSE(directory().find("gov:XX"));
  EXPECT_FALSE(directory().find("manager:cz"));  // managers come from the registry
  EXPECT_EQ(resolve_actor("manager:cz", directory(), "cz")->kind, ActorRef::Kind::kTldManager);
  EXPECT_EQ(resolve_actor("manager:de", directory(), "cz")->kind, ActorRef::Kind::kOtherManager);
  EXPECT_FALSE(resolve_actor("nobody", directory(), "cz"));
}

TEST(ActorDirectory, MissingDataFileIsAnIoError) {
  ActorSources sources;
  sources.actors_data = "/nonexistent/governance_actors.json";
  auto d = ActorDirectory::load(sources);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kIo);
}

}  // namespace
}  // namespace rootsim::policy
