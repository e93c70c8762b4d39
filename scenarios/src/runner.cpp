// Loading the world, checking a scenario against it, and running the replications in parallel.
#include "rootsim/scenarios/runner.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/policy/primitive.hpp"
#include "rootsim/registry/baseline.hpp"
#include "rootsim/registry/idn/label.hpp"
#include "rootsim/registry/zone_io.hpp"
#include "rootsim/registry/zone_statistics.hpp"
#include "simulation.hpp"
#include "world.hpp"

namespace rootsim::scenarios {
namespace {

Result<registry::RegistryState> load_baseline(const Scenario& scenario, const RunOptions& options,
                                              const registry::TldClassifier& classifier) {
  std::filesystem::path zone = options.zone;
  if (zone.empty() && scenario.baseline != "builtin") {
    zone = scenario.baseline;
    if (zone.is_relative() && !scenario.source_dir.empty()) {
      zone = scenario.source_dir / zone;
    }
  }
  if (!zone.empty()) {
    auto content = dns::parse_zone_file(zone, dns::Name());
    if (!content) {
      return fail(content.error());
    }
    auto state = registry::import_zone(*content, classifier, scenario.epoch_unix);
    if (!state) {
      return fail(state.error(), zone.string() + ": ");
    }
    return state;
  }
  auto stats = registry::load_zone_statistics(options.data_dir / "root_zone_statistics.json");
  if (!stats) {
    return fail(stats.error());
  }
  return registry::build_baseline(registry::BaselineSources{}, *stats, scenario.seed,
                                  scenario.epoch_unix);
}

// The root as it was when it had `count` TLDs, roughly: every country code first, then the
// gTLDs delegated before the 2012 round, then the others by name. Delegations of the TLDs left
// out go; glue of hosts below them goes with them (build_unsigned_zone writes glue only below
// delegated TLDs).
Status shrink_baseline(registry::RegistryState& state, std::uint32_t count) {
  if (count >= state.tlds.size()) {
    return {};
  }
  static constexpr std::array<std::string_view, 22> kLegacy = {
      "com",  "net",  "org",    "edu",  "gov",  "mil",  "int",  "arpa", "aero", "asia", "biz",
      "cat",  "coop", "info",   "jobs", "mobi", "museum", "name", "pro", "tel",  "travel", "xxx"};
  auto rank = [](const registry::Tld& tld) {
    if (tld.kind == registry::TldKind::kCountryCode) {
      return 0;
    }
    const std::string label = tld.label.first_label();
    return std::find(kLegacy.begin(), kLegacy.end(), label) != kLegacy.end() ? 1 : 2;
  };
  std::vector<const registry::Tld*> order;
  for (const auto& [name, tld] : state.tlds) {
    order.push_back(&tld);
  }
  std::stable_sort(order.begin(), order.end(), [&](const registry::Tld* a, const registry::Tld* b) {
    return rank(*a) < rank(*b);
  });
  std::vector<dns::Name> drop;
  for (std::size_t i = count; i < order.size(); ++i) {
    drop.push_back(order[i]->label);
  }
  for (const dns::Name& name : drop) {
    state.tlds.erase(name);
  }
  return {};
}

Result<dns::Name> tld_name(const std::string& text, const std::string& pointer) {
  std::string label = text;
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c >= 0x80; })) {
    auto a_label = registry::idn::to_a_label(text);
    if (!a_label) {
      return fail(Errc::kParse, pointer + ": not a valid IDN label: " + a_label.error().message);
    }
    label = *a_label;
  }
  std::transform(label.begin(), label.end(), label.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto name = dns::Name::from_text(label + ".");
  if (!name || name->label_count() != 1) {
    return fail(Errc::kParse, pointer + ": not a TLD label: '" + text + "'");
  }
  return name;
}

