// The report as one HTML file: the scenario's header, the tables rendered as HTML, a figure
// (canvas + caption) per chart, the chart specs as embedded JSON, and Chart.js itself embedded
// so the page opens offline and makes no network request.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report_detail.hpp"
#include "text_files.hpp"

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;


/// "Chart.js v3.9.1" from the file's banner, for the colophon.
std::string chart_js_version(const std::string& js) {
  const auto at = js.find("Chart.js v");
  if (at == std::string::npos) {
    return "Chart.js";
  }
  const auto end = js.find_first_of(" \n\r*", at + 10);
  return js.substr(at, end == std::string::npos ? 20 : end - at);
}

/// Makes text safe inside <script>: "</script" and "<!--" could end or confuse the element.
/// JSON gets "<\/" (a valid JSON escape) for every "</"; in Chart.js's code only the two
/// sequences are touched, and only where they appear (in strings, where "\/" and "\x3c" mean
/// the same character).
std::string script_safe(std::string text, bool json_text) {
  const std::string end = json_text ? "</" : "</script";
  for (std::size_t at = 0; (at = text.find(end, at)) != std::string::npos; at += 3) {
    text.replace(at, 2, "<\\/");
  }
  for (std::size_t at = 0; (at = text.find("<!--", at)) != std::string::npos; at += 6) {
    text.replace(at, 1, json_text ? "\\u003c" : "\\x3c");
  }
  return text;
}

void figures(std::ostream& out, const json& charts, const char* section) {
  out << "<div class=\"grid " << section << "\">\n";
  for (const json& c : charts) {
    if (c.value("section", "") != section) {
      continue;
    }
    const std::string id = c.value("id", "");
    out << "<figure><div class=\"box\"><canvas id=\"chart-" << html_escape(id)
        << "\" data-chart=\"" << html_escape(id) << "\" role=\"img\" aria-label=\""
        << html_escape(c.value("title", "")) << "\"></canvas></div><figcaption>"
        << html_escape(c.value("caption", "")) << "</figcaption></figure>\n";
  }
  out << "</div>\n";
}

void header(std::ostream& out, const ResultsFolder& r) {
  out << "<header>\n<h1>" << html_escape(r.scenario.empty() ? "rootsim results" : r.scenario)
      << "</h1>\n";
  if (!r.description.empty()) {
    out << "<p class=\"lead\">" << html_escape(r.description) << "</p>\n";
  }
  if (!r.question.empty()) {
    out << "<p class=\"question\"><strong>Question.</strong> " << html_escape(r.question)
        << "</p>\n";
  }
  if (!r.look_at.empty() || !r.discuss.empty()) {
    out << "<div class=\"narrative\">";
    if (!r.look_at.empty()) {
      out << "<div><h3>What to look at</h3><p>" << html_escape(r.look_at) << "</p></div>";
    }
    if (!r.discuss.empty()) {
      out << "<div><h3>To discuss</h3><p>" << html_escape(r.discuss) << "</p></div>";
    }
    out << "</div>\n";
  }
  std::string names;
  for (const ArrangementResults& a : r.arrangements) {
    names += (names.empty() ? "" : ", ") + a.name;
  }
  std::ostringstream days;
  days << r.duration_days;
  out << "<p class=\"facts\">" << r.arrangements.size() << " arrangements (" << html_escape(names)
      << "); " << r.replications << (r.replications == 1 ? " replication" : " replications")
      << " each; " << days.str() << " simulated days; seed " << r.seed
      << ". Intervals are 95% confidence intervals over the replications.</p>\n</header>\n";
}

void nav(std::ostream& out) {
  out << "<nav><ol>"
         "<li><a href=\"#at-a-glance\">At a glance</a></li>"
         "<li><a href=\"#structure\">Who can act alone, who can block</a></li>"
         "<li><a href=\"#lead-time\">How long changes take</a></li>"
         "<li><a href=\"#resolution\">Can users still reach names, by region</a></li>"
         "<li><a href=\"#timeline\">What happened when</a></li>"
         "<li><a href=\"#participation\">Who took part in decisions</a></li>"
         "<li><a href=\"#metrics\">What the numbers mean</a></li>"
         "</ol></nav>\n";
}

void metric_list(std::ostream& out, const ResultsFolder& r) {
  out << "<dl class=\"metrics\">\n";
  for (const MetricInfo& m : r.metrics) {
    out << "<dt>" << html_escape(m.key) << " (" << html_escape(m.unit) << ")</dt><dd>"
        << html_escape(m.definition) << "</dd>\n";
  }
  out << "</dl>\n";
}

}  // namespace

