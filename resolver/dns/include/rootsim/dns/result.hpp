// Errors as values: Result<T> holds either a T or an Error (code + message naming the place).
// Thread-safety: plain values. A subset of std::expected; becomes an alias when we move to C++23.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace rootsim {

enum class Errc : std::uint8_t { kParse, kSemantic, kNotFound, kConflict, kIo, kLimit };

/// An expected failure: `message` names the place ("root.zone:1412: ...", "/ns/2: ...").
struct Error {
  Errc code;
  std::string message;
};

template <class E>
class Unexpected {
 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  E& error() & { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

/// Either a value or an Error. Access to the wrong alternative is a bug (std::get throws).
template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Expected(Unexpected<E> error)                                            // NOLINT: implicit
      : data_(std::in_place_index<1>, std::move(error).error()) {}
  [[nodiscard]] bool has_value() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const& { return std::get<1>(data_); }
  E&& error() && { return std::get<1>(std::move(data_)); }

 private:
  std::variant<T, E> data_;
};

template <class E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  Expected(Unexpected<E> error) : error_(std::move(error).error()), ok_(false) {}  // NOLINT
  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const E& error() const& { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_{};
  bool ok_ = true;
};

template <class T>
using Result = Expected<T, Error>;
using Status = Expected<void, Error>;

/// Builds the error alternative: `return fail(Errc::kParse, "root.zone:3: bad TTL");`
inline Unexpected<Error> fail(Errc code, std::string message) {
  return Unexpected<Error>(Error{code, std::move(message)});
}
/// Passes an error on unchanged, with an optional prefix naming the outer place.
inline Unexpected<Error> fail(Error error, const std::string& prefix = {}) {
  if (!prefix.empty()) {
    error.message = prefix + error.message;
  }
  return Unexpected<Error>(std::move(error));
}

}  // namespace rootsim
