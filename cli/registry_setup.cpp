#include "registry_setup.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/baseline.hpp"
#include "rootsim/registry/registry_store.hpp"
#include "rootsim/registry/zone_statistics.hpp"
#include "rootsim/registry/tld_classifier.hpp"
#include "rootsim/registry/zone_io.hpp"

namespace rootsim::cli {

Result<registry::RegistryState> imported_state(const std::filesystem::path& zone,
                                               std::int64_t now) {
  auto content = dns::parse_zone_file(zone, dns::Name());
  if (!content) {
    return fail(content.error());
  }
  auto classifier = registry::TldClassifier::load();
  if (!classifier) {
    return fail(classifier.error());
  }
  auto state = registry::import_zone(*content, *classifier, now);
  if (!state) {
    return fail(state.error(), zone.string() + ": ");
  }
  return state;
}

Result<registry::RegistryState> baseline_state(const GlobalOptions& global, std::uint64_t seed) {
  auto stats = registry::load_zone_statistics(global.data_dir / "root_zone_statistics.json");
  if (!stats) {
    return fail(stats.error());
  }
  return registry::build_baseline(registry::BaselineSources{}, *stats, seed, global.now);
}

RegistrySummary summarise(const registry::RegistryState& state, const std::string& source) {
  RegistrySummary s;
  s.source = source;
  s.serial = state.serial();
  const auto zone = registry::build_unsigned_zone(state);
  s.digest = registry::zone_digest(zone);
  s.zone_records = zone.size();
  s.tlds = state.tlds.size();
  for (const auto& [label, tld] : state.tlds) {
    ++s.tlds_by_kind[std::string(registry::to_string(tld.kind))];
    s.name_servers += tld.delegation.name_servers.size();
    s.signed_delegations += tld.delegation.ds.empty() ? 0U : 1U;
  }
  for (const auto& [name, host] : state.hosts) {
    s.hosts_with_glue += host.addresses.empty() ? 0U : 1U;
  }
  return s;
}

Result<RegistrySummary> create_registry(const std::filesystem::path& db,
                                        const registry::RegistryState& state,
                                        const std::string& source, std::int64_t now) {
  RegistrySummary summary = summarise(state, source);
  auto store = registry::RegistryStore::open(db, registry::RegistryStore::Mode::kCreate);
  if (!store) {
    return fail(store.error());
  }
  const nlohmann::json detail = {{"source", source},
                                 {"serial", summary.serial},
                                 {"digest", summary.digest},
                                 {"tlds", summary.tlds}};
  auto status = store->initialise(
      state, registry::ZoneVersion{summary.serial, now, summary.digest, {}},
      registry::AuditRecord{now, "cli", "init", "zone", detail.dump()});
  if (!status) {
    return fail(std::move(status).error());
  }
  return summary;
}

nlohmann::json summary_to_json(const RegistrySummary& s) {
  return {{"source", s.source},
          {"serial", s.serial},
          {"digest", s.digest},
          {"tlds", s.tlds},
          {"tlds_by_kind", s.tlds_by_kind},
          {"name_servers", s.name_servers},
          {"hosts_with_glue", s.hosts_with_glue},
          {"signed_delegations", s.signed_delegations},
          {"zone_records", s.zone_records}};
}

std::string summary_to_text(const RegistrySummary& s) {
  std::ostringstream out;
  out << "registry from " << s.source << "\n"
      << "  serial " << s.serial << ", " << s.zone_records << " records in the unsigned zone\n"
      << "  " << s.tlds << " TLDs:";
  for (const auto& [kind, count] : s.tlds_by_kind) {
    out << " " << count << " " << kind << ";";
  }
  out << "\n  " << s.name_servers << " NS records, " << s.hosts_with_glue << " hosts with glue, "
      << s.signed_delegations << " TLDs with DS\n"
      << "  zone digest (SHA-256 of the unsigned zone text) " << s.digest << "\n";
  return out.str();
}

}  // namespace rootsim::cli
