// Simulated time (STYLE.md §8): integer microseconds since a scenario's epoch, never double,
// never the wall clock; "now" is always passed in. Thread-safety: plain values and constexpr
// functions. Ownership: nothing is owned.
#pragma once

#include <chrono>
#include <cstdint>

namespace rootsim::dns {

/// Microseconds since the scenario epoch (or since whatever origin the caller chose).
using SimTime = std::chrono::duration<std::int64_t, std::micro>;

inline constexpr SimTime kSimSecond = std::chrono::seconds(1);
inline constexpr SimTime kSimMinute = std::chrono::minutes(1);
inline constexpr SimTime kSimHour = std::chrono::hours(1);
inline constexpr SimTime kSimDay = std::chrono::hours(24);

/// Whole and fractional days to SimTime, rounded to the nearest microsecond; for configuration
/// values that are written in days. Negative inputs are allowed (differences).
[[nodiscard]] constexpr SimTime sim_days(double days) noexcept {
  const double us = days * 86'400'000'000.0;
  return SimTime(static_cast<std::int64_t>(us < 0 ? us - 0.5 : us + 0.5));
}

/// SimTime in days, for reports.
[[nodiscard]] constexpr double to_days(SimTime t) noexcept {
  return static_cast<double>(t.count()) / 86'400'000'000.0;
}

}  // namespace rootsim::dns
