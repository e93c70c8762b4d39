#include "rootsim/registry/tld_classifier.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <idn2.h>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

namespace rootsim::registry {
namespace {

// The sponsored gTLDs: the TLDs the IANA Root Zone Database (https://www.iana.org/domains/root/db)
// lists with type "sponsored" (TLDs with a sponsoring organisation, from the 2000 and 2004 ICANN
// rounds, plus edu, gov, int and mil). Sorted for binary search.
constexpr std::array<std::string_view, 15> kSponsored{"aero",   "asia", "cat",  "coop",   "edu",
                                                      "gov",    "int",  "jobs", "mil",    "mobi",
                                                      "museum", "post", "tel",  "travel", "xxx"};

// Country-code TLDs in the root whose codes ISO 3166-1 does not assign: AC, EU and UK are
// "exceptionally reserved" and SU "transitionally reserved" by the ISO 3166 Maintenance Agency.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kReservedCodes{{
    {"AC", "Ascension Island"},
    {"EU", "European Union"},
    {"SU", "Soviet Union"},
    {"UK", "United Kingdom"},
}};

struct Idn2Free {
  void operator()(char* p) const { idn2_free(p); }
};
using Idn2String = std::unique_ptr<char, Idn2Free>;

Result<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot open");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return fail(Errc::kIo, file.string() + ": read failed");
  }
  return text.str();
}

std::string upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

Result<std::map<std::string, std::string>> read_iso_3166(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) {
    return fail(std::move(text).error());
  }
  const std::string where = file.string() + ": ";
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(Errc::kParse, where + "byte " + std::to_string(e.byte) + ": " + e.what());
  }
  if (!doc.is_object() || !doc.contains("3166-1") || !doc["3166-1"].is_array()) {
    return fail(Errc::kParse, where + "/3166-1: expected an array of countries");
  }
  std::map<std::string, std::string> countries;
  const auto& list = doc["3166-1"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string pointer = "/3166-1/" + std::to_string(i);
    const auto& entry = list[i];
    if (!entry.is_object()) {
      return fail(Errc::kParse, where + pointer + ": expected an object");
    }
    const auto code = entry.find("alpha_2");
    if (code == entry.end() || !code->is_string()) {
      return fail(Errc::kParse, where + pointer + "/alpha_2: expected a string");
    }
    const auto& code_text = code->get_ref<const std::string&>();
    if (code_text.size() != 2 || !std::isupper(static_cast<unsigned char>(code_text[0])) ||
        !std::isupper(static_cast<unsigned char>(code_text[1]))) {
      return fail(
          Errc::kParse,
          where + pointer + "/alpha_2: expected two upper-case letters, got \"" + code_text + "\"");
    }
    const auto name = entry.find("name");
    if (name == entry.end() || !name->is_string()) {
      return fail(Errc::kParse, where + pointer + "/name: expected a string");
    }
    if (!countries.emplace(code_text, name->get<std::string>()).second) {
      return fail(Errc::kParse, where + pointer + "/alpha_2: duplicate code " + code_text);
    }
  }
  if (countries.empty()) {
    return fail(Errc::kParse, where + "/3166-1: no countries");
  }
  return countries;
}

struct PslContent {
  std::vector<dns::Name> tlds;
  std::map<std::string, std::string> idn_country;
};

