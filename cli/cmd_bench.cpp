// rootsim bench resolver: in-process answers per second on one core (this thread), wire in to
// wire out, over a deterministic root-like query mix; optionally writes the mix for dnsperf.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/answer.hpp"
#include "rootsim/resolver/query_mix.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include "commands.hpp"
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <time.h>

namespace rootsim::cli {
namespace {

// CPU time of this thread: on a shared machine the wall clock counts other processes' turns.
double thread_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::vector<dns::Name> delegations(const dns::ZoneContent& zone) {
  std::set<dns::Name> cuts;
  const std::size_t depth = zone.origin.label_count() + 1;
  for (const dns::Record& r : zone.records) {
    if (r.type == dns::RRType::kNs && r.owner.label_count() == depth &&
        r.owner.is_subdomain_of(zone.origin)) {
      cuts.insert(r.owner);
    }
  }
  return {cuts.begin(), cuts.end()};
}

int bench_resolver(const GlobalOptions&, const std::vector<std::string>& args) {
  po::options_description options("bench resolver");
  std::string zone_file;
  std::string origin = ".";
  std::string dnsperf_file;
  double seconds = 2.0;
  bool json = false;
  resolver::MixOptions mix_options;
  options.add_options()("zone", po::value(&zone_file)->required(), "the zone master file")(
      "origin", po::value(&origin)->default_value("."), "its origin")(
      "seconds", po::value(&seconds)->default_value(2.0), "how long to measure")(
      "seed", po::value(&mix_options.seed)->default_value(1), "seed of the query mix")(
      "queries", po::value(&mix_options.count)->default_value(1 << 14),
      "distinct queries in the mix (answered round-robin)")(
      "do-percent", po::value(&mix_options.do_percent)->default_value(80),
      "queries with EDNS and DO")(
      "write-dnsperf", po::value(&dnsperf_file),
      "also write the mix as a dnsperf input file (name type per line)")(
      "json", po::bool_switch(&json), "one JSON object");
  int code = 0;
  if (!parse_args("rootsim bench resolver --zone FILE [--seconds S] [--json]", options, {}, args,
                  code)) {
    return code;
  }
  if (!(seconds > 0 && seconds <= 600) || mix_options.count == 0 ||
      mix_options.do_percent + mix_options.no_edns_percent > 100) {
    return report(Error{Errc::kParse,
                        "--seconds must be in (0, 600], --queries above 0, --do-percent <= 90"});
  }
  auto name = dns::Name::from_text(origin);
  if (!name) {
    return report(Error{Errc::kParse, "--origin: " + name.error().message});
  }
  auto zone = dns::parse_zone_file(zone_file, *name);
  if (!zone) {
    return report(zone.error());
  }
  resolver::SnapshotOptions snapshot_options;
  snapshot_options.instance_name = "bench";
  auto snapshot = resolver::build_snapshot(*zone, snapshot_options);
  if (!snapshot) {
    return report(snapshot.error());
  }
  const auto tlds = delegations(*zone);
  if (tlds.empty()) {
    return report(Error{Errc::kSemantic, zone_file + ": no delegations to query"});
  }
  const auto mix = resolver::make_query_mix(tlds, mix_options);
  if (!dnsperf_file.empty()) {
    std::ofstream out(dnsperf_file);
    for (const resolver::MixQuery& q : mix) {
      out << resolver::to_dnsperf_line(q) << "\n";
    }
    if (!out.flush()) {
      return report(Error{Errc::kIo, dnsperf_file + ": cannot write"});
    }
  }
  std::vector<dns::Bytes> wire;
  wire.reserve(mix.size());
  for (std::size_t i = 0; i < mix.size(); ++i) {
    wire.push_back(resolver::to_wire(mix[i], static_cast<std::uint16_t>(i)));
  }
  std::vector<std::uint8_t> out(resolver::kMaxResponseSize);
  const resolver::ZoneSnapshot& snap = **snapshot;
  std::uint64_t response_bytes = 0;
  std::uint64_t answered = 0;
  for (const dns::Bytes& q : wire) {  // warm-up pass; also the response-size figure
    const auto r = resolver::answer(snap, q, out);
    response_bytes += r.size;
    answered += r.size > 0 ? 1 : 0;
  }
  const double average_bytes =
      answered == 0 ? 0.0 : static_cast<double>(response_bytes) / static_cast<double>(answered);
  using Clock = std::chrono::steady_clock;
  const auto budget = std::chrono::duration<double>(seconds);
  std::uint64_t answers = 0;
  std::uint64_t sink = 0;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  auto elapsed = Clock::duration::zero();
  std::size_t next = 0;
  do {
    for (int i = 0; i < 4096; ++i) {
      const auto r = resolver::answer(snap, wire[next], out);
      sink += r.size;
      answers += r.size > 0 ? 1 : 0;
      next = next + 1 == wire.size() ? 0 : next + 1;
    }
    elapsed = Clock::now() - start;
  } while (elapsed < budget);
  const double wall = std::chrono::duration<double>(elapsed).count();
  // Per core: answers over the CPU time this thread got (equal to the wall time when the
  // machine is otherwise idle).
  const double secs = thread_cpu_seconds() - cpu_start;
  const double per_second = static_cast<double>(answers) / secs;
  const double ns_per_answer = secs * 1e9 / static_cast<double>(answers);
  if (sink == 0) {
    return report(Error{Errc::kSemantic, "no query was answered"});
  }
  if (json) {
    std::cout << nlohmann::json{{"answers_per_second", per_second},
                                {"ns_per_answer", ns_per_answer},
                                {"answers", answers},
                                {"cpu_seconds", secs},
                                {"wall_seconds", wall},
                                {"threads", 1},
                                {"mix", resolver::describe(mix_options)},
                                {"average_response_bytes", average_bytes},
                                {"zone", zone_file},
                                {"serial", snap.serial()},
                                {"delegations", tlds.size()}}
                     .dump()
              << "\n";
  } else {
    std::cout << "zone:               " << zone_file << " (serial " << snap.serial() << ", "
              << tlds.size() << " delegations)\n"
              << "mix:                " << resolver::describe(mix_options) << "\n"
              << "answers:            " << answers << " in " << secs << " s of CPU (" << wall
              << " s wall), one thread\n"
              << "answers_per_second: " << static_cast<std::uint64_t>(per_second) << "\n"
              << "ns_per_answer:      " << ns_per_answer << "\n"
              << "response bytes:     " << average_bytes << " on average\n";
  }
  return kExitOk;
}

}  // namespace

int run_bench(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("bench",
                  {{"resolver", "in-process answers per second on one core", bench_resolver}},
                  global, args);
}

}  // namespace rootsim::cli
