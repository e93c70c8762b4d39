// Fuzz target: scenario documents must parse or fail with a non-empty kParse error, never crash
// or hang; whatever parses keeps its invariants (events sorted and before the end, counts and
// shares in range).
#include "rootsim/scenarios/scenario.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::scenarios;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = parse_scenario(text, "");
  if (!scenario) {
    if (scenario.error().message.empty() || scenario.error().code != rootsim::Errc::kParse) {
      std::abort();  // every error says what is wrong, and where
    }
    return 0;
  }
  const Scenario& s = *scenario;
  if (s.name.empty() || s.sources.empty() || s.arrangements.empty() || s.replications == 0 ||
      s.duration <= rootsim::dns::SimTime{0}) {
    std::abort();
  }
  if (!std::is_sorted(s.events.begin(), s.events.end(),
                      [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.at < b.at; })) {
    std::abort();
  }
  for (const ScenarioEvent& e : s.events) {
    if (e.at < rootsim::dns::SimTime{0} || e.at >= s.duration || e.pointer.empty() || e.share < 0 ||
        e.share > 1 || to_string(e.kind).empty()) {
      std::abort();
    }
  }
  return 0;
}
