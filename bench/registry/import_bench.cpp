// Zone parsing, import and registry creation on the real root zone.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/registry_store.hpp"
#include "rootsim/registry/tld_classifier.hpp"
#include "rootsim/registry/zone_io.hpp"

namespace {

const std::filesystem::path kRootZone = std::filesystem::path(ROOTSIM_SHARED_DATA_DIR) / "root.zone";

void BM_ZoneFile_ParseRealRoot(benchmark::State& state) {
  for (auto _ : state) {
    auto zone = rootsim::dns::parse_zone_file(kRootZone, rootsim::dns::Name());
    benchmark::DoNotOptimize(zone);
  }
}
BENCHMARK(BM_ZoneFile_ParseRealRoot)->Unit(benchmark::kMillisecond);

void BM_ZoneIo_ImportRealRoot(benchmark::State& state) {
  auto zone = rootsim::dns::parse_zone_file(kRootZone, rootsim::dns::Name());
  auto classifier = rootsim::registry::TldClassifier::load();
  for (auto _ : state) {
    auto imported = rootsim::registry::import_zone(*zone, *classifier, 0);
    benchmark::DoNotOptimize(imported);
  }
}
BENCHMARK(BM_ZoneIo_ImportRealRoot)->Unit(benchmark::kMillisecond);

void BM_ZoneIo_BuildUnsignedZone(benchmark::State& state) {
  auto zone = rootsim::dns::parse_zone_file(kRootZone, rootsim::dns::Name());
  auto classifier = rootsim::registry::TldClassifier::load();
  auto imported = rootsim::registry::import_zone(*zone, *classifier, 0);
  for (auto _ : state) {
    auto records = rootsim::registry::build_unsigned_zone(*imported);
    benchmark::DoNotOptimize(records);
  }
}
BENCHMARK(BM_ZoneIo_BuildUnsignedZone)->Unit(benchmark::kMillisecond);

// The whole of `init --from-zone` but the process start: parse, classify, import, SQLite.
void BM_RegistryStore_InitFromRealRoot(benchmark::State& state) {
  const auto db = std::filesystem::temp_directory_path() /
                  ("rootsim_bench_" + std::to_string(getpid()) + ".db");
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db.string() + suffix);
    }
    state.ResumeTiming();
    auto zone = rootsim::dns::parse_zone_file(kRootZone, rootsim::dns::Name());
    auto classifier = rootsim::registry::TldClassifier::load();
    auto imported = rootsim::registry::import_zone(*zone, *classifier, 0);
    auto store = rootsim::registry::RegistryStore::open(
        db, rootsim::registry::RegistryStore::Mode::kCreate);
    auto status = store->initialise(*imported, {imported->serial(), 0, "", {}},
                                    {0, "bench", "init", "zone", "{}"});
    benchmark::DoNotOptimize(status);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db.string() + suffix);
  }
}
BENCHMARK(BM_RegistryStore_InitFromRealRoot)->Unit(benchmark::kMillisecond);

}  // namespace
