// Compares two results folders (two runs, e.g. before and after a change to an arrangement or
// a scenario): for every arrangement both ran and every metric, A, B, their difference, and
// whether the 95% confidence intervals overlap (if they do, the runs show no clear difference).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "rootsim/scenarios/report.hpp"
#include "rounded_number.hpp"

namespace rootsim::scenarios {
namespace {

using nlohmann::json;

json number(double x) { return rounded_number(x, 6); }

std::string text(double x) {
  if (!std::isfinite(x)) {
    return "n/a";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string text(const Estimate& e) {
  if (e.single || !std::isfinite(e.lo)) {
    return text(e.mean);
  }
  return text(e.mean) + " [" + text(e.lo) + ", " + text(e.hi) + "]";
}

json estimate_json(const Estimate& e) {
  return {{"mean", number(e.mean)}, {"ci95", {number(e.lo), number(e.hi)}}};
}

/// Intervals that share a point; a NaN end (an undefined metric) counts as overlapping.
bool overlap(const Estimate& a, const Estimate& b) {
  if (!std::isfinite(a.lo) || !std::isfinite(a.hi) || !std::isfinite(b.lo) ||
      !std::isfinite(b.hi)) {
    return true;
  }
  return !(a.hi < b.lo || b.hi < a.lo);
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

}  // namespace

Comparison compare(const ResultsFolder& a, const ResultsFolder& b) {
  Comparison out;
  out.a_dir = a.dir;
  out.b_dir = b.dir;
  out.a_scenario = a.scenario;
  out.b_scenario = b.scenario;
  for (const ArrangementResults& x : a.arrangements) {
    const auto y = std::find_if(b.arrangements.begin(), b.arrangements.end(),
                                [&](const ArrangementResults& r) { return r.name == x.name; });
    if (y == b.arrangements.end()) {
      out.only_in_a.push_back(x.name);
      continue;
    }
    for (const auto& [key, ea] : x.metrics) {
      const Estimate* eb = y->metric(key);
      if (eb == nullptr) {
        continue;
      }
      const MetricInfo* info = a.metric_info(key);
      out.rows.push_back({x.name, key, info != nullptr ? info->unit : "", ea, *eb,
                          eb->mean - ea.mean, overlap(ea, *eb)});
    }
  }
  for (const ArrangementResults& y : b.arrangements) {
    if (std::none_of(a.arrangements.begin(), a.arrangements.end(),
                     [&](const ArrangementResults& r) { return r.name == y.name; })) {
      out.only_in_b.push_back(y.name);
    }
  }
  return out;
}

std::string comparison_table(const Comparison& c) {
  std::ostringstream out;
  out << "A: " << c.a_dir.string() << " (" << c.a_scenario << ")\nB: " << c.b_dir.string() << " ("
      << c.b_scenario << ")\n\n";
  std::size_t w_arr = 12;
  std::size_t w_metric = 7;
  for (const MetricComparison& r : c.rows) {
    w_arr = std::max(w_arr, r.arrangement.size() + 2);
    w_metric = std::max(w_metric, r.metric.size() + 2);
  }
  out << pad("arrangement", w_arr) << pad("metric", w_metric) << pad("A mean [95% CI]", 30)
      << pad("B mean [95% CI]", 30) << pad("B - A", 12) << "CIs\n";
  out << std::string(w_arr + w_metric + 30 + 30 + 12 + 9, '-') << "\n";
  std::size_t different = 0;
  for (const MetricComparison& r : c.rows) {
    different += r.ci_overlap ? 0 : 1;
    out << pad(r.arrangement, w_arr) << pad(r.metric, w_metric) << pad(text(r.a), 30)
        << pad(text(r.b), 30) << pad(text(r.difference), 12)
        << (r.ci_overlap ? "overlap" : "DIFFERENT") << "\n";
  }
  out << "\n" << different << " of " << c.rows.size()
      << " metrics differ (95% confidence intervals do not overlap)\n";
  for (const std::string& name : c.only_in_a) {
    out << "only in A: " << name << "\n";
  }
  for (const std::string& name : c.only_in_b) {
    out << "only in B: " << name << "\n";
  }
  return out.str();
}

std::string comparison_json(const Comparison& c) {
  json rows = json::array();
  for (const MetricComparison& r : c.rows) {
    rows.push_back({{"arrangement", r.arrangement},
                    {"metric", r.metric},
                    {"unit", r.unit},
                    {"a", estimate_json(r.a)},
                    {"b", estimate_json(r.b)},
                    {"difference", number(r.difference)},
                    {"ci_overlap", r.ci_overlap}});
  }
  const json doc = {{"a", {{"dir", c.a_dir.string()}, {"scenario", c.a_scenario}}},
                    {"b", {{"dir", c.b_dir.string()}, {"scenario", c.b_scenario}}},
                    {"rows", std::move(rows)},
                    {"only_in_a", c.only_in_a},
                    {"only_in_b", c.only_in_b}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace rootsim::scenarios
