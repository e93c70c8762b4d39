// SnapshotSlot: generations, reclaiming only what no worker holds, and readers during swaps
// always answering wholly from one snapshot (run under the tsan preset too).
#include "rootsim/resolver/snapshot_slot.hpp"

#include "snapshot_test_util.hpp"
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace rootsim::resolver {
namespace {

std::shared_ptr<const ZoneSnapshot> zone_with_serial(std::uint32_t serial) {
  return testing::make_snapshot(". 86400 IN SOA a. b. " + std::to_string(serial) +
                                " 2 3 4 5\n. 86400 IN NS a.root-servers.net.\n");
}

TEST(SnapshotSlot, GenerationCountsPublications) {
  SnapshotSlot slot;
  EXPECT_EQ(slot.generation(), 0U);
  EXPECT_EQ(slot.load(), nullptr);
  EXPECT_EQ(slot.publish(zone_with_serial(1)), 1U);
  EXPECT_EQ(slot.publish(zone_with_serial(2)), 2U);
  EXPECT_EQ(slot.generation(), 2U);
  EXPECT_EQ(slot.load()->serial(), 2U);
}

TEST(SnapshotSlot, RetiredSnapshotsAreFreedOnlyByThePublisherOnceReleased) {
  SnapshotSlot slot(zone_with_serial(1));
  auto held = slot.load();  // a worker still answering from serial 1
  std::weak_ptr<const ZoneSnapshot> watch = held;
  slot.publish(zone_with_serial(2));
  EXPECT_EQ(slot.retired_count(), 1U);
  EXPECT_EQ(slot.reclaim(), 0U);
  held.reset();  // the worker moves on: it does not free the snapshot
  EXPECT_FALSE(watch.expired());
  EXPECT_EQ(slot.reclaim(), 1U);
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(slot.retired_count(), 0U);
}

TEST(SnapshotSlot, ReadersDuringSwapsAnswerFromOneSnapshot) {
  SnapshotSlot slot(zone_with_serial(1));
  std::vector<std::shared_ptr<const ZoneSnapshot>> versions;
  for (std::uint32_t s = 2; s <= 20; ++s) {
    versions.push_back(zone_with_serial(s));
  }
  const auto query = testing::make_query(".", dns::RRType::kSoa);
  std::atomic<bool> done{false};
  std::atomic<int> mismatches{0};
  auto worker = [&] {
    std::uint64_t seen = 0;
    std::shared_ptr<const ZoneSnapshot> cached;
    std::vector<std::uint8_t> out(512);
    while (!done.load(std::memory_order_relaxed)) {
      if (slot.generation() != seen) {
        seen = slot.generation();
        cached = slot.load();
      }
      const auto result = answer(*cached, query, out);
      // The SOA serial sits 20 octets before the OPT record at the end.
      const std::size_t serial_at = result.size - 11 - 20;
      const std::uint32_t serial = dns::get_u32(out, serial_at);
      if (serial != cached->serial()) {
        mismatches.fetch_add(1);
      }
    }
  };
  std::thread a(worker);
  std::thread b(worker);
  for (auto& v : versions) {
    slot.publish(v);
    std::this_thread::yield();
  }
  done = true;
  a.join();
  b.join();
  versions.clear();
  slot.reclaim();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(slot.load()->serial(), 20U);
  EXPECT_EQ(slot.retired_count(), 0U);
}

}  // namespace
}  // namespace rootsim::resolver
