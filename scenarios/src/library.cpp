// The scenario library's location and the event kinds' names.
#include "rootsim/scenarios/scenario.hpp"

#include <array>

namespace rootsim::scenarios {

std::string_view to_string(EventKind kind) noexcept {
  static constexpr std::array<std::string_view, kEventKindCount> kNames = {
      "delegation-round", "delegation",   "transfer",       "revoke",
      "retirement",       "zsk-rollover", "ksk-rollover",   "instance-outage",
      "operator-outage",  "partition",    "alternate-root", "modified-zone",
      "tld-outage"};
  const auto i = static_cast<std::size_t>(kind);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::filesystem::path library_dir() { return ROOTSIM_SCENARIO_LIBRARY_DIR; }

}  // namespace rootsim::scenarios
