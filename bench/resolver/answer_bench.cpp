// In-process answer speed (wire in to wire out, one core) on the real root zone and on a
// synthetic root of up to a million TLDs, and the time and memory to build that snapshot.
// Query mix like the root's: half existing TLDs with mixed types, half junk names, DO on 80%.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/answer.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using rootsim::dns::Bytes;
using rootsim::dns::Name;
using rootsim::dns::Record;
using rootsim::dns::RRType;
using rootsim::resolver::ZoneSnapshot;

constexpr std::size_t kQueryCount = 1 << 14;

Bytes make_query(const Bytes& qname_wire, std::uint16_t qtype, int edns_mode, std::uint16_t id) {
  Bytes q = {static_cast<std::uint8_t>(id >> 8),
             static_cast<std::uint8_t>(id),
             0,
             0,
             0,
             1,
             0,
             0,
             0,
             0,
             0,
             static_cast<std::uint8_t>(edns_mode > 0 ? 1 : 0)};
  for (const std::uint8_t b : qname_wire) {
    q.push_back(b);
  }
  rootsim::dns::put_u16(q, qtype);
  rootsim::dns::put_u16(q, 1);
  if (edns_mode > 0) {
    q.push_back(0);
    rootsim::dns::put_u16(q, 41);
    rootsim::dns::put_u16(q, 1232);
    rootsim::dns::put_u32(q, edns_mode == 2 ? 0x8000U : 0U);
    rootsim::dns::put_u16(q, 0);
  }
  return q;
}

Bytes label_wire(const std::string& label) {
  Bytes w;
  w.reserve(label.size() + 2);
  w.push_back(static_cast<std::uint8_t>(label.size()));
  for (const char c : label) {
    w.push_back(static_cast<std::uint8_t>(c));
  }
  w.push_back(0);
  return w;
}

/// Half existing TLDs (mixed types), half junk names; DO on 80%, EDNS without DO 10%, none 10%.
std::vector<Bytes> root_like_mix(const std::vector<std::string>& tlds, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  constexpr std::uint16_t kTypes[] = {2, 43, 1, 28, 6, 48, 15, 16};
  std::vector<Bytes> queries;
  for (std::size_t i = 0; i < kQueryCount; ++i) {
    Bytes qname;
    if (i % 2 == 0) {
      qname = label_wire(tlds[rng() % tlds.size()]);
    } else {
      std::string junk;
      const std::size_t len = 5 + rng() % 11;
      for (std::size_t k = 0; k < len; ++k) {
        junk.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rng() % 36]);
      }
      qname = label_wire(junk);
      if (rng() % 4 == 0) {
        Bytes www = {3, 'w', 'w', 'w'};
        for (const std::uint8_t b : qname) {
          www.push_back(b);
        }
        qname = std::move(www);
      }
    }
    const std::uint64_t r = rng() % 10;
    const int edns = r < 8 ? 2 : (r < 9 ? 1 : 0);
    queries.push_back(make_query(qname, kTypes[rng() % 8], edns, static_cast<std::uint16_t>(i)));
  }
  return queries;
}

