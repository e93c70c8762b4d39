// The data tables the world is made from: root server instances (data/root_server_instances.csv),
// the M49 regions and their population shares, and the head of the TLD popularity order.
#include <fstream>
#include <sstream>

#include "world.hpp"

namespace rootsim::scenarios {

std::optional<std::uint16_t> region_index(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kRegions.size(); ++i) {
    if (kRegions[i] == name) {
      return static_cast<std::uint16_t>(i);
    }
  }
  return std::nullopt;
}

Result<std::vector<InstanceSpec>> load_instance_table(const std::filesystem::path& file,
                                                      const policy::ActorDirectory& actors) {
  std::ifstream in(file);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read the root server instance table");
  }
  // Letter -> operator, from the directory's root server operator table.
  std::array<std::optional<policy::ActorIndex>, 13> operator_of{};
  for (policy::ActorIndex rso : actors.root_server_operators()) {
    for (char letter : actors.letters_of(rso)) {
      if (letter >= 'a' && letter <= 'm') {
        operator_of[static_cast<std::size_t>(letter - 'a')] = rso;
      }
    }
  }
  std::vector<InstanceSpec> instances;
  std::string line;
  std::size_t line_no = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = file.string() + ":" + std::to_string(line_no) + ": ";
    if (line.empty() || line[0] == '#') {
      continue;
    }
    if (!header_seen) {
      if (line != "letter,region,instances") {
        return fail(Errc::kParse, where + "expected the header 'letter,region,instances'");
      }
      header_seen = true;
      continue;
    }
    std::stringstream fields(line);
    std::string letter;
    std::string region;
    std::string count_text;
    std::string extra;
    if (!std::getline(fields, letter, ',') || !std::getline(fields, region, ',') ||
        !std::getline(fields, count_text, ',') || std::getline(fields, extra, ',')) {
      return fail(Errc::kParse, where + "expected three fields: letter,region,instances");
    }
    if (letter.size() != 1 || letter[0] < 'a' || letter[0] > 'm') {
      return fail(Errc::kParse, where + "letter must be one of a..m, not '" + letter + "'");
    }
    const auto r = region_index(region);
    if (!r) {
      return fail(Errc::kParse, where + "unknown region '" + region +
                                    "' (Africa, Americas, Asia, Europe, Oceania)");
    }
    std::size_t used = 0;
    unsigned long count = 0;
    try {
      count = std::stoul(count_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != count_text.size() || count == 0 || count > 100000) {
      return fail(Errc::kParse, where + "instances must be a whole number in 1..100000");
    }
    const auto rso = operator_of[static_cast<std::size_t>(letter[0] - 'a')];
    if (!rso) {
      return fail(Errc::kParse, where + "no operator runs letter '" + letter + "'");
    }
    for (unsigned long i = 0; i < count; ++i) {
      instances.push_back({letter[0], *r, *rso});
    }
  }
  if (instances.empty()) {
    return fail(Errc::kParse, file.string() + ": no instances");
  }
  return instances;
}

Result<std::vector<dns::Name>> load_popular_tlds(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read the TLD popularity list");
  }
  std::vector<dns::Name> names;
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    auto name = dns::Name::from_text(line + ".");
    if (!name || name->label_count() != 1) {
      return fail(Errc::kParse,
                  file.string() + ":" + std::to_string(line_no) + ": not a TLD label: '" + line + "'");
    }
    names.push_back(std::move(*name));
  }
  return names;
}

std::array<double, kRegions.size()> population_shares(const policy::ActorDirectory& actors) {
  std::array<double, kRegions.size()> shares{};
  double total = 0;
  for (const policy::CountryInfo& country : actors.countries()) {
    if (const auto r = region_index(country.region)) {
      shares[*r] += static_cast<double>(country.population);
      total += static_cast<double>(country.population);
    }
  }
  for (double& s : shares) {
    s = total > 0 ? s / total : 1.0 / static_cast<double>(kRegions.size());
  }
  return shares;
}

}  // namespace rootsim::scenarios
