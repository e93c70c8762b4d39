// Rule sets of the string-similarity panel, parsed strictly, and their application.
#include "rootsim/registry/idn/panel.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace rootsim::registry::idn {
namespace {

using nlohmann::json;

Unexpected<Error> bad(const std::string& where, const std::string& what) {
  return fail(Errc::kParse, where + ": " + what);
}

Status only_keys(const json& object, std::initializer_list<const char*> allowed,
                 const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return key == k; })) {
      return bad(where + "/" + key, "unknown key");
    }
  }
  return {};
}

std::optional<PanelVerdict> verdict_from(const std::string& text) {
  if (text == "accept") {
    return PanelVerdict::kAccept;
  }
  if (text == "accept-with-mitigation") {
    return PanelVerdict::kAcceptWithMitigation;
  }
  if (text == "reject") {
    return PanelVerdict::kReject;
  }
  return std::nullopt;
}

std::optional<CaseCondition> case_from(const std::string& text) {
  static const std::array<std::pair<const char*, CaseCondition>, 7> kNames{{
      {"lower", CaseCondition::kLower},
      {"upper", CaseCondition::kUpper},
      {"both", CaseCondition::kBoth},
      {"either", CaseCondition::kEither},
      {"lower-only", CaseCondition::kLowerOnly},
      {"upper-only", CaseCondition::kUpperOnly},
      {"none", CaseCondition::kNone},
  }};
  for (const auto& [name, value] : kNames) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

Result<PanelRule> parse_rule(const json& doc, const std::string& where) {
  if (!doc.is_object()) {
    return bad(where, "expected an object");
  }
  if (auto ok = only_keys(doc, {"id", "description", "if", "verdict"}, where); !ok) {
    return fail(std::move(ok).error());
  }
  PanelRule rule;
  if (!doc.contains("id") || !doc["id"].is_string() || doc["id"].get<std::string>().empty()) {
    return bad(where + "/id", "expected a non-empty string");
  }
  rule.id = doc["id"].get<std::string>();
  if (doc.contains("description")) {
    if (!doc["description"].is_string()) {
      return bad(where + "/description", "expected a string");
    }
    rule.description = doc["description"].get<std::string>();
  }
  if (!doc.contains("verdict") || !doc["verdict"].is_string() ||
      !verdict_from(doc["verdict"].get<std::string>())) {
    return bad(where + "/verdict", "expected accept, accept-with-mitigation or reject");
  }
  rule.verdict = *verdict_from(doc["verdict"].get<std::string>());
  if (!doc.contains("if")) {
    return rule;
  }
  const json& cond = doc["if"];
  const std::string at = where + "/if";
  if (!cond.is_object()) {
    return bad(at, "expected an object");
  }
  if (auto ok = only_keys(cond, {"min_length", "max_length", "scripts", "case"}, at); !ok) {
    return fail(std::move(ok).error());
  }
  for (const auto& [key, target] :
       {std::pair{"min_length", &rule.min_length}, std::pair{"max_length", &rule.max_length}}) {
    if (cond.contains(key)) {
      if (!cond[key].is_number_unsigned()) {
        return bad(at + "/" + key, "expected a whole number");
      }
      *target = cond[key].get<std::size_t>();
    }
  }
  if (cond.contains("scripts")) {
    if (!cond["scripts"].is_array()) {
      return bad(at + "/scripts", "expected a list of ISO 15924 codes");
    }
    for (std::size_t i = 0; i < cond["scripts"].size(); ++i) {
      const json& s = cond["scripts"][i];
      if (!s.is_string() || s.get<std::string>().size() != 4) {
        return bad(at + "/scripts/" + std::to_string(i), "expected an ISO 15924 code (Cyrl)");
      }
      rule.scripts.push_back(s.get<std::string>());
    }
  }
  if (cond.contains("case")) {
    if (!cond["case"].is_string() || !case_from(cond["case"].get<std::string>())) {
      return bad(at + "/case",
                 "expected lower, upper, both, either, lower-only, upper-only or none");
    }
    rule.confusable = case_from(cond["case"].get<std::string>());
  }
  return rule;
}

bool unconditional(const PanelRule& rule) {
  return !rule.min_length && !rule.max_length && rule.scripts.empty() && !rule.confusable;
}

bool case_holds(CaseCondition c, bool lower, bool upper) {
  switch (c) {
    case CaseCondition::kLower:
      return lower;
    case CaseCondition::kUpper:
      return upper;
    case CaseCondition::kBoth:
      return lower && upper;
    case CaseCondition::kEither:
      return lower || upper;
    case CaseCondition::kLowerOnly:
      return lower && !upper;
    case CaseCondition::kUpperOnly:
      return upper && !lower;
    case CaseCondition::kNone:
      return !lower && !upper;
  }
  return false;
}

std::string case_name(bool lower, bool upper) {
  if (lower && upper) {
    return "both";
  }
  if (lower) {
    return "lower";
  }
  return upper ? "upper" : "none";
}

}  // namespace

std::string_view to_string(PanelVerdict verdict) noexcept {
  switch (verdict) {
    case PanelVerdict::kAccept:
      return "accept";
    case PanelVerdict::kAcceptWithMitigation:
      return "accept-with-mitigation";
    case PanelVerdict::kReject:
      return "reject";
  }
  return "reject";
}

