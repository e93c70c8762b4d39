// Private: numbers written to summaries, comparisons and report pages, rounded through text so
// that every compiler and standard library writes the same bytes. Thread-safety: pure.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace rootsim::scenarios {

/// `x` rounded to `digits` significant digits (printf's %.*g read back); non-finite values become
/// null (a gap in a chart, "no value" in a summary), and -0 becomes 0.
[[nodiscard]] inline nlohmann::json rounded_number(double x, int digits) {
  if (!std::isfinite(x)) {
    return nullptr;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  const double r = std::strtod(buf, nullptr);
  return r == 0 ? 0.0 : r;
}

}  // namespace rootsim::scenarios
