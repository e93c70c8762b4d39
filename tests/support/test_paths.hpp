// Paths to test data, and a helper to skip cleanly when shared data is absent.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

namespace rootsim::testing {

inline std::filesystem::path shared_data() { return ROOTSIM_SHARED_DATA_DIR; }
inline std::filesystem::path project_data() { return ROOTSIM_PROJECT_DATA_DIR; }
inline std::filesystem::path test_data() { return ROOTSIM_TEST_DATA_DIR; }
inline std::filesystem::path golden_dir() { return ROOTSIM_GOLDEN_DIR; }
inline std::filesystem::path real_root_zone() { return shared_data() / "root.zone"; }

}  // namespace rootsim::testing

/// Skips the test with a message when the real root zone is not beside the project.
#define ROOTSIM_REQUIRE_ROOT_ZONE()                                                        \
  do {                                                                                     \
    if (!std::filesystem::exists(::rootsim::testing::real_root_zone())) {                  \
      GTEST_SKIP() << "no " << ::rootsim::testing::real_root_zone() << ": skipping";       \
    }                                                                                      \
  } while (false)
