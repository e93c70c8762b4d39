// dns::Name: a domain name held in uncompressed wire form (length-prefixed labels, final 0).
// Thread-safety: a regular value type. Comparison is case-insensitive (RFC 4343) and orders
// names canonically (RFC 4034 §6.1). Names of up to 31 wire octets (over 99% of the root zone's
// owners and name servers) are held inline, longer ones on the heap: as with std::string, the
// span wire() returns is invalidated by moving or assigning the name.
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/dns/result.hpp"

namespace rootsim::dns {

class Name {
 public:
  /// The root name ".".
  Name() noexcept { set_inline_root(); }
  Name(const Name& other) { copy_from(other); }
  Name(Name&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.set_inline_root();
  }
  Name& operator=(const Name& other) {
    if (this != &other) {
      release();
      copy_from(other);
    }
    return *this;
  }
  Name& operator=(Name&& other) noexcept {
    if (this != &other) {
      release();
      std::memcpy(bytes_, other.bytes_, sizeof bytes_);
      other.set_inline_root();
    }
    return *this;
  }
  ~Name() { release(); }

  /// Parses presentation form ("www.example.", "example" is taken as absolute, "\046" escapes).
  /// Errors: kParse for empty labels, labels over 63 octets, names over 255 octets, bad escapes.
  [[nodiscard]] static Result<Name> from_text(std::string_view text);
  /// Takes uncompressed wire form. Errors: kParse when malformed or over 255 octets.
  [[nodiscard]] static Result<Name> from_wire(std::span<const std::uint8_t> wire);

  /// Presentation form, absolute with the final dot ("." for the root), escaping as RFC 4343.
  [[nodiscard]] std::string to_text() const;
  /// Uncompressed wire form, case as given.
  [[nodiscard]] std::span<const std::uint8_t> wire() const noexcept { return {data(), size()}; }
  /// Lookup form: reversed, lowercased labels each followed by '\0' ("www.example." ->
  /// "example\0www\0"; root -> ""). Byte order of these keys is canonical DNS order.
  [[nodiscard]] std::string lookup_key() const;

  [[nodiscard]] std::size_t label_count() const noexcept;
  [[nodiscard]] bool is_root() const noexcept { return size() == 1; }
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
  // Layout: inline, bytes_[0..30] hold the wire and bytes_[31] its length (1..31); on the
  // heap, bytes_[31] is 0, bytes_[0..7] hold the pointer and bytes_[8] the length (32..255).
  static constexpr std::size_t kInline = 31;
  static constexpr std::size_t kTag = 31;
  static constexpr std::size_t kHeapSize = 8;

  /// Copies `wire` (1 to 255 octets, already checked).
  explicit Name(std::span<const std::uint8_t> wire) { assign(wire); }

  [[nodiscard]] bool on_heap() const noexcept { return bytes_[kTag] == 0; }
  [[nodiscard]] std::uint8_t* heap() const noexcept {
    std::uint8_t* p = nullptr;
    std::memcpy(&p, bytes_, sizeof p);
    return p;
  }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return on_heap() ? heap() : bytes_; }
  [[nodiscard]] std::size_t size() const noexcept {
    return on_heap() ? bytes_[kHeapSize] : bytes_[kTag];
  }
  void set_inline_root() noexcept {
    bytes_[0] = 0;
    bytes_[kTag] = 1;
  }
  void release() noexcept {
    if (on_heap()) {
      delete[] heap();
    }
  }
  void copy_from(const Name& other) {
    if (other.on_heap()) {
      assign(other.wire());
    } else {
      std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    }
  }
  void assign(std::span<const std::uint8_t> wire);

  alignas(8) std::uint8_t bytes_[32];
};

/// Canonical comparison of two uncompressed wire names (RFC 4034 §6.1), case-insensitive.
[[nodiscard]] std::weak_ordering compare_canonical(std::span<const std::uint8_t> a,
                                                   std::span<const std::uint8_t> b) noexcept;

}  // namespace rootsim::dns
