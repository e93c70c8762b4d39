// Governance decisions per second: routine NS updates through `multistakeholder` (the issue's
// target is >= 1 million a second on one core, traces included), the same under the other
// built-ins, and the cost of taking a request's facts from the registry (plan, apply, checks).
#include "rootsim/dns/random.hpp"
#include "rootsim/policy/engine.hpp"
#include "rootsim/registry/zone_io.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>

namespace {

using namespace rootsim;
using namespace rootsim::policy;

const ActorDirectory& directory() {
  static const ActorDirectory kDirectory = [] {
    ActorSources sources;
    sources.actors_data = ROOTSIM_ACTORS_DATA;
    auto d = ActorDirectory::load(sources);
    if (!d) {
      std::abort();
    }
    return std::move(*d);
  }();
  return kDirectory;
}

const Arrangement& arrangement(const std::string& name) {
  static std::map<std::string, Arrangement> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto a = load_arrangement(name, builtin_primitives(), directory());
    if (!a) {
      std::abort();
    }
    it = cache.emplace(name, std::move(*a)).first;
  }
  return it->second;
}

RequestFacts routine_ns_update() {
  RequestFacts f;
  f.kind = RequestKind::kNsUpdate;
  f.tld_class = TldClass::kCountryCode;
  f.tld = "cz";
  f.country = "CZ";
  f.tld_government = directory().government("CZ");
  f.requester = "manager:cz";
  f.requester_ref = {ActorRef::Kind::kTldManager, 0};
  f.requester_country = "CZ";
  return f;
}

void decide_loop(benchmark::State& state, const std::string& name, const RequestFacts& f) {
  const Circumstances none;
  Evaluator engine(arrangement(name), directory(), none);
  auto rng = make_stream(7, "bench");
  std::int64_t i = 0;
  std::size_t published = 0;
  for (auto _ : state) {
    const Trace& t = engine.decide(f, dns::SimTime(i++ * 1'000'000), rng);
    published += t.outcome == FinalOutcome::kPublished ? 1 : 0;
    benchmark::DoNotOptimize(t.steps.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["published_share"] =
      static_cast<double>(published) / static_cast<double>(std::max<std::int64_t>(i, 1));
}

void BM_Evaluator_RoutineNsUpdate_Multistakeholder(benchmark::State& state) {
  decide_loop(state, "multistakeholder", routine_ns_update());
}
BENCHMARK(BM_Evaluator_RoutineNsUpdate_Multistakeholder);

void BM_Evaluator_RoutineNsUpdate_UnilateralOversight(benchmark::State& state) {
  decide_loop(state, "unilateral-oversight", routine_ns_update());
}
BENCHMARK(BM_Evaluator_RoutineNsUpdate_UnilateralOversight);

void BM_Evaluator_PlenaryVote_Intergovernmental(benchmark::State& state) {
  decide_loop(state, "intergovernmental", routine_ns_update());  // 249 governments vote
}
BENCHMARK(BM_Evaluator_PlenaryVote_Intergovernmental);

void BM_Evaluator_TraceToJson(benchmark::State& state) {
  const Circumstances none;
  Evaluator engine(arrangement("multistakeholder"), directory(), none);
  auto rng = make_stream(7, "bench");
  const RequestFacts f = routine_ns_update();
  const Trace t = engine.decide(f, dns::SimTime{0}, rng);
  for (auto _ : state) {
    benchmark::DoNotOptimize(trace_to_json(t, arrangement("multistakeholder"), f, directory()));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Evaluator_TraceToJson);

// Taking the facts of a real NS update from the real root zone's registry (plan_change,
// apply_mutation of ~1,450 TLDs, technical checks): what the engine's caller pays once per request.
void BM_Assess_NsUpdateOnRealRoot(benchmark::State& state) {
  const std::filesystem::path zone = std::filesystem::path(ROOTSIM_SHARED_DATA_DIR) / "root.zone";
  if (!std::filesystem::exists(zone)) {
    state.SkipWithError("no ../shared/data/root.zone");
    return;
  }
  auto content = dns::parse_zone_file(zone, dns::Name());
  auto classifier = registry::TldClassifier::load();
  if (!content || !classifier) {
    state.SkipWithError("cannot read the root zone or the classifier's data");
    return;
  }
  auto imported = registry::import_zone(*content, *classifier, 0);
  if (!imported) {
    state.SkipWithError(imported.error().message.c_str());
    return;
  }
  auto request = registry::parse_change_request(
      R"({"type":"ns-update","tld":"cz","requester":"manager:cz",
          "ns":["a.ns.nic.cz","b.ns.nic.cz","d.ns.nic.cz"]})");
  if (!request) {
    state.SkipWithError(request.error().message.c_str());
    return;
  }
  const Circumstances none;
  for (auto _ : state) {
    auto facts = assess(*request, *imported, directory(), none);
    benchmark::DoNotOptimize(facts);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Assess_NsUpdateOnRealRoot)->Unit(benchmark::kMicrosecond);

}  // namespace
