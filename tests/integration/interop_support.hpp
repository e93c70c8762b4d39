// Shared by the interop tests: reading the reference tools' text output (dig, kdig, drill
// print records in master-file form) and comparing record sets.
#pragma once

#include "rootsim/dns/zone_file.hpp"

#include "run_command.hpp"
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace rootsim::testing {

/// Skips the test naming the missing tool.
#define ROOTSIM_REQUIRE_TOOL(tool)                             \
  do {                                                         \
    if (!::rootsim::testing::have_tool(tool)) {                \
      GTEST_SKIP() << (tool) << " is not installed: skipping"; \
    }                                                          \
  } while (false)

/// The record lines of a tool's output ("owner ttl IN TYPE rdata"), parsed by our zone parser:
/// comments, headers and blank lines dropped.
inline std::vector<dns::Record> records_in_output(const std::string& out) {
  std::istringstream in(out);
  std::string line;
  std::string zone;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string owner, ttl, klass, type;
    if (line.empty() || line[0] == ';' || !(fields >> owner >> ttl >> klass >> type)) {
      continue;
    }
    if ((klass == "IN" || klass == "CH") &&
        ttl.find_first_not_of("0123456789") == std::string::npos) {
      zone += line + "\n";
    }
  }
  auto parsed = dns::parse_zone_text(zone, dns::Name(), "<tool output>");
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message) << "\n"
                                  << out.substr(0, 2000);
  return parsed ? parsed->records : std::vector<dns::Record>{};
}

inline std::map<dns::RRType, std::size_t> type_counts(const std::vector<dns::Record>& records) {
  std::map<dns::RRType, std::size_t> counts;
  for (const auto& r : records) {
    ++counts[r.type];
  }
  return counts;
}

inline std::multiset<std::string> as_text(const std::vector<dns::Record>& records) {
  std::multiset<std::string> text;
  for (const auto& r : records) {
    text.insert(dns::to_text(r));
  }
  return text;
}

}  // namespace rootsim::testing
