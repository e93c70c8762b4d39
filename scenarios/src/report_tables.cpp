// The report's tables, rendered as HTML so they read (and print) without the script: the
// arrangements' structure (who can act alone, who can block, Tunis Agenda para 63 exposure),
// the regional breakdown of resolution, and who took part in decisions.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "report_detail.hpp"
#include "rootsim/policy/analysis.hpp"
#include "rootsim/policy/arrangement.hpp"

namespace rootsim::scenarios {
namespace {

std::string fixed(double x, int digits) {
  if (!std::isfinite(x)) {
    return "n/a";
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

/// "99.87 [99.80, 99.93]", or just the mean for one replication.
std::string with_ci(const Estimate& e, int digits) {
  if (e.single || !std::isfinite(e.lo) || e.lo == e.hi) {
    return fixed(e.mean, digits);
  }
  return fixed(e.mean, digits) + " <span class=\"ci\">[" + fixed(e.lo, digits) + ", " +
         fixed(e.hi, digits) + "]</span>";
}

std::string join(const std::vector<std::string>& items) {
  if (items.empty()) {
    return "<span class=\"none\">nobody</span>";
  }
  std::string out;
  for (const std::string& s : items) {
    out += (out.empty() ? "" : ", ") + ("<code>" + html_escape(s) + "</code>");
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Result<std::string> structure_table_html(const ResultsFolder& results,
                                         const std::filesystem::path& data_dir) {
  policy::ActorSources sources;
  sources.actors_data = data_dir / "governance_actors.json";
  auto actors = policy::ActorDirectory::load(sources);
  if (!actors) {
    return fail(actors.error(), "structural table: ");
  }
  const auto catalog = policy::builtin_primitives();
  std::ostringstream out;
  out << "<table class=\"structure\"><thead><tr><th>arrangement</th><th>request type</th>"
         "<th>who can act alone<br><small>single points of control</small></th>"
         "<th>who can block alone<br><small>veto points</small></th>"
         "<th>foreign say on a ccTLD<br><small>Tunis Agenda para 63</small></th>"
         "<th>expected lead time (days)</th></tr></thead><tbody>\n";
  for (const ArrangementResults& a : results.arrangements) {
    // A file is looked for as named (from the working folder), then in the scenario library
    // (whose scenarios name files relative to themselves).
    auto arrangement =
        policy::load_arrangement(a.source.empty() ? a.name : a.source, catalog, *actors);
    if (!arrangement && a.source.ends_with(".json") &&
        std::filesystem::path(a.source).is_relative()) {
      if (auto in_library = policy::load_arrangement((library_dir() / a.source).string(), catalog,
                                                     *actors)) {
        arrangement = std::move(in_library);
      }
    }
    if (!arrangement) {
      out << "<tr><td>" << html_escape(a.name) << "</td><td colspan=\"5\">not analysed: "
          << html_escape(arrangement.error().message) << "</td></tr>\n";
      continue;
    }
    const policy::ArrangementAnalysis analysis = policy::analyze(*arrangement, *actors);
    bool first = true;
    for (const policy::KindAnalysis& k : analysis.kinds) {
      const policy::PathAnalysis& p = k.combined;
      const std::string kind(policy::to_string(k.kind));
      const bool removal = kind == "revoke" || kind == "transfer";
      out << "<tr" << (removal ? " class=\"removal\"" : "") << ">";
      if (first) {
        out << "<th rowspan=\"" << analysis.kinds.size() << "\" scope=\"rowgroup\">"
            << html_escape(a.name) << "</th>";
        first = false;
      }
      out << "<td>" << html_escape(kind) << "</td><td>" << join(p.single_points_of_control)
          << "</td><td>" << join(p.veto_points) << "</td><td class=\""
          << (p.foreign_influence_on_cctld ? "yes\">yes" : "no\">no") << "</td><td class=\"num\">"
          << fixed(p.expected_lead_time_days, 1) << "</td></tr>\n";
    }
  }
  out << "</tbody></table>\n";
  return out.str();
}

std::string regional_table_html(const ResultsFolder& results) {
  struct Sum {
    std::uint64_t correct = 0, wrong = 0, failed = 0;
  };
  std::ostringstream out;
  out << "<table class=\"regional\"><thead><tr><th>arrangement</th><th>region</th>"
         "<th>correct (%)</th><th>wrong (%)</th><th>failed (%)</th>"
         "<th>worst day, correct (%)</th><th>decision steps by the region's governments</th>"
         "</tr></thead><tbody>\n";
  for (std::uint32_t a = 0; a < results.arrangements.size(); ++a) {
    const ArrangementResults& arr = results.arrangements[a];
    // (region, replication) over the run, and (region, day, replication) for the worst day.
    std::map<std::pair<std::uint32_t, std::uint32_t>, Sum> run;
    std::map<std::pair<std::uint32_t, std::uint32_t>, Sum> daily;
    std::map<std::uint32_t, std::set<std::uint32_t>> days;
    for (const ResolutionRow& row : results.resolution) {
      if (row.arrangement != a) {
        continue;
      }
      Sum& s = run[{row.region, row.replication}];
      s.correct += row.correct;
      s.wrong += row.wrong;
      s.failed += row.failed;
      Sum& d = daily[{row.region, row.day}];
      d.correct += row.correct;
      d.wrong += row.wrong;
      d.failed += row.failed;
    }
    for (std::uint32_t region = 0; region < results.regions.size(); ++region) {
      std::vector<double> correct, wrong, failed;
      for (const auto& [key, s] : run) {
        const double total = static_cast<double>(s.correct + s.wrong + s.failed);
        if (key.first == region && total > 0) {
          correct.push_back(100.0 * static_cast<double>(s.correct) / total);
          wrong.push_back(100.0 * static_cast<double>(s.wrong) / total);
          failed.push_back(100.0 * static_cast<double>(s.failed) / total);
        }
      }
      double worst = NAN;
      for (const auto& [key, s] : daily) {
        const double total = static_cast<double>(s.correct + s.wrong + s.failed);
        if (key.first == region && total > 0) {
          const double share = 100.0 * static_cast<double>(s.correct) / total;
          worst = std::isfinite(worst) ? std::min(worst, share) : share;
        }
      }
      double steps = 0;
      for (const auto& [party, n] : arr.participation) {
        if (party == "region:" + results.regions[region]) {
          steps = n;
        }
      }
      out << "<tr>";
      if (region == 0) {
        out << "<th rowspan=\"" << results.regions.size() << "\" scope=\"rowgroup\">"
            << html_escape(arr.name) << "</th>";
      }
      out << "<td>" << html_escape(results.regions[region]) << "</td><td class=\"num\">"
          << with_ci(estimate(correct), 3) << "</td><td class=\"num\">"
          << with_ci(estimate(wrong), 3) << "</td><td class=\"num\">"
          << with_ci(estimate(failed), 3) << "</td><td class=\"num\">" << fixed(worst, 3)
          << "</td><td class=\"num\">" << fixed(steps, 1) << "</td></tr>\n";
    }
  }
  out << "</tbody></table>\n";
  return out.str();
}

std::string events_table_html(const ResultsFolder& results) {
  std::ostringstream out;
  out << "<table class=\"events\"><thead><tr><th>arrangement</th><th>day</th><th>event</th>"
         "<th>what</th><th>replications</th></tr></thead><tbody>\n";
  std::size_t rows = 0;
  for (const MarkedEvent& e : results.events) {
    if (!e.scenario || ++rows > 200) {
      continue;
    }
    out << "<tr><td>" << html_escape(results.arrangements[e.arrangement].name)
        << "</td><td class=\"num\">" << fixed(e.day, 2) << "</td><td>" << html_escape(e.type)
        << "</td><td>" << html_escape(e.detail) << "</td><td class=\"num\">" << e.replications
        << " of " << results.replications << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  if (rows > 200) {
    out << "<p class=\"facts\">" << rows - 200 << " more scenario events left out.</p>\n";
  }
  for (std::uint32_t a = 0; a < results.arrangements.size(); ++a) {
    std::map<std::string, std::uint64_t> other;
    for (const MarkedEvent& e : results.events) {
      if (e.arrangement == a && !e.scenario) {
        other[e.type] += e.replications;
      }
    }
    if (other.empty()) {
      continue;
    }
    out << "<p class=\"facts\">Also logged under " << html_escape(results.arrangements[a].name)
        << " (all replications):";
    const char* sep = " ";
    for (const auto& [type, n] : other) {
      out << sep << html_escape(type) << " &times;" << n;
      sep = ", ";
    }
    out << ".</p>\n";
  }
  return out.str();
}

std::string participation_table_html(const ResultsFolder& results) {
  std::set<std::string> parties;
  for (const ArrangementResults& a : results.arrangements) {
    for (const auto& [party, n] : a.participation) {
      if (party.rfind("region:", 0) != 0) {
        parties.insert(party);
      }
    }
  }
  std::ostringstream out;
  out << "<table class=\"participation\"><thead><tr><th>arrangement</th>";
  for (const std::string& p : parties) {
    out << "<th>" << html_escape(p.rfind("group:", 0) == 0 ? p.substr(6) : p) << "</th>";
  }
  out << "</tr></thead><tbody>\n";
  for (const ArrangementResults& a : results.arrangements) {
    out << "<tr><th scope=\"row\">" << html_escape(a.name) << "</th>";
    for (const std::string& p : parties) {
      const auto it = std::find_if(a.participation.begin(), a.participation.end(),
                                   [&](const auto& e) { return e.first == p; });
      out << "<td class=\"num\">" << (it != a.participation.end() ? fixed(it->second, 1) : "0")
          << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
  return out.str();
}

}  // namespace rootsim::scenarios
