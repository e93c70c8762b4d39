// Classifies a TLD label (kind, ISO 3166-1 code, U-label) from data Debian ships: ISO 3166-1 from
// iso-codes, IDN ccTLDs and their countries from the Public Suffix List's comments.
// Thread-safety: immutable after load(); const methods may be called from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "rootsim/dns/name.hpp"
#include "rootsim/registry/tld.hpp"

namespace rootsim::registry {

struct TldClassification {
  TldKind kind = TldKind::kGeneric;
  std::optional<std::string> iso_code;  ///< "CZ", "RU" for .рф; nullopt for gTLDs
  std::string u_label;                  ///< for xn-- labels, else empty
  std::string country_name;             ///< ISO 3166-1 name when iso_code is set
};

struct ClassifierSources {
  std::filesystem::path iso_3166 = "/usr/share/iso-codes/json/iso_3166-1.json";
  std::filesystem::path public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat";
};

class TldClassifier {
 public:
  /// Reads both sources. Errors: kIo naming a missing file; kParse naming file and line/pointer.
  [[nodiscard]] static Result<TldClassifier> load(const ClassifierSources& sources = {});

  /// Kind of a TLD: two-letter labels are country codes when ISO 3166-1 assigns them or they are
  /// one of the exceptional codes in the root (ac, eu, su, uk); xn-- labels the PSL maps to a
  /// country are IDN ccTLDs; arpa is infrastructure; the sponsored gTLDs are listed; the rest
  /// is generic.
  [[nodiscard]] TldClassification classify(const dns::Name& label) const;

  /// The ICANN-section TLDs of the Public Suffix List, as A-labels ("xn--p1ai."), sorted.
  [[nodiscard]] const std::vector<dns::Name>& psl_tlds() const noexcept { return psl_tlds_; }
  /// ISO 3166-1 alpha-2 code (upper case) -> country name, for every assigned code.
  [[nodiscard]] const std::map<std::string, std::string>& countries() const noexcept {
    return countries_;
  }

 private:
  std::map<std::string, std::string> countries_;           // "CZ" -> "Czechia"
  std::map<std::string, std::string> idn_country_;         // "xn--p1ai" -> "RU"
  std::map<std::string, std::string> idn_u_label_;         // "xn--p1ai" -> "рф"
  std::vector<dns::Name> psl_tlds_;
};

}  // namespace rootsim::registry
