// Key rollovers as steps over a key set (RFC 6781 §4.1): ZSK pre-publication and KSK double
// signature. Each step is one call; the phase is read back from the key states alone, so the
// store only persists keys. Thread-safety: pure functions (roll_keys draws from OpenSSL's RNG).
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/registry/signing_key.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rootsim::registry {

enum class RolloverPhase : std::uint8_t {
  kIdle,            ///< one active key of the role; the next step starts a rollover
  kZskPublished,    ///< new ZSK published (not signing) beside the active one
  kZskSwapped,      ///< new ZSK signing; the old one retired but still published
  kKskDoubleSigned  ///< two active KSKs both signing the DNSKEY RRset
};

struct RolloverStatus {
  RolloverPhase phase = RolloverPhase::kIdle;
  bool needs_new_key = false;  ///< the next step adds a key: pass one to advance_rollover
  std::string description;     ///< for `zone keys roll`: what the set is, what the next step does
};

/// Where the rollover of `role` keys stands. Errors: kConflict when the key states fit no phase
/// (for example no active key of the role, or two published ZSKs).
[[nodiscard]] Result<RolloverStatus> rollover_status(const std::vector<SigningKey>& keys,
                                                     KeyRole role);

/// Advances the rollover of `role` keys by one step:
///   ZSK: idle -> new ZSK published -> new active, old retired -> old removed (idle);
///   KSK: idle -> new KSK active beside the old (both sign DNSKEY) -> oldest removed (idle).
/// `new_key` (same role, fresh key tag) is required exactly when status.needs_new_key.
/// Errors: kConflict as rollover_status; kSemantic when new_key is missing, unexpected, of the
/// wrong role or its key tag is already in use.
[[nodiscard]] Result<std::vector<SigningKey>> advance_rollover(std::vector<SigningKey> keys,
                                                               KeyRole role,
                                                               std::optional<SigningKey> new_key);

/// advance_rollover, generating the new key when one is needed with the algorithm and size of
/// the role's active key, created at `now`. Errors: as advance_rollover and generate_key.
[[nodiscard]] Result<std::vector<SigningKey>> roll_keys(std::vector<SigningKey> keys, KeyRole role,
                                                        std::int64_t now);

}  // namespace rootsim::registry
