#include "rootsim/dns/random.hpp"

#include <limits>

namespace rootsim {

std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

std::uint64_t stream_seed(std::uint64_t seed, std::string_view name) noexcept {
  // FNV-1a, 64-bit (offset basis and prime from the FNV reference).
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return splitmix64(seed ^ hash);
}

std::mt19937_64 make_stream(std::uint64_t seed, std::string_view name) {
  return std::mt19937_64(stream_seed(seed, name));
}

std::uint64_t uniform_int(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) noexcept {
  if (hi <= lo) {
    return lo;
  }
  const std::uint64_t range = hi - lo;
  if (range == std::numeric_limits<std::uint64_t>::max()) {
    return rng();
  }
  const std::uint64_t n = range + 1;
  // 2^64 mod n, computed in 64 bits: the draws below it would favour small residues.
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t r = rng();
    if (r >= threshold) {
      return lo + r % n;
    }
  }
}

double uniform_real01(std::mt19937_64& rng) noexcept {
  return static_cast<double>(rng() >> 11U) * 0x1.0p-53;
}

bool bernoulli(std::mt19937_64& rng, double p) noexcept { return uniform_real01(rng) < p; }

std::size_t pick_weighted(std::mt19937_64& rng, std::span<const std::uint64_t> weights) noexcept {
  std::uint64_t total = 0;
  for (const std::uint64_t w : weights) {
    total += w;
  }
  if (total == 0) {
    return weights.size();
  }
  std::uint64_t r = uniform_int(rng, 0, total - 1);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) {
      return i;
    }
    r -= weights[i];
  }
  return weights.size();  // unreachable: r < total
}

}  // namespace rootsim
