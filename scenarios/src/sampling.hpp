// Portable draws for the simulation (the standard library's distributions differ between
// implementations; these give the same numbers everywhere from the same stream).
// Private to rootsim::scenarios. Thread-safety: the caller's stream.
#pragma once

#include <cmath>
#include <numbers>
#include <random>

#include "rootsim/dns/random.hpp"

namespace rootsim::scenarios {

/// Exponential with the given mean. One draw.
[[nodiscard]] inline double draw_exponential(std::mt19937_64& rng, double mean) {
  return -std::log(1.0 - rootsim::uniform_real01(rng)) * mean;
}

/// Lognormal with the given median and sigma of the underlying normal (Box-Muller). Two draws.
[[nodiscard]] inline double draw_lognormal(std::mt19937_64& rng, double median, double sigma) {
  const double u1 = 1.0 - rootsim::uniform_real01(rng);
  const double u2 = rootsim::uniform_real01(rng);
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return median * std::exp(sigma * z);
}

}  // namespace rootsim::scenarios
