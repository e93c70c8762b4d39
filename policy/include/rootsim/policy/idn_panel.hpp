// The IDN string-similarity panel of registry::idn (rule sets in data/idn/rules, UTS #39
// skeletons and the glyph table) as the StringReview that review-panel stages consult: a label
// is judged against every TLD of a registry state and every ISO 3166-1 code.
// Thread-safety: immutable after create(); verdict() may be called from any thread.
// Ownership: owns its similarity index and rule sets.
#pragma once

#include "rootsim/policy/primitive.hpp"
#include "rootsim/registry/idn/panel.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/tld_classifier.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace rootsim::policy {

class IdnPanelReview final : public StringReview {
 public:
  /// Loads every rule set in `idn_data_dir`/rules and the glyph table, and indexes the TLDs of
  /// `state` and the ISO codes of `classifier`. Errors: kIo, kParse from the IDN module.
  [[nodiscard]] static Result<std::unique_ptr<IdnPanelReview>> create(
      const registry::RegistryState& state, const registry::TldClassifier& classifier,
      const std::filesystem::path& idn_data_dir);

  /// The panel's verdict under `rule_set` (a rule set's file name without .json). A label that
  /// is not a valid IDNA2008 label, or an unknown rule set, is rejected. O(references).
  [[nodiscard]] ReviewVerdict verdict(std::string_view label,
                                      std::string_view rule_set) const override;

 private:
  IdnPanelReview(registry::idn::SimilarityIndex index,
                 std::map<std::string, registry::idn::RuleSet, std::less<>> rules,
                 std::map<std::string, std::string, std::less<>> idn_countries);
  registry::idn::SimilarityIndex index_;
  std::map<std::string, registry::idn::RuleSet, std::less<>> rules_;
  std::map<std::string, std::string, std::less<>> idn_countries_;
};

}  // namespace rootsim::policy
