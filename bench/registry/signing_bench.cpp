// Signing the real root zone: full signing (RSA-2048, P-256), parse+sign+write as the peers do,
// and incremental publication after one TLD's DS changes.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/zone_signer.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <sys/resource.h>

namespace rootsim::registry {
namespace {

constexpr std::int64_t kNow = 1785500000;  // fixed: results do not depend on the clock

std::filesystem::path root_zone() {
  return std::filesystem::path(ROOTSIM_SHARED_DATA_DIR) / "root.zone";
}

bool is_dnssec(const dns::Record& r) {
  return r.type == dns::RRType::kRrsig || r.type == dns::RRType::kNsec ||
         r.type == dns::RRType::kDnskey || r.type == dns::RRType::kZonemd;
}

const std::vector<dns::Record>* unsigned_root() {
  static const std::optional<std::vector<dns::Record>> records =
      []() -> std::optional<std::vector<dns::Record>> {
    auto zone = dns::parse_zone_file(root_zone(), dns::Name());
    if (!zone) {
      return std::nullopt;
    }
    std::erase_if(zone->records, is_dnssec);
    return zone->records;
  }();
  return records ? &*records : nullptr;
}

const std::vector<SigningKey>& keys(std::uint8_t algorithm) {
  static std::map<std::uint8_t, std::vector<SigningKey>> cache;
  auto& k = cache[algorithm];
  if (k.empty()) {
    const unsigned bits = algorithm == kAlgorithmRsaSha256 ? kDefaultRsaBits : kEcdsaP256Bits;
    k = {*generate_key(KeyRole::kKsk, algorithm, bits, kNow),
         *generate_key(KeyRole::kZsk, algorithm, bits, kNow)};
  }
  return k;
}

// User+system CPU seconds of the whole process (every signing thread), for the per-core bound.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

SigningPolicy policy() {
  SigningPolicy p;
  p.now = kNow;
  return p;
}

// Full signing from parsed unsigned records to the signed records in canonical order.
void BM_ZoneSigner_FullSign(benchmark::State& state) {
  const auto* records = unsigned_root();
  if (records == nullptr) {
    state.SkipWithError("no root.zone");
    return;
  }
  const auto algorithm = static_cast<std::uint8_t>(state.range(0));
  const auto& k = keys(algorithm);
  std::size_t signatures = 0;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<dns::Record> input = *records;  // sign_zone takes its input by value
    state.ResumeTiming();
    const double cpu_before = process_cpu_seconds();
    auto zone = sign_zone(std::move(input), k, policy());
    cpu += process_cpu_seconds() - cpu_before;
    if (!zone) {
      state.SkipWithError(zone.error().message.c_str());
      return;
    }
    signatures = zone->stats.signatures;
    benchmark::DoNotOptimize(zone->records.data());
    state.PauseTiming();
    SignedZone done = std::move(*zone);
    done = SignedZone{};  // freeing the output is the caller's business: not timed
    state.ResumeTiming();
  }
  state.counters["signatures"] = static_cast<double>(signatures);
  state.counters["cpu_ms"] = cpu * 1e3 / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(signatures));
}
BENCHMARK(BM_ZoneSigner_FullSign)
    ->Arg(kAlgorithmRsaSha256)
    ->Arg(kAlgorithmEcdsaP256Sha256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// What ldns-signzone and dnssec-signzone do: read the unsigned file, sign, write the file.
void BM_ZoneSigner_FileToFile(benchmark::State& state) {
  if (unsigned_root() == nullptr) {
    state.SkipWithError("no root.zone");
    return;
  }
  const auto dir = std::filesystem::temp_directory_path();
  const auto in = dir / "rootsim-bench-unsigned.zone";
  const auto out = dir / "rootsim-bench-signed.zone";
  if (!dns::write_file_atomically(in, dns::write_zone_text(*unsigned_root()))) {
    state.SkipWithError("cannot write the unsigned zone");
    return;
  }
  const auto& k = keys(static_cast<std::uint8_t>(state.range(0)));
  for (auto _ : state) {
    auto zone = dns::parse_zone_file(in, dns::Name());
    auto signed_zone = sign_zone(std::move(zone->records), k, policy());
    if (!signed_zone ||
        !dns::write_file_atomically(out, dns::write_zone_text(signed_zone->records))) {
      state.SkipWithError("signing failed");
      return;
    }
  }
  std::filesystem::remove(in);
  std::filesystem::remove(out);
}
BENCHMARK(BM_ZoneSigner_FileToFile)
    ->Arg(kAlgorithmRsaSha256)
    ->Arg(kAlgorithmEcdsaP256Sha256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One TLD's DS changes and the serial moves on: diff, re-sign DS + SOA + ZONEMD, new digest.
void BM_ZoneSigner_IncrementalDsChange(benchmark::State& state) {
  if (unsigned_root() == nullptr) {
    state.SkipWithError("no root.zone");
    return;
  }
  const auto& k = keys(static_cast<std::uint8_t>(state.range(0)));
  std::array<std::vector<dns::Record>, 2> versions = {*unsigned_root(), *unsigned_root()};
  for (auto& r : versions[1]) {
    if (r.type == dns::RRType::kDs && r.owner.to_text() == "cz.") {
      r.rdata.back() ^= 0xff;
    }
  }
  ZoneSigner signer;
  if (!signer.update(versions[0], k, policy())) {
    state.SkipWithError("initial signing failed");
    return;
  }
  std::size_t i = 0;
  std::size_t signatures = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++i;
    auto& next = versions[i % 2];
    for (auto& r : next) {
      if (r.type == dns::RRType::kSoa) {
        auto soa = *dns::read_soa_rdata(r.rdata);
        soa.serial = static_cast<std::uint32_t>(2026073102 + i);
        r.rdata = dns::make_soa_rdata(soa);
        break;
      }
    }
    std::vector<dns::Record> input = next;
    state.ResumeTiming();
    auto stats = signer.update(std::move(input), k, policy());
    if (!stats) {
      state.SkipWithError(stats.error().message.c_str());
      return;
    }
    signatures = stats->signatures;
  }
  state.counters["signatures"] = static_cast<double>(signatures);
}
BENCHMARK(BM_ZoneSigner_IncrementalDsChange)
    ->Arg(kAlgorithmRsaSha256)
    ->Arg(kAlgorithmEcdsaP256Sha256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same change through the API that is told which names changed (the apex for the SOA
// serial, and cz.): only those names' records are handed over.
void BM_ZoneSigner_IncrementalDsChangeNamed(benchmark::State& state) {
  if (unsigned_root() == nullptr) {
    state.SkipWithError("no root.zone");
    return;
  }
  const auto& k = keys(static_cast<std::uint8_t>(state.range(0)));
  const dns::Name cz = *dns::Name::from_text("cz.");
  const std::vector<dns::Name> changed = {dns::Name(), cz};
  ZoneSigner signer;
  if (!signer.update(*unsigned_root(), k, policy())) {
    state.SkipWithError("initial signing failed");
    return;
  }
  std::vector<dns::Record> base;  // the records at the apex and at cz.
  for (const auto& r : *unsigned_root()) {
    if (r.owner == dns::Name() || r.owner == cz) {
      base.push_back(r);
    }
  }
  std::size_t i = 0;
  std::size_t signatures = 0;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++i;
    std::vector<dns::Record> input = base;
    for (auto& r : input) {
      if (r.type == dns::RRType::kSoa) {
        auto soa = *dns::read_soa_rdata(r.rdata);
        soa.serial = static_cast<std::uint32_t>(2026073102 + i);
        r.rdata = dns::make_soa_rdata(soa);
      } else if (r.type == dns::RRType::kDs && i % 2 == 1) {
        r.rdata.back() ^= 0xff;
      }
    }
    state.ResumeTiming();
    const double cpu_before = process_cpu_seconds();
    auto stats = signer.update(std::move(input), changed, k, policy());
    cpu += process_cpu_seconds() - cpu_before;
    if (!stats) {
      state.SkipWithError(stats.error().message.c_str());
      return;
    }
    signatures = stats->signatures;
  }
  state.counters["signatures"] = static_cast<double>(signatures);
  state.counters["cpu_ms"] = cpu * 1e3 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ZoneSigner_IncrementalDsChangeNamed)
    ->Arg(kAlgorithmRsaSha256)
    ->Arg(kAlgorithmEcdsaP256Sha256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace rootsim::registry
