// Shared fixtures of the IDN tests: the RZ-LGR-5 set (loaded once per test binary, skipped when
// absent) and the IDN ccTLD list of the real root zone.
#pragma once

#include "rootsim/registry/idn/label.hpp"
#include "rootsim/registry/idn/lgr_set.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace rootsim::testing {

inline std::filesystem::path rz_lgr_dir() { return shared_data() / "idn" / "rz-lgr-5"; }

/// The Root Zone LGR, loaded on first use and shared by the tests of this binary (read-only).
inline const registry::idn::LgrSet* rz_lgr() {
  static const std::unique_ptr<const registry::idn::LgrSet> kSet = [] {
    auto set = registry::idn::LgrSet::load_directory(rz_lgr_dir());
    return set ? std::make_unique<const registry::idn::LgrSet>(std::move(set).value()) : nullptr;
  }();
  return kSet.get();
}

struct IdnCcTld {
  std::string a_label;
  std::string u_label;
  std::string iso3166;
  std::string script;
};

/// ../shared/data/idn/idn_cctlds.csv (61 rows), or empty when absent.
inline std::vector<IdnCcTld> idn_cctlds() {
  std::ifstream in(shared_data() / "idn" / "idn_cctlds.csv");
  std::vector<IdnCcTld> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    IdnCcTld row;
    std::getline(fields, row.a_label, ',');
    std::getline(fields, row.u_label, ',');
    std::getline(fields, row.iso3166, ',');
    std::getline(fields, row.script, ',');
    out.push_back(row);
  }
  return out;
}

inline registry::idn::CodePoints cps(const std::string& utf8) {
  auto decoded = registry::idn::decode_utf8(utf8);
  return decoded ? *decoded : registry::idn::CodePoints{};
}

}  // namespace rootsim::testing

/// Skips the test when RZ-LGR-5 is not beside the project.
#define ROOTSIM_REQUIRE_RZ_LGR()                                                             \
  do {                                                                                       \
    if (::rootsim::testing::rz_lgr() == nullptr) {                                           \
      GTEST_SKIP() << "no RZ-LGR-5 in " << ::rootsim::testing::rz_lgr_dir() << ": skipping"; \
    }                                                                                        \
  } while (false)
