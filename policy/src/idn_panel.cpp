#include "rootsim/policy/idn_panel.hpp"

#include "rootsim/registry/idn/label.hpp"

namespace rootsim::policy {

IdnPanelReview::IdnPanelReview(registry::idn::SimilarityIndex index,
                               std::map<std::string, registry::idn::RuleSet, std::less<>> rules,
                               std::map<std::string, std::string, std::less<>> idn_countries)
    : index_(std::move(index)),
      rules_(std::move(rules)),
      idn_countries_(std::move(idn_countries)) {}

Result<std::unique_ptr<IdnPanelReview>> IdnPanelReview::create(
    const registry::RegistryState& state, const registry::TldClassifier& classifier,
    const std::filesystem::path& idn_data_dir) {
  namespace idn = registry::idn;
  std::map<std::string, idn::RuleSet, std::less<>> rules;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(idn_data_dir / "rules", ec)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    auto set = idn::load_rule_set(entry.path().string(), idn_data_dir / "rules");
    if (!set) {
      return fail(set.error());
    }
    rules.emplace(entry.path().stem().string(), std::move(*set));
  }
  if (ec || rules.empty()) {
    return fail(Errc::kIo, (idn_data_dir / "rules").string() + ": no rule sets");
  }
  auto glyphs = idn::load_glyph_table(idn_data_dir / "glyph_similarity.json");
  if (!glyphs) {
    return fail(glyphs.error());
  }
  std::vector<idn::Reference> refs;
  for (const auto& [name, tld] : state.tlds) {
    if (tld.status == registry::TldStatus::kRemoved) {
      continue;
    }
    const std::string label = name.first_label();
    idn::Reference ref{label, idn::ReferenceKind::kTld, tld.iso_code};
    if (label.rfind("xn--", 0) == 0) {
      auto u = idn::to_u_label(label);
      if (!u) {
        continue;
      }
      ref.text = *u;
    }
    refs.push_back(std::move(ref));
  }
  for (const auto& [code, country] : classifier.countries()) {
    refs.push_back({code, idn::ReferenceKind::kIsoCode, code});
  }
  auto index = idn::SimilarityIndex::create(*glyphs, std::move(refs));
  if (!index) {
    return fail(index.error());
  }
  std::map<std::string, std::string, std::less<>> countries(classifier.idn_countries().begin(),
                                                            classifier.idn_countries().end());
  return std::unique_ptr<IdnPanelReview>(
      new IdnPanelReview(std::move(*index), std::move(rules), std::move(countries)));
}

ReviewVerdict IdnPanelReview::verdict(std::string_view label, std::string_view rule_set) const {
  const auto rules = rules_.find(rule_set);
  auto forms = registry::idn::check_label(label);
  if (rules == rules_.end() || !forms) {
    return ReviewVerdict::kReject;
  }
  std::optional<std::string> country;
  if (const auto it = idn_countries_.find(forms->a_label); it != idn_countries_.end()) {
    country = it->second;
  }
  switch (registry::idn::judge(rules->second, index_, forms->code_points, country).verdict) {
    case registry::idn::PanelVerdict::kAccept:
      return ReviewVerdict::kAccept;
    case registry::idn::PanelVerdict::kAcceptWithMitigation:
      return ReviewVerdict::kAcceptWithMitigation;
    case registry::idn::PanelVerdict::kReject:
      return ReviewVerdict::kReject;
  }
  return ReviewVerdict::kReject;
}

}  // namespace rootsim::policy
