// The actors of root zone governance: a government for every ISO 3166-1 country and territory
// (UN M49 region and sub-region and an economy group, from Unicode CLDR as Debian ships it), the
// IANA functions operator, the root zone maintainer, an oversight authority, the ICANN board and
// its supporting organisations and advisory committees, the twelve root server operators and the
// Tunis Agenda paras 35-36 stakeholder groups. TLD managers are not listed: they come from the
// registry and are named "manager:<label>". Thread-safety: immutable after load(); const methods
// may be called from any thread. Ownership: the directory owns its actors; spans borrow from it.
#pragma once

#include "rootsim/dns/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::policy {

enum class ActorKind : std::uint8_t {
  kGovernment,
  kTldManager,
  kIanaFunctionsOperator,   ///< "iana": IANA, since 2016 run by PTI
  kRootZoneMaintainer,      ///< "rzm"
  kOversightAuthority,      ///< "oversight": who it is depends on the arrangement
  kBoard,                   ///< "board": the ICANN board
  kSupportingOrganisation,  ///< "ccnso", "gnso", "aso"
  kAdvisoryCommittee,       ///< "gac", "alac", "ssac", "rssac"
  kEmpoweredCommunity,      ///< "empowered-community"
  kRootServerOperator,      ///< "rso:verisign", ...
  kStakeholderGroup,        ///< "sg:governments", ...
  kSecretariat,             ///< "secretariat": an intergovernmental body's executive
  kRssGovernanceBody,       ///< "rss-gb", "rss-pmmf" (RSSAC037's functions)
};
[[nodiscard]] std::string_view to_string(ActorKind kind) noexcept;

/// Tunis Agenda para 35 (a)-(e) and para 36.
enum class StakeholderGroup : std::uint8_t {
  kGovernments,
  kPrivateSector,
  kCivilSociety,
  kIntergovernmentalOrganisations,
  kInternationalOrganisations,
  kAcademicTechnical,
};
[[nodiscard]] std::string_view to_string(StakeholderGroup group) noexcept;  ///< "governments", ...
inline constexpr std::size_t kStakeholderGroupCount = 6;

/// GDP (PPP) per capita bands; thresholds in data/governance_actors.json (see data/SOURCES.md).
enum class EconomyGroup : std::uint8_t { kLow, kLowerMiddle, kUpperMiddle, kHigh };
[[nodiscard]] std::string_view to_string(EconomyGroup group) noexcept;  ///< "low", ...

struct Actor {
  std::string id;  ///< "gov:FR", "iana", "rso:verisign", "sg:civil-society"
  ActorKind kind = ActorKind::kGovernment;
  std::string name;                    ///< "France", "Internet Assigned Numbers Authority (PTI)"
  std::optional<std::string> country;  ///< ISO 3166-1 code: a government's own, an operator's seat
  std::vector<StakeholderGroup> groups;  ///< Tunis Agenda groups the actor belongs to or draws on
  std::string region;                    ///< M49 region name for governments ("Europe"), else empty
  std::string subregion;                 ///< M49 sub-region name ("Western Europe"), else empty
  std::optional<EconomyGroup> economy;   ///< governments with CLDR population and GDP
  std::uint64_t population = 0;          ///< CLDR territoryInfo, governments only
  double gdp_ppp = 0;                    ///< CLDR territoryInfo (US$, PPP), governments only
};

/// Where the actor data comes from; the defaults are Debian's paths and the project's data/.
struct ActorSources {
  std::filesystem::path iso_3166 = "/usr/share/iso-codes/json/iso_3166-1.json";
  std::filesystem::path public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat";
  std::filesystem::path cldr_supplemental =
      "/usr/share/unicode/cldr/common/supplemental/supplementalData.xml";
  std::filesystem::path cldr_english = "/usr/share/unicode/cldr/common/main/en.xml";
  std::filesystem::path actors_data;  ///< data/governance_actors.json; empty = built-in path
};

/// What a government's M49 data says, for callers that want the table itself.
struct CountryInfo {
  std::string code;  ///< "FR"
  std::string name;
  std::string region_code;     ///< "150"
  std::string region;          ///< "Europe"
  std::string subregion_code;  ///< "155"
  std::string subregion;       ///< "Western Europe"
  std::uint64_t population = 0;
  double gdp_ppp = 0;
};

using ActorIndex = std::uint32_t;

class ActorDirectory {
 public:
  /// Reads ISO 3166-1 (via registry::TldClassifier), CLDR's territory containment, territory
  /// info and English region names (libxml2, no network, no entity expansion) and the project's
  /// organisation and root server operator table. Errors: kIo naming a missing file; kParse
  /// naming the file and what is wrong (JSON pointer for the data file).
  [[nodiscard]] static Result<ActorDirectory> load(const ActorSources& sources = {});

  [[nodiscard]] std::optional<ActorIndex> find(std::string_view id) const;
  [[nodiscard]] const Actor& actor(ActorIndex index) const { return actors_.at(index); }
  [[nodiscard]] std::size_t size() const noexcept { return actors_.size(); }
  [[nodiscard]] std::span<const Actor> all() const noexcept { return actors_; }
  /// Indices of every government, in ISO code order.
  [[nodiscard]] std::span<const ActorIndex> governments() const noexcept { return governments_; }
  /// Indices of the root server operators, in id order.
  [[nodiscard]] std::span<const ActorIndex> root_server_operators() const noexcept {
    return operators_;
  }
  /// The government of an ISO 3166-1 code ("FR"), if the code is assigned.
  [[nodiscard]] std::optional<ActorIndex> government(std::string_view iso_code) const;
  /// Root server letters ("a".."m") of an operator, from the data file.
  [[nodiscard]] std::vector<char> letters_of(ActorIndex rso) const;
  [[nodiscard]] const std::vector<CountryInfo>& countries() const noexcept { return countries_; }

 private:
  std::vector<Actor> actors_;
  std::map<std::string, ActorIndex, std::less<>> by_id_;
  std::vector<ActorIndex> governments_;
  std::vector<ActorIndex> operators_;
  std::map<ActorIndex, std::vector<char>> letters_;
  std::vector<CountryInfo> countries_;
};

/// The economy group of a GDP (PPP) per capita, by the thresholds the data file gives
/// (ascending upper bounds of low, lower-middle, upper-middle; high above).
[[nodiscard]] EconomyGroup economy_group(double gdp_per_capita,
                                         std::span<const double, 3> thresholds) noexcept;

}  // namespace rootsim::policy
