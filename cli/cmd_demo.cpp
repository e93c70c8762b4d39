// rootsim demo: the classroom comparison (scenarios/library/classroom-demo.json) on the built-in
// baseline, written with its HTML report; prints where the report is.
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "rootsim/scenarios/scenario.hpp"

namespace rootsim::cli {

int run_demo(const GlobalOptions& global, const std::vector<std::string>& args) {
  static const std::string kUsage = "rootsim demo [--out DIR] [--quiet]";
  po::options_description options("demo");
  std::string out_dir = "demo";
  bool quiet = false;
  options.add_options()("out", po::value(&out_dir)->default_value("demo"),
                        "where the results and report.html go")(
      "quiet", po::bool_switch(&quiet), "no progress bar");
  int code = 0;
  if (!parse_args(kUsage, options, po::positional_options_description{}, args, code)) {
    if (code == kExitOk) {
      std::cout << "\nRuns scenarios/library/classroom-demo.json (three arrangements, the built-in\n"
                   "baseline, no other data needed) and writes DIR/report.html.\n";
    }
    return code;
  }
  std::vector<std::string> run_args = {
      (scenarios::library_dir() / "classroom-demo.json").string(), "--out", out_dir, "--report"};
  if (quiet) {
    run_args.emplace_back("--quiet");
  }
  code = run_run(global, run_args);
  if (code == kExitOk) {
    const auto page = std::filesystem::absolute(std::filesystem::path(out_dir) / "report.html");
    std::cout << "\nThe classroom report: " << page.string()
              << "\nOpen it in any browser; it needs no network.\n";
  }
  return code;
}

}  // namespace rootsim::cli
