// A kill -9 in the middle of an import leaves the database as it was before or fully done.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "registry_fixtures.hpp"
#include "rootsim/registry/registry_store.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"

namespace rootsim::registry {
namespace {

// Starts `rootsim --db DB init --from-zone ZONE` and kills it with SIGKILL once it has begun
// writing (its WAL file exists and grows), or after it exits on its own.
bool init_and_kill(const std::filesystem::path& db, std::size_t wal_bytes_before_kill) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string binary = testing::rootsim_binary();
    const std::string zone = testing::real_root_zone().string();
    execl(binary.c_str(), binary.c_str(), "--db", db.c_str(), "--now", "1785542400", "init",
          "--from-zone", zone.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::filesystem::path wal = db.string() + "-wal";
  bool killed = false;
  // Bounded poll: at most a few million cheap stat calls, never a sleep.
  for (int i = 0; i < 5'000'000; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return false;  // finished before we could kill it
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal, ec);
    if (!ec && size >= wal_bytes_before_kill) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
  }
  if (!killed) {
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return killed;
}

TEST(CrashSafety, KillDuringImportLeavesNothingOrEverything) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  int killed_mid_write = 0;
  for (const std::size_t threshold : {1UL, 64UL * 1024, 512UL * 1024, 2UL * 1024 * 1024}) {
    testing::TempDb db("crash_" + std::to_string(threshold));
    killed_mid_write += init_and_kill(db.path(), threshold) ? 1 : 0;
    auto store = RegistryStore::open(db.path(), RegistryStore::Mode::kCreate);
    ASSERT_TRUE(store) << store.error().message;
    auto ready = store->initialised();
    ASSERT_TRUE(ready);
    if (*ready) {
      auto state = store->load_state();
      ASSERT_TRUE(state);
      EXPECT_EQ(state->tlds.size(), 1438U) << "half-written registry after kill at " << threshold;
      EXPECT_TRUE(store->verify_audit()->intact);
    } else {
      EXPECT_EQ(store->list_audit()->size(), 0U);
      EXPECT_EQ(store->list_versions()->size(), 0U);
      // And the registry can still be created afterwards.
      const auto rerun = testing::run_command(testing::rootsim_binary() + " --db " +
                                              db.path().string() + " init --from-zone " +
                                              testing::real_root_zone().string());
      EXPECT_EQ(rerun.exit_code, 0) << rerun.out;
    }
  }
  // At least one run must really have been cut off mid-write, or the test proves nothing.
  EXPECT_GT(killed_mid_write, 0);
}

}  // namespace
}  // namespace rootsim::registry
