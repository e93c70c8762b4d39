// Reads what the actor directory needs from Unicode CLDR (Debian's unicode-cldr-core): UN M49
// territory containment, territory population and GDP, and English region names. libxml2 with
// XML_PARSE_NONET, no DTD loading and no entity substitution. Private to rootsim::policy.
// Thread-safety: pure functions. Ownership: results are values.
#pragma once

#include "rootsim/dns/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace rootsim::policy {

struct CldrTerritories {
  struct Containment {
    std::string subregion;  ///< M49 code of the smallest containing region ("155", "QO")
    std::string region;     ///< M49 code of the continent-level region ("150", "009")
  };
  struct Info {
    std::uint64_t population = 0;
    double gdp = 0;  ///< US$, PPP
  };
  std::map<std::string, Containment> containment;  ///< by ISO 3166-1 code
  std::map<std::string, Info> info;                ///< by ISO 3166-1 code
  std::map<std::string, std::string> names;        ///< M49 or ISO code -> English name

  [[nodiscard]] std::string region_name(const std::string& code) const;
};

/// Errors: kIo when a file cannot be read; kParse naming the file when it is not well-formed
/// XML or lacks territoryContainment/territoryInfo.
[[nodiscard]] Result<CldrTerritories> read_cldr_territories(
    const std::filesystem::path& supplemental, const std::filesystem::path& english);

}  // namespace rootsim::policy
