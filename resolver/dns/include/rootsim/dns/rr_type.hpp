// Resource record types and classes (IANA DNS parameters). Thread-safety: constants only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rootsim::dns {

/// An RR type. Values not named here are still valid (written TYPEnnn, RFC 3597).
enum class RRType : std::uint16_t {
  kA = 1,
  kNs = 2,
  kCname = 5,
  kSoa = 6,
  kPtr = 12,
  kMx = 15,
  kTxt = 16,
  kAaaa = 28,
  kOpt = 41,
  kDs = 43,
  kRrsig = 46,
  kNsec = 47,
  kDnskey = 48,
  kNsec3 = 50,
  kNsec3param = 51,
  kZonemd = 63,
  kAxfr = 252,
  kAny = 255,
  kCaa = 257,
};

enum class RRClass : std::uint16_t { kIn = 1, kCh = 3, kAny = 255 };

/// Mnemonic ("NS") or "TYPE65534" for unnamed types.
[[nodiscard]] std::string to_text(RRType type);
/// Accepts mnemonics case-insensitively and the TYPEnnn form; nullopt otherwise.
[[nodiscard]] std::optional<RRType> rr_type_from_text(std::string_view text);

[[nodiscard]] constexpr std::uint16_t to_number(RRType type) noexcept {
  return static_cast<std::uint16_t>(type);
}

}  // namespace rootsim::dns
