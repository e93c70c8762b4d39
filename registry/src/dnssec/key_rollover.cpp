#include "rootsim/registry/key_rollover.hpp"

#include <algorithm>

namespace rootsim::registry {
namespace {

struct Counts {
  std::vector<std::size_t> active, published, retired;
};

Counts count(const std::vector<SigningKey>& keys, KeyRole role) {
  Counts c;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].role != role) {
      continue;
    }
    auto& bucket = keys[i].state == KeyState::kActive      ? c.active
                   : keys[i].state == KeyState::kPublished ? c.published
                                                           : c.retired;
    bucket.push_back(i);
  }
  return c;
}

std::string tag(const std::vector<SigningKey>& keys, std::size_t index) {
  return std::to_string(keys[index].key_tag);
}

// RSA key size from the DNSKEY public key field (RFC 3110): the modulus follows the exponent.
unsigned key_bits(const SigningKey& key) {
  if (key.algorithm != kAlgorithmRsaSha256) {
    return kEcdsaP256Bits;
  }
  const std::span<const std::uint8_t> pub = std::span(key.dnskey_rdata).subspan(4);
  std::size_t skip = 1U + pub[0];
  if (pub[0] == 0) {
    skip = 3U + dns::get_u16(pub, 1);
  }
  return static_cast<unsigned>((pub.size() - skip) * 8);
}

}  // namespace

Result<RolloverStatus> rollover_status(const std::vector<SigningKey>& keys, KeyRole role) {
  const Counts c = count(keys, role);
  const std::string name(to_text(role));
  if (role == KeyRole::kZsk) {
    if (c.active.size() == 1 && c.published.empty() && c.retired.empty()) {
      return RolloverStatus{
          RolloverPhase::kIdle, true,
          "ZSK " + tag(keys, c.active[0]) + " active; next: pre-publish a new ZSK"};
    }
    if (c.active.size() == 1 && c.published.size() == 1 && c.retired.empty()) {
      return RolloverStatus{RolloverPhase::kZskPublished, false,
                            "ZSK " + tag(keys, c.published[0]) + " published beside active " +
                                tag(keys, c.active[0]) + "; next: make it active, retire " +
                                tag(keys, c.active[0])};
    }
    if (c.active.size() == 1 && c.published.empty() && c.retired.size() == 1) {
      return RolloverStatus{RolloverPhase::kZskSwapped, false,
                            "ZSK " + tag(keys, c.active[0]) + " active, " +
                                tag(keys, c.retired[0]) + " retired; next: remove " +
                                tag(keys, c.retired[0])};
    }
  } else if (c.published.empty() && c.retired.empty()) {
    if (c.active.size() == 1) {
      return RolloverStatus{
          RolloverPhase::kIdle, true,
          "KSK " + tag(keys, c.active[0]) + " active; next: add a new KSK signing beside it"};
    }
    if (c.active.size() == 2) {
      return RolloverStatus{RolloverPhase::kKskDoubleSigned, false,
                            "KSKs " + tag(keys, c.active[0]) + " and " + tag(keys, c.active[1]) +
                                " both sign the DNSKEY RRset; next: remove the older"};
    }
  }
  return fail(Errc::kConflict, "the " + name + " set (" + std::to_string(c.active.size()) +
                                   " active, " + std::to_string(c.published.size()) +
                                   " published, " + std::to_string(c.retired.size()) +
                                   " retired) is in no rollover phase");
}

Result<std::vector<SigningKey>> advance_rollover(std::vector<SigningKey> keys, KeyRole role,
                                                 std::optional<SigningKey> new_key) {
  auto status = rollover_status(keys, role);
  if (!status) {
    return fail(std::move(status).error());
  }
  if (status->needs_new_key != new_key.has_value()) {
    return fail(Errc::kSemantic, status->needs_new_key ? "this rollover step needs a new key"
                                                       : "this rollover step takes no new key");
  }
  const Counts c = count(keys, role);
  switch (status->phase) {
    case RolloverPhase::kIdle: {
      if (new_key->role != role) {
        return fail(Errc::kSemantic, "the new key is not a " + std::string(to_text(role)));
      }
      for (const auto& key : keys) {
        if (key.key_tag == new_key->key_tag) {
          return fail(Errc::kSemantic,
                      "key tag " + std::to_string(key.key_tag) + " is already in use");
        }
      }
      new_key->state = role == KeyRole::kZsk ? KeyState::kPublished : KeyState::kActive;
      keys.push_back(std::move(*new_key));
      break;
    }
    case RolloverPhase::kZskPublished:
      keys[c.active[0]].state = KeyState::kRetired;
      keys[c.published[0]].state = KeyState::kActive;
      break;
    case RolloverPhase::kZskSwapped:
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(c.retired[0]));
      break;
    case RolloverPhase::kKskDoubleSigned: {
      const std::size_t older =
          keys[c.active[1]].created_at < keys[c.active[0]].created_at ? c.active[1] : c.active[0];
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(older));
      break;
    }
  }
  return keys;
}

Result<std::vector<SigningKey>> roll_keys(std::vector<SigningKey> keys, KeyRole role,
                                          std::int64_t now) {
  auto status = rollover_status(keys, role);
  if (!status) {
    return fail(std::move(status).error());
  }
  std::optional<SigningKey> new_key;
  if (status->needs_new_key) {
    const auto current = std::find_if(keys.begin(), keys.end(), [role](const SigningKey& k) {
      return k.role == role && k.state == KeyState::kActive;
    });
    // A fresh key whose tag collides with one in use is drawn again (RFC 4035 §2.1 advice).
    for (int attempt = 0; attempt < 8 && !new_key; ++attempt) {
      auto key = generate_key(role, current->algorithm, key_bits(*current), now);
      if (!key) {
        return fail(std::move(key).error());
      }
      const bool clash = std::any_of(
          keys.begin(), keys.end(), [&](const SigningKey& k) { return k.key_tag == key->key_tag; });
      if (!clash) {
        new_key = std::move(*key);
      }
    }
  }
  return advance_rollover(std::move(keys), role, std::move(new_key));
}

}  // namespace rootsim::registry
