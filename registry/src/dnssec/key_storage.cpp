#include "rootsim/registry/key_storage.hpp"

namespace rootsim::registry {
namespace {

const char* role_text(KeyRole role) { return role == KeyRole::kKsk ? "ksk" : "zsk"; }

const char* state_text(KeyState state) {
  switch (state) {
    case KeyState::kPublished:
      return "published";
    case KeyState::kActive:
      return "active";
    case KeyState::kRetired:
      return "retired";
  }
  return "active";
}

}  // namespace

StoredKey to_stored(const SigningKey& key) {
  return StoredKey{0,         role_text(key.role), state_text(key.state), key.algorithm,
                   key.private_key_pem, key.dnskey_rdata, key.created_at};
}

Result<SigningKey> from_stored(const StoredKey& stored) {
  std::optional<KeyRole> role;
  if (stored.role == "ksk") {
    role = KeyRole::kKsk;
  } else if (stored.role == "zsk") {
    role = KeyRole::kZsk;
  }
  std::optional<KeyState> state;
  for (const KeyState s : {KeyState::kPublished, KeyState::kActive, KeyState::kRetired}) {
    if (stored.state == state_text(s)) {
      state = s;
    }
  }
  if (!role || !state) {
    return fail(Errc::kParse, "signing key " + std::to_string(stored.id) + ": unknown role '" +
                                  stored.role + "' or state '" + stored.state + "'");
  }
  auto key = restore_key(*role, stored.algorithm, stored.private_pem, *state, stored.created_at);
  if (!key) {
    return fail(key.error(), "signing key " + std::to_string(stored.id) + ": ");
  }
  if (key->dnskey_rdata != stored.dnskey_rdata) {
    return fail(Errc::kParse, "signing key " + std::to_string(stored.id) +
                                  ": stored DNSKEY does not match its private key");
  }
  return key;
}

Result<std::vector<SigningKey>> load_signing_keys(RegistryStore& store) {
  auto stored = store.load_keys();
  if (!stored) {
    return fail(stored.error());
  }
  std::vector<SigningKey> keys;
  for (const StoredKey& s : *stored) {
    auto key = from_stored(s);
    if (!key) {
      return fail(key.error());
    }
    keys.push_back(std::move(*key));
  }
  return keys;
}

Status save_signing_keys(RegistryStore& store, const std::vector<SigningKey>& keys,
                         const AuditRecord& audit) {
  std::vector<StoredKey> stored;
  stored.reserve(keys.size());
  for (const SigningKey& k : keys) {
    stored.push_back(to_stored(k));
  }
  return store.replace_keys(stored, audit);
}

}  // namespace rootsim::registry