void run_mix(benchmark::State& state, const ZoneSnapshot& snap, const std::vector<Bytes>& mix) {
  std::vector<std::uint8_t> out(rootsim::resolver::kMaxResponseSize);
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto result = rootsim::resolver::answer(snap, mix[i & (kQueryCount - 1)], out);
    benchmark::DoNotOptimize(result);
    bytes += result.size;
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_answer"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}

/// As run_mix, but the way a server answering a batch can: prefetch_answer() for the queries
/// a few places ahead, one stage per distance, so that their misses overlap this answer.
void run_mix_prefetched(benchmark::State& state, const ZoneSnapshot& snap,
                        const std::vector<Bytes>& mix) {
  using rootsim::resolver::PrefetchStage;
  constexpr std::size_t kDistance = 4;  // queries between stages
  std::vector<std::uint8_t> out(rootsim::resolver::kMaxResponseSize);
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    rootsim::resolver::prefetch_answer(snap, mix[(i + 3 * kDistance) & (kQueryCount - 1)],
                                       PrefetchStage::kIndex);
    rootsim::resolver::prefetch_answer(snap, mix[(i + 2 * kDistance) & (kQueryCount - 1)],
                                       PrefetchStage::kRecord);
    rootsim::resolver::prefetch_answer(snap, mix[(i + kDistance) & (kQueryCount - 1)],
                                       PrefetchStage::kPieces);
    const auto result = rootsim::resolver::answer(snap, mix[i & (kQueryCount - 1)], out);
    benchmark::DoNotOptimize(result);
    bytes += result.size;
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_answer"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}

struct RealRoot {
  std::shared_ptr<const ZoneSnapshot> snapshot;
  std::vector<Bytes> mix;
};

const RealRoot* real_root() {
  static const std::unique_ptr<RealRoot> root = [] {
    const std::filesystem::path file = std::filesystem::path(ROOTSIM_SHARED_DATA_DIR) / "root.zone";
    auto zone = rootsim::dns::parse_zone_file(file, Name());
    if (!zone) {
      return std::unique_ptr<RealRoot>();
    }
    auto snap = rootsim::resolver::build_snapshot(*zone, {});
    if (!snap) {
      return std::unique_ptr<RealRoot>();
    }
    std::vector<std::string> tlds;
    for (const Record& r : zone->records) {
      if (r.type == RRType::kNs && r.owner.label_count() == 1) {
        tlds.push_back(r.owner.first_label());
      }
    }
    auto out = std::make_unique<RealRoot>();
    out->snapshot = *snap;
    out->mix = root_like_mix(tlds, 1);
    return out;
  }();
  return root.get();
}

void BM_Answer_RealRootMix(benchmark::State& state) {
  const RealRoot* root = real_root();
  if (root == nullptr) {
    state.SkipWithError("no ../shared/data/root.zone");
    return;
  }
  run_mix(state, *root->snapshot, root->mix);
}
BENCHMARK(BM_Answer_RealRootMix);

void BM_Answer_RealRootMixPrefetched(benchmark::State& state) {
  const RealRoot* root = real_root();
  if (root == nullptr) {
    state.SkipWithError("no ../shared/data/root.zone");
    return;
  }
  run_mix_prefetched(state, *root->snapshot, root->mix);
}
BENCHMARK(BM_Answer_RealRootMixPrefetched);

// ---- a new version of the real root: a fresh build against a patch of the one before ----

// What a publication of the scenario engine compiles: the real root, without transfer data,
// whose next version differs by one TLD's DS (and the SOA serial).
struct RootVersions {
  rootsim::dns::ZoneContent zone;       // canonical order; changed in place
  std::vector<std::size_t> ds_records;  // indices of DS records, one changed per version
  std::size_t soa = 0;                  // index of the SOA record
};

RootVersions* root_versions() {
  static const std::unique_ptr<RootVersions> root = [] {
    const std::filesystem::path file = std::filesystem::path(ROOTSIM_SHARED_DATA_DIR) / "root.zone";
    auto zone = rootsim::dns::parse_zone_file(file, Name());
    if (!zone) {
      return std::unique_ptr<RootVersions>();
    }
    rootsim::dns::sort_canonical(zone->records);
    auto out = std::make_unique<RootVersions>();
    out->zone = std::move(*zone);
    for (std::size_t i = 0; i < out->zone.records.size(); ++i) {
      const Record& r = out->zone.records[i];
      if (r.type == RRType::kDs) {
        out->ds_records.push_back(i);
      } else if (r.type == RRType::kSoa) {
        out->soa = i;
      }
    }
    return out;
  }();
  return root.get();
}

// The next version: one DS record's last digest octet and the SOA serial's low octet change.
// Returns the changed names (the TLD and the apex), as ZoneSigner::zone() reports them.
std::vector<Name> next_version(RootVersions& v, std::size_t step) {
  Record& ds = v.zone.records[v.ds_records[step % v.ds_records.size()]];
  ds.rdata.back() = static_cast<std::uint8_t>(ds.rdata.back() + 1);
  Record& soa = v.zone.records[v.soa];
  soa.rdata[soa.rdata.size() - 17] =
      static_cast<std::uint8_t>(soa.rdata[soa.rdata.size() - 17] + 1);
  return {Name(), ds.owner};
}

rootsim::resolver::SnapshotOptions publication_options() {
  rootsim::resolver::SnapshotOptions o;
  o.keep_transfer_data = false;  // as the scenario engine builds them
  o.memory = std::make_shared<rootsim::resolver::MappingPool>();
  return o;
}

void BM_ZoneSnapshot_RootVersionBuiltAfresh(benchmark::State& state) {
  RootVersions* v = root_versions();
  if (v == nullptr) {
    state.SkipWithError("no ../shared/data/root.zone");
    return;
  }
  const auto options = publication_options();
  std::shared_ptr<const ZoneSnapshot> current;
  std::size_t step = 0;
  for (auto _ : state) {
    (void)next_version(*v, step++);
    auto built = rootsim::resolver::build_snapshot(v->zone, options);
    if (!built) {
      state.SkipWithError(built.error().message.c_str());
      return;
    }
    current = *built;  // the version before goes, as a publisher releases it
  }
}
BENCHMARK(BM_ZoneSnapshot_RootVersionBuiltAfresh)->Unit(benchmark::kMicrosecond);

void BM_ZoneSnapshot_RootVersionPatched(benchmark::State& state) {
  RootVersions* v = root_versions();
  if (v == nullptr) {
    state.SkipWithError("no ../shared/data/root.zone");
    return;
  }
  auto built = rootsim::resolver::build_snapshot(v->zone, publication_options());
  if (!built) {
    state.SkipWithError(built.error().message.c_str());
    return;
  }
  std::shared_ptr<const ZoneSnapshot> current = *built;
  std::size_t step = 0;
  for (auto _ : state) {
    const std::vector<Name> changed = next_version(*v, step++);
    // Every few hundred versions the arena has doubled and the patch builds afresh: counted.
    auto patched = rootsim::resolver::patch_snapshot(*current, v->zone, changed);
    if (!patched) {
      state.SkipWithError(patched.error().message.c_str());
      return;
    }
    current = *patched;
  }
}
BENCHMARK(BM_ZoneSnapshot_RootVersionPatched)->Unit(benchmark::kMicrosecond);

// ---- a synthetic root of N TLDs ----

std::string tld_label(std::size_t i) {
  std::string s;
  std::size_t v = i + 26 * 26;  // at least three letters, like real TLDs
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('a' + v % 26));
    v /= 26;
  }
  return s;
}

