// rootsim report DIR [-o FILE]: a self-contained HTML report of a results folder (or, for a
// merged sweep folder, an index page across its points and a report per point).
// rootsim compare A B [--json]: two results folders side by side, metric by metric.
#include <iostream>

#include "commands.hpp"
#include "rootsim/scenarios/report.hpp"

namespace rootsim::cli {

int run_report(const GlobalOptions& global, const std::vector<std::string>& args) {
  static const std::string kUsage = "rootsim report DIR [-o FILE] [--chart-js FILE]";
  po::options_description options("report");
  std::string dir;
  std::string file;
  scenarios::ReportOptions report_options;
  std::string chart_js = report_options.chart_js.string();
  options.add_options()("dir", po::value(&dir)->required(), "a results folder (rootsim run --out)")(
      "output,o", po::value(&file), "the HTML file to write (default: DIR/report.html)")(
      "chart-js", po::value(&chart_js)->default_value(chart_js),
      "Chart.js to embed (Debian package libjs-chart.js)");
  po::positional_options_description positional;
  positional.add("dir", 1);
  int code = 0;
  if (!parse_args(kUsage, options, positional, args, code)) {
    return code;
  }
  const std::filesystem::path out = file.empty() ? std::filesystem::path(dir) / "report.html"
                                                 : std::filesystem::path(file);
  report_options.data_dir = global.data_dir;
  report_options.chart_js = chart_js;
  // A merged sweep folder gets the sweep's index page and every point's report.
  const bool sweep = std::filesystem::exists(std::filesystem::path(dir) / "sweep-summary.json");
  if (auto written = sweep ? scenarios::write_sweep_report(dir, out, report_options)
                           : scenarios::write_report(dir, out, report_options);
      !written) {
    return report(written.error());
  }
  std::cout << out.string() << "\n";
  return kExitOk;
}

int run_compare(const GlobalOptions& /*global*/, const std::vector<std::string>& args) {
  static const std::string kUsage = "rootsim compare A B [--json]";
  po::options_description options("compare");
  std::vector<std::string> dirs;
  bool json = false;
  options.add_options()("dir", po::value(&dirs)->required(), "two results folders")(
      "json", po::bool_switch(&json), "print JSON instead of the table");
  po::positional_options_description positional;
  positional.add("dir", 2);
  int code = 0;
  if (!parse_args(kUsage, options, positional, args, code)) {
    return code;
  }
  if (dirs.size() != 2) {
    std::cerr << "rootsim: compare needs two results folders\nusage: " << kUsage << "\n";
    return kExitBadInput;
  }
  auto a = scenarios::read_summary(dirs[0]);
  if (!a) {
    return report(a.error());
  }
  auto b = scenarios::read_summary(dirs[1]);
  if (!b) {
    return report(b.error());
  }
  const scenarios::Comparison comparison = scenarios::compare(*a, *b);
  std::cout << (json ? scenarios::comparison_json(comparison)
                     : scenarios::comparison_table(comparison));
  return kExitOk;
}

}  // namespace rootsim::cli
