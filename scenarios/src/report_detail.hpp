// Private to the report: pieces report_page.cpp assembles from report_charts.cpp and
// report_tables.cpp. Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "rootsim/dns/result.hpp"
#include "rootsim/scenarios/report.hpp"

namespace rootsim::scenarios {

/// A readable title for a metric key ("lead_time_p50_days" -> "Lead time, median").
[[nodiscard]] std::string metric_title(std::string_view key);

/// Text escaped for HTML element content and attribute values.
[[nodiscard]] std::string html_escape(std::string_view text);

/// The structural table (rootsim::policy::analyze) of the arrangements the results name; an
/// arrangement that is not built in (a file the run used) gets a row saying so. Errors: loading
/// the actor directory (data_dir/governance_actors.json).
[[nodiscard]] Result<std::string> structure_table_html(const ResultsFolder& results,
                                                       const std::filesystem::path& data_dir);

/// Per arrangement and region: correct, wrong and failed shares over the run with 95% CIs,
/// the worst day, and decision steps by the region's governments.
[[nodiscard]] std::string regional_table_html(const ResultsFolder& results);

/// The scenario's events per arrangement (day, type, what, in how many replications), then
/// per arrangement the count of other logged events by type.
[[nodiscard]] std::string events_table_html(const ResultsFolder& results);

/// Decision steps per replication by stakeholder group, per arrangement.
[[nodiscard]] std::string participation_table_html(const ResultsFolder& results);

/// The page's style sheet and script (report_assets.cpp); static text.
/// Chart.js from `configured` or, when that name is absent, the names other Debian releases use
/// in the same folder (v3: chart.min.js, v4: chart.umd.js). Errors: kIo naming `configured`.
[[nodiscard]] Result<std::string> read_chart_js(const std::filesystem::path& configured);
[[nodiscard]] std::string_view report_css();
[[nodiscard]] std::string_view report_script();

}  // namespace rootsim::scenarios
