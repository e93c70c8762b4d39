// dns::Name: a domain name held in uncompressed wire form (length-prefixed labels, final 0).
// Thread-safety: a regular value type. Comparison is case-insensitive (RFC 4343) and orders
// names canonically (RFC 4034 §6.1).
#pragma once

#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/dns/result.hpp"

namespace rootsim::dns {

class Name {
 public:
  /// The root name ".".
  Name() : wire_{0} {}

  /// Parses presentation form ("www.example.", "example" is taken as absolute, "\046" escapes).
  /// Errors: kParse for empty labels, labels over 63 octets, names over 255 octets, bad escapes.
  [[nodiscard]] static Result<Name> from_text(std::string_view text);
  /// Takes uncompressed wire form. Errors: kParse when malformed or over 255 octets.
  [[nodiscard]] static Result<Name> from_wire(std::span<const std::uint8_t> wire);

  /// Presentation form, absolute with the final dot ("." for the root), escaping as RFC 4343.
  [[nodiscard]] std::string to_text() const;
  /// Uncompressed wire form, case as given.
  [[nodiscard]] std::span<const std::uint8_t> wire() const noexcept { return wire_; }
  /// Lookup form: reversed, lowercased labels each followed by '\0' ("www.example." ->
  /// "example\0www\0"; root -> ""). Byte order of these keys is canonical DNS order.
  [[nodiscard]] std::string lookup_key() const;

  [[nodiscard]] std::size_t label_count() const noexcept;
  [[nodiscard]] bool is_root() const noexcept { return wire_.size() == 1; }
  /// The labels, leftmost first, without the root label, as given (case kept).
  [[nodiscard]] std::vector<std::string> labels() const;
  /// The leftmost label as text without escapes (raw octets).
  [[nodiscard]] std::string first_label() const;
  /// The name with its leftmost label removed; the root's parent is the root.
  [[nodiscard]] Name parent() const;
  /// The last `count` labels ("a.b.c." with 1 -> "c."); count >= label_count() gives itself.
  [[nodiscard]] Name suffix(std::size_t count) const;
  /// True when this name equals `ancestor` or lies below it.
  [[nodiscard]] bool is_subdomain_of(const Name& ancestor) const;
  /// A copy with ASCII letters lowercased (canonical form, RFC 4034 §6.2).
  [[nodiscard]] Name lowercased() const;

  friend bool operator==(const Name& a, const Name& b) noexcept;
  friend std::weak_ordering operator<=>(const Name& a, const Name& b) noexcept;

 private:
  explicit Name(std::vector<std::uint8_t> wire) : wire_(std::move(wire)) {}
  std::vector<std::uint8_t> wire_;
};

/// Canonical comparison of two uncompressed wire names (RFC 4034 §6.1), case-insensitive.
[[nodiscard]] std::weak_ordering compare_canonical(std::span<const std::uint8_t> a,
                                                   std::span<const std::uint8_t> b) noexcept;

}  // namespace rootsim::dns
