// Simulation throughput: baseline-2025 (scenarios/library) shortened to 30 days, one arrangement,
// one replication, one thread. Reports simulation events, core lookups and stub queries per
// second of wall time, the same rates `rootsim run` prints at the end (which also count loading
// the world: actors, baseline zone, instance table, keys). See bench/scenarios/README.md.
#include "rootsim/scenarios/results.hpp"
#include "rootsim/scenarios/runner.hpp"
#include "rootsim/scenarios/scenario.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace rootsim;
using namespace rootsim::scenarios;

const Scenario& baseline_30_days() {
  static const Scenario kScenario = [] {
    auto s = load_scenario(library_dir() / "baseline-2025.json");
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message.c_str());
      std::abort();
    }
    s->duration = dns::kSimDay * 30;
    return std::move(*s);
  }();
  return kScenario;
}

double metric(const ReplicationResult& r, Metric m) { return r.values[static_cast<std::size_t>(m)]; }

void BM_Baseline30Days(benchmark::State& state, const std::string& arrangement) {
  const Scenario& scenario = baseline_30_days();
  RunOptions options;
  options.arrangements = {arrangement};
  options.replications = 1;
  options.data_dir = ROOTSIM_PROJECT_DATA_DIR;
  options.threads = 1;
  double events = 0;
  double lookups = 0;
  double queries = 0;
  for (auto _ : state) {
    auto results = run_scenario(scenario, options);
    if (!results || results->replications.size() != 1) {
      static std::string message;
      message = results ? "expected one replication" : results.error().message;
      state.SkipWithError(message.c_str());
      return;
    }
    const ReplicationResult& r = results->replications.front();
    events += metric(r, Metric::kEvents);
    lookups += metric(r, Metric::kCoreLookups);
    queries += metric(r, Metric::kStubQueries);
    benchmark::DoNotOptimize(r.values.data());
  }
  // kIsRate divides the totals by the measured seconds (real time, see UseRealTime below).
  state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["core_lookups/s"] = benchmark::Counter(lookups, benchmark::Counter::kIsRate);
  state.counters["stub_queries/s"] = benchmark::Counter(queries, benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Baseline30Days, multistakeholder, std::string("multistakeholder"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
