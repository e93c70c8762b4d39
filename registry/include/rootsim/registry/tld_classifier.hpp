// Classifies a TLD label (kind, ISO 3166-1 code, U-label) from data Debian ships: ISO 3166-1 from
// iso-codes, the TLD list, IDN ccTLDs and their countries from the Public Suffix List (ICANN
// section and its "// xn--… (…) : CC" comments). IDNA conversion is libidn2 (IDNA2008).
// Thread-safety: immutable after load(); const methods may be called from any thread.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/registry/tld.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rootsim::registry {

struct TldClassification {
  TldKind kind = TldKind::kGeneric;
  std::optional<std::string> iso_code;  ///< "CZ", "RU" for .рф, "EU" for .eu; nullopt for gTLDs
  std::string u_label;                  ///< for xn-- labels, else empty
  std::string country_name;             ///< ISO 3166-1 name (or the reserved code's) with iso_code
  friend bool operator==(const TldClassification&, const TldClassification&) = default;
};

struct ClassifierSources {
  std::filesystem::path iso_3166 = "/usr/share/iso-codes/json/iso_3166-1.json";
  std::filesystem::path public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat";
};

class TldClassifier {
 public:
  /// Reads both sources. Errors: kIo naming a missing file; kParse naming the file and the JSON
  /// pointer ("iso_3166-1.json: /3166-1/4/alpha_2: expected ..."), byte offset of a JSON syntax
  /// error, or PSL line ("public_suffix_list.dat:812: ...", also for labels libidn2 rejects).
  [[nodiscard]] static Result<TldClassifier> load(const ClassifierSources& sources = {});

  /// Kind of a TLD: two-letter labels are country codes when ISO 3166-1 assigns them or they are
  /// one of the exceptional codes in the root (ac, eu, su, uk); xn-- labels the PSL maps to a
  /// country are IDN ccTLDs; arpa is infrastructure; the sponsored gTLDs are listed; the rest
  /// is generic. Only the rightmost label of `label` (its TLD) is looked at. O(log n).
  [[nodiscard]] TldClassification classify(const dns::Name& label) const;

  /// The TLDs of the PSL's ICANN section, as A-labels ("xn--p1ai."), sorted canonically: every
  /// single-label rule, plus the TLD of rules that only list names below it ("*.ck", "co.za").
  [[nodiscard]] const std::vector<dns::Name>& psl_tlds() const noexcept { return psl_tlds_; }
  /// ISO 3166-1 alpha-2 code (upper case) -> country name, for every assigned code.
  [[nodiscard]] const std::map<std::string, std::string>& countries() const noexcept {
    return countries_;
  }
  /// IDN ccTLD A-label ("xn--p1ai") -> ISO code ("RU"), as the PSL's comments state it.
  [[nodiscard]] const std::map<std::string, std::string>& idn_countries() const noexcept {
    return idn_country_;
  }

 private:
  std::map<std::string, std::string> countries_;    // "CZ" -> "Czechia"
  std::map<std::string, std::string> idn_country_;  // "xn--p1ai" -> "RU"
  std::vector<dns::Name> psl_tlds_;
};

/// IDNA2008 (non-transitional) A-label of a UTF-8 label via libidn2; ASCII comes back lowercased.
/// Errors: kParse with libidn2's message.
[[nodiscard]] Result<std::string> to_a_label(const std::string& u_label);
/// The Unicode form of an A-label via libidn2. Errors: kParse with libidn2's message.
[[nodiscard]] Result<std::string> to_u_label(const std::string& a_label);

}  // namespace rootsim::registry
