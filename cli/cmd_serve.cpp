// rootsim serve: answers DNS over UDP and TCP from a zone file or the registry's signed zone.
// SIGHUP reloads, SIGUSR1 prints the counters, SIGTERM/SIGINT stop cleanly (counters printed).
// With --db the registry's latest zone version is polled and swapped in when it changes.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/key_storage.hpp"
#include "rootsim/registry/zone_io.hpp"
#include "rootsim/registry/zone_signer.hpp"
#include "rootsim/resolver/server.hpp"
#include "rootsim/resolver/snapshot_slot.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include "commands.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <pthread.h>
#include <signal.h>

namespace rootsim::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct ServeConfig {
  std::optional<std::filesystem::path> zone_file;
  std::optional<std::filesystem::path> db;
  dns::Name origin;
  std::int64_t now = 0;
  resolver::SnapshotOptions snapshot;
};

struct Loaded {
  std::shared_ptr<const resolver::ZoneSnapshot> snapshot;
  std::string version;  ///< registry: "serial/digest" of the latest zone version
  std::string note;     ///< what was loaded, for the log
};

Result<std::string> latest_version(registry::RegistryStore& store) {
  auto versions = store.list_versions();
  if (!versions) {
    return fail(versions.error());
  }
  if (versions->empty()) {
    return fail(Errc::kNotFound, "the registry has no zone version yet");
  }
  const auto& last = versions->back();
  return std::to_string(last.serial) + "/" + last.digest;
}

// The registry's current zone, signed with its stored keys (none are generated).
Result<Loaded> load_registry(const ServeConfig& config) {
  auto store = registry::RegistryStore::open(*config.db, registry::RegistryStore::Mode::kExisting);
  if (!store) {
    return fail(store.error());
  }
  auto version = latest_version(*store);
  if (!version) {
    return fail(version.error());
  }
  auto state = store->load_state();
  if (!state) {
    return fail(state.error());
  }
  auto keys = registry::load_signing_keys(*store);
  if (!keys) {
    return fail(keys.error());
  }
  dns::ZoneContent zone{dns::Name(), registry::build_unsigned_zone(*state)};
  Loaded loaded;
  loaded.version = *version;
  if (keys->empty()) {
    loaded.note = "unsigned (the registry has no signing keys: 'zone sign' makes them)";
  } else {
    registry::SigningPolicy policy;
    policy.now = config.now;
    auto signed_zone = registry::sign_zone(std::move(zone.records), *keys, policy);
    if (!signed_zone) {
      return fail(signed_zone.error());
    }
    zone.records = std::move(signed_zone->records);
    loaded.note = "signed with the registry's " + std::to_string(keys->size()) + " keys";
  }
  dns::move_soa_first(zone.records);
  auto snapshot = resolver::build_snapshot(zone, config.snapshot);
  if (!snapshot) {
    return fail(snapshot.error());
  }
  loaded.snapshot = std::move(*snapshot);
  return loaded;
}

Result<Loaded> load(const ServeConfig& config) {
  if (config.db) {
    return load_registry(config);
  }
  auto zone = dns::parse_zone_file(*config.zone_file, config.origin);
  if (!zone) {
    return fail(zone.error());
  }
  auto snapshot = resolver::build_snapshot(*zone, config.snapshot);
  if (!snapshot) {
    return fail(snapshot.error(), config.zone_file->string() + ": ");
  }
  Loaded loaded;
  loaded.snapshot = std::move(*snapshot);
  loaded.note = config.zone_file->string();
  return loaded;
}

void log_loaded(const Loaded& loaded) {
  const auto stats = loaded.snapshot->stats();
  std::cerr << "rootsim serve: zone " << loaded.snapshot->origin().to_text() << " serial "
            << loaded.snapshot->serial() << " (" << stats.records << " records, "
            << stats.delegations << " delegations, "
            << (loaded.snapshot->is_signed() ? "signed" : "unsigned") << ") from " << loaded.note
            << "\n";
}

