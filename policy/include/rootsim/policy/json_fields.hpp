// Strict reading of JSON objects: every member is taken by name, the first problem is kept with
// its JSON pointer, and finish() reports members nobody asked for. The policy module's documents
// (arrangements, requests, actors) are read with it, and the scenario loader builds its reader
// (range-checked numbers, integers) on it. Thread-safety: one reader per object and thread.
// Ownership: a reader borrows the JSON value, which must outlive it.
#pragma once

#include "rootsim/dns/result.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::policy::json_fields {

/// RFC 6901 escaping of one reference token ("a/b" -> "a~1b").
[[nodiscard]] std::string escape_token(std::string_view token);

class Object {
 public:
  Object(const nlohmann::json& value, std::string pointer);

  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  [[nodiscard]] std::string pointer_of(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const;
  /// The member, marked as read; nullptr (and an error when `required`) when absent.
  [[nodiscard]] const nlohmann::json* member(std::string_view key, bool required);

  [[nodiscard]] std::optional<std::string> string(std::string_view key);
  [[nodiscard]] std::optional<std::string> optional_string(std::string_view key);
  [[nodiscard]] std::optional<double> number(std::string_view key);
  [[nodiscard]] std::optional<double> optional_number(std::string_view key);
  [[nodiscard]] std::optional<bool> optional_boolean(std::string_view key);
  [[nodiscard]] std::optional<std::vector<std::string>> string_list(std::string_view key);

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

}  // namespace rootsim::policy::json_fields
