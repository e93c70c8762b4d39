#include "rootsim/policy/analysis.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>

namespace rootsim::policy {
namespace {

using Names = std::set<std::string>;

/// Business days take about 7/5 of their length in calendar time.
constexpr double kBusinessToCalendar = 7.0 / 5.0;

bool foreign_capable(const std::string& id, const ActorDirectory& actors) {
  const auto index = actors.find(id);
  if (!index) {
    return false;  // roles: the TLD's own government or manager, or the requester asking
  }
  const Actor& a = actors.actor(*index);
  if (a.kind == ActorKind::kGovernment || a.kind == ActorKind::kOversightAuthority) {
    return true;
  }
  const bool governmental =
      std::find(a.groups.begin(), a.groups.end(), StakeholderGroup::kGovernments) != a.groups.end();
  return governmental &&
         (a.kind == ActorKind::kAdvisoryCommittee || a.kind == ActorKind::kEmpoweredCommunity);
}

std::vector<std::string> compress(const Names& names, const ActorDirectory& actors) {
  std::size_t governments = 0;
  for (const ActorIndex g : actors.governments()) {
    governments += names.count(actors.actor(g).id);
  }
  const bool all = governments == actors.governments().size() && governments > 0;
  std::vector<std::string> out;
  if (all) {
    out.emplace_back("gov:*");
  }
  for (const std::string& n : names) {
    if (all && n.rfind("gov:", 0) == 0) {
      continue;
    }
    out.push_back(n);
  }
  return out;
}

double stage_days(const Stage& s) {
  const double work = s.delay.expected_days() * (s.delay.business_days ? kBusinessToCalendar : 1);
  return work + s.primitive->expected_wait_days();
}

PathAnalysis analyze_path(const Arrangement& a, const Pipeline& p, const StructureQuery& query,
                          const ActorDirectory& actors) {
  PathAnalysis out;
  out.applicable = true;
  std::optional<Names> spoc;  // nullopt: nobody has been required yet
  Names veto;
  Names participants;
  double days = 0;
  auto restrict = [&](const Names& passers) {
    if (!spoc) {
      spoc = passers;
      return;
    }
    Names kept;
    for (const auto& n : *spoc) {
      if (passers.count(n) != 0) {
        kept.insert(n);
      }
    }
    spoc = std::move(kept);
  };
  for (const std::uint16_t index : p.stages) {
    const Stage& stage = a.stages[index];
    const StageStructure st = stage.primitive->structure(query, actors);
    if (!st.applicable) {
      continue;
    }
    participants.insert(st.participants.begin(), st.participants.end());
    if (st.escalates_to) {
      const Stage& body = a.stages[*st.escalates_to];
      const StageStructure b = body.primitive->structure(query, actors);
      participants.insert(b.participants.begin(), b.participants.end());
      days += st.trigger_probability * (stage_days(stage) + stage_days(body));
      if (st.overturns_approval && st.trigger_probability > 0) {
        veto.insert(b.blockers.begin(), b.blockers.end());
        Names passers(b.sole_passers.begin(), b.sole_passers.end());
        passers.insert(st.participants.begin(), st.participants.end());  // may not lodge
        restrict(passers);
      }
      continue;
    }
    days += stage_days(stage);
    if (st.ministerial) {
      continue;
    }
    veto.insert(st.blockers.begin(), st.blockers.end());
    Names passers(st.sole_passers.begin(), st.sole_passers.end());
    for (const ActorIndex b : stage.bypassed_by) {
      passers.insert(actors.actor(b).id);
    }
    restrict(passers);
  }
  out.single_points_of_control = compress(spoc.value_or(Names{"@requester"}), actors);
  out.veto_points = compress(veto, actors);
  out.expected_lead_time_days = std::round(days * 100) / 100;
  Names groups;
  Names regions;
  for (const std::string& id : participants) {
    if (query.tld_class == TldClass::kCountryCode && foreign_capable(id, actors)) {
      out.foreign_influence_on_cctld = true;
    }
    if (id == "@tld-government") {
      groups.insert("governments");
      regions.insert("(the TLD's own)");
    } else if (id == "@tld-manager") {
      groups.insert("private-sector");
    } else if (const auto index = actors.find(id)) {
      const Actor& actor = actors.actor(*index);
      for (const StakeholderGroup g : actor.groups) {
        groups.insert(std::string(to_string(g)));
      }
      if (actor.kind == ActorKind::kGovernment && !actor.region.empty()) {
        regions.insert(actor.region);
      }
    }
  }
  out.stakeholder_groups.assign(groups.begin(), groups.end());
  out.regions.assign(regions.begin(), regions.end());
  return out;
}

void merge_into(PathAnalysis& combined, const PathAnalysis& part, bool first) {
  if (!part.applicable) {
    return;
  }
  auto merge = [](std::vector<std::string>& into, const std::vector<std::string>& from) {
    Names all(into.begin(), into.end());
    all.insert(from.begin(), from.end());
    into.assign(all.begin(), all.end());
  };
  merge(combined.single_points_of_control, part.single_points_of_control);
  merge(combined.veto_points, part.veto_points);
  merge(combined.stakeholder_groups, part.stakeholder_groups);
  merge(combined.regions, part.regions);
  combined.foreign_influence_on_cctld |= part.foreign_influence_on_cctld;
  combined.expected_lead_time_days =
      first ? part.expected_lead_time_days
            : std::max(combined.expected_lead_time_days, part.expected_lead_time_days);
  combined.applicable = true;
}

nlohmann::json path_json(const PathAnalysis& p) {
  return {{"single_points_of_control", p.single_points_of_control},
          {"veto_points", p.veto_points},
          {"foreign_influence_on_cctld", p.foreign_influence_on_cctld},
          {"expected_lead_time_days", p.expected_lead_time_days},
          {"stakeholder_groups", p.stakeholder_groups},
          {"regions", p.regions}};
}

const char* kLegend[][2] = {
    {"single_points_of_control",
     "who can alone get a request of this type through against everyone else (for revoke and "
     "transfer: who can alone remove or hand over a TLD); @requester = anyone who asks"},
    {"veto_points", "who can alone block it"},
    {"foreign_influence_on_cctld",
     "can a government (or a body of governments) other than the ccTLD's own take part in the "
     "decision? (Tunis Agenda para 63)"},
    {"expected_lead_time_days",
     "mean days from request to publication if every stage approves, from the delay "
     "distributions (appeals weighted by their chance); where ccTLD and gTLD paths differ, the "
     "slower"},
    {"roles",
     "@tld-government = the TLD's own government, @tld-manager = its manager (local internet "
     "community), gov:* = every government"},
};

std::string join(const std::vector<std::string>& items, std::size_t width) {
  std::string out;
  for (const auto& i : items) {
    out += (out.empty() ? "" : " ") + i;
  }
  if (out.empty()) {
    out = "-";
  }
  if (out.size() > width) {
    out = out.substr(0, width - 3) + "...";
  }
  return out;
}

}  // namespace

ArrangementAnalysis analyze(const Arrangement& arrangement, const ActorDirectory& actors) {
  ArrangementAnalysis out;
  out.name = arrangement.name;
  for (std::size_t k = 0; k < kRequestKindCount; ++k) {
    const auto kind = static_cast<RequestKind>(k);
    KindAnalysis ka;
    ka.kind = kind;
    bool first = true;
    if (changes_zone(kind)) {
      for (const TldClass c : {TldClass::kCountryCode, TldClass::kGeneric}) {
        const Pipeline* p = arrangement.pipeline(kind, c);
        if (p == nullptr) {
          continue;
        }
        PathAnalysis path = analyze_path(arrangement, *p, {kind, c}, actors);
        merge_into(ka.combined, path, first);
        first = false;
        (c == TldClass::kCountryCode ? ka.cctld : ka.gtld) = std::move(path);
      }
    } else if (const Pipeline* p = arrangement.pipeline(kind, TldClass::kNone)) {
      merge_into(ka.combined, analyze_path(arrangement, *p, {kind, TldClass::kNone}, actors), true);
    }
    if (ka.combined.applicable) {
      out.kinds.push_back(std::move(ka));
    }
  }
  return out;
}

std::string analysis_to_json(const std::vector<ArrangementAnalysis>& analyses) {
  nlohmann::json list = nlohmann::json::array();
  for (const ArrangementAnalysis& a : analyses) {
    nlohmann::json types = nlohmann::json::object();
    for (const KindAnalysis& k : a.kinds) {
      nlohmann::json entry = path_json(k.combined);
      if (changes_zone(k.kind)) {
        entry["by_tld_class"] = {{"cctld", path_json(k.cctld)}, {"gtld", path_json(k.gtld)}};
      }
      types[std::string(to_string(k.kind))] = std::move(entry);
    }
    list.push_back({{"name", a.name}, {"request_types", std::move(types)}});
  }
  nlohmann::json legend = nlohmann::json::object();
  for (const auto& entry : kLegend) {
    legend[entry[0]] = entry[1];
  }
  return nlohmann::json{{"arrangements", std::move(list)}, {"legend", std::move(legend)}}.dump(2);
}

std::string analysis_to_text(const std::vector<ArrangementAnalysis>& analyses) {
  std::ostringstream out;
  out << std::left << std::setw(21) << "arrangement" << std::setw(17) << "request type"
      << std::setw(34) << "single points of control" << std::setw(34) << "veto points"
      << std::setw(9) << "foreign"
      << "lead (d)\n";
  out << std::string(122, '-') << "\n";
  for (const ArrangementAnalysis& a : analyses) {
    for (const KindAnalysis& k : a.kinds) {
      const PathAnalysis& p = k.combined;
      std::ostringstream days;
      days << std::fixed << std::setprecision(2) << p.expected_lead_time_days;
      out << std::setw(21) << a.name << std::setw(17) << to_string(k.kind) << std::setw(34)
          << join(p.single_points_of_control, 32) << std::setw(34) << join(p.veto_points, 32)
          << std::setw(9) << (p.foreign_influence_on_cctld ? "yes" : "no") << days.str() << "\n";
    }
  }
  out << "\nlegend:\n";
  for (const auto& entry : kLegend) {
    out << "  " << entry[0] << ": " << entry[1] << "\n";
  }
  out << "  foreign: foreign_influence_on_cctld; lead (d): expected_lead_time_days\n";
  return out.str();
}

}  // namespace rootsim::policy