timespec to_timespec(Clock::duration d) {
  const auto ns = std::max<std::int64_t>(
      1000000, std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
  return timespec{static_cast<std::time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

}  // namespace

int run_serve(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("serve");
  std::string zone_file;
  std::string origin = ".";
  resolver::ServerOptions server_options;
  std::string port_file;
  std::string instance = "rootsim";
  unsigned stats_interval = 0;
  unsigned poll_interval = 2;
  unsigned idle_ms = 10000;
  std::uint16_t edns_size = 1232;
  bool no_transfer = false;
  unsigned coalesce_us = 0;
  options.add_options()("zone", po::value(&zone_file), "serve this master file")(
      "origin", po::value(&origin)->default_value("."), "the zone's origin (with --zone)")(
      "listen", po::value(&server_options.listen)->default_value("127.0.0.1:5300"),
      "ADDRESS:PORT for UDP and TCP; port 0 picks a free one")(
      "threads", po::value(&server_options.threads)->default_value(1), "worker threads")(
      "instance", po::value(&instance)->default_value("rootsim"),
      "answered to CH TXT hostname.bind. and id.server.")(
      "port-file", po::value(&port_file), "write the bound port here once listening")(
      "stats-interval", po::value(&stats_interval)->default_value(0),
      "print the counters every N seconds (0: only on SIGUSR1 and at exit)")(
      "poll-interval", po::value(&poll_interval)->default_value(2),
      "with --db: seconds between checks for a new zone version")(
      "max-tcp", po::value(&server_options.max_tcp_connections)->default_value(256),
      "open TCP connections at most")("tcp-idle-ms", po::value(&idle_ms)->default_value(10000),
                                      "close TCP connections idle this long")(
      "edns-size", po::value(&edns_size)->default_value(1232), "our EDNS UDP payload size")(
      "udp-coalesce-us", po::value(&coalesce_us)->default_value(0),
      "under load, pause this long between UDP receive batches (less CPU per query, up to "
      "this much more latency; 0: never)")(
      "no-transfer", po::bool_switch(&no_transfer), "refuse AXFR/IXFR");
  int code = 0;
  if (!parse_args("rootsim serve --zone FILE | rootsim --db FILE serve  [--listen ADDR:PORT]",
                  options, {}, args, code)) {
    return code;
  }
  ServeConfig config;
  config.now = global.now;
  config.snapshot.instance_name = instance;
  config.snapshot.edns_udp_size = std::max<std::uint16_t>(512, edns_size);
  if (zone_file.empty() == !global.db.has_value()) {
    return report(Error{Errc::kParse, "serve: give either --zone FILE or the global --db FILE"});
  }
  if (!zone_file.empty()) {
    config.zone_file = zone_file;
    auto name = dns::Name::from_text(origin);
    if (!name) {
      return report(Error{Errc::kParse, "--origin: " + name.error().message});
    }
    config.origin = *name;
  } else {
    config.db = *global.db;
  }
  server_options.tcp_idle_timeout = std::chrono::milliseconds(idle_ms);
  server_options.allow_transfer = !no_transfer;
  server_options.udp_coalesce = std::chrono::microseconds(coalesce_us);

  auto loaded = load(config);
  if (!loaded) {
    return report(loaded.error());
  }
  log_loaded(*loaded);
  resolver::SnapshotSlot slot(loaded->snapshot);
  std::string version = loaded->version;
  loaded->snapshot.reset();

  // Signals are taken synchronously by this thread (sigtimedwait); the workers inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (const int s : {SIGHUP, SIGTERM, SIGINT, SIGUSR1}) {
    sigaddset(&signals, s);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = resolver::Server::start(slot, server_options);
  if (!server) {
    return report(server.error());
  }
  if (!port_file.empty()) {
    if (auto s = dns::write_file_atomically(port_file, std::to_string((*server)->port()) + "\n");
        !s) {
      return report(s.error());
    }
  }
  std::cout << "listening on " << (*server)->bound_address() << " (udp+tcp, "
            << std::max(1U, server_options.threads) << " threads)" << std::endl;

  const auto reload = [&](const char* why) {
    auto next = load(config);
    if (!next) {
      std::cerr << "rootsim serve: " << why << ": keeping serial " << slot.load()->serial() << ": "
                << next.error().message << "\n";
      return;
    }
    log_loaded(*next);
    version = next->version;
    slot.publish(std::move(next->snapshot));
  };
  const auto print_stats = [&] {
    std::cerr << "rootsim serve: stats " << to_text((*server)->counters()) << "\n";
  };

  auto next_poll = Clock::now() + std::chrono::seconds(std::max(1U, poll_interval));
  auto next_stats = Clock::now() + std::chrono::seconds(stats_interval);
  for (;;) {
    const auto now = Clock::now();
    auto wake = now + std::chrono::seconds(1);
    if (config.db) {
      wake = std::min(wake, next_poll);
    }
    if (stats_interval != 0) {
      wake = std::min(wake, next_stats);
    }
    const timespec timeout = to_timespec(wake - now);
    const int sig = sigtimedwait(&signals, nullptr, &timeout);
    if (sig == SIGTERM || sig == SIGINT) {
      std::cerr << "rootsim serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
                << ": shutting down\n";
      break;
    }
    if (sig == SIGHUP) {
      reload("SIGHUP");
    } else if (sig == SIGUSR1) {
      print_stats();
    }
    if (config.db && Clock::now() >= next_poll) {
      next_poll = Clock::now() + std::chrono::seconds(std::max(1U, poll_interval));
      auto store =
          registry::RegistryStore::open(*config.db, registry::RegistryStore::Mode::kExisting);
      auto latest = store ? latest_version(*store) : Result<std::string>(fail(store.error()));
      if (!latest) {
        std::cerr << "rootsim serve: polling the registry: " << latest.error().message << "\n";
      } else if (*latest != version) {
        reload("new zone version");
      }
    }
    if (stats_interval != 0 && Clock::now() >= next_stats) {
      next_stats = Clock::now() + std::chrono::seconds(stats_interval);
      print_stats();
    }
    slot.reclaim();
  }
  (*server)->stop();
  print_stats();
  return kExitOk;
}

}  // namespace rootsim::cli
