// Deterministic randomness for simulations and generated data (STYLE.md §8): named streams split
// from one seed, and integer/real draws whose algorithms are fixed here, so that the same seed
// gives identical bytes with any standard library. Thread-safety: pure functions; an engine
// (std::mt19937_64) is a value owned by its caller and must not be shared between threads.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string_view>

namespace rootsim {

/// The splitmix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
[[nodiscard]] std::uint64_t splitmix64(std::uint64_t x) noexcept;

/// The seed of the stream called `name` under `seed`: splitmix64(seed ^ fnv1a64(name)).
/// Different names give independent-looking streams; the same (seed, name) always the same.
[[nodiscard]] std::uint64_t stream_seed(std::uint64_t seed, std::string_view name) noexcept;

/// An engine for the stream `name` under `seed`.
[[nodiscard]] std::mt19937_64 make_stream(std::uint64_t seed, std::string_view name);

/// Uniform integer in [lo, hi] (inclusive; lo <= hi is a precondition, else lo is returned).
/// Unbiased: draws in the short top range 2^64 mod n are rejected. Not
/// std::uniform_int_distribution, whose algorithm differs between standard libraries.
[[nodiscard]] std::uint64_t uniform_int(std::mt19937_64& rng, std::uint64_t lo,
                                        std::uint64_t hi) noexcept;

/// Uniform double in [0, 1) from the top 53 bits of one draw.
[[nodiscard]] double uniform_real01(std::mt19937_64& rng) noexcept;

/// True with probability `p` (p <= 0 never, p >= 1 always; one draw either way).
[[nodiscard]] bool bernoulli(std::mt19937_64& rng, double p) noexcept;

/// An index drawn with probability weights[i] / sum(weights) (integer weights, so exact).
/// Returns weights.size() when every weight is zero or the span is empty.
[[nodiscard]] std::size_t pick_weighted(std::mt19937_64& rng,
                                        std::span<const std::uint64_t> weights) noexcept;

}  // namespace rootsim
