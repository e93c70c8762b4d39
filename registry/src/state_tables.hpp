// Reading and writing RegistryState rows (TLDs, name servers, DS, hosts, apex). Private to the
// registry module; callers hold the transaction.
#pragma once

#include "rootsim/registry/registry_state.hpp"
#include "sqlite.hpp"

namespace rootsim::registry::state_tables {

[[nodiscard]] Result<RegistryState> load(sqlite::Database& db);
/// Writes every row of `state` into empty tables.
[[nodiscard]] Status insert_all(sqlite::Database& db, const RegistryState& state);
/// Rewrites only the TLDs, hosts and apex records that differ between `before` and `after`.
[[nodiscard]] Status write_changes(sqlite::Database& db, const RegistryState& before,
                                   const RegistryState& after);

}  // namespace rootsim::registry::state_tables
