// SignatureCache: signatures that ZoneSigners sharing keys have made, so that signing the same
// data with the same key again takes the signature already made instead of a new signature
// operation. Any valid signature over the same data is as good as another (ECDSA signatures of
// one message differ only in their random nonce), so reuse changes no verdict. The scenario
// engine shares one cache between the replications of a run: they start from the same zone
// and keys and re-sign most RRsets with the same inception and expiration.
// Thread-safety: every method may be called from any number of threads at once (sharded
// locks). Ownership: the cache owns copies of the signatures; callers pass it by pointer
// (SigningPolicy::signature_cache) and keep it alive while signers use it.
#pragma once

#include "rootsim/dns/record.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace rootsim::registry {

class SignatureCache {
 public:
  /// SHA-256 of a key's DNSKEY public key field, or of the data a signature covers.
  using Digest = std::array<std::uint8_t, 32>;

  /// Keeps at most `max_entries` signatures (about 200 bytes each with a P-256 signature);
  /// once full, new ones are not kept (the signers then sign as without a cache).
  explicit SignatureCache(std::size_t max_entries = std::size_t{1} << 20);
  ~SignatureCache();
  SignatureCache(const SignatureCache&) = delete;
  SignatureCache& operator=(const SignatureCache&) = delete;

  /// The signature kept for (`key`, `data`), if any. O(1).
  [[nodiscard]] std::optional<dns::Bytes> find(const Digest& key, const Digest& data) const;
  /// Keeps `signature` for (`key`, `data`) unless one is kept already or the cache is full.
  void insert(const Digest& key, const Digest& data, const dns::Bytes& signature);

  [[nodiscard]] std::size_t size() const noexcept { return size_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t hits() const noexcept { return hits_.load(std::memory_order_relaxed); }

 private:
  struct Shard;
  static constexpr std::size_t kShards = 16;
  std::size_t max_entries_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> size_{0};
  mutable std::atomic<std::uint64_t> hits_{0};
};

}  // namespace rootsim::registry
