// Runs a scenario: every arrangement it compares, each for the scenario's replications, in
// parallel on the cores there are; each replication is a deterministic discrete-event
// simulation with its own seed split from the scenario's, so the results do not depend on the
// number of threads or their timing. Thread-safety: run_scenario may be called from one thread
// at a time per RunOptions; progress is called from worker threads (under a lock).
// Ownership: the results are values.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rootsim/dns/result.hpp"
#include "rootsim/scenarios/results.hpp"
#include "rootsim/scenarios/scenario.hpp"

namespace rootsim::scenarios {

struct RunOptions {
  std::vector<std::string> arrangements;      ///< overrides the scenario's list when not empty
  std::optional<std::uint32_t> replications;  ///< overrides the scenario's
  std::optional<std::uint64_t> seed;          ///< overrides the scenario's
  std::filesystem::path zone;                 ///< a root zone file instead of the baseline
  std::filesystem::path data_dir;             ///< the project's data/ folder
  unsigned threads = 0;                       ///< 0 = the cores there are
  /// Called after each replication with (finished, total) replications, and with fractions of
  /// simulated time while they run; from worker threads, never concurrently.
  std::function<void(double fraction_done)> progress;
  /// When set and true, workers stop early and run_scenario returns kLimit "interrupted".
  const std::atomic<bool>* cancel = nullptr;
};

/// Loads the world (actors, baseline or zone, instance table, population), checks the scenario
/// against it (unknown TLDs, operators, letters, regions, arrangements: kParse naming the JSON
/// pointer, e.g. "/events/0/tld: no TLD 'zz' in the baseline"), then runs every arrangement and
/// replication. Errors: those, kIo for missing data, kLimit when cancelled.
[[nodiscard]] Result<RunResults> run_scenario(const Scenario& scenario, const RunOptions& options);

/// Checks a parsed scenario against the world without running it (what `scenario validate`
/// does after parsing). Errors as run_scenario's checks.
[[nodiscard]] Status check_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace rootsim::scenarios
