// Strict reading of scenario documents: policy::json_fields::Object (members taken by name, the
// first problem kept with its JSON pointer, unknown members reported by finish()) with the typed,
// range-checked getters scenarios need.
// Private to rootsim::scenarios. Thread-safety: one reader per object and thread. Ownership: a
// reader borrows the JSON value, which must outlive it.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/dns/sim_time.hpp"
#include "rootsim/policy/json_fields.hpp"
#include "rootsim/scenarios/scenario.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::scenarios::detail {

using policy::json_fields::escape_token;

/// A number for messages: integers without a fraction, others as %g ("365", "0.5").
[[nodiscard]] std::string format_number(double value);

/// Whether an end of a range is included.
enum class Bound : std::uint8_t { kClosed, kOpen };

/// A range of acceptable numbers, with its text for messages ("[0, 1]", "(0, 48]", ">= 0").
struct Range {
  double lo = 0;
  double hi = std::numeric_limits<double>::infinity();
  Bound lo_bound = Bound::kClosed;
  Bound hi_bound = Bound::kClosed;

  [[nodiscard]] bool contains(double v) const noexcept;
  [[nodiscard]] std::string text() const;
};
inline constexpr Range kShare{0, 1, Bound::kClosed, Bound::kClosed};
inline constexpr Range kNonNegative{};
inline constexpr Range kPositive{0, std::numeric_limits<double>::infinity(), Bound::kOpen,
                                 Bound::kClosed};

class Object : public policy::json_fields::Object {
 public:
  using policy::json_fields::Object::Object;

  /// A string (non-empty unless `allow_empty`); nullopt when absent or wrong (error recorded
  /// when wrong, or when absent and `required`).
  [[nodiscard]] std::optional<std::string> string(std::string_view key, bool required,
                                                  bool allow_empty = false);
  /// A finite number within `range`.
  [[nodiscard]] std::optional<double> number(std::string_view key, bool required, Range range);
  /// A JSON integer (not 1.5, not 1.0, not true) within [lo, hi].
  [[nodiscard]] std::optional<std::uint64_t> integer(std::string_view key, bool required,
                                                     std::uint64_t lo, std::uint64_t hi);
  [[nodiscard]] std::optional<bool> boolean(std::string_view key, bool required);
  /// An array of strings (each non-empty); `min_size` items at least.
  [[nodiscard]] std::optional<std::vector<std::string>> string_list(std::string_view key,
                                                                    bool required,
                                                                    std::size_t min_size);
};

/// Parses the "events" array at `pointer` ("/events"): every event's type, time (before
/// `duration`) and the members its type uses. Returns the events in declaration order.
/// Errors: kParse starting with the pointer ("/events/3/x: not used by revoke events").
[[nodiscard]] Result<std::vector<ScenarioEvent>> parse_events(const nlohmann::json& events,
                                                              const std::string& pointer,
                                                              dns::SimTime duration);

}  // namespace rootsim::scenarios::detail
