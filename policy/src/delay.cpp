// Delay distributions: sampling with the project's deterministic draws (one uniform per draw,
// inverse-CDF), closed-form means for the structural analysis, and business-day calendars.
#include "rootsim/dns/random.hpp"
#include "rootsim/policy/arrangement.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace rootsim::policy {
namespace {

/// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
double normal_quantile(double p) {
  static constexpr std::array<double, 6> a = {-3.969683028665376e+01, 2.209460984245205e+02,
                                              -2.759285104469687e+02, 1.383577518672690e+02,
                                              -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr std::array<double, 5> b = {-5.447609879822406e+01, 1.615858368580409e+02,
                                              -1.556989798598866e+02, 6.680131188771972e+01,
                                              -1.328068155288572e+01};
  static constexpr std::array<double, 6> c = {-7.784894002430293e-03, -3.223964580411365e-01,
                                              -2.400758277161838e+00, -2.549732539343734e+00,
                                              4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr std::array<double, 4> d = {7.784695709041462e-03, 3.224671290700398e-01,
                                              2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  auto tail = [&](double q) {
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  };
  if (p < kLow) {
    return tail(std::sqrt(-2 * std::log(p)));
  }
  if (p > 1 - kLow) {
    return -tail(std::sqrt(-2 * std::log1p(-p)));
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

double Delay::sample_days(std::mt19937_64& rng) const {
  double x = 0;
  switch (kind) {
    case DelayKind::kFixed:
      x = days;
      break;
    case DelayKind::kExponential:
      x = -days * std::log1p(-uniform_real01(rng));
      break;
    case DelayKind::kLognormal: {
      // Shift [0, 1) to (0, 1) so the quantile stays finite.
      const double u = uniform_real01(rng) + 0x1p-54;
      x = days * std::exp(sigma * normal_quantile(u));
      break;
    }
    case DelayKind::kEmpirical:
      x = values.empty() ? 0.0 : values[uniform_int(rng, 0, values.size() - 1)];
      break;
  }
  return max_days ? std::min(x, *max_days) : x;
}

double Delay::expected_days() const {
  const double cap = max_days.value_or(HUGE_VAL);
  switch (kind) {
    case DelayKind::kFixed:
      return std::min(days, cap);
    case DelayKind::kExponential:
      if (days <= 0) {
        return 0;
      }
      return max_days ? days * (1 - std::exp(-cap / days)) : days;
    case DelayKind::kLognormal: {
      if (sigma <= 0 || days <= 0) {
        return std::min(days, cap);
      }
      const double mu = std::log(days);
      const double mean = std::exp(mu + sigma * sigma / 2);
      if (!max_days) {
        return mean;
      }
      // E[min(X, M)] = E[X; X < M] + M P(X >= M) for a lognormal X.
      const double lm = std::log(cap);
      return mean * normal_cdf((lm - mu - sigma * sigma) / sigma) +
             cap * (1 - normal_cdf((lm - mu) / sigma));
    }
    case DelayKind::kEmpirical: {
      if (values.empty()) {
        return 0;
      }
      double sum = 0;
      for (const double v : values) {
        sum += std::min(v, cap);
      }
      return sum / static_cast<double>(values.size());
    }
  }
  return 0;
}

dns::SimTime add_business_time(dns::SimTime start, dns::SimTime duration,
                               std::int64_t epoch_unix_seconds) noexcept {
  constexpr std::int64_t kDay = 86'400'000'000;
  const std::int64_t offset = epoch_unix_seconds * 1'000'000;
  std::int64_t t = start.count() + offset;  // microseconds since 1970-01-01 (a Thursday)
  std::int64_t left = std::max<std::int64_t>(duration.count(), 0);
  auto day_of = [](std::int64_t us) { return us >= 0 ? us / kDay : (us - kDay + 1) / kDay; };
  auto weekday = [](std::int64_t day) { return ((day % 7) + 7 + 4) % 7; };  // 0 = Sunday
  auto skip_weekend = [&] {
    std::int64_t day = day_of(t);
    while (weekday(day) == 0 || weekday(day) == 6) {
      ++day;
      t = day * kDay;
    }
  };
  skip_weekend();
  const std::int64_t weeks = left / (5 * kDay);
  t += weeks * 7 * kDay;
  left -= weeks * 5 * kDay;
  while (left > 0) {
    skip_weekend();
    const std::int64_t midnight = (day_of(t) + 1) * kDay;
    const std::int64_t today = midnight - t;
    if (left < today) {
      t += left;
      left = 0;
    } else {
      left -= today;
      t = midnight;
    }
  }
  return dns::SimTime(t - offset);
}

}  // namespace rootsim::policy
