#include "rootsim/policy/actors.hpp"

#include "rootsim/registry/tld_classifier.hpp"

#include "cldr_reader.hpp"
#include "rootsim/policy/json_fields.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rootsim::policy {

std::string_view to_string(ActorKind kind) noexcept {
  switch (kind) {
    case ActorKind::kGovernment:
      return "government";
    case ActorKind::kTldManager:
      return "tld-manager";
    case ActorKind::kIanaFunctionsOperator:
      return "iana-functions-operator";
    case ActorKind::kRootZoneMaintainer:
      return "root-zone-maintainer";
    case ActorKind::kOversightAuthority:
      return "oversight-authority";
    case ActorKind::kBoard:
      return "board";
    case ActorKind::kSupportingOrganisation:
      return "supporting-organisation";
    case ActorKind::kAdvisoryCommittee:
      return "advisory-committee";
    case ActorKind::kEmpoweredCommunity:
      return "empowered-community";
    case ActorKind::kRootServerOperator:
      return "root-server-operator";
    case ActorKind::kStakeholderGroup:
      return "stakeholder-group";
    case ActorKind::kSecretariat:
      return "secretariat";
    case ActorKind::kRssGovernanceBody:
      return "rss-governance-body";
  }
  return "?";
}

std::string_view to_string(StakeholderGroup group) noexcept {
  switch (group) {
    case StakeholderGroup::kGovernments:
      return "governments";
    case StakeholderGroup::kPrivateSector:
      return "private-sector";
    case StakeholderGroup::kCivilSociety:
      return "civil-society";
    case StakeholderGroup::kIntergovernmentalOrganisations:
      return "intergovernmental-organisations";
    case StakeholderGroup::kInternationalOrganisations:
      return "international-organisations";
    case StakeholderGroup::kAcademicTechnical:
      return "academic-technical";
  }
  return "?";
}

std::string_view to_string(EconomyGroup group) noexcept {
  switch (group) {
    case EconomyGroup::kLow:
      return "low";
    case EconomyGroup::kLowerMiddle:
      return "lower-middle";
    case EconomyGroup::kUpperMiddle:
      return "upper-middle";
    case EconomyGroup::kHigh:
      return "high";
  }
  return "?";
}

EconomyGroup economy_group(double gdp_per_capita, std::span<const double, 3> thresholds) noexcept {
  if (gdp_per_capita < thresholds[0]) {
    return EconomyGroup::kLow;
  }
  if (gdp_per_capita < thresholds[1]) {
    return EconomyGroup::kLowerMiddle;
  }
  if (gdp_per_capita < thresholds[2]) {
    return EconomyGroup::kUpperMiddle;
  }
  return EconomyGroup::kHigh;
}

namespace {

std::optional<ActorKind> kind_from_string(std::string_view text) {
  for (auto k = static_cast<int>(ActorKind::kGovernment);
       k <= static_cast<int>(ActorKind::kRssGovernanceBody); ++k) {
    if (to_string(static_cast<ActorKind>(k)) == text) {
      return static_cast<ActorKind>(k);
    }
  }
  return std::nullopt;
}

std::optional<StakeholderGroup> group_from_string(std::string_view text) {
  for (std::size_t g = 0; g < kStakeholderGroupCount; ++g) {
    if (to_string(static_cast<StakeholderGroup>(g)) == text) {
      return static_cast<StakeholderGroup>(g);
    }
  }
  return std::nullopt;
}

struct DataFile {
  std::array<double, 3> bounds{};
  std::vector<Actor> organisations;
  std::vector<std::pair<Actor, std::vector<char>>> operators;
};

Result<Actor> parse_actor(const nlohmann::json& j, const std::string& at, bool is_operator) {
  using json_fields::Object;
  Object object(j, at);
  Actor actor;
  auto id = object.string("id");
  auto name = object.string("name");
  auto groups = object.string_list("groups");
  auto country = object.optional_string("country");
  std::optional<std::string> kind_text;
  std::optional<std::string> letters;
  if (is_operator) {
    letters = object.string("letters");
  } else {
    kind_text = object.string("kind");
  }
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  actor.id = *id;
  actor.name = *name;
  actor.country = country;
  if (is_operator) {
    actor.kind = ActorKind::kRootServerOperator;
    if (actor.id.rfind("rso:", 0) != 0) {
      return fail(Errc::kParse, at + "/id: root server operator ids start with 'rso:'");
    }
  } else {
    auto kind = kind_from_string(*kind_text);
    if (!kind || *kind == ActorKind::kGovernment || *kind == ActorKind::kTldManager) {
      return fail(Errc::kParse, at + "/kind: '" + *kind_text + "' is not an organisation kind");
    }
    actor.kind = *kind;
  }
  for (std::size_t i = 0; i < groups->size(); ++i) {
    auto g = group_from_string((*groups)[i]);
    if (!g) {
      return fail(Errc::kParse,
                  at + "/groups/" + std::to_string(i) + ": unknown group '" + (*groups)[i] + "'");
    }
    actor.groups.push_back(*g);
  }
  return actor;
}

Result<DataFile> read_data_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read");
  }
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, false);
  const std::string where = file.filename().string() + ": ";
  if (j.is_discarded() || !j.is_object()) {
    return fail(Errc::kParse, where + "/: not a JSON object");
  }
  DataFile data;
  try {
    if (j.at("schema") != 1) {
      return fail(Errc::kParse, where + "/schema: expected 1");
    }
    const auto& bounds = j.at("economy_bands").at("upper_bounds");
    if (!bounds.is_array() || bounds.size() != 3) {
      return fail(Errc::kParse, where + "/economy_bands/upper_bounds: expected three numbers");
    }
    for (std::size_t i = 0; i < 3; ++i) {
      data.bounds[i] = bounds[i].get<double>();
    }
    if (!(data.bounds[0] < data.bounds[1] && data.bounds[1] < data.bounds[2])) {
      return fail(Errc::kParse, where + "/economy_bands/upper_bounds: must ascend");
    }
    const auto& orgs = j.at("organisations");
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      auto a = parse_actor(orgs[i], "/organisations/" + std::to_string(i), false);
      if (!a) {
        return fail(a.error(), where);
      }
      data.organisations.push_back(std::move(*a));
    }
    const auto& ops = j.at("root_server_operators");
    for (std::size_t i = 0; i < ops.size(); ++i) {
      auto a = parse_actor(ops[i], "/root_server_operators/" + std::to_string(i), true);
      if (!a) {
        return fail(a.error(), where);
      }
      const std::string letters = ops[i].at("letters").get<std::string>();
      data.operators.emplace_back(std::move(*a), std::vector<char>(letters.begin(), letters.end()));
    }
  } catch (const nlohmann::json::exception& e) {
    return fail(Errc::kParse, where + "missing or wrong member: " + e.what());
  }
  return data;
}

}  // namespace

