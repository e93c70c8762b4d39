// Reading a results folder (what `rootsim run --out` writes) back into values, turning it into
// a self-contained HTML report (Chart.js and the data embedded, no network requests), and
// comparing two results folders metric by metric with their 95% confidence intervals.
// Thread-safety: pure functions plus file reads (and one file write in write_report).
// Ownership: every result is a value owning its data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rootsim/dns/result.hpp"
#include "rootsim/scenarios/output.hpp"

namespace rootsim::scenarios {

/// A metric's key, unit and definition as summary.json's "metrics" lists them.
struct MetricInfo {
  std::string key;
  std::string unit;
  std::string definition;
};

/// One arrangement's results, as read back.
struct ArrangementResults {
  std::string name;
  std::string source;  ///< a built-in's name or the arrangement file as the scenario names it
  /// summary.json's flat metrics (grouped lead_time_days/resolution are left out: their flat
  /// twins are there), sorted by key; a plain number becomes a `single` Estimate, a null NaN.
  std::vector<std::pair<std::string, Estimate>> metrics;
  /// Decision steps per replication (mean) by party: "group:...", "region:...", ...
  std::vector<std::pair<std::string, double>> participation;
  /// Request -> publication in days, one vector per replication (results.db lead_times).
  std::vector<std::vector<double>> lead_times_days;

  /// The metric named `key`, or nullptr. O(log n).
  [[nodiscard]] const Estimate* metric(std::string_view key) const;
};

/// Stub query outcomes of one region over one day of one replication (results.db resolution).
struct ResolutionRow {
  std::uint32_t arrangement = 0;  ///< index into ResultsFolder::arrangements
  std::uint32_t replication = 0;
  std::uint32_t day = 0;
  std::uint32_t region = 0;  ///< index into ResultsFolder::regions
  std::uint64_t correct = 0;
  std::uint64_t wrong = 0;
  std::uint64_t failed = 0;
};

/// Governance activity of one arrangement per simulated day, summed over replications.
struct DailyActivity {
  std::vector<std::uint64_t> requests;
  std::vector<std::uint64_t> decisions;
  std::vector<std::uint64_t> publications;
};

/// A scenario event (any events.jsonl type other than request, decision and publication:
/// revoke, instance-outage, request-refused, ...), merged over the replications it occurred in.
struct MarkedEvent {
  std::uint32_t arrangement = 0;  ///< index into ResultsFolder::arrangements
  double day = 0;
  std::string type;
  std::string detail;  ///< the TLD, letter, region or error it names, if any
  std::uint32_t replications = 0;
  /// Declared in the scenario ("event": "/events/N", or a request it made): marked on the
  /// timeline; the rest (change-failed, rollover steps, ...) are only listed.
  bool scenario = false;
};

/// A results folder read back.
struct ResultsFolder {
  std::filesystem::path dir;
  std::string scenario;
  std::string description;
  std::string question;
  std::string look_at;  ///< narrative, "" when summary.json has none
  std::string discuss;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  double duration_days = 0;
  std::vector<MetricInfo> metrics;                ///< sorted by key
  std::vector<ArrangementResults> arrangements;   ///< in the order run (results.db runs)
  std::vector<std::string> regions;               ///< sorted
  std::vector<ResolutionRow> resolution;          ///< empty when read_summary
  std::vector<DailyActivity> activity;            ///< index = arrangement; empty when read_summary
  std::vector<MarkedEvent> events;                ///< by arrangement, then day

  /// The MetricInfo for `key`, or nullptr.
  [[nodiscard]] const MetricInfo* metric_info(std::string_view key) const;
};

/// Reads summary.json only (what compare needs). Errors: kIo "DIR/summary.json: cannot read",
/// kParse naming the file and the JSON pointer of what is missing or malformed.
[[nodiscard]] Result<ResultsFolder> read_summary(const std::filesystem::path& dir);

/// Reads summary.json, results.db (runs, lead_times, resolution) and events.jsonl. Errors as
/// read_summary, plus kIo/kParse naming results.db or "events.jsonl:LINE".
/// Linear in the size of the files.
[[nodiscard]] Result<ResultsFolder> read_results(const std::filesystem::path& dir);

struct ReportOptions {
  /// The project's data/ folder: governance_actors.json for the structural table.
  std::filesystem::path data_dir;
  /// Chart.js (UMD build), embedded into the page. Debian's libjs-chart.js ships it here.
  std::filesystem::path chart_js = "/usr/share/javascript/chart.js/chart.min.js";
};

/// The report's chart specifications as JSON text ({"scenario", "replications", "charts":
/// [{id, section, type, title, caption, x, y, series, ...}]}), which the page's script draws.
/// Deterministic.
[[nodiscard]] std::string report_data_json(const ResultsFolder& results);

/// The report as one HTML page: Chart.js and the data embedded, no network requests; it sets
/// `#render-status` (data-charts-ok, data-charts-total, data-errors) once every chart drew.
/// Errors: kIo naming options.chart_js when it cannot be read (install libjs-chart.js); those
/// of loading the arrangements and actors for the structural table.
[[nodiscard]] Result<std::string> report_html(const ResultsFolder& results,
                                              const ReportOptions& options);

/// read_results(results_dir), report_html, then writes `file`. Errors: theirs, kIo naming file.
[[nodiscard]] Status write_report(const std::filesystem::path& results_dir,
                                  const std::filesystem::path& file, const ReportOptions& options);

/// The report of a merged sweep folder (`rootsim merge` output, with sweep-summary.json): writes
/// every point's report (points/NNNNN/report.html) and, to `out`, an index page with the
/// headline metrics across the points as charts and a table linking each point's report.
/// Errors: kIo/kParse naming the file.
[[nodiscard]] Status write_sweep_report(const std::filesystem::path& sweep_dir,
                                        const std::filesystem::path& out,
                                        const ReportOptions& options);

/// One metric of one arrangement in two results folders.
struct MetricComparison {
  std::string arrangement;
  std::string metric;
  std::string unit;
  Estimate a;
  Estimate b;
  double difference = 0;  ///< b.mean - a.mean
  bool ci_overlap = true; ///< the two 95% intervals share a point (no clear difference)
};

struct Comparison {
  std::filesystem::path a_dir;
  std::filesystem::path b_dir;
  std::string a_scenario;
  std::string b_scenario;
  std::vector<MetricComparison> rows;  ///< arrangements in A's order, metrics sorted
  std::vector<std::string> only_in_a;  ///< arrangements B lacks
  std::vector<std::string> only_in_b;
};

/// Compares every metric of every arrangement the two folders share. O(arrangements x metrics).
[[nodiscard]] Comparison compare(const ResultsFolder& a, const ResultsFolder& b);
/// A fixed-width table: arrangement, metric, A, B, B-A, and "overlap"/"DIFFERENT".
[[nodiscard]] std::string comparison_table(const Comparison& comparison);
/// {"a": {dir, scenario}, "b": {...}, "rows": [{arrangement, metric, unit, a: {mean, ci95},
/// b: {...}, difference, ci_overlap}], "only_in_a": [...], "only_in_b": [...]}, sorted keys.
[[nodiscard]] std::string comparison_json(const Comparison& comparison);

}  // namespace rootsim::scenarios
