// Writing a run's results: summary.json (headline metrics per arrangement with 95% confidence
// intervals over replications), events.jsonl, resolution.csv and results.db (SQLite: metric
// definitions, per-replication values, lead times, resolution time series), and the summary
// table printed at the end of `rootsim run`. Output is byte-identical for identical results.
// Thread-safety: pure functions plus file writes to the caller's folder.
#pragma once

#include <filesystem>
#include <string>

#include "rootsim/dns/result.hpp"
#include "rootsim/scenarios/results.hpp"
#include "rootsim/scenarios/scenario.hpp"

namespace rootsim::scenarios {

/// A mean with its 95% confidence interval (Student's t over replications); with one
/// replication ci95 is {mean, mean} and `single` is true.
struct Estimate {
  double mean = 0;
  double lo = 0;
  double hi = 0;
  bool single = true;
};
[[nodiscard]] Estimate estimate(const std::vector<double>& samples);

/// summary.json's text (sorted keys, 2-space indent, trailing newline).
[[nodiscard]] std::string summary_json(const RunResults& results, const Scenario& scenario);
/// One row per arrangement: the headline metrics as mean [lo, hi].
[[nodiscard]] std::string summary_table(const RunResults& results);

/// Writes summary.json, events.jsonl, resolution.csv and results.db into `out_dir` (created if
/// needed) so that a reader never sees a half-written set: everything goes to a fresh sibling
/// folder first, which then replaces `out_dir`'s files by rename; on failure nothing of the
/// new run is left. Errors: kIo naming the file.
[[nodiscard]] Status write_results(const RunResults& results, const Scenario& scenario,
                                   const std::filesystem::path& out_dir);

}  // namespace rootsim::scenarios
