// Label conversion: UTS #46 through ICU's C API, the IDNA2008 registration check through libidn2.
#include "rootsim/registry/idn/label.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <idn2.h>
#include <memory>
#include <set>
#include <unicode/uidna.h>
#include <unicode/uscript.h>
#include <utility>

namespace rootsim::registry::idn {
namespace {

struct UidnaClose {
  void operator()(UIDNA* p) const { uidna_close(p); }
};
using Uts46 = std::unique_ptr<UIDNA, UidnaClose>;

struct Idn2Free {
  void operator()(std::uint8_t* p) const { idn2_free(p); }
};
using Idn2Bytes = std::unique_ptr<std::uint8_t, Idn2Free>;

constexpr std::uint32_t kUts46Options =
    UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI |
    UIDNA_CHECK_CONTEXTJ | UIDNA_CHECK_CONTEXTO | UIDNA_USE_STD3_RULES;

Unexpected<Error> bad(const std::string& what) { return fail(Errc::kParse, what); }

// The names of the UIDNAInfo error bits, so a refusal says why.
std::string uts46_errors(std::uint32_t bits) {
  static constexpr std::array<std::pair<std::uint32_t, const char*>, 15> kNames{{
      {UIDNA_ERROR_EMPTY_LABEL, "EMPTY_LABEL"},
      {UIDNA_ERROR_LABEL_TOO_LONG, "LABEL_TOO_LONG"},
      {UIDNA_ERROR_DOMAIN_NAME_TOO_LONG, "DOMAIN_NAME_TOO_LONG"},
      {UIDNA_ERROR_LEADING_HYPHEN, "LEADING_HYPHEN"},
      {UIDNA_ERROR_TRAILING_HYPHEN, "TRAILING_HYPHEN"},
      {UIDNA_ERROR_HYPHEN_3_4, "HYPHEN_3_4"},
      {UIDNA_ERROR_LEADING_COMBINING_MARK, "LEADING_COMBINING_MARK"},
      {UIDNA_ERROR_DISALLOWED, "DISALLOWED"},
      {UIDNA_ERROR_PUNYCODE, "PUNYCODE"},
      {UIDNA_ERROR_LABEL_HAS_DOT, "LABEL_HAS_DOT"},
      {UIDNA_ERROR_INVALID_ACE_LABEL, "INVALID_ACE_LABEL"},
      {UIDNA_ERROR_BIDI, "BIDI"},
      {UIDNA_ERROR_CONTEXTJ, "CONTEXTJ"},
      {UIDNA_ERROR_CONTEXTO_PUNCTUATION, "CONTEXTO_PUNCTUATION"},
      {UIDNA_ERROR_CONTEXTO_DIGITS, "CONTEXTO_DIGITS"},
  }};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((bits & bit) != 0) {
      out += (out.empty() ? "" : ", ") + std::string(name);
    }
  }
  return out.empty() ? "error bits " + std::to_string(bits) : out;
}

Result<Uts46> open_uts46() {
  UErrorCode status = U_ZERO_ERROR;
  Uts46 uts46(uidna_openUTS46(kUts46Options, &status));
  if (U_FAILURE(status) || !uts46) {
    return fail(Errc::kIo, std::string("ICU: cannot open UTS #46: ") + u_errorName(status));
  }
  return uts46;
}

enum class Direction : std::uint8_t { kToAscii, kToUnicode };

// One UTS #46 conversion; both the UErrorCode and every UIDNAInfo error bit are checked.
Result<std::string> uts46(std::string_view label, Direction direction) {
  auto idna = open_uts46();
  if (!idna) {
    return fail(std::move(idna).error());
  }
  std::array<char, 256> out{};
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  const auto length = static_cast<std::int32_t>(label.size());
  const std::int32_t written =
      direction == Direction::kToAscii
          ? uidna_labelToASCII_UTF8(idna->get(), label.data(), length, out.data(),
                                    static_cast<std::int32_t>(out.size()), &info, &status)
          : uidna_labelToUnicodeUTF8(idna->get(), label.data(), length, out.data(),
                                     static_cast<std::int32_t>(out.size()), &info, &status);
  if (U_FAILURE(status)) {
    return bad(std::string("UTS #46: ") + u_errorName(status));
  }
  if (info.errors != 0) {
    return bad("UTS #46: " + uts46_errors(info.errors));
  }
  return std::string(out.data(), static_cast<std::size_t>(written));
}

// libidn2's IDNA2008 registration check of a U-label; returns the A-label it derives.
Result<std::string> idna2008_register(const std::string& u_label) {
  std::uint8_t* raw = nullptr;
  const int rc =
      idn2_register_u8(reinterpret_cast<const std::uint8_t*>(u_label.c_str()), nullptr, &raw, 0);
  Idn2Bytes owned(raw);
  if (rc != IDN2_OK) {
    return bad(std::string("IDNA2008: ") + idn2_strerror(rc));
  }
  return std::string(reinterpret_cast<const char*>(owned.get()));
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// ASCII TLD rules: letters only (a TLD is alphabetic, RFC 1123 §2.1 as applied to the root);
// hyphens are refused outright, which covers RFC 5891 §4.2.3.1 for non-IDN labels.
Status check_ascii_tld(const std::string& label) {
  if (label.empty()) {
    return bad("empty label");
  }
  if (label.size() > 63) {
    return bad("label longer than 63 octets");
  }
  if (label.front() == '-' || label.back() == '-') {
    return bad("'" + label + "': leading or trailing hyphen (RFC 5891 4.2.3.1)");
  }
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') {
    return bad("'" + label + "': hyphens in positions 3 and 4 are reserved (RFC 5891 4.2.3.1)");
  }
  for (const char c : label) {
    if (c < 'a' || c > 'z') {
      return bad("'" + label + "': a TLD has letters only");
    }
  }
  return {};
}

Result<LabelForms> from_a_label(const std::string& a_label) {
  auto u_label = uts46(a_label, Direction::kToUnicode);
  if (!u_label) {
    return fail(std::move(u_label).error(), "'" + a_label + "'");
  }
  auto derived = idna2008_register(*u_label);
  if (!derived) {
    return fail(std::move(derived).error(), "'" + a_label + "' (" + *u_label + ")");
  }
  if (*derived != a_label) {
    return bad("'" + a_label + "': not the canonical A-label of " + *u_label + " (" + *derived +
               ")");
  }
  auto code_points = decode_utf8(*u_label);
  if (!code_points) {
    return fail(std::move(code_points).error());
  }
  return LabelForms{a_label, *u_label, std::move(code_points).value(), true};
}

Result<LabelForms> from_u_label(const std::string& u_label) {
  auto a_label = uts46(u_label, Direction::kToAscii);
  if (!a_label) {
    return fail(std::move(a_label).error(), "'" + u_label + "'");
  }
  auto back = uts46(*a_label, Direction::kToUnicode);
  if (!back) {
    return fail(std::move(back).error(), "'" + u_label + "'");
  }
  if (*back != u_label) {
    return bad("'" + u_label + "': UTS #46 maps it to '" + *back +
               "'; a U-label for registration is the mapped form");
  }
  auto derived = idna2008_register(u_label);
  if (!derived) {
    return fail(std::move(derived).error(), "'" + u_label + "'");
  }
  if (*derived != *a_label) {
    return bad("'" + u_label + "': ICU and libidn2 disagree on its A-label (" + *a_label + " vs " +
               *derived + ")");
  }
  auto code_points = decode_utf8(u_label);
  if (!code_points) {
    return fail(std::move(code_points).error());
  }
  return LabelForms{*a_label, u_label, std::move(code_points).value(),
                    a_label->rfind("xn--", 0) == 0};
}

}  // namespace