Bytes fake_rrsig(RRType covered, std::uint8_t labels, std::mt19937_64& rng) {
  Bytes r;
  rootsim::dns::put_u16(r, rootsim::dns::to_number(covered));
  r.push_back(13);  // ECDSAP256SHA256: 64-octet signatures
  r.push_back(labels);
  rootsim::dns::put_u32(r, 86400);
  rootsim::dns::put_u32(r, 1900000000);
  rootsim::dns::put_u32(r, 1800000000);
  rootsim::dns::put_u16(r, 12345);
  r.push_back(0);  // signer "."
  for (int k = 0; k < 64; ++k) {
    r.push_back(static_cast<std::uint8_t>(rng()));
  }
  return r;
}

Bytes nsec_rdata(const std::string& next, bool has_ds) {
  Bytes r = next.empty() ? Bytes{0} : label_wire(next);
  // Window 0: NS(2), DS(43), RRSIG(46), NSEC(47).
  Bytes bitmap(6, 0);
  for (const int t : {2, 46, 47}) {
    bitmap[static_cast<std::size_t>(t / 8)] |= static_cast<std::uint8_t>(0x80 >> (t % 8));
  }
  if (has_ds) {
    bitmap[43 / 8] |= static_cast<std::uint8_t>(0x80 >> (43 % 8));
  }
  r.insert(r.end(), {0, 6});
  r.insert(r.end(), bitmap.begin(), bitmap.end());
  return r;
}

