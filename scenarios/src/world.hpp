// The world a scenario runs in, loaded once per run and shared read-only by every replication:
// the actor directory, the arrangements compared, the governance circumstances, the baseline
// registry, the signing keys, the root server instances and the resolver population's regions.
// Private to rootsim::scenarios. Thread-safety: immutable after load_world(); shared by worker
// threads. Ownership: owns everything it holds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rootsim/policy/actors.hpp"
#include "rootsim/policy/arrangement.hpp"
#include "rootsim/policy/idn_panel.hpp"
#include "rootsim/policy/request.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/signature_cache.hpp"
#include "rootsim/registry/signing_key.hpp"
#include "rootsim/registry/tld_classifier.hpp"
#include "rootsim/scenarios/runner.hpp"
#include "rootsim/scenarios/scenario.hpp"

namespace rootsim::scenarios {

/// The five M49 regions, in the order every region index refers to.
inline constexpr std::array<std::string_view, 5> kRegions = {"Africa", "Americas", "Asia",
                                                             "Europe", "Oceania"};
[[nodiscard]] std::optional<std::uint16_t> region_index(std::string_view name) noexcept;

/// One root server instance: its letter, operator and region.
struct InstanceSpec {
  char letter = 'a';
  std::uint16_t region = 0;
  policy::ActorIndex rso = 0;
};

struct World {
  const Scenario* scenario = nullptr;  // borrowed
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
  policy::ActorDirectory actors;
  std::vector<policy::Arrangement> arrangements;
  std::vector<std::string> arrangement_sources;  ///< built-in names or files, as written
  policy::Circumstances circumstances;
  registry::RegistryState baseline;
  std::unique_ptr<registry::TldClassifier> classifier;
  std::unique_ptr<policy::IdnPanelReview> idn_panel;  ///< only when the scenario delegates IDNs
  std::vector<registry::SigningKey> keys;             ///< the root's KSK and ZSK (P-256)
  /// The one part the replications change: signatures they made with `keys`, thread-safe.
  /// Replications re-sign the same RRsets on the same days and take each other's signatures.
  std::unique_ptr<registry::SignatureCache> signatures;
  std::vector<InstanceSpec> instances;
  std::vector<dns::Name> popular_tlds;  ///< head of the traffic's popularity order (data file)
  std::array<double, kRegions.size()> population_share{};  ///< from CLDR via the actor directory
  /// Resolved event targets, parallel to scenario->events (A-label TLD names, actors).
  struct EventTarget {
    dns::Name tld;
    std::optional<policy::ActorIndex> rso;
    std::uint16_t region = 0;
    std::vector<dns::Name> remove;
  };
  std::vector<EventTarget> targets;
};

/// Loads and checks everything a run needs. Errors: kParse naming the scenario's JSON pointer
/// for unknown arrangements, TLDs, operators, actors; kIo/kParse for missing or bad data.
[[nodiscard]] Result<std::unique_ptr<World>> load_world(const Scenario& scenario,
                                                        const RunOptions& options);

/// Reads the instance table (CSV: letter,region,instances; '#' comments). Errors: kParse
/// "file:line: what"; kIo.
[[nodiscard]] Result<std::vector<InstanceSpec>> load_instance_table(
    const std::filesystem::path& file, const policy::ActorDirectory& actors);

/// Reads the popularity head (data/tld_popularity.txt: a label per line, '#' comments).
/// Errors: kIo; kParse "file:line: not a TLD label".
[[nodiscard]] Result<std::vector<dns::Name>> load_popular_tlds(const std::filesystem::path& file);

/// Each region's share of the world population (CLDR territory data via the directory).
[[nodiscard]] std::array<double, kRegions.size()> population_shares(
    const policy::ActorDirectory& actors);

}  // namespace rootsim::scenarios
