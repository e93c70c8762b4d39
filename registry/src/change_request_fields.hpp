// Private to rootsim::registry: readers for the fields of change request JSON documents. Each
// takes the value and its JSON pointer and fails with kParse "<pointer>: <what>".
#pragma once

#include "rootsim/registry/change_request.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry::request_fields {

using nlohmann::json;

inline constexpr std::size_t kMaxText = 1024;
inline constexpr std::size_t kMaxReason = 4096;

/// The pointer as written in messages: "/" for the document itself.
std::string where(const std::string& pointer);
Unexpected<Error> bad(const std::string& pointer, const std::string& what);
/// The pointer of a member (escaped as RFC 6901 says) or of an array element.
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

/// The members of one object; `only()` rejects any member not named.
class Members {
 public:
  Members(const json& object, std::string pointer)
      : object_(object), pointer_(std::move(pointer)) {}

  [[nodiscard]] Status only(std::initializer_list<std::string_view> allowed) const {
    for (const auto& item : object_.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        return bad(child(pointer_, item.key()), "unknown member");
      }
    }
    return {};
  }
  /// The member, or nullptr when absent.
  [[nodiscard]] const json* optional(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  [[nodiscard]] std::string at(std::string_view key) const { return child(pointer_, key); }

 private:
  const json& object_;  // borrowed from the caller's document, which outlives this
  std::string pointer_;
};

Result<std::string> get_text(const json& value, const std::string& pointer, std::size_t max);
Result<std::string> get_nonempty_text(const json& value, const std::string& pointer);
Result<dns::Name> get_host(const json& value, const std::string& pointer);
Result<dns::Name> get_tld(const json& value, const std::string& pointer);
Result<std::vector<dns::Name>> get_name_servers(const json& value, const std::string& pointer);
Result<std::vector<dns::Address>> get_addresses(const json& value, const std::string& pointer);
/// {"host": ["address", ...]}: each host among `ns` unless `ns` is null; sorted canonically.
Result<std::vector<GlueEntry>> get_glue(const json& value, const std::string& pointer,
                                        const std::vector<dns::Name>* ns);
Result<std::vector<dns::DsRdata>> get_ds_set(const json& value, const std::string& pointer);
Result<Contact> get_contact(const json& value, const std::string& pointer);
Result<std::string> get_actor(const json& value, const std::string& pointer);
Result<std::string> get_date(const json& value, const std::string& pointer);

/// Reads member `key` with `reader` into `out`; a missing member is an error when `required`.
template <class T, class Reader>
Status read(const Members& m, std::string_view key, bool required, T& out, Reader reader) {
  const json* value = m.optional(key);
  if (value == nullptr) {
    return required ? Status(bad(m.at(key), "missing")) : Status();
  }
  auto parsed = reader(*value, m.at(key));
  if (!parsed) {
    return fail(std::move(parsed).error());
  }
  out = std::move(parsed).value();
  return {};
}

}  // namespace rootsim::registry::request_fields
