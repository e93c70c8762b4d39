// The HTML report in a real browser: the classroom demo (`rootsim demo`, which runs
// `rootsim run --out DIR --report` on scenarios/library/classroom-demo.json),
// then report.html opened in headless Debian chromium. Every chart must have drawn (the page's
// #render-status says so), with no script error and no console message; a screenshot is left
// in the build tree (tests/integration/artefacts/report-browser/report.png) to look at.
// Skipped with a message when chromium or Debian's libjs-chart.js is not installed.
#include "temp_dir.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace rootsim {
namespace {

namespace fs = std::filesystem;
using testing::run_command;

const fs::path kChartJs = "/usr/share/javascript/chart.js/chart.min.js";

using testing::TempDir;


/// Two arrangements, two replications (so intervals exist), a revoke and an outage to mark.

std::string chromium(const std::string& args, const fs::path& profile) {
  return "timeout 180 chromium --headless --disable-gpu --no-sandbox --hide-scrollbars "
         "--user-data-dir=" +
         profile.string() + " --virtual-time-budget=5000 " + args;
}

/// The value of `attribute` on the element with id="render-status" in the dumped DOM.
std::string status_attribute(const std::string& dom, const std::string& attribute) {
  const auto at = dom.find("id=\"render-status\"");
  if (at == std::string::npos) {
    return "<no #render-status>";
  }
  const auto start = dom.rfind('<', at);
  const auto end = dom.find('>', at);
  const std::string tag = dom.substr(start, end - start);
  const std::regex re(attribute + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(tag, m, re) ? m[1].str() : "<no " + attribute + ">";
}

TEST(ReportBrowser, EveryChartRendersWithoutErrors) {
  if (!testing::have_tool("chromium")) {
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium): skipping";
  }
  if (!fs::exists(kChartJs)) {
    GTEST_SKIP() << kChartJs << " is missing (apt-get install libjs-chart.js): skipping";
  }
  TempDir dir("report_browser");
  // The classroom demo: the report README.md shows (the screenshot below is that picture).
  const fs::path out = dir.path() / "out";
  const auto run =
      run_command(testing::rootsim_binary() + " demo --out " + out.string() + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const fs::path page = out / "report.html";
  ASSERT_TRUE(fs::exists(page)) << run.out;
  const std::string html = testing::read_text(page);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "the page must not load anything";

  const fs::path dom_file = dir.path() / "dom.html";
  const fs::path log_file = dir.path() / "chromium.log";
  const auto dump = run_command(
      "(" + chromium("--enable-logging=stderr --v=0 --dump-dom file://" + page.string(),
                     dir.path() / "profile-dom") +
      " >" + dom_file.string() + " 2>" + log_file.string() + ")");
  ASSERT_EQ(dump.exit_code, 0) << testing::read_text(log_file);
  const std::string dom = testing::read_text(dom_file);
  const std::string log = testing::read_text(log_file);

  std::size_t canvases = 0;
  for (std::size_t at = 0; (at = html.find("<canvas ", at)) != std::string::npos; ++at) {
    ++canvases;
  }
  // 12 headline metrics, the lead-time ECDF, resolution and timeline for each of the demo's
  // three arrangements.
  EXPECT_EQ(canvases, 12U + 1U + 3U + 3U);
  EXPECT_EQ(status_attribute(dom, "data-done"), "1") << "the page's script did not finish";
  EXPECT_EQ(status_attribute(dom, "data-charts-total"), std::to_string(canvases));
  EXPECT_EQ(status_attribute(dom, "data-charts-ok"), std::to_string(canvases));
  EXPECT_EQ(status_attribute(dom, "data-errors"), "");
  // Chromium logs every console message of the page (and uncaught errors) as
  // "INFO:CONSOLE:LINE] ..." (older releases: "CONSOLE(LINE)"); the page logs nothing.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find(":CONSOLE"), std::string::npos) << line;
  }

  const fs::path artefacts = ROOTSIM_ARTEFACT_DIR;
  fs::create_directories(artefacts);
  const fs::path png = artefacts / "report.png";
  fs::remove(png);
  fs::copy_file(page, artefacts / "report.html", fs::copy_options::overwrite_existing);
  const auto shot = run_command(
      chromium("--screenshot=" + png.string() + " --window-size=1400,3000 file://" + page.string(),
               dir.path() / "profile-shot"));
  ASSERT_EQ(shot.exit_code, 0) << shot.out;
  ASSERT_TRUE(fs::exists(png)) << shot.out;
  EXPECT_GT(fs::file_size(png), 50'000U) << "a blank page? " << png;
  std::cout << "screenshot: " << png.string() << "\n";
}

}  // namespace
}  // namespace rootsim