Result<RuleSet> parse_rule_set(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return bad(source, "byte " + std::to_string(e.byte) + ": not JSON");
  }
  const std::string root = source + ": ";
  if (!doc.is_object()) {
    return bad(source, "/: expected an object");
  }
  if (auto ok = only_keys(
          doc,
          {"schema", "name", "description", "sources", "threshold", "exempt_same_country", "rules"},
          root);
      !ok) {
    return fail(std::move(ok).error());
  }
  if (!doc.contains("schema") || doc["schema"] != 1) {
    return bad(root + "/schema", "expected 1");
  }
  RuleSet out;
  if (!doc.contains("name") || !doc["name"].is_string() || doc["name"].get<std::string>().empty()) {
    return bad(root + "/name", "expected a non-empty string");
  }
  out.name = doc["name"].get<std::string>();
  if (doc.contains("description")) {
    if (!doc["description"].is_string()) {
      return bad(root + "/description", "expected a string");
    }
    out.description = doc["description"].get<std::string>();
  }
  if (doc.contains("sources")) {
    if (!doc["sources"].is_array() || !std::all_of(doc["sources"].begin(), doc["sources"].end(),
                                                   [](const json& s) { return s.is_string(); })) {
      return bad(root + "/sources", "expected a list of strings");
    }
    out.sources = doc["sources"].get<std::vector<std::string>>();
  }
  if (!doc.contains("threshold") || !doc["threshold"].is_number() ||
      doc["threshold"].get<double>() <= 0 || doc["threshold"].get<double>() > 1) {
    return bad(root + "/threshold", "expected a number in (0, 1]");
  }
  out.threshold = doc["threshold"].get<double>();
  if (doc.contains("exempt_same_country")) {
    if (!doc["exempt_same_country"].is_boolean()) {
      return bad(root + "/exempt_same_country", "expected true or false");
    }
    out.exempt_same_country = doc["exempt_same_country"].get<bool>();
  }
  if (!doc.contains("rules") || !doc["rules"].is_array() || doc["rules"].empty()) {
    return bad(root + "/rules", "expected a non-empty list");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < doc["rules"].size(); ++i) {
    auto rule = parse_rule(doc["rules"][i], root + "/rules/" + std::to_string(i));
    if (!rule) {
      return fail(std::move(rule).error());
    }
    if (!ids.insert(rule->id).second) {
      return bad(root + "/rules/" + std::to_string(i) + "/id", "duplicate id '" + rule->id + "'");
    }
    out.rules.push_back(std::move(rule).value());
  }
  if (!unconditional(out.rules.back())) {
    return bad(root + "/rules/" + std::to_string(out.rules.size() - 1),
               "the last rule must have no conditions, so that every string gets a verdict");
  }
  return out;
}

Result<RuleSet> load_rule_set(std::string_view name_or_path,
                              const std::filesystem::path& rules_dir) {
  std::filesystem::path file(name_or_path);
  const bool is_name =
      name_or_path.find('/') == std::string_view::npos && file.extension() != ".json";
  if (is_name) {
    file = rules_dir / (std::string(name_or_path) + ".json");
    if (!std::filesystem::exists(file)) {
      std::string known;
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(rules_dir, ec)) {
        if (entry.path().extension() == ".json") {
          known += (known.empty() ? "" : ", ") + entry.path().stem().string();
        }
      }
      return fail(Errc::kNotFound, "no rule set '" + std::string(name_or_path) + "' in " +
                                       rules_dir.string() + " (known: " + known + ")");
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot open");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_rule_set(text.str(), file.filename().string());
}

PanelDecision judge(const RuleSet& rules, const SimilarityIndex& index, std::u32string_view s,
                    const std::optional<std::string>& country, std::size_t max_closest) {
  const double floor = std::min(rules.threshold, 0.25);
  std::vector<Match> matches = index.compare(s, floor);
  if (rules.exempt_same_country && country) {
    std::erase_if(matches, [&](const Match& m) { return m.reference->country == country; });
  }
  bool lower = false;
  bool upper = false;
  PanelDecision out;
  out.script = script_of(s);
  for (const Match& m : matches) {
    const bool lo = m.lower >= rules.threshold;
    const bool up = m.upper >= rules.threshold;
    lower = lower || lo;
    upper = upper || up;
    if (!lo && !up && out.closest.size() >= max_closest) {
      continue;
    }
    ClosestString c{m.reference->text, m.reference->kind, m.best(), m.lower, m.upper, {}, lo || up};
    c.case_name = (lo || up)
                      ? case_name(lo, up)
                      : (m.lower == m.upper ? "both" : (m.lower > m.upper ? "lower" : "upper"));
    out.closest.push_back(std::move(c));
  }
  out.confusable_case = case_name(lower, upper);
  for (const PanelRule& rule : rules.rules) {
    if (rule.min_length && s.size() < *rule.min_length) {
      continue;
    }
    if (rule.max_length && s.size() > *rule.max_length) {
      continue;
    }
    if (!rule.scripts.empty() &&
        std::find(rule.scripts.begin(), rule.scripts.end(), out.script) == rule.scripts.end()) {
      continue;
    }
    if (rule.confusable && !case_holds(*rule.confusable, lower, upper)) {
      continue;
    }
    out.verdict = rule.verdict;
    out.decided_by = rule.id;
    out.rule_description = rule.description;
    break;
  }
  return out;
}

}  // namespace rootsim::registry::idn