Result<CodePoints> decode_utf8(std::string_view text) {
  CodePoints out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0U) == 0xC0U) {
      extra = 1;
      cp = lead & 0x1FU;
      min = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
      extra = 2;
      cp = lead & 0x0FU;
      min = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
      extra = 3;
      cp = lead & 0x07U;
      min = 0x10000;
    } else {
      return bad("not UTF-8 at byte " + std::to_string(i));
    }
    if (extra > 0 && i + extra >= text.size()) {
      return bad("truncated UTF-8 sequence at byte " + std::to_string(i));
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) {
        return bad("not UTF-8 at byte " + std::to_string(i + k));
      }
      cp = (cp << 6U) | (next & 0x3FU);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return bad("not UTF-8 at byte " + std::to_string(i) + " (overlong, surrogate or too large)");
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

std::string encode_utf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size() * 3);
  for (const char32_t cp : code_points) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else {
      out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    }
  }
  return out;
}

std::string format_code_points(std::u32string_view code_points) {
  std::string out;
  for (const char32_t cp : code_points) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "U+%04X", static_cast<unsigned>(cp));
    out += (out.empty() ? "" : " ") + std::string(buf.data());
  }
  return out;
}

Result<LabelForms> check_label(std::string_view text) {
  if (text.empty()) {
    return bad("empty label");
  }
  if (text.size() > 4 * kMaxLabelCodePoints) {
    return bad("label longer than 63 code points");
  }
  auto code_points = decode_utf8(text);
  if (!code_points) {
    return fail(std::move(code_points).error());
  }
  if (code_points->size() > kMaxLabelCodePoints) {
    return bad("label longer than 63 code points");
  }
  if (is_ascii(text)) {
    const std::string label = lower_ascii(text);
    if (label.rfind("xn--", 0) == 0) {
      return from_a_label(label);
    }
    if (auto ok = check_ascii_tld(label); !ok) {
      return fail(std::move(ok).error());
    }
    return LabelForms{label, label, CodePoints(label.begin(), label.end()), false};
  }
  return from_u_label(std::string(text));
}

Result<std::string> to_a_label(std::string_view u_label) {
  auto forms = check_label(u_label);
  if (!forms) {
    return fail(std::move(forms).error());
  }
  return forms->a_label;
}

Result<std::string> to_u_label(std::string_view a_label) {
  auto forms = check_label(a_label);
  if (!forms) {
    return fail(std::move(forms).error());
  }
  return forms->u_label;
}

std::string script_of(std::u32string_view label) {
  std::set<UScriptCode> scripts;
  for (const char32_t cp : label) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
    if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) {
      continue;
    }
    scripts.insert(script);
  }
  if (scripts.empty()) {
    return "Zyyy";
  }
  if (scripts.size() == 1) {
    return uscript_getShortName(*scripts.begin());
  }
  const bool kana = scripts.contains(USCRIPT_HIRAGANA) || scripts.contains(USCRIPT_KATAKANA);
  const bool only_japanese = std::all_of(scripts.begin(), scripts.end(), [](UScriptCode s) {
    return s == USCRIPT_HAN || s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA;
  });
  if (kana && only_japanese) {
    return "Jpan";
  }
  if (scripts.size() == 2 && scripts.contains(USCRIPT_HAN) && scripts.contains(USCRIPT_HANGUL)) {
    return "Kore";
  }
  return "Zyyy";
}

}  // namespace rootsim::registry::idn
