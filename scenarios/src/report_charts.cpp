// The report's chart specifications: what each chart plots, its title, axis labels with units
// and caption, as JSON the page's script turns into Chart.js charts. Intervals are 95% CIs over
// replications (Student's t, as in summary.json): whiskers on bars, bands around lines.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "report_detail.hpp"
#include "rounded_number.hpp"
#include "rootsim/scenarios/report.hpp"

namespace rootsim::scenarios {
namespace {

using nlohmann::json;

/// Rounded for the page: 4 significant digits.
json num(double x) { return rounded_number(x, 4); }

std::string replications_text(std::uint32_t n) {
  return std::to_string(n) + (n == 1 ? " replication" : " replications");
}

/// The headline metrics, in the order the page shows them.
constexpr const char* kHeadline[] = {
    "changes_per_year",        "publications_per_day",        "lead_time_p50_days",
    "lead_time_p90_days",      "resolution_correct",          "resolution_wrong",
    "resolution_failed",       "tlds_removed",                "foreign_decisions_on_cctlds",
    "forced_against_community", "blocked_against_community",  "public_decision_share"};

json headline_charts(const ResultsFolder& r) {
  json charts = json::array();
  json labels = json::array();
  for (const ArrangementResults& a : r.arrangements) {
    labels.push_back(a.name);
  }
  for (const char* key : kHeadline) {
    const MetricInfo* info = r.metric_info(key);
    const bool share = info != nullptr && info->unit == "share";
    const double scale = share ? 100.0 : 1.0;
    const std::string unit = share ? "%" : (info != nullptr ? info->unit : "");
    json mean = json::array();
    json lo = json::array();
    json hi = json::array();
    bool any = false;
    double top = 0;  // the axis shows every whisker's upper end (shares: up to 100%)
    for (const ArrangementResults& a : r.arrangements) {
      const Estimate* e = a.metric(key);
      any = any || e != nullptr;
      if (e != nullptr && std::isfinite(e->hi)) {
        top = std::max(top, share ? std::min(e->hi * scale, 100.0) : e->hi * scale);
      }
      mean.push_back(num(e != nullptr ? e->mean * scale : NAN));
      lo.push_back(num(e != nullptr ? e->lo * scale : NAN));
      hi.push_back(num(e != nullptr ? e->hi * scale : NAN));
    }
    if (!any) {
      continue;
    }
    std::string definition = info != nullptr ? info->definition : key;
    charts.push_back(
        {{"id", std::string("headline-") + key},
         {"section", "headline"},
         {"type", "bar"},
         {"title", metric_title(key)},
         {"caption", "Mean over " + replications_text(r.replications) + " of " + definition +
                         "; whiskers show the 95% confidence interval."},
         {"x", {{"label", "arrangement"}, {"kind", "category"}}},
         {"y", {{"label", unit}, {"min", 0}, {"suggestedMax", num(top)}}},
         {"labels", labels},
         {"series", json::array({{{"label", metric_title(key)}, {"kind", "bar"},
                                  {"byCategory", true}, {"data", mean}, {"lo", lo},
                                  {"hi", hi}}})}});
  }
  return charts;
}

/// Empirical CDF of lead times on a grid, mean and CI over replications.
json lead_time_chart(const ResultsFolder& r) {
  double x_max = 0;
  for (const ArrangementResults& a : r.arrangements) {
    std::vector<double> pooled;
    for (const auto& rep : a.lead_times_days) {
      pooled.insert(pooled.end(), rep.begin(), rep.end());
    }
    if (!pooled.empty()) {
      std::sort(pooled.begin(), pooled.end());
      x_max = std::max(x_max, pooled[static_cast<std::size_t>(0.99 * static_cast<double>(pooled.size() - 1))]);
    }
  }
  x_max = x_max > 0 ? std::ceil(x_max * 1.05) : 1.0;
  constexpr int kSteps = 120;
  json series = json::array();
  int color = 0;
  for (const ArrangementResults& a : r.arrangements) {
    std::vector<std::vector<double>> sorted;
    for (const auto& rep : a.lead_times_days) {
      if (!rep.empty()) {
        sorted.push_back(rep);
        std::sort(sorted.back().begin(), sorted.back().end());
      }
    }
    if (sorted.empty()) {
      ++color;
      continue;
    }
    json mean = json::array();
    json lo = json::array();
    json hi = json::array();
    for (int i = 0; i <= kSteps; ++i) {
      const double x = x_max * i / kSteps;
      std::vector<double> shares;
      for (const auto& rep : sorted) {
        const auto below = std::upper_bound(rep.begin(), rep.end(), x) - rep.begin();
        shares.push_back(100.0 * static_cast<double>(below) / static_cast<double>(rep.size()));
      }
      const Estimate e = estimate(shares);
      mean.push_back({num(x), num(e.mean)});
      lo.push_back({num(x), num(std::clamp(e.lo, 0.0, 100.0))});
      hi.push_back({num(x), num(std::clamp(e.hi, 0.0, 100.0))});
    }
    series.push_back({{"label", a.name}, {"kind", "line"}, {"color", color++}, {"data", mean},
                      {"lo", lo}, {"hi", hi}});
  }
  return {{"id", "lead-time-ecdf"},
          {"section", "lead"},
          {"type", "line"},
          {"title", "Lead time: request to publication"},
          {"caption", "Share of published changes whose lead time (request submitted to change "
                      "published) was at most the number of days on the x axis, per arrangement; "
                      "the band is the 95% confidence interval over " +
                          replications_text(r.replications) + " (axis cut at the 99th percentile)."},
          {"x", {{"label", "lead time (days)"}, {"kind", "linear"}, {"min", 0}, {"max", x_max}}},
          {"y", {{"label", "published changes at most this late (%)"}, {"min", 0}, {"max", 100}}},
          {"series", series}};
}

/// Per replication and day: the share of stub queries with each outcome, pooled over regions
/// when `region` is negative.
struct DayShares {
  std::vector<std::vector<double>> correct;  // [day][replication]
  std::vector<std::vector<double>> wrong;
  std::vector<std::vector<double>> failed;
};

DayShares day_shares(const ResultsFolder& r, std::uint32_t arrangement, int region,
                     std::size_t days) {
  struct Sum {
    std::uint64_t correct = 0, wrong = 0, failed = 0;
  };
  std::map<std::pair<std::uint32_t, std::uint32_t>, Sum> sums;  // (day, replication)
  for (const ResolutionRow& row : r.resolution) {
    if (row.arrangement != arrangement ||
        (region >= 0 && row.region != static_cast<std::uint32_t>(region))) {
      continue;
    }
    Sum& s = sums[{row.day, row.replication}];
    s.correct += row.correct;
    s.wrong += row.wrong;
    s.failed += row.failed;
  }
  DayShares out{std::vector<std::vector<double>>(days), std::vector<std::vector<double>>(days),
                std::vector<std::vector<double>>(days)};
  for (const auto& [key, s] : sums) {
    const double total = static_cast<double>(s.correct + s.wrong + s.failed);
    if (key.first >= days || total == 0) {
      continue;
    }
    out.correct[key.first].push_back(100.0 * static_cast<double>(s.correct) / total);
    out.wrong[key.first].push_back(100.0 * static_cast<double>(s.wrong) / total);
    out.failed[key.first].push_back(100.0 * static_cast<double>(s.failed) / total);
  }
  return out;
}

json band_series(const std::string& label, int color, const std::vector<std::vector<double>>& by_day,
                 const char* axis) {
  json mean = json::array();
  json lo = json::array();
  json hi = json::array();
  for (std::size_t day = 0; day < by_day.size(); ++day) {
    const Estimate e = estimate(by_day[day]);
    mean.push_back({day, num(e.mean)});
    lo.push_back({day, num(std::clamp(e.lo, 0.0, 100.0))});
    hi.push_back({day, num(std::clamp(e.hi, 0.0, 100.0))});
  }
  return {{"label", label}, {"kind", "line"}, {"color", color}, {"axis", axis},
          {"data", mean},   {"lo", lo},       {"hi", hi}};
}

std::size_t day_count(const ResultsFolder& r) {
  std::size_t days = static_cast<std::size_t>(std::ceil(std::max(r.duration_days, 1.0)));
  for (const ResolutionRow& row : r.resolution) {
    days = std::max<std::size_t>(days, row.day + 1);
  }
  return days;
}

json resolution_charts(const ResultsFolder& r) {
  json charts = json::array();
  const std::size_t days = day_count(r);
  for (std::uint32_t a = 0; a < r.arrangements.size(); ++a) {
    json series = json::array();
    for (std::uint32_t region = 0; region < r.regions.size(); ++region) {
      const DayShares s = day_shares(r, a, static_cast<int>(region), days);
      series.push_back(band_series(r.regions[region], static_cast<int>(region), s.correct, "y"));
    }
    const std::string& name = r.arrangements[a].name;
    charts.push_back(
        {{"id", "resolution-" + name},
         {"section", "resolution"},
         {"type", "line"},
         {"title", "Resolution success by region: " + name},
         {"caption", "Daily share of stub queries answered correctly in each region under " +
                         name + " (mean over " + replications_text(r.replications) +
                         ", band: 95% confidence interval); the y axis is not zero-based."},
         {"x", {{"label", "simulated day"}, {"kind", "linear"}, {"min", 0},
                {"max", static_cast<double>(days - 1)}}},
         {"y", {{"label", "queries answered correctly (%)"}, {"max", 100}}},
         {"series", series}});
  }
  return charts;
}

json timeline_charts(const ResultsFolder& r) {
  json charts = json::array();
  const std::size_t days = day_count(r);
  const double reps = std::max<std::uint32_t>(r.replications, 1);
  for (std::uint32_t a = 0; a < r.arrangements.size(); ++a) {
    json series = json::array();
    if (a < r.activity.size()) {
      const DailyActivity& act = r.activity[a];
      const std::pair<const char*, const std::vector<std::uint64_t>*> kinds[] = {
          {"requests", &act.requests},
          {"decisions", &act.decisions},
          {"publications", &act.publications}};
      int color = 0;
      for (const auto& [label, counts] : kinds) {
        json data = json::array();
        for (std::size_t day = 0; day < counts->size(); ++day) {
          data.push_back({day, num(static_cast<double>((*counts)[day]) / reps)});
        }
        series.push_back({{"label", std::string(label) + " per day"}, {"kind", "line"},
                          {"color", color++}, {"axis", "y"}, {"data", data}});
      }
    }
    const DayShares s = day_shares(r, a, -1, days);
    series.push_back(band_series("failed queries (%)", 5, s.failed, "y2"));
    series.back()["thick"] = true;
    series.push_back(band_series("wrong answers (%)", 7, s.wrong, "y2"));
    series.back()["thick"] = true;
    json markers = json::array();
    for (const MarkedEvent& e : r.events) {
      if (e.arrangement != a || !e.scenario || markers.size() >= 40) {
        continue;
      }
      std::string label = e.type + (e.detail.empty() ? "" : " " + e.detail);
      if (label.size() > 60) {
        label = label.substr(0, 57) + "...";
      }
      if (e.replications < r.replications) {
        label += " (" + std::to_string(e.replications) + "/" + std::to_string(r.replications) +
                 " runs)";
      }
      markers.push_back({{"x", num(e.day)}, {"label", label}});
    }
    const std::string& name = r.arrangements[a].name;
    charts.push_back(
        {{"id", "timeline-" + name},
         {"section", "timeline"},
         {"type", "line"},
         {"title", "Timeline: " + name},
         {"caption", "Requests, decisions and publications per day under " + name +
                         " (thin lines, left axis, mean per replication) against the daily share of "
                         "failed and wrong stub answers (thick lines, right axis, 95% band); dashed "
                         "verticals mark the scenario's events."},
         {"x", {{"label", "simulated day"}, {"kind", "linear"}, {"min", 0},
                {"max", static_cast<double>(days - 1)}}},
         {"y", {{"label", "governance steps per day (count)"}, {"beginAtZero", true}}},
         {"y2", {{"label", "stub queries (%)"}, {"beginAtZero", true}}},
         {"series", series},
         {"markers", markers}});
  }
  return charts;
}

}  // namespace

std::string metric_title(std::string_view key) {
  static const std::map<std::string_view, std::string_view> kTitles = {
      {"changes_per_year", "Changes per year"},
      {"publications_per_day", "Publications per day"},
      {"lead_time_p50_days", "Lead time, median"},
      {"lead_time_p90_days", "Lead time, 90th percentile"},
      {"resolution_correct", "Correct answers"},
      {"resolution_wrong", "Wrong answers"},
      {"resolution_failed", "Failed queries"},
      {"tlds_removed", "TLDs removed"},
      {"foreign_decisions_on_cctlds", "Foreign decisions on ccTLDs"},
      {"forced_against_community", "Forced against the TLD's community"},
      {"blocked_against_community", "Blocked against the TLD's community"},
      {"public_decision_share", "Decisions taken in public"}};
  const auto it = kTitles.find(key);
  return std::string(it != kTitles.end() ? it->second : key);
}

std::string report_data_json(const ResultsFolder& results) {
  json charts = json::array();
  for (json& c : headline_charts(results)) {
    charts.push_back(std::move(c));
  }
  charts.push_back(lead_time_chart(results));
  for (json& c : resolution_charts(results)) {
    charts.push_back(std::move(c));
  }
  for (json& c : timeline_charts(results)) {
    charts.push_back(std::move(c));
  }
  json doc = {{"scenario", results.scenario},
              {"replications", results.replications},
              {"charts", std::move(charts)}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace rootsim::scenarios
