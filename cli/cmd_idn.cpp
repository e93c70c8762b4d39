// rootsim idn check|variants|similar: IDNA2008 and the Root Zone LGR for one label, its
// variant labels, and the string-similarity panel's verdict on it.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/idn/label.hpp"
#include "rootsim/registry/idn/lgr_set.hpp"
#include "rootsim/registry/idn/panel.hpp"
#include "rootsim/registry/tld_classifier.hpp"

#include "commands.hpp"
#include <nlohmann/json.hpp>

#include <array>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

namespace rootsim::cli {
namespace {

using nlohmann::json;
using registry::idn::Disposition;

// ISO 3166-1 alpha-2 codes the ISO 3166 Maintenance Agency reserves "exceptionally" (besides
// the assigned ones from iso-codes): AC Ascension, CP Clipperton, DG Diego Garcia, EA Ceuta and
// Melilla, EU European Union, EZ Eurozone, FX France metropolitan, IC Canary Islands, SU USSR,
// TA Tristan da Cunha, UK United Kingdom, UN United Nations (iso.org, ISO 3166 OBP, "Reserved
// code elements"). The panel compares against these too.
constexpr std::array<const char*, 12> kExceptionallyReserved{"AC", "CP", "DG", "EA", "EU", "EZ",
                                                             "FX", "IC", "SU", "TA", "UK", "UN"};

std::filesystem::path project_dir(const GlobalOptions& global) {
  return global.data_dir.parent_path();
}

Result<registry::idn::LgrSet> load_lgr(const GlobalOptions& global, const std::string& lgr_dir) {
  const auto dir = registry::idn::lgr_directory(
      project_dir(global),
      lgr_dir.empty() ? std::nullopt : std::optional<std::filesystem::path>(lgr_dir));
  return registry::idn::LgrSet::load_directory(dir);
}

std::string number(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << value;
  return out.str();
}

double rounded(double value) { return static_cast<double>(std::lround(value * 1000)) / 1000; }

int idn_check(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("idn check");
  std::string label;
  std::string lgr_dir;
  bool json_out = false;
  options.add_options()("label", po::value(&label)->required(), "U-label, A-label or ASCII")(
      "lgr-dir", po::value(&lgr_dir), "folder of the Root Zone LGR files")(
      "json", po::bool_switch(&json_out), "print JSON");
  po::positional_options_description positional;
  positional.add("label", 1);
  int code = 0;
  if (!parse_args("rootsim idn check LABEL [--lgr-dir DIR] [--json]", options, positional, args,
                  code)) {
    return code;
  }
  auto forms = registry::idn::check_label(label);
  if (!forms) {
    if (json_out) {
      std::cout << json{{"input", label},     {"valid", false},    {"a_label", nullptr},
                        {"u_label", nullptr}, {"script", nullptr}, {"error", forms.error().message}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << label << ": invalid: " << forms.error().message << "\n";
    }
    return kExitFindings;
  }
  auto lgr = load_lgr(global, lgr_dir);
  if (!lgr) {
    return report(lgr.error());
  }
  auto verdict = lgr->check(forms->code_points);
  if (!verdict) {
    return report(verdict.error());
  }
  const bool valid = verdict->disposition != Disposition::kInvalid &&
                     verdict->disposition != Disposition::kBlocked;
  const std::string script = registry::idn::script_of(forms->code_points);
  if (json_out) {
    std::cout << json{{"input", label},
                      {"valid", valid},
                      {"a_label", forms->a_label},
                      {"u_label", forms->u_label},
                      {"script", script},
                      {"idna2008", true},
                      {"lgr",
                       {{"disposition", registry::idn::to_string(verdict->disposition)},
                        {"script", verdict->script},
                        {"file", verdict->lgr_name},
                        {"reason", verdict->reason}}}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << forms->u_label << ": " << (valid ? "valid" : "invalid") << "; A-label "
              << forms->a_label << "; script " << script
              << "; LGR: " << registry::idn::to_string(verdict->disposition);
    if (!verdict->lgr_name.empty()) {
      std::cout << " (" << verdict->lgr_name << ")";
    }
    if (!valid) {
      std::cout << ": " << verdict->reason;
    }
    std::cout << "\n";
  }
  return valid ? kExitOk : kExitFindings;
}

int idn_variants(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("idn variants");
  std::string label;
  std::string lgr_dir;
  std::size_t limit = 10000;
  bool json_out = false;
  options.add_options()("label", po::value(&label)->required(), "U-label, A-label or ASCII")(
      "lgr-dir", po::value(&lgr_dir), "folder of the Root Zone LGR files")(
      "limit", po::value(&limit), "stop after this many variant labels (default 10000)")(
      "json", po::bool_switch(&json_out), "print a JSON list of {label, a_label, disposition}");
  po::positional_options_description positional;
  positional.add("label", 1);
  int code = 0;
  if (!parse_args("rootsim idn variants LABEL [--lgr-dir DIR] [--limit N] [--json]", options,
                  positional, args, code)) {
    return code;
  }
  auto forms = registry::idn::check_label(label);
  if (!forms) {
    return report(forms.error());
  }
  auto lgr = load_lgr(global, lgr_dir);
  if (!lgr) {
    return report(lgr.error());
  }
  auto variants = lgr->variants(forms->code_points, limit);
  if (!variants) {
    return report(variants.error());
  }
  json list = json::array();
  for (const auto& v : variants->variants) {
    const std::string u = registry::idn::encode_utf8(v.label);
    auto a = registry::idn::to_a_label(u);
    if (json_out) {
      list.push_back({{"label", u},
                      {"a_label", a ? json(*a) : json(nullptr)},
                      {"disposition", v.disposition_name}});
    } else {
      std::cout << u << "\t" << (a ? *a : std::string("-")) << "\t" << v.disposition_name << "\n";
    }
  }
  if (json_out) {
    std::cout << list.dump(2) << "\n";
  } else if (variants->variants.empty()) {
    std::cout << forms->u_label << ": no variant labels\n";
  }
  if (variants->truncated) {
    std::cerr << "rootsim: more than " << limit << " variant labels; the list is cut (--limit)\n";
  }
  return kExitOk;
}

// The TLDs to compare against: the zone file's delegations, else the registry's live TLDs,
// else the Public Suffix List's ICANN TLDs.
Result<std::vector<std::string>> tld_labels(const GlobalOptions& global, const std::string& zone) {
  std::vector<std::string> out;
  if (!zone.empty()) {
    auto content = dns::parse_zone_file(zone, dns::Name());
    if (!content) {
      return fail(std::move(content).error());
    }
    std::set<std::string> seen;
    for (const dns::Record& r : content->records) {
      if (r.type == dns::RRType::kNs && r.owner.label_count() == 1) {
        seen.insert(r.owner.lowercased().first_label());
      }
    }
    return std::vector<std::string>(seen.begin(), seen.end());
  }
  if (global.db) {
    auto store = open_registry(global);
    if (!store) {
      return fail(std::move(store).error());
    }
    auto state = store->load_state();
    if (!state) {
      return fail(std::move(state).error());
    }
    for (const auto& [label, tld] : state->tlds) {
      if (tld.status != registry::TldStatus::kRemoved) {
        out.push_back(label.first_label());
      }
    }
    return out;
  }
  return out;  // filled from the PSL by the caller, which has the classifier
}

Result<std::vector<registry::idn::Reference>> references(
    const GlobalOptions& global, const std::string& zone, const std::string& pending,
    const registry::TldClassifier& classifier) {
  auto labels = tld_labels(global, zone);
  if (!labels) {
    return fail(std::move(labels).error());
  }
  if (zone.empty() && !global.db) {
    for (const dns::Name& name : classifier.psl_tlds()) {
      labels->push_back(name.first_label());
    }
  }
  std::vector<registry::idn::Reference> out;
  for (const std::string& label : *labels) {
    registry::idn::Reference ref{label, registry::idn::ReferenceKind::kTld, std::nullopt};
    if (label.rfind("xn--", 0) == 0) {
      auto u = registry::idn::to_u_label(label);
      if (!u) {
        continue;
      }
      ref.text = *u;
      if (const auto it = classifier.idn_countries().find(label);
          it != classifier.idn_countries().end()) {
        ref.country = it->second;
      }
    } else if (label.size() == 2) {
      ref.country = std::string{static_cast<char>(label[0] - 'a' + 'A'),
                                static_cast<char>(label[1] - 'a' + 'A')};
    }
    out.push_back(std::move(ref));
  }
  std::set<std::string> codes;
  for (const auto& [code, name] : classifier.countries()) {
    codes.insert(code);
  }
  codes.insert(kExceptionallyReserved.begin(), kExceptionallyReserved.end());
  for (const std::string& code : codes) {
    out.push_back({code, registry::idn::ReferenceKind::kIsoCode, code});
  }
  if (!pending.empty()) {
    std::ifstream in(pending);
    if (!in) {
      return fail(Errc::kIo, pending + ": cannot read");
    }
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      line = line.substr(0, line.find('#'));
      line.erase(0, line.find_first_not_of(" \t\r"));
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty()) {
        continue;
      }
      auto forms = registry::idn::check_label(line);
      if (!forms) {
        return fail(Errc::kParse, pending + ":" + std::to_string(n) + ": " + forms.error().message);
      }
      out.push_back({forms->u_label, registry::idn::ReferenceKind::kPending, std::nullopt});
    }
  }
  return out;
}

int idn_similar(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("idn similar");
  std::string label;
  std::string rules_name = "fip-2019";
  std::string zone;
  std::string pending;
  std::string country;
  bool json_out = false;
  options.add_options()("label", po::value(&label)->required(), "the requested string")(
      "rules", po::value(&rules_name),
      "rule set: fast-track-2009, epsrp-2014, fip-2019 (default) or a JSON file")(
      "zone", po::value(&zone), "compare with the TLDs of this root zone file")(
      "pending", po::value(&pending), "file of pending applications, one string per line")(
      "country", po::value(&country), "ISO 3166 code the string is requested for")(
      "json", po::bool_switch(&json_out), "print JSON");
  po::positional_options_description positional;
  positional.add("label", 1);
  int code = 0;
  if (!parse_args("rootsim [--db FILE] idn similar STRING [--rules NAME|FILE] [--zone FILE] "
                  "[--pending FILE] [--country CC] [--json]\n"
                  "Compares with every TLD (--zone, else the registry of --db, else the Public "
                  "Suffix List), every ISO 3166-1 alpha-2 code and the pending strings.",
                  options, positional, args, code)) {
    return code;
  }
  auto forms = registry::idn::check_label(label);
  if (!forms) {
    return report(forms.error());
  }
  auto rules = registry::idn::load_rule_set(rules_name, global.data_dir / "idn" / "rules");
  if (!rules) {
    return report(rules.error());
  }
  auto glyphs = registry::idn::load_glyph_table(global.data_dir / "idn" / "glyph_similarity.json");
  if (!glyphs) {
    return report(glyphs.error());
  }
  auto classifier = registry::TldClassifier::load();
  if (!classifier) {
    return report(classifier.error());
  }
  auto refs = references(global, zone, pending, *classifier);
  if (!refs) {
    return report(refs.error());
  }
  const std::size_t compared = refs->size();
  auto index = registry::idn::SimilarityIndex::create(*glyphs, std::move(refs).value());
  if (!index) {
    return report(index.error());
  }
  std::optional<std::string> requested_for;
  if (!country.empty()) {
    requested_for = country;
  } else if (const auto it = classifier->idn_countries().find(forms->a_label);
             it != classifier->idn_countries().end()) {
    requested_for = it->second;
  }
  const auto decision = registry::idn::judge(*rules, *index, forms->code_points, requested_for);
  if (json_out) {
    json closest = json::array();
    for (const auto& c : decision.closest) {
      closest.push_back({{"string", c.text},
                         {"kind", registry::idn::to_string(c.kind)},
                         {"score", rounded(c.score)},
                         {"score_lower", rounded(c.lower)},
                         {"score_upper", rounded(c.upper)},
                         {"case", c.case_name},
                         {"confusable", c.confusable}});
    }
    std::cout << json{{"string", forms->u_label},
                      {"a_label", forms->a_label},
                      {"script", decision.script},
                      {"rules", rules->name},
                      {"threshold", rules->threshold},
                      {"verdict", registry::idn::to_string(decision.verdict)},
                      {"decided_by", decision.decided_by},
                      {"rule", decision.rule_description},
                      {"confusable_case", decision.confusable_case},
                      {"compared", compared},
                      {"closest", closest}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << forms->u_label << " (" << forms->a_label << ") under " << rules->name << ": "
            << registry::idn::to_string(decision.verdict) << " (rule " << decision.decided_by
            << ": " << decision.rule_description
            << ")\n  confusable in: " << decision.confusable_case << " case; compared with "
            << compared << " strings; threshold " << number(rules->threshold) << "\n";
  for (const auto& c : decision.closest) {
    std::cout << "  " << c.text << "\t" << registry::idn::to_string(c.kind) << "\t"
              << number(c.score) << "\t(lower " << number(c.lower) << ", upper " << number(c.upper)
              << ")\t" << c.case_name << (c.confusable ? "\tCONFUSABLE" : "") << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_idn(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("idn",
                  {{"check", "IDNA2008 and Root Zone LGR verdict on a label", idn_check},
                   {"variants", "the variant labels of a label, with dispositions", idn_variants},
                   {"similar", "the string-similarity panel's verdict on a string", idn_similar}},
                  global, args);
}

}  // namespace rootsim::cli
