// DNSSEC signing keys as values: role, algorithm, private key (PEM text the store persists),
// DNSKEY rdata, key tag, lifecycle state. Keys are made with OpenSSL 3 (EVP).
// Thread-safety: plain values and pure functions (generate_key draws from OpenSSL's RNG).
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace rootsim::registry {

enum class KeyRole : std::uint8_t { kKsk, kZsk };

/// kPublished: in the DNSKEY RRset, not signing yet (pre-publication).
/// kActive: in the DNSKEY RRset and signing (KSK: the DNSKEY RRset; ZSK: everything else).
/// kRetired: still in the DNSKEY RRset, no longer signing; the next rollover step removes it.
enum class KeyState : std::uint8_t { kPublished, kActive, kRetired };

inline constexpr std::uint8_t kAlgorithmRsaSha256 = 8;
inline constexpr std::uint8_t kAlgorithmEcdsaP256Sha256 = 13;
inline constexpr unsigned kDefaultRsaBits = 2048;  ///< as the root's KSK and ZSK
inline constexpr unsigned kEcdsaP256Bits = 256;

struct SigningKey {
  KeyRole role = KeyRole::kZsk;
  std::uint8_t algorithm = kAlgorithmRsaSha256;
  std::string private_key_pem;  ///< PKCS#8, unencrypted
  dns::Bytes dnskey_rdata;      ///< flags (257 KSK / 256 ZSK), protocol 3, algorithm, public key
  std::uint16_t key_tag = 0;    ///< dns::key_tag(dnskey_rdata)
  KeyState state = KeyState::kActive;
  std::int64_t created_at = 0;  ///< unix seconds, as given by the caller

  friend bool operator==(const SigningKey&, const SigningKey&) = default;
};

/// A new key, state kActive. `bits` is 1024-4096 for RSASHA256 (8) and 256 for
/// ECDSAP256SHA256 (13). Errors: kSemantic for other algorithms or sizes; kIo when OpenSSL
/// fails. Cost: RSA-2048 generation takes about 0.1 s.
[[nodiscard]] Result<SigningKey> generate_key(KeyRole role, std::uint8_t algorithm, unsigned bits,
                                              std::int64_t created_at);

/// Rebuilds a key from what the store persisted: DNSKEY rdata and key tag are derived from the
/// PEM again, so restore_key(k.role, k.algorithm, k.private_key_pem, k.state, k.created_at) == k.
/// Errors: kParse for bad PEM; kSemantic when the key does not match `algorithm`.
[[nodiscard]] Result<SigningKey> restore_key(KeyRole role, std::uint8_t algorithm,
                                             std::string_view private_key_pem, KeyState state,
                                             std::int64_t created_at);

/// The DNSKEY record for `key` at `origin` (class IN).
[[nodiscard]] dns::Record dnskey_record(const SigningKey& key, const dns::Name& origin,
                                        std::uint32_t ttl);

[[nodiscard]] std::string_view to_text(KeyRole role);    ///< "KSK", "ZSK"
[[nodiscard]] std::string_view to_text(KeyState state);  ///< "published", "active", "retired"
/// One line for `zone keys list`: "KSK 20326 alg 8 active created 1700000000".
[[nodiscard]] std::string describe(const SigningKey& key);

}  // namespace rootsim::registry