Result<PslContent> read_psl(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) {
    return fail(std::move(text).error());
  }
  // "// xn--mgbaam7a8h ("Emerat", Arabic) : AE", also "// xn--yfro4i67o Singapore (...) : SG".
  static const std::regex kIdnComment(R"(^// (xn--[a-z0-9-]+)[ (].*:\s*([A-Z]{2})\s*$)");
  std::istringstream in(*text);
  std::string line;
  std::size_t line_no = 0;
  bool in_icann = false;
  bool seen_begin = false;
  bool seen_end = false;
  std::set<dns::Name> tlds;
  PslContent out;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find("===BEGIN ICANN DOMAINS===") != std::string::npos) {
      in_icann = seen_begin = true;
      continue;
    }
    if (line.find("===END ICANN DOMAINS===") != std::string::npos) {
      seen_end = true;
      break;
    }
    if (!in_icann || line.empty()) {
      continue;
    }
    const std::string where = file.string() + ":" + std::to_string(line_no) + ": ";
    if (line.rfind("//", 0) == 0) {
      std::smatch m;
      if (std::regex_match(line, m, kIdnComment)) {
        out.idn_country[m[1].str()] = m[2].str();
      }
      continue;
    }
    // A rule is the first whitespace-delimited field; its TLD is the rightmost label.
    const std::string rule = line.substr(0, line.find_first_of(" \t"));
    const std::size_t dot = rule.rfind('.');
    const std::string tld = dot == std::string::npos ? rule : rule.substr(dot + 1);
    if (tld.empty() || tld == "*") {
      return fail(Errc::kParse, where + "rule '" + rule + "' has no TLD");
    }
    auto a_label = to_a_label(tld);
    if (!a_label) {
      return fail(std::move(a_label).error(), where + "'" + tld + "': ");
    }
    auto name = dns::Name::from_text(*a_label + ".");
    if (!name || name->label_count() != 1) {
      return fail(Errc::kParse, where + "'" + *a_label + "' is not one DNS label");
    }
    tlds.insert(std::move(*name));
  }
  if (!seen_begin || !seen_end) {
    return fail(Errc::kParse, file.string() + ": no ===BEGIN/END ICANN DOMAINS=== section");
  }
  if (tlds.empty()) {
    return fail(Errc::kParse, file.string() + ": the ICANN section lists no TLDs");
  }
  out.tlds.assign(tlds.begin(), tlds.end());
  return out;
}

std::optional<std::string_view> reserved_code_name(std::string_view code) {
  for (const auto& [c, name] : kReservedCodes) {
    if (c == code) {
      return name;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> to_a_label(const std::string& u_label) {
  char* raw = nullptr;
  const int rc = idn2_to_ascii_8z(u_label.c_str(), &raw, IDN2_NONTRANSITIONAL);
  Idn2String out(raw);
  if (rc != IDN2_OK || out == nullptr) {
    return fail(Errc::kParse, std::string("IDNA2008: ") + idn2_strerror(rc));
  }
  return lower(out.get());
}

Result<std::string> to_u_label(const std::string& a_label) {
  char* raw = nullptr;
  const int rc = idn2_to_unicode_8z8z(a_label.c_str(), &raw, 0);
  Idn2String out(raw);
  if (rc != IDN2_OK || out == nullptr) {
    return fail(Errc::kParse, std::string("IDNA2008: ") + idn2_strerror(rc));
  }
  return std::string(out.get());
}

Result<TldClassifier> TldClassifier::load(const ClassifierSources& sources) {
  auto countries = read_iso_3166(sources.iso_3166);
  if (!countries) {
    return fail(std::move(countries).error());
  }
  auto psl = read_psl(sources.public_suffix_list);
  if (!psl) {
    return fail(std::move(psl).error());
  }
  TldClassifier classifier;
  classifier.countries_ = std::move(*countries);
  classifier.idn_country_ = std::move(psl->idn_country);
  classifier.psl_tlds_ = std::move(psl->tlds);
  return classifier;
}

TldClassification TldClassifier::classify(const dns::Name& label) const {
  TldClassification out;
  if (label.is_root()) {
    return out;
  }
  const std::string text = lower(label.labels().back());
  const auto set_country = [&](const std::string& code) {
    out.iso_code = code;
    if (const auto it = countries_.find(code); it != countries_.end()) {
      out.country_name = it->second;
    } else if (const auto name = reserved_code_name(code)) {
      out.country_name = std::string(*name);
    }
  };
  if (text == "arpa") {
    out.kind = TldKind::kInfrastructure;
    return out;
  }
  if (text.size() == 2 && std::isalpha(static_cast<unsigned char>(text[0])) &&
      std::isalpha(static_cast<unsigned char>(text[1]))) {
    const std::string code = upper(text);
    if (countries_.count(code) != 0 || reserved_code_name(code)) {
      out.kind = TldKind::kCountryCode;
      set_country(code);
    }
    return out;
  }
  if (text.rfind("xn--", 0) == 0) {
    if (auto u = to_u_label(text)) {
      out.u_label = std::move(*u);
    }
    if (const auto it = idn_country_.find(text); it != idn_country_.end()) {
      out.kind = TldKind::kIdnCountryCode;
      set_country(it->second);
    }
    return out;
  }
  if (std::binary_search(kSponsored.begin(), kSponsored.end(), std::string_view(text))) {
    out.kind = TldKind::kSponsored;
  }
  return out;
}

}  // namespace rootsim::registry