Result<ActorDirectory> ActorDirectory::load(const ActorSources& sources) {
  auto classifier = registry::TldClassifier::load(
      registry::ClassifierSources{sources.iso_3166, sources.public_suffix_list});
  if (!classifier) {
    return fail(classifier.error());
  }
  auto cldr = read_cldr_territories(sources.cldr_supplemental, sources.cldr_english);
  if (!cldr) {
    return fail(cldr.error());
  }
  const std::filesystem::path data_path =
      sources.actors_data.empty()
          ? std::filesystem::path(ROOTSIM_DEFAULT_DATA_DIR) / "governance_actors.json"
          : sources.actors_data;
  auto data = read_data_file(data_path);
  if (!data) {
    return fail(data.error());
  }
  ActorDirectory directory;
  for (const auto& [code, name] : classifier->countries()) {
    CountryInfo info;
    info.code = code;
    info.name = name;
    if (auto it = cldr->containment.find(code); it != cldr->containment.end()) {
      info.subregion_code = it->second.subregion;
      info.region_code = it->second.region;
      info.subregion = cldr->region_name(info.subregion_code);
      info.region = cldr->region_name(info.region_code);
    }
    Actor actor;
    actor.id = "gov:" + code;
    actor.kind = ActorKind::kGovernment;
    actor.name = name;
    actor.country = code;
    actor.groups = {StakeholderGroup::kGovernments};
    actor.region = info.region;
    actor.subregion = info.subregion;
    if (auto it = cldr->info.find(code); it != cldr->info.end()) {
      info.population = it->second.population;
      info.gdp_ppp = it->second.gdp;
      actor.population = info.population;
      actor.gdp_ppp = info.gdp_ppp;
      if (info.population > 0 && info.gdp_ppp > 0) {
        actor.economy = economy_group(info.gdp_ppp / static_cast<double>(info.population),
                                      std::span<const double, 3>(data->bounds));
      }
    }
    directory.governments_.push_back(static_cast<ActorIndex>(directory.actors_.size()));
    directory.actors_.push_back(std::move(actor));
    directory.countries_.push_back(std::move(info));
  }
  for (Actor& org : data->organisations) {
    directory.actors_.push_back(std::move(org));
  }
  for (auto& [op, letters] : data->operators) {
    const auto index = static_cast<ActorIndex>(directory.actors_.size());
    directory.operators_.push_back(index);
    directory.letters_[index] = letters;
    directory.actors_.push_back(std::move(op));
  }
  for (ActorIndex i = 0; i < directory.actors_.size(); ++i) {
    if (!directory.by_id_.emplace(directory.actors_[i].id, i).second) {
      return fail(Errc::kParse, data_path.filename().string() + ": actor id '" +
                                    directory.actors_[i].id + "' appears twice");
    }
  }
  return directory;
}

std::optional<ActorIndex> ActorDirectory::find(std::string_view id) const {
  if (auto it = by_id_.find(id); it != by_id_.end()) {
    return it->second;
  }
  return std::nullopt;
}

std::optional<ActorIndex> ActorDirectory::government(std::string_view iso_code) const {
  if (iso_code.size() != 2) {
    return std::nullopt;
  }
  std::string id = "gov:";
  id.append(iso_code);
  return find(id);
}

std::vector<char> ActorDirectory::letters_of(ActorIndex rso) const {
  if (auto it = letters_.find(rso); it != letters_.end()) {
    return it->second;
  }
  return {};
}

}  // namespace rootsim::policy
