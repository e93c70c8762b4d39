// TLD labels in their two forms: U-label <-> A-label with ICU's UTS #46 (non-transitional, BiDi,
// CONTEXTJ, CONTEXTO and STD3 checks), registration validity with libidn2's IDNA2008 register
// check, the ASCII TLD rules (letters only, RFC 5891 §4.2.3.1 hyphen rules), UTF-8 <-> code
// points, and the ISO 15924 script of a label. The one place labels are converted.
// Thread-safety: free functions without shared state; safe from any thread.
#pragma once

#include "rootsim/dns/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace rootsim::registry::idn {

/// A label as code points (UTF-32); at most 63 for a DNS label.
using CodePoints = std::u32string;

/// The most code points any label may have (an A-label of 63 octets encodes fewer).
inline constexpr std::size_t kMaxLabelCodePoints = 63;

/// Both forms of a checked label. For an ASCII (non-IDN) label both forms are the same.
struct LabelForms {
  std::string a_label;     ///< "xn--p1ai", lower case
  std::string u_label;     ///< "рф" (NFC, lower case)
  CodePoints code_points;  ///< of u_label
  bool is_idn = false;     ///< a_label starts with "xn--"
  friend bool operator==(const LabelForms&, const LabelForms&) = default;
};

/// Decodes UTF-8. Errors: kParse naming the byte offset of invalid UTF-8 (overlong forms,
/// surrogates and values above U+10FFFF included).
[[nodiscard]] Result<CodePoints> decode_utf8(std::string_view text);
/// Encodes code points as UTF-8 (the input is trusted: no surrogates, at most U+10FFFF).
[[nodiscard]] std::string encode_utf8(std::u32string_view code_points);
/// "U+0440" for one code point; "U+0061 U+0062" for a sequence.
[[nodiscard]] std::string format_code_points(std::u32string_view code_points);

/// Checks a TLD label given as a U-label, an A-label or ASCII, and returns both forms.
/// ASCII labels must be letters only (a TLD is alphabetic) and follow RFC 5891 §4.2.3.1 (no
/// leading or trailing hyphen, no "--" in positions 3-4 unless an A-label). IDN labels go
/// through UTS #46 both ways (every UIDNAInfo error is reported by name), must round-trip,
/// and must pass libidn2's IDNA2008 registration check (which refuses labels UTS #46 maps or
/// allows, such as upper case or symbols). Errors: kParse with the reason ("IDNA2008: ...",
/// "UTS #46: BIDI", "not UTF-8 at byte 3", "label longer than 63 octets").
[[nodiscard]] Result<LabelForms> check_label(std::string_view text);

/// A-label of a U-label (UTS #46 to ASCII, then the IDNA2008 register check). Errors as
/// check_label.
[[nodiscard]] Result<std::string> to_a_label(std::string_view u_label);
/// U-label of an A-label (UTS #46 to Unicode, then the IDNA2008 register check on the result).
/// Errors as check_label.
[[nodiscard]] Result<std::string> to_u_label(std::string_view a_label);

/// ISO 15924 code of a label's script by ICU's Script property, ignoring Common and Inherited
/// code points: "Cyrl", "Hani", "Latn". Han mixed with kana is "Jpan", Han with Hangul "Kore";
/// any other mixture is "Zyyy" (mixed), and a label with only Common code points "Zyyy" too.
[[nodiscard]] std::string script_of(std::u32string_view label);

}  // namespace rootsim::registry::idn
