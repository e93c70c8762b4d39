// Creating a registry: a RegistryState from a zone file or the built-in baseline, then the
// database with its first zone version and audit entry; and the summary printed afterwards.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "cli_support.hpp"
#include "rootsim/registry/registry_state.hpp"

namespace rootsim::cli {

struct RegistrySummary {
  std::string source;
  std::uint32_t serial = 0;
  std::string digest;
  std::size_t tlds = 0;
  std::map<std::string, std::size_t> tlds_by_kind;
  std::size_t name_servers = 0;  ///< NS records over all TLDs
  std::size_t hosts_with_glue = 0;
  std::size_t signed_delegations = 0;  ///< TLDs with DS
  std::size_t zone_records = 0;        ///< records in the unsigned zone
};

/// Parses and imports a root zone file. Errors name the file and line, or the record.
[[nodiscard]] Result<registry::RegistryState> imported_state(const std::filesystem::path& zone,
                                                             std::int64_t now);
/// The built-in baseline from Debian's data and data/root_zone_statistics.json.
[[nodiscard]] Result<registry::RegistryState> baseline_state(const GlobalOptions& global,
                                                             std::uint64_t seed);
/// Creates the database and commits `state` as its first version. kConflict when it already
/// holds a registry.
[[nodiscard]] Result<RegistrySummary> create_registry(const std::filesystem::path& db,
                                                      const registry::RegistryState& state,
                                                      const std::string& source,
                                                      std::int64_t now);
[[nodiscard]] RegistrySummary summarise(const registry::RegistryState& state,
                                        const std::string& source);
[[nodiscard]] nlohmann::json summary_to_json(const RegistrySummary& summary);
[[nodiscard]] std::string summary_to_text(const RegistrySummary& summary);

}  // namespace rootsim::cli