/// 1,000 provider TLDs with 4 glued name servers each; every TLD has 2-4 NS (80% at
/// providers, 20% in-domain with glue), half have a DS; all carry NSEC and RRSIGs.
rootsim::dns::ZoneContent synthetic_root(std::size_t tld_count, std::vector<std::string>& tlds) {
  std::mt19937_64 rng(tld_count);
  rootsim::dns::ZoneContent zone;
  auto name = [](const std::string& text) { return *Name::from_text(text); };
  auto add = [&](const Name& owner, RRType type, std::uint32_t ttl, Bytes rdata) {
    zone.records.push_back(Record{owner, type, rootsim::dns::RRClass::kIn, ttl, std::move(rdata)});
  };
  const Name apex;
  add(apex, RRType::kSoa, 86400,
      rootsim::dns::make_soa_rdata({name("a.root-servers.net."), name("nstld.verisign-grs.com."), 1,
                                    1800, 900, 604800, 86400}));
  add(apex, RRType::kRrsig, 86400, fake_rrsig(RRType::kSoa, 0, rng));
  for (char c = 'a'; c <= 'm'; ++c) {
    add(apex, RRType::kNs, 518400,
        rootsim::dns::make_name_rdata(name(std::string(1, c) + ".root-servers.net.")));
  }
  add(apex, RRType::kRrsig, 518400, fake_rrsig(RRType::kNs, 0, rng));
  add(apex, RRType::kDnskey, 172800, Bytes{1, 0, 3, 13, 1, 2, 3, 4});
  add(apex, RRType::kRrsig, 172800, fake_rrsig(RRType::kDnskey, 0, rng));

  std::vector<std::string> labels;
  constexpr std::size_t kProviders = 1000;
  for (std::size_t p = 0; p < kProviders; ++p) {
    labels.push_back("dnsprov-" + std::to_string(p));
  }
  for (std::size_t i = 0; i < tld_count; ++i) {
    labels.push_back(tld_label(i));
  }
  std::sort(labels.begin(), labels.end());
  add(apex, RRType::kNsec, 86400, nsec_rdata(labels.front(), false));
  add(apex, RRType::kRrsig, 86400, fake_rrsig(RRType::kNsec, 0, rng));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    const Name owner = name(label + ".");
    const bool provider = label.rfind("dnsprov-", 0) == 0;
    const bool in_domain = provider || rng() % 5 == 0;
    const std::size_t ns_count = provider ? 4 : 2 + rng() % 3;
    const std::size_t base = rng() % kProviders;
    for (std::size_t k = 0; k < ns_count; ++k) {
      const std::string host = in_domain ? "ns" + std::to_string(k + 1) + "." + label + "."
                                         : "ns" + std::to_string(k + 1) + ".dnsprov-" +
                                               std::to_string((base + k) % kProviders) + ".";
      add(owner, RRType::kNs, 172800, rootsim::dns::make_name_rdata(name(host)));
    }
    const bool has_ds = rng() % 2 == 0;
    if (has_ds) {
      Bytes ds = {0x30, 0x39, 13, 2};
      for (int k = 0; k < 32; ++k) {
        ds.push_back(static_cast<std::uint8_t>(rng()));
      }
      add(owner, RRType::kDs, 86400, ds);
      add(owner, RRType::kRrsig, 86400, fake_rrsig(RRType::kDs, 1, rng));
    }
    add(owner, RRType::kNsec, 86400,
        nsec_rdata(i + 1 < labels.size() ? labels[i + 1] : std::string(), has_ds));
    add(owner, RRType::kRrsig, 86400, fake_rrsig(RRType::kNsec, 1, rng));
    if (in_domain) {
      for (std::size_t k = 0; k < ns_count; ++k) {
        const Name host = name("ns" + std::to_string(k + 1) + "." + label + ".");
        add(host, RRType::kA, 172800,
            Bytes{192, 0, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)});
        Bytes v6(16, 0);
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[14] = static_cast<std::uint8_t>(i >> 8);
        v6[15] = static_cast<std::uint8_t>(k);
        add(host, RRType::kAaaa, 172800, v6);
      }
    }
    if (!provider) {
      tlds.push_back(label);
    }
  }
  return zone;
}

