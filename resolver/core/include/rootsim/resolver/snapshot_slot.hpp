// SnapshotSlot: where a publisher hands a new ZoneSnapshot to the workers that answer from it.
// Thread-safety: generation() and load() from any thread; publish() and reclaim() from one
// publisher at a time. Workers read generation() (acquire) once per batch and call load() (a
// short lock) only when it changed. Ownership: load() shares the snapshot; the slot keeps every
// replaced snapshot until reclaim() sees that no worker holds it any more, so the last reference
// is always dropped by the publisher, never by a worker on the query path.
#pragma once

#include "rootsim/resolver/zone_snapshot.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace rootsim::resolver {

class SnapshotSlot {
 public:
  SnapshotSlot() = default;
  explicit SnapshotSlot(std::shared_ptr<const ZoneSnapshot> initial);
  SnapshotSlot(const SnapshotSlot&) = delete;
  SnapshotSlot& operator=(const SnapshotSlot&) = delete;

  /// Bumped by every publish(); 0 while nothing was ever published. Lock-free (acquire).
  [[nodiscard]] std::uint64_t generation() const noexcept {
    return generation_.load(std::memory_order_acquire);
  }
  /// The current snapshot (null before the first publish). Takes the slot's lock briefly.
  [[nodiscard]] std::shared_ptr<const ZoneSnapshot> load() const;

  /// Makes `next` current and returns the new generation; the replaced snapshot is retired.
  /// Also reclaims what it can (see reclaim()).
  std::uint64_t publish(std::shared_ptr<const ZoneSnapshot> next);
  /// Frees retired snapshots that no worker holds any more; returns how many it freed.
  std::size_t reclaim();
  /// Retired snapshots still held by some worker.
  [[nodiscard]] std::size_t retired_count() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ZoneSnapshot> current_;               // guarded by mutex_
  std::vector<std::shared_ptr<const ZoneSnapshot>> retired_;  // guarded by mutex_
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace rootsim::resolver
