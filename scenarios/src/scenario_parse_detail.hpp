// Strict reading of scenario documents: a reader takes an object's members by name, keeps the
// first problem with its JSON pointer, and finish() reports members nobody asked for. The same
// pattern as policy/src/json_fields (private there), plus the range checks scenarios need.
// Private to rootsim::scenarios. Thread-safety: one reader per object and thread. Ownership: a
// reader borrows the JSON value, which must outlive it.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/dns/sim_time.hpp"
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

/// RFC 6901 escaping of one reference token ("a/b" -> "a~1b").
[[nodiscard]] std::string escape_token(std::string_view token);

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

class Object {
 public:
  Object(const nlohmann::json& value, std::string pointer);

  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  [[nodiscard]] std::string pointer_of(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const;
  /// The member, marked as read; nullptr (and an error when `required`) when absent.
  [[nodiscard]] const nlohmann::json* member(std::string_view key, bool required);

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

  /// Records a problem (the first one wins); `message` starts with its pointer.
  void error(std::string message);
  [[nodiscard]] bool ok() const noexcept { return !first_error_.has_value(); }
  /// The first problem, else the first member that was never read ("/x/y: unknown key").
  [[nodiscard]] Status finish();

 private:
  const nlohmann::json& value_;
  std::string pointer_;
  std::set<std::string, std::less<>> read_;
  std::optional<std::string> first_error_;
};

/// Parses the "events" array at `pointer` ("/events"): every event's type, time (before
/// `duration`) and the members its type uses. Returns the events in declaration order.
/// Errors: kParse starting with the pointer ("/events/3/x: not used by revoke events").
[[nodiscard]] Result<std::vector<ScenarioEvent>> parse_events(const nlohmann::json& events,
                                                              const std::string& pointer,
                                                              dns::SimTime duration);

}  // namespace rootsim::scenarios::detail