double rss_mib() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  std::size_t resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

struct Synthetic {
  std::shared_ptr<const ZoneSnapshot> snapshot;
  std::vector<Bytes> mix;
  double build_seconds = 0;
  double build_cpu_seconds = 0;  // the machine is shared: CPU time is the steadier figure
  double rss_delta_mib = 0;
};

const Synthetic& synthetic(std::size_t tld_count) {
  static std::map<std::size_t, std::unique_ptr<Synthetic>> cache;
  auto& entry = cache[tld_count];
  if (!entry) {
    entry = std::make_unique<Synthetic>();
    std::vector<std::string> tlds;
    auto zone = synthetic_root(tld_count, tlds);
    const double before = rss_mib();
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    auto snap = rootsim::resolver::build_snapshot(
        zone, {.instance_name = "", .edns_udp_size = 1232, .keep_transfer_data = true});
    entry->build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    entry->build_cpu_seconds =
        static_cast<double>(std::clock() - cpu_start) / static_cast<double>(CLOCKS_PER_SEC);
    entry->rss_delta_mib = rss_mib() - before;
    if (!snap) {
      std::fprintf(stderr, "synthetic build failed: %s\n", snap.error().message.c_str());
      std::abort();
    }
    entry->snapshot = *snap;
    entry->mix = root_like_mix(tlds, 2);
  }
  return *entry;
}

void BM_ZoneSnapshot_BuildSynthetic(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> tlds;
  const auto zone = synthetic_root(n, tlds);
  std::shared_ptr<const ZoneSnapshot> keep;  // freed after the timed loop
  for (auto _ : state) {
    auto snap = rootsim::resolver::build_snapshot(zone, {});
    if (!snap) {
      state.SkipWithError(snap.error().message.c_str());
      return;
    }
    keep = *snap;
  }
  state.counters["snapshot_MiB"] = static_cast<double>(keep->stats().bytes) / (1024.0 * 1024.0);
  state.counters["records"] = static_cast<double>(zone.records.size());
}
BENCHMARK(BM_ZoneSnapshot_BuildSynthetic)
    ->Arg(1 << 10)
    ->Arg(1000000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

void BM_Answer_SyntheticMix(benchmark::State& state) {
  const Synthetic& s = synthetic(static_cast<std::size_t>(state.range(0)));
  state.counters["build_s"] = s.build_seconds;
  state.counters["build_cpu_s"] = s.build_cpu_seconds;
  state.counters["build_rss_MiB"] = s.rss_delta_mib;
  state.counters["snapshot_MiB"] =
      static_cast<double>(s.snapshot->stats().bytes) / (1024.0 * 1024.0);
  run_mix(state, *s.snapshot, s.mix);
}
BENCHMARK(BM_Answer_SyntheticMix)->Arg(1 << 10)->Arg(1000000);

void BM_Answer_SyntheticMixPrefetched(benchmark::State& state) {
  const Synthetic& s = synthetic(static_cast<std::size_t>(state.range(0)));
  run_mix_prefetched(state, *s.snapshot, s.mix);
}
BENCHMARK(BM_Answer_SyntheticMixPrefetched)->Arg(1000000);

}  // namespace