Status resolve_targets(World& world) {
  const Scenario& scenario = *world.scenario;
  std::vector<dns::Name> delegated;  // by earlier events of the scenario
  for (const ScenarioEvent& event : scenario.events) {
    World::EventTarget target;
    const bool needs_tld = event.kind == EventKind::kDelegation ||
                           event.kind == EventKind::kTransfer || event.kind == EventKind::kRevoke ||
                           event.kind == EventKind::kRetirement ||
                           event.kind == EventKind::kModifiedZone ||
                           event.kind == EventKind::kTldOutage;
    auto known = [&](const dns::Name& name) {
      return world.baseline.find_tld(name) != nullptr ||
             std::find(delegated.begin(), delegated.end(), name) != delegated.end();
    };
    if (needs_tld) {
      auto name = tld_name(event.tld, event.pointer + "/tld");
      if (!name) {
        return fail(std::move(name).error());
      }
      if (event.kind == EventKind::kDelegation) {
        if (known(*name)) {
          return fail(Errc::kParse, event.pointer + "/tld: '" + event.tld + "' is already delegated");
        }
        delegated.push_back(*name);
      } else if (!known(*name)) {
        return fail(Errc::kParse, event.pointer + "/tld: no TLD '" + event.tld + "' in the baseline");
      }
      target.tld = *name;
    }
    for (std::size_t i = 0; i < event.remove.size(); ++i) {
      const std::string pointer = event.pointer + "/remove/" + std::to_string(i);
      auto name = tld_name(event.remove[i], pointer);
      if (!name) {
        return fail(std::move(name).error());
      }
      if (!known(*name)) {
        return fail(Errc::kParse, pointer + ": no TLD '" + event.remove[i] + "' in the baseline");
      }
      target.remove.push_back(*name);
    }
    if (!event.operator_id.empty()) {
      const auto rso = world.actors.find(event.operator_id);
      if (!rso || world.actors.actor(*rso).kind != policy::ActorKind::kRootServerOperator) {
        return fail(Errc::kParse, event.pointer + "/operator: no root server operator '" +
                                      event.operator_id + "'");
      }
      target.rso = *rso;
    }
    if (!event.region.empty()) {
      const auto region = region_index(event.region);
      if (!region) {
        return fail(Errc::kParse, event.pointer + "/region: unknown region '" + event.region + "'");
      }
      target.region = *region;
    }
    if (!event.requester.empty() && event.requester.rfind("manager:", 0) != 0 &&
        !world.actors.find(event.requester)) {
      return fail(Errc::kParse, event.pointer + "/requester: unknown actor '" + event.requester + "'");
    }
    world.targets.push_back(std::move(target));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<World>> load_world(const Scenario& scenario, const RunOptions& options) {
  auto world = std::make_unique<World>();
  world->scenario = &scenario;
  world->seed = options.seed.value_or(scenario.seed);
  world->replications = options.replications.value_or(scenario.replications);
  policy::ActorSources sources;
  sources.actors_data = options.data_dir / "governance_actors.json";
  auto actors = policy::ActorDirectory::load(sources);
  if (!actors) {
    return fail(std::move(actors).error());
  }
  world->actors = std::move(*actors);
  const bool from_options = !options.arrangements.empty();
  const auto& names = from_options ? options.arrangements : scenario.arrangements;
  for (std::size_t i = 0; i < names.size(); ++i) {
    // A file named relative to the scenario is found next to it.
    std::string source = names[i];
    if (!from_options && source.ends_with(".json") && std::filesystem::path(source).is_relative() &&
        !scenario.source_dir.empty()) {
      source = (scenario.source_dir / source).string();
    }
    if (source.ends_with(".json")) {
      std::error_code ec;
      const auto absolute = std::filesystem::absolute(source, ec);
      source = ec ? source : absolute.lexically_normal().string();
    }
    auto arrangement = policy::load_arrangement(source, policy::builtin_primitives(), world->actors);
    if (!arrangement) {
      const std::string where =
          from_options ? "--arrangements: " : "/arrangements/" + std::to_string(i) + ": ";
      return fail(arrangement.error().code == Errc::kIo ? Errc::kIo : Errc::kParse,
                  where + arrangement.error().message);
    }
    world->arrangements.push_back(std::move(*arrangement));
    // As written (a built-in's name or the file as the scenario names it), not the absolute
    // path: results must not depend on where the checkout lies.
    world->arrangement_sources.push_back(names[i]);
  }
  try {
    auto circumstances = policy::circumstances_from_json(
        nlohmann::json::parse(scenario.governance_json), "/governance", world->actors);
    if (!circumstances) {
      return fail(std::move(circumstances).error());
    }
    world->circumstances = std::move(*circumstances);
  } catch (const nlohmann::json::exception& e) {
    return fail(Errc::kParse, std::string("/governance: ") + e.what());
  }
  auto classifier = registry::TldClassifier::load();
  if (!classifier) {
    return fail(std::move(classifier).error());
  }
  world->classifier = std::make_unique<registry::TldClassifier>(std::move(*classifier));
  auto baseline = load_baseline(scenario, options, *world->classifier);
  if (!baseline) {
    return fail(std::move(baseline).error());
  }
  world->baseline = std::move(*baseline);
  if (scenario.baseline_tlds != 0) {
    if (auto s = shrink_baseline(world->baseline, scenario.baseline_tlds); !s) {
      return fail(std::move(s).error());
    }
  }
  if (auto s = resolve_targets(*world); !s) {
    return fail(std::move(s).error());
  }
  std::filesystem::path table = scenario.servers.instances_table;
  if (table.is_relative()) {
    table = options.data_dir / table;
  }
  auto instances = load_instance_table(table, world->actors);
  if (!instances) {
    return fail(std::move(instances).error());
  }
  world->instances = std::move(*instances);
  world->population_share = population_shares(world->actors);
  auto popular = load_popular_tlds(options.data_dir / "tld_popularity.txt");
  if (!popular) {
    return fail(std::move(popular).error());
  }
  world->popular_tlds = std::move(*popular);
  const bool idn_delegation = std::any_of(
      world->targets.begin(), world->targets.end(), [](const World::EventTarget& t) {
        return !t.tld.is_root() && t.tld.first_label().rfind("xn--", 0) == 0;
      });
  if (idn_delegation) {
    auto panel = policy::IdnPanelReview::create(world->baseline, *world->classifier,
                                                options.data_dir / "idn");
    if (!panel) {
      return fail(std::move(panel).error());
    }
    world->idn_panel = std::move(*panel);
  }
  return world;
}

Status check_scenario(const Scenario& scenario, const RunOptions& options) {
  auto world = load_world(scenario, options);
  if (!world) {
    return fail(std::move(world).error());
  }
  return {};
}

Result<RunResults> run_scenario(const Scenario& scenario, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto loaded = load_world(scenario, options);
  if (!loaded) {
    return fail(std::move(loaded).error());
  }
  World& world = **loaded;
  // The root's keys: P-256 KSK and ZSK, made once per run and shared by every replication.
  for (registry::KeyRole role : {registry::KeyRole::kKsk, registry::KeyRole::kZsk}) {
    auto key = registry::generate_key(role, registry::kAlgorithmEcdsaP256Sha256,
                                      registry::kEcdsaP256Bits, scenario.epoch_unix);
    if (!key) {
      return fail(std::move(key).error());
    }
    world.keys.push_back(std::move(*key));
  }
  world.signatures = std::make_unique<registry::SignatureCache>();
  const std::size_t tasks = world.arrangements.size() * world.replications;
  std::vector<std::optional<Result<ReplicationResult>>> outcomes(tasks);
  std::vector<double> done(tasks, 0.0);
  std::mutex progress_mutex;
  std::atomic<std::size_t> next{0};
  auto report = [&](std::size_t task, double fraction) {
    if (!options.progress) {
      return;
    }
    std::lock_guard lock(progress_mutex);
    done[task] = fraction;
    double sum = 0;
    for (double d : done) {
      sum += d;
    }
    options.progress(sum / static_cast<double>(tasks));
  };
  auto worker = [&] {
    for (std::size_t task = next++; task < tasks; task = next++) {
      if (options.cancel != nullptr && options.cancel->load()) {
        outcomes[task] = fail(Errc::kLimit, "interrupted");
        continue;
      }
      Simulation simulation(world, task / world.replications,
                            static_cast<std::uint32_t>(task % world.replications));
      outcomes[task] = simulation.run([&](double f) { report(task, f); }, options.cancel);
      report(task, 1.0);
    }
  };
  const unsigned threads = std::max(1U, std::min<unsigned>(
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency()),
      static_cast<unsigned>(tasks)));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) {
    pool.emplace_back(worker);
  }
  worker();
  for (std::thread& t : pool) {
    t.join();
  }
  RunResults results;
  results.scenario = scenario.name;
  results.seed = world.seed;
  results.regions.assign(kRegions.begin(), kRegions.end());
  for (const policy::Arrangement& a : world.arrangements) {
    results.arrangements.push_back(a.name);
  }
  results.arrangement_sources = world.arrangement_sources;
  for (auto& outcome : outcomes) {
    if (!*outcome) {
      return fail(std::move(*outcome).error());
    }
    results.replications.push_back(std::move(**outcome));
  }
  results.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return results;
}

}  // namespace rootsim::scenarios
