// rootsim run SCENARIO.json: runs every arrangement the scenario compares for its replications,
// prints the summary table (or summary.json with --json) and, with --out, writes the results.
// SIGINT/SIGTERM stop the workers; an interrupted run writes nothing.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <sstream>

#include "commands.hpp"
#include "rootsim/scenarios/output.hpp"
#include "rootsim/scenarios/report.hpp"
#include "rootsim/scenarios/runner.hpp"

namespace rootsim::cli {
namespace {

// Set by the signal handler; a lock-free atomic is async-signal-safe.
std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int /*signal*/) { g_cancel.store(true); }

/// Installs the handlers for the lifetime of the object and restores the old ones after. The
/// handler resets itself (SA_RESETHAND), so a second Ctrl-C kills the process outright.
class StopSignals {
 public:
  StopSignals() {
    g_cancel.store(false);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = static_cast<int>(SA_RESETHAND);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

/// `[#####.....] 42%` on stderr, redrawn in place at most every 100 ms (and at 100%).
class ProgressBar {
 public:
  void update(double fraction) {
    const int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100.0);
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (percent == percent_ || (percent < 100 && now - drawn_ < std::chrono::milliseconds(100))) {
      return;
    }
    percent_ = percent;
    drawn_ = now;
    const int filled = percent / 10;
    std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(10 - filled), '.').c_str(), percent);
    std::fflush(stderr);
  }
  /// Erases the bar if it was drawn.
  void clear() {
    std::lock_guard lock(mutex_);
    if (percent_ >= 0) {
      std::fprintf(stderr, "\r%*s\r", 20, "");
      std::fflush(stderr);
      percent_ = -1;
    }
  }

 private:
  std::mutex mutex_;
  int percent_ = -1;
  std::chrono::steady_clock::time_point drawn_{};
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

void print_metrics(std::ostream& out) {
  out << "metrics (summary.json, results.db):\n";
  for (const scenarios::MetricDefinition& d : scenarios::metric_definitions()) {
    out << "  " << d.key << " (" << d.unit << ")\n      " << d.definition << "\n";
  }
}

double metric_sum(const scenarios::RunResults& results, scenarios::Metric metric) {
  double sum = 0;
  for (const scenarios::ReplicationResult& r : results.replications) {
    sum += r.values[static_cast<std::size_t>(metric)];
  }
  return sum;
}

}  // namespace

int run_run(const GlobalOptions& global, const std::vector<std::string>& args) {
  static const std::string kUsage =
      "rootsim run SCENARIO.json [--arrangements a,b] [--replications N] [--seed S] [--out DIR]\n"
      "                   [--report] [--zone FILE] [--threads N] [--quiet] [--json]";
  po::options_description options("run");
  std::string file;
  std::string arrangements;
  std::string out_dir;
  std::string zone;
  std::uint32_t replications = 0;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  bool quiet = false;
  bool json = false;
  bool html_report = false;
  options.add_options()("scenario", po::value(&file)->required(), "the scenario (JSON)")(
      "arrangements", po::value(&arrangements), "comma-separated arrangements to run instead")(
      "replications", po::value(&replications), "replications per arrangement instead")(
      "seed", po::value(&seed), "the seed instead of the scenario's")(
      "out", po::value(&out_dir),
      "write summary.json, events.jsonl, resolution.csv, results.db here")(
      "report", po::bool_switch(&html_report), "with --out: also write OUT/report.html")(
      "zone", po::value(&zone), "a root zone file instead of the baseline")(
      "threads", po::value(&threads), "worker threads (default: the cores there are)")(
      "quiet", po::bool_switch(&quiet), "no progress bar")(
      "json", po::bool_switch(&json), "print summary.json instead of the table");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  int code = 0;
  const auto vm = parse_args(kUsage, options, positional, args, code);
  if (!vm) {
    if (code == kExitOk) {  // --help: the usage went out; the metrics follow
      print_metrics(std::cout);
    }
    return code;
  }
  if (html_report && out_dir.empty()) {
    std::cerr << "rootsim: --report needs --out DIR (the report is written as DIR/report.html)\n"
              << "usage: " << kUsage << "\n";
    return kExitBadInput;
  }
  if (vm->count("replications") != 0U && replications == 0) {
    std::cerr << "rootsim: --replications must be at least 1\n";
    return kExitBadInput;
  }

  auto scenario = scenarios::load_scenario(file);
  if (!scenario) {
    return report(scenario.error());
  }
  scenarios::RunOptions run_options;
  run_options.arrangements = split_commas(arrangements);
  if (vm->count("replications") != 0U) {
    run_options.replications = replications;
  }
  if (vm->count("seed") != 0U) {
    run_options.seed = seed;
  }
  run_options.zone = zone;
  run_options.data_dir = global.data_dir;
  run_options.threads = threads;
  run_options.cancel = &g_cancel;
  ProgressBar bar;
  if (!quiet && ::isatty(STDERR_FILENO) != 0) {
    run_options.progress = [&bar](double fraction) { bar.update(fraction); };
  }

  StopSignals stop_signals;
  auto results = scenarios::run_scenario(*scenario, run_options);
  bar.clear();
  if (g_cancel.load()) {
    std::cerr << "rootsim: interrupted; nothing was written\n";
    return 130;
  }
  if (!results) {
    return report(results.error());
  }
  // A failed write still prints the summary (the run itself is not lost), then reports.
  Status written;
  if (!out_dir.empty()) {
    written = scenarios::write_results(*results, *scenario, out_dir);
  }
  std::cout << (json ? scenarios::summary_json(*results, *scenario)
                     : scenarios::summary_table(*results));
  std::cout.flush();
  const double wall = results->wall_seconds;
  auto rate = [wall](double n) { return wall > 0 ? n / wall : 0.0; };
  char line[160];
  std::snprintf(line, sizeof line, "%zu replication%s in %.1f s; %.0f events/s; %.0f core lookups/s",
                results->replications.size(), results->replications.size() == 1 ? "" : "s", wall,
                rate(metric_sum(*results, scenarios::Metric::kEvents)),
                rate(metric_sum(*results, scenarios::Metric::kCoreLookups)));
  std::cerr << line << "\n";
  if (!written) {
    return report(written.error());
  }
  if (html_report) {
    scenarios::ReportOptions report_options;
    report_options.data_dir = global.data_dir;
    const std::filesystem::path page = std::filesystem::path(out_dir) / "report.html";
    if (auto made = scenarios::write_report(out_dir, page, report_options); !made) {
      return report(made.error());
    }
    std::cerr << "report: " << page.string() << "\n";
  }
  return kExitOk;
}

}  // namespace rootsim::cli
