// Signatures shared between signers with the same keys (sharded hash maps under mutexes).
#include "rootsim/registry/signature_cache.hpp"

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace rootsim::registry {
namespace {

struct CacheKey {
  SignatureCache::Digest key{};
  SignatureCache::Digest data{};
  bool operator==(const CacheKey&) const = default;
};

struct CacheKeyHash {
  std::size_t operator()(const CacheKey& k) const noexcept {
    // The data digest is SHA-256 output: any 8 of its bytes are already a good hash.
    std::uint64_t h = 0;
    std::memcpy(&h, k.data.data() + 8, sizeof h);
    return static_cast<std::size_t>(h ^ (std::uint64_t{k.key[0]} << 56));
  }
};

}  // namespace

struct SignatureCache::Shard {
  mutable std::mutex mutex;
  std::unordered_map<CacheKey, dns::Bytes, CacheKeyHash> map;
};

SignatureCache::SignatureCache(std::size_t max_entries)
    : max_entries_(max_entries), shards_(std::make_unique<Shard[]>(kShards)) {}

SignatureCache::~SignatureCache() = default;

std::optional<dns::Bytes> SignatureCache::find(const Digest& key, const Digest& data) const {
  const Shard& shard = shards_[data[0] % kShards];
  const std::lock_guard lock(shard.mutex);
  const auto it = shard.map.find(CacheKey{key, data});
  if (it == shard.map.end()) {
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second;
}

void SignatureCache::insert(const Digest& key, const Digest& data, const dns::Bytes& signature) {
  if (size_.load(std::memory_order_relaxed) >= max_entries_) {
    return;
  }
  Shard& shard = shards_[data[0] % kShards];
  const std::lock_guard lock(shard.mutex);
  if (shard.map.try_emplace(CacheKey{key, data}, signature).second) {
    size_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace rootsim::registry
