// Converting signing keys to and from what the registry database stores.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "rootsim/registry/registry_store.hpp"
#include "rootsim/registry/signing_key.hpp"

namespace rootsim::registry {

[[nodiscard]] StoredKey to_stored(const SigningKey& key);
/// Errors: kParse for an unknown role or state, or PEM that does not restore (restore_key).
[[nodiscard]] Result<SigningKey> from_stored(const StoredKey& stored);

/// Loads the registry's keys; an empty set when none were made yet.
[[nodiscard]] Result<std::vector<SigningKey>> load_signing_keys(RegistryStore& store);
/// Replaces the registry's keys, with an audit entry naming `action` ("keys.generate", ...).
[[nodiscard]] Status save_signing_keys(RegistryStore& store, const std::vector<SigningKey>& keys,
                                       const AuditRecord& audit);

}  // namespace rootsim::registry
