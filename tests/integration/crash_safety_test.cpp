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

// Runs `rootsim --db DB request apply 1`; kills it after `spins` polls of waitpid (no sleep: the
// poll count sets how far the child gets), or lets it finish when spins < 0. Returns the polls
// it took to finish on its own (or `spins` when killed).
long apply_and_kill(const std::filesystem::path& db, long spins) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string binary = testing::rootsim_binary();
    execl(binary.c_str(), binary.c_str(), "--db", db.c_str(), "--now", "1785542400", "request",
          "apply", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  long polls = 0;
  for (; spins < 0 || polls < spins; ++polls) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return polls;
    }
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return polls;
}

TEST(CrashSafety, KillDuringApplyLeavesTheOldOrTheNewVersion) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  testing::TempDb db("crash_apply");
  const std::string rootsim = testing::rootsim_binary() + " --db " + db.path().string() +
                              " --now 1785542400 ";
  ASSERT_EQ(testing::run_command(rootsim + "init --from-zone " +
                                 testing::real_root_zone().string())
                .exit_code,
            0);
  const auto request = testing::project_data().parent_path() / "examples" / "requests" /
                       "ds-update-cz.json";
  ASSERT_EQ(testing::run_command(rootsim + "request submit " + request.string()).exit_code, 0);
  const std::filesystem::path pristine = db.path().string() + ".pristine";
  std::filesystem::copy_file(db.path(), pristine, std::filesystem::copy_options::overwrite_existing);

  auto restore = [&] {
    for (const char* suffix : {"-wal", "-shm"}) {
      std::filesystem::remove(db.path().string() + suffix);
    }
    std::filesystem::copy_file(pristine, db.path(),
                               std::filesystem::copy_options::overwrite_existing);
  };
  // Calibrate: how many polls a whole apply takes here, then kill at fractions of that.
  restore();
  const long whole = apply_and_kill(db.path(), -1);
  int before = 0;
  int after = 0;
  // Kill points as fractions of the calibrated apply; the last one (-1) lets the apply finish,
  // which a loaded machine could otherwise stretch past any fixed multiple of the calibration.
  for (const double fraction : {0.0, 0.5, 0.9, 0.97, -1.0}) {
    restore();
    apply_and_kill(db.path(), fraction < 0 ? -1 : static_cast<long>(fraction * static_cast<double>(whole)));
    auto store = RegistryStore::open(db.path(), RegistryStore::Mode::kExisting);
    ASSERT_TRUE(store) << store.error().message;
    auto stored = store->find_request(1);
    ASSERT_TRUE(stored);
    auto versions = store->list_versions();
    auto state = store->load_state();
    ASSERT_TRUE(versions && state);
    const bool has_new_ds = !state->find_tld(testing::name("cz."))->delegation.ds.empty() &&
                            state->find_tld(testing::name("cz."))->delegation.ds.size() == 2;
    if (stored->status == RequestStatus::kPublished) {
      ++after;
      EXPECT_EQ(versions->size(), 2U);
      EXPECT_TRUE(has_new_ds);
      EXPECT_EQ(state->serial(), 2026080100U);
    } else {
      ++before;
      EXPECT_EQ(stored->status, RequestStatus::kPending);
      EXPECT_EQ(versions->size(), 1U);
      EXPECT_FALSE(has_new_ds);
      EXPECT_EQ(state->serial(), 2026073102U);
    }
    EXPECT_TRUE(store->verify_audit()->intact);
  }
  std::filesystem::remove(pristine);
  // Both outcomes must occur across the kill points, or the test did not test a cut.
  EXPECT_GT(before, 0);
  EXPECT_GT(after, 0);
  std::cout << "[          ] kills before commit: " << before << ", after: " << after << "\n";
}

}  // namespace
}  // namespace rootsim::registry
