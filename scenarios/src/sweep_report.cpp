// The report of a merged sweep (`rootsim report SWEEP_DIR`): a report for every point
// (points/NNNNN/report.html) and an index page with the headline metrics of every point and
// arrangement, as a table and as charts across the points (Chart.js embedded, no network).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report_detail.hpp"
#include "text_files.hpp"
#include "rootsim/scenarios/report.hpp"

namespace rootsim::scenarios {
namespace {

using nlohmann::json;

struct Headline {
  const char* key;
  const char* title;
};
constexpr Headline kHeadlines[] = {
    {"changes_per_year", "Changes published per year"},
    {"lead_time_p50_days", "Lead time, median (days)"},
    {"lead_time_p90_days", "Lead time, 90th percentile (days)"},
    {"resolution_correct", "Share of stub queries answered correctly"},
    {"resolution_failed", "Share of stub queries not answered"},
    {"tlds_removed", "TLDs removed"},
    {"foreign_decisions_on_cctlds", "Decisions on a ccTLD by another country"},
};

double mean_of(const json& value) {
  if (value.is_number()) {
    return value.get<double>();
  }
  if (value.is_object() && value.contains("mean") && value["mean"].is_number()) {
    return value["mean"].get<double>();
  }
  return 0;
}

std::string point_label(const json& point) {
  std::string label = "#" + std::to_string(point.value("index", 0));
  if (point.contains("values") && point["values"].is_object()) {
    for (const auto& [pointer, value] : point["values"].items()) {
      const std::string text = value.is_object() || value.is_array() ? "{...}" : value.dump();
      label += " " + pointer.substr(pointer.rfind('/') + 1) + "=" + text;
    }
  }
  return label + " seed " + std::to_string(point.value("seed", 0));
}

}  // namespace

Status write_sweep_report(const std::filesystem::path& sweep_dir, const std::filesystem::path& out,
                          const ReportOptions& options) {
  const auto summary_file = sweep_dir / "sweep-summary.json";
  auto text = read_text_file(summary_file);
  if (!text) {
    return fail(std::move(text).error());
  }
  json sweep;
  try {
    sweep = json::parse(*text);
  } catch (const json::exception& e) {
    return fail(Errc::kParse, summary_file.string() + ": " + e.what());
  }
  if (!sweep.contains("points") || !sweep["points"].is_array()) {
    return fail(Errc::kParse, summary_file.string() + ": /points: expected an array");
  }
  auto chart_js = read_chart_js(options.chart_js);
  if (!chart_js) {
    return fail(std::move(chart_js).error());
  }
  // Every point's own report, linked from the index.
  std::vector<std::string> labels;
  std::vector<std::string> arrangements;
  for (const json& point : sweep["points"]) {
    char folder[16];
    std::snprintf(folder, sizeof folder, "%05d", point.value("index", 0));
    const auto point_dir = sweep_dir / "points" / folder;
    if (auto s = write_report(point_dir, point_dir / "report.html", options); !s) {
      return s;
    }
    labels.push_back(point_label(point));
    for (const auto& [name, values] : point["summary"]["arrangements"].items()) {
      if (std::find(arrangements.begin(), arrangements.end(), name) == arrangements.end()) {
        arrangements.push_back(name);
      }
    }
  }
  // Chart data: for each headline metric, one line per arrangement across the points.
  json charts = json::array();
  for (const Headline& h : kHeadlines) {
    json series = json::array();
    for (const std::string& name : arrangements) {
      json values = json::array();
      for (const json& point : sweep["points"]) {
        const json& a = point["summary"]["arrangements"];
        values.push_back(a.contains(name) && a[name].contains(h.key)
                             ? json(mean_of(a[name][h.key]))
                             : json(nullptr));
      }
      series.push_back({{"label", name}, {"data", std::move(values)}});
    }
    charts.push_back({{"title", h.title}, {"series", std::move(series)}});
  }
  std::ostringstream page;
  const std::string name = sweep.value("sweep", std::string("sweep"));
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
       << "<title>" << html_escape(name) << ": sweep</title>\n<style>"
       << report_css() << "</style></head><body><main>\n<h1>"
       << html_escape(name) << "</h1>\n<p>A parameter sweep of "
       << sweep["points"].size()
       << " points. Each chart shows one headline number across the points (the mean over each "
          "point's replications), one line per arrangement; each point's own report, with its "
          "confidence intervals, is linked in the table.</p>\n";
  for (std::size_t i = 0; i < charts.size(); ++i) {
    page << "<section class=\"chart\"><h3>" << html_escape(charts[i]["title"].get<std::string>())
         << "</h3><canvas id=\"sweep-chart-" << i << "\"></canvas><p class=\"caption\">"
         << html_escape(charts[i]["title"].get<std::string>())
         << " at each point of the sweep (x: the point and its varied values), per arrangement."
         << "</p></section>\n";
  }
  page << "<h2>Points</h2>\n<table><thead><tr><th>point</th><th>arrangement</th>";
  for (const Headline& h : kHeadlines) {
    page << "<th>" << html_escape(h.title) << "</th>";
  }
  page << "</tr></thead><tbody>\n";
  for (std::size_t p = 0; p < sweep["points"].size(); ++p) {
    const json& point = sweep["points"][p];
    char folder[16];
    std::snprintf(folder, sizeof folder, "%05d", point.value("index", 0));
    for (const auto& [arrangement, values] : point["summary"]["arrangements"].items()) {
      page << "<tr><td><a href=\"points/" << folder << "/report.html\">"
           << html_escape(labels[p]) << "</a></td><td>" << html_escape(arrangement)
           << "</td>";
      for (const Headline& h : kHeadlines) {
        char cell[32];
        std::snprintf(cell, sizeof cell, "%.4g", values.contains(h.key) ? mean_of(values[h.key]) : 0.0);
        page << "<td>" << cell << "</td>";
      }
      page << "</tr>\n";
    }
  }
  page << "</tbody></table>\n<div id=\"render-status\"></div></main>\n<script>" << *chart_js
       << "</script>\n<script>\nconst sweepLabels = " << json(labels).dump()
       << ";\nconst sweepCharts = " << charts.dump() << ";\n"
       << "let drawn = 0; const errors = [];\n"
          "window.addEventListener('error', e => errors.push(String(e.message)));\n"
          "const palette = ['#1f77b4', '#e6a817', '#2ca02c', '#d62728', '#9467bd', '#8c564b', "
          "'#17becf', '#7f7f7f'];\n"
          "sweepCharts.forEach((c, i) => { try { new Chart(document.getElementById('sweep-chart-' "
          "+ i), {type: 'line', data: {labels: sweepLabels, datasets: c.series.map((s, k) => "
          "({label: s.label, data: s.data, borderColor: palette[k % 8], backgroundColor: "
          "palette[k % 8]}))}, options: {animation: false, scales: {x: {title: {display: "
          "true, text: 'sweep point'}}, y: {title: {display: true, text: c.title}}}}}); ++drawn; "
          "} catch (e) { errors.push(String(e)); } });\n"
          "const st = document.getElementById('render-status'); st.dataset.chartsOk = drawn; "
          "st.dataset.chartsTotal = sweepCharts.length; st.dataset.errors = errors.join('; '); "
          "st.dataset.done = '1';\n</script></body></html>\n";
  return replace_text_file(out, page.str());
}

}  // namespace rootsim::scenarios
