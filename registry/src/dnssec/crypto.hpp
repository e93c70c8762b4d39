// Private to rootsim::registry: OpenSSL 3 EVP wrappers for DNSSEC keys and signatures.
// Thread-safety: a PKey may be shared read-only; a Signer belongs to one thread.
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/registry/signature_cache.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace rootsim::registry::crypto {

struct PKeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using PKey = std::unique_ptr<EVP_PKEY, PKeyFree>;

inline constexpr std::uint8_t kRsaSha256 = 8;
inline constexpr std::uint8_t kEcdsaP256Sha256 = 13;

/// A fresh key pair. Errors: kSemantic for unsupported algorithm/size, kIo when OpenSSL fails.
[[nodiscard]] Result<PKey> generate(std::uint8_t algorithm, unsigned bits);
/// Reads an unencrypted PEM private key. Errors: kParse.
[[nodiscard]] Result<PKey> from_pem(std::string_view pem);
/// PKCS#8 PEM text of the private key.
[[nodiscard]] Result<std::string> to_pem(const EVP_PKEY& key);
/// The DNSKEY public key field (RFC 3110 for RSA, RFC 6605 x||y for P-256). Errors: kSemantic
/// when the key does not match the algorithm.
[[nodiscard]] Result<dns::Bytes> dnskey_public_key(const EVP_PKEY& key, std::uint8_t algorithm);

/// Signs with one key, reusing its contexts: SHA-256 over the parts, then the raw signature
/// (RSA PKCS#1 v1.5 / ECDSA r||s, RFC 6605 §4). One Signer per thread.
class Signer {
 public:
  /// Errors: kIo when OpenSSL cannot set the key up.
  [[nodiscard]] static Result<Signer> create(const EVP_PKEY& key, std::uint8_t algorithm);
  /// Signature over prefix||body. With a cache: the one kept for this key and data if there
  /// is one, else a new one, which is then kept.
  [[nodiscard]] Result<dns::Bytes> sign(std::span<const std::uint8_t> prefix,
                                        std::span<const std::uint8_t> body,
                                        SignatureCache* cache = nullptr);

 private:
  [[nodiscard]] Result<dns::Bytes> sign_digest(const SignatureCache::Digest& digest);
  struct Ctx;
  struct CtxFree {
    void operator()(Ctx* ctx) const noexcept;
  };
  explicit Signer(std::unique_ptr<Ctx, CtxFree> ctx) : ctx_(std::move(ctx)) {}
  std::unique_ptr<Ctx, CtxFree> ctx_;
};

/// Verifies a DNSSEC signature over prefix||body with the DNSKEY public key field.
[[nodiscard]] bool verify(std::uint8_t algorithm, std::span<const std::uint8_t> public_key,
                          std::span<const std::uint8_t> prefix, std::span<const std::uint8_t> body,
                          std::span<const std::uint8_t> signature);

/// SHA-384 over a sequence of chunks (ZONEMD scheme 1 hash 1).
class Sha384 {
 public:
  Sha384();
  void update(std::span<const std::uint8_t> data);
  [[nodiscard]] dns::Bytes finish();

 private:
  struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx_;
};

}  // namespace rootsim::registry::crypto
