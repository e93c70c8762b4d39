// The string-similarity panel: a rule set (data, so researchers can write new ones; built-in:
// data/idn/rules/{fast-track-2009,epsrp-2014,fip-2019}.json) applied to a string's similarity
// scores against every existing TLD, ISO 3166-1 code and pending application. The first rule
// whose conditions hold decides; the verdict names it and lists the closest strings.
// Thread-safety: plain values and pure functions. Ownership: results are values.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/registry/idn/similarity.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry::idn {

enum class PanelVerdict : std::uint8_t { kAccept, kAcceptWithMitigation, kReject };
/// "accept", "accept-with-mitigation", "reject".
[[nodiscard]] std::string_view to_string(PanelVerdict verdict) noexcept;

/// In which case(s) a string is confusable with at least one reference.
enum class CaseCondition : std::uint8_t {
  kLower,
  kUpper,
  kBoth,
  kEither,
  kLowerOnly,
  kUpperOnly,
  kNone
};

struct PanelRule {
  std::string id;
  std::string description;
  std::optional<std::size_t> min_length;  ///< code points
  std::optional<std::size_t> max_length;
  std::vector<std::string> scripts;         ///< ISO 15924; empty = any
  std::optional<CaseCondition> confusable;  ///< unset = regardless of the scores
  PanelVerdict verdict = PanelVerdict::kAccept;
};

struct RuleSet {
  std::string name;
  std::string description;
  std::vector<std::string> sources;
  double threshold = 0.8;            ///< a score at or above it is "confusable"
  bool exempt_same_country = false;  ///< ignore references standing for the string's country
  std::vector<PanelRule> rules;      ///< the last has no conditions
};

/// Parses a rule set document (schema 1; see data/idn/rules/README.md). Strict: unknown keys,
/// wrong types, an unknown verdict or case, duplicate ids, or a last rule with conditions are
/// kParse errors naming the JSON pointer ("fip-2019.json: /rules/2/if/case: ...").
[[nodiscard]] Result<RuleSet> parse_rule_set(std::string_view json, const std::string& source);
/// `name_or_path` is a built-in name (a file `<name>.json` in `rules_dir`) or a path to a
/// file. Errors: kNotFound naming the built-in sets, kIo, and parse_rule_set's.
[[nodiscard]] Result<RuleSet> load_rule_set(std::string_view name_or_path,
                                            const std::filesystem::path& rules_dir);

struct ClosestString {
  std::string text;
  ReferenceKind kind = ReferenceKind::kTld;
  double score = 0;  ///< the higher of the two cases
  double lower = 0;
  double upper = 0;
  std::string case_name;  ///< "lower", "upper" or "both": where it is (most) similar
  bool confusable = false;
};

struct PanelDecision {
  PanelVerdict verdict = PanelVerdict::kAccept;
  std::string decided_by;  ///< the rule's id
  std::string rule_description;
  std::string confusable_case;         ///< "lower", "upper", "both" or "none"
  std::string script;                  ///< ISO 15924 of the string
  std::vector<ClosestString> closest;  ///< every confusable reference, else at least the top few
};

/// Applies `rules` to `s` against the index. `country` is the ISO 3166 code the string is
/// requested for (used only with exempt_same_country). Complexity: one SimilarityIndex::compare.
[[nodiscard]] PanelDecision judge(const RuleSet& rules, const SimilarityIndex& index,
                                  std::u32string_view s,
                                  const std::optional<std::string>& country = std::nullopt,
                                  std::size_t max_closest = 5);

}  // namespace rootsim::registry::idn
