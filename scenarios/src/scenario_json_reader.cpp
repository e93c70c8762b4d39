// The typed getters of the scenario loader's strict JSON reader (scenario_parse_detail.hpp).
#include "rootsim/scenarios/scenario.hpp"

#include "scenario_parse_detail.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace rootsim::scenarios {
namespace detail {

std::string format_number(double value) {
  char buffer[64];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%g", value);
  }
  return buffer;
}

bool Range::contains(double v) const noexcept {
  if (!std::isfinite(v)) {
    return false;
  }
  const bool lo_ok = lo_bound == Bound::kClosed ? v >= lo : v > lo;
  const bool hi_ok = std::isinf(hi) || (hi_bound == Bound::kClosed ? v <= hi : v < hi);
  return lo_ok && hi_ok;
}

std::string Range::text() const {
  if (std::isinf(hi)) {
    return (lo_bound == Bound::kClosed ? ">= " : "> ") + format_number(lo);
  }
  return (lo_bound == Bound::kClosed ? "[" : "(") + format_number(lo) + ", " + format_number(hi) +
         (hi_bound == Bound::kClosed ? "]" : ")");
}

std::optional<std::string> Object::string(std::string_view key, bool required, bool allow_empty) {
  const auto* m = member(key, required);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_string()) {
    error(pointer_of(key) + ": expected a string");
    return std::nullopt;
  }
  auto s = m->get<std::string>();
  if (s.empty() && !allow_empty) {
    error(pointer_of(key) + ": expected a non-empty string");
    return std::nullopt;
  }
  return s;
}

std::optional<double> Object::number(std::string_view key, bool required, Range range) {
  const auto* m = member(key, required);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_number()) {
    error(pointer_of(key) + ": expected a number");
    return std::nullopt;
  }
  const auto v = m->get<double>();
  if (!range.contains(v)) {
    error(pointer_of(key) + ": expected a number " + (std::isinf(range.hi) ? "" : "in ") +
          range.text() + ", not " + format_number(v));
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> Object::integer(std::string_view key, bool required, std::uint64_t lo,
                                             std::uint64_t hi) {
  const auto* m = member(key, required);
  if (m == nullptr) {
    return std::nullopt;
  }
  const std::string range = hi == std::numeric_limits<std::uint64_t>::max()
                                ? ">= " + std::to_string(lo)
                                : "in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!m->is_number_integer()) {
    error(pointer_of(key) + ": expected an integer " + range);
    return std::nullopt;
  }
  // nlohmann stores every non-negative integer it parses as unsigned.
  if (!m->is_number_unsigned()) {
    error(pointer_of(key) + ": expected an integer " + range + ", not " +
          std::to_string(m->get<std::int64_t>()));
    return std::nullopt;
  }
  const auto v = m->get<std::uint64_t>();
  if (v < lo || v > hi) {
    error(pointer_of(key) + ": expected an integer " + range + ", not " + std::to_string(v));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Object::boolean(std::string_view key, bool required) {
  const auto* m = member(key, required);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_boolean()) {
    error(pointer_of(key) + ": expected true or false");
    return std::nullopt;
  }
  return m->get<bool>();
}

std::optional<std::vector<std::string>> Object::string_list(std::string_view key, bool required,
                                                            std::size_t min_size) {
  const auto* m = member(key, required);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_array()) {
    error(pointer_of(key) + ": expected an array of strings");
    return std::nullopt;
  }
  if (m->size() < min_size) {
    error(pointer_of(key) + ": expected at least " + std::to_string(min_size) +
          (min_size == 1 ? " item" : " items"));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m->size(); ++i) {
    const auto& item = (*m)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      error(pointer_of(key) + "/" + std::to_string(i) + ": expected a non-empty string");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace detail

}  // namespace rootsim::scenarios
