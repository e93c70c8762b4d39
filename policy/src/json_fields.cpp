#include "rootsim/policy/json_fields.hpp"

namespace rootsim::policy::json_fields {

std::string escape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Object::Object(const nlohmann::json& value, std::string pointer)
    : value_(value), pointer_(std::move(pointer)) {
  if (!value_.is_object()) {
    error((pointer_.empty() ? "/" : pointer_) + ": expected an object");
  }
}

std::string Object::pointer_of(std::string_view key) const {
  return pointer_ + "/" + escape_token(key);
}

bool Object::has(std::string_view key) const {
  return value_.is_object() && value_.find(key) != value_.end();
}

const nlohmann::json* Object::member(std::string_view key, bool required) {
  if (!value_.is_object()) {
    return nullptr;
  }
  auto it = value_.find(key);
  if (it == value_.end()) {
    if (required) {
      error(pointer_of(key) + ": missing");
    }
    return nullptr;
  }
  read_.emplace(key);
  return &*it;
}

std::optional<std::string> Object::string(std::string_view key) {
  const auto* m = member(key, true);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_string()) {
    error(pointer_of(key) + ": expected a string");
    return std::nullopt;
  }
  return m->get<std::string>();
}

std::optional<std::string> Object::optional_string(std::string_view key) {
  if (!has(key)) {
    return std::nullopt;
  }
  return string(key);
}

std::optional<double> Object::number(std::string_view key) {
  const auto* m = member(key, true);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_number()) {
    error(pointer_of(key) + ": expected a number");
    return std::nullopt;
  }
  return m->get<double>();
}

std::optional<double> Object::optional_number(std::string_view key) {
  if (!has(key)) {
    return std::nullopt;
  }
  return number(key);
}

std::optional<bool> Object::optional_boolean(std::string_view key) {
  const auto* m = member(key, false);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_boolean()) {
    error(pointer_of(key) + ": expected true or false");
    return std::nullopt;
  }
  return m->get<bool>();
}

std::optional<std::vector<std::string>> Object::string_list(std::string_view key) {
  const auto* m = member(key, true);
  if (m == nullptr) {
    return std::nullopt;
  }
  if (!m->is_array()) {
    error(pointer_of(key) + ": expected an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m->size(); ++i) {
    if (!(*m)[i].is_string()) {
      error(pointer_of(key) + "/" + std::to_string(i) + ": expected a string");
      return std::nullopt;
    }
    out.push_back((*m)[i].get<std::string>());
  }
  return out;
}

void Object::error(std::string message) {
  if (!first_error_) {
    first_error_ = std::move(message);
  }
}

Status Object::finish() {
  if (first_error_) {
    return fail(Errc::kParse, *first_error_);
  }
  for (auto it = value_.begin(); it != value_.end(); ++it) {
    if (read_.find(it.key()) == read_.end()) {
      return fail(Errc::kParse, pointer_of(it.key()) + ": unknown key");
    }
  }
  return {};
}

}  // namespace rootsim::policy::json_fields