Result<std::string> report_html(const ResultsFolder& results, const ReportOptions& options) {
  auto chart_js = read_chart_js(options.chart_js);
  if (!chart_js) {
    return fail(chart_js.error());
  }
  auto structure = structure_table_html(results, options.data_dir);
  if (!structure) {
    return fail(structure.error());
  }
  const std::string data = report_data_json(results);
  const json specs = json::parse(data);
  const json& charts = specs["charts"];

  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
         "<title>"
      << html_escape(results.scenario) << " - rootsim report</title>\n<style>"
      << report_css() << "</style>\n</head>\n<body>\n<main>\n";
  header(out, results);
  nav(out);

  out << "<section id=\"at-a-glance\"><h2>At a glance</h2>\n<p class=\"intro\">Each chart is one "
         "headline number for every arrangement: the bar is the mean over the replications, the "
         "whisker its 95% confidence interval. Where whiskers of two arrangements overlap, the "
         "run does not show a clear difference between them.</p>\n";
  figures(out, charts, "headline");
  out << "</section>\n";

  out << "<section id=\"structure\"><h2>Who can act alone, who can block</h2>\n<p "
         "class=\"intro\">Read from each arrangement's rules, not simulated: for each kind of "
         "request, who can get it through on their own against everyone else (a single point of "
         "control), whose refusal alone stops it (a veto point), and whether a government other "
         "than a ccTLD's own can take part in decisions on that ccTLD, which the Tunis Agenda "
         "(para 63) says countries should not. Removal and transfer rows are shaded. "
         "<code>@tld-manager</code> is the TLD's manager, <code>@tld-government</code> its own "
         "government, <code>gov:*</code> every government, <code>@requester</code> whoever "
         "asks.</p>\n"
      << *structure << "</section>\n";

  out << "<section id=\"lead-time\"><h2>How long changes take</h2>\n";
  figures(out, charts, "lead");
  out << "</section>\n";

  out << "<section id=\"resolution\"><h2>Can users still reach names, by region</h2>\n<p "
         "class=\"intro\">Simulated users in each world region look up names every day; a "
         "correct answer is the one the legitimate root zone gives, a wrong one comes from a "
         "removed or altered zone, a failure is no answer at all.</p>\n";
  figures(out, charts, "resolution");
  out << "<h3>Regional breakdown over the whole run</h3>\n" << regional_table_html(results)
      << "</section>\n";

  out << "<section id=\"timeline\"><h2>What happened when</h2>\n";
  figures(out, charts, "timeline");
  out << "<h3>The scenario's events</h3>\n" << events_table_html(results) << "</section>\n";

  out << "<section id=\"participation\"><h2>Who took part in decisions</h2>\n<p "
         "class=\"intro\">Decision steps per replication by stakeholder group (Tunis Agenda "
         "para 35).</p>\n"
      << participation_table_html(results) << "</section>\n";

  out << "<section id=\"metrics\"><h2>What the numbers mean</h2>\n";
  metric_list(out, results);
  out << "</section>\n";

  out << "<p class=\"facts\">Charts drawn with " << chart_js_version(*chart_js)
      << " (MIT licence), embedded in this file: it opens offline and makes no network "
         "request.</p>\n<p id=\"render-status\" data-charts-ok=\"0\" data-charts-total=\""
      << charts.size() << "\" data-errors=\"\">Charts need JavaScript.</p>\n</main>\n"
      << "<script type=\"application/json\" id=\"report-data\">" << script_safe(data, true)
      << "</script>\n<script>" << script_safe(*chart_js, false) << "</script>\n<script>"
      << report_script() << "</script>\n</body>\n</html>\n";
  return out.str();
}

/// Chart.js from the configured path or, when that name is absent, the names other Debian
/// releases use in the same folder (v3: chart.min.js, v4: chart.umd.js).
Result<std::string> read_chart_js(const std::filesystem::path& configured) {
  std::vector<std::filesystem::path> candidates{configured};
  for (const char* name : {"chart.umd.min.js", "chart.umd.js", "chart.min.js", "chart.js"}) {
    candidates.push_back(configured.parent_path() / name);
  }
  for (const std::filesystem::path& file : candidates) {
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    }
  }
  return fail(Errc::kIo, configured.string() +
                             ": cannot read Chart.js (install Debian's libjs-chart.js: "
                             "apt-get install libjs-chart.js)");
}

Status write_report(const fs::path& results_dir, const fs::path& file,
                    const ReportOptions& options) {
  auto results = read_results(results_dir);
  if (!results) {
    return fail(results.error());
  }
  auto html = report_html(*results, options);
  if (!html) {
    return fail(html.error());
  }
  return replace_text_file(file, *html);
}

}  // namespace rootsim::scenarios
