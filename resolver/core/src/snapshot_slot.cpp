// SnapshotSlot: generation counter + short lock; retired snapshots are freed by the publisher.
#include "rootsim/resolver/snapshot_slot.hpp"

#include <algorithm>

namespace rootsim::resolver {

SnapshotSlot::SnapshotSlot(std::shared_ptr<const ZoneSnapshot> initial) {
  publish(std::move(initial));
}

std::shared_ptr<const ZoneSnapshot> SnapshotSlot::load() const {
  const std::lock_guard lock(mutex_);
  return current_;
}

std::uint64_t SnapshotSlot::publish(std::shared_ptr<const ZoneSnapshot> next) {
  std::uint64_t generation = 0;
  {
    const std::lock_guard lock(mutex_);
    if (current_) {
      retired_.push_back(std::move(current_));
    }
    current_ = std::move(next);
    // Release: a worker that sees the new generation then finds the new snapshot under the lock.
    generation = generation_.fetch_add(1, std::memory_order_acq_rel) + 1;
  }
  reclaim();
  return generation;
}

std::size_t SnapshotSlot::reclaim() {
  std::vector<std::shared_ptr<const ZoneSnapshot>> freed;
  {
    const std::lock_guard lock(mutex_);
    // use_count() == 1: only this list holds it, and no worker can load it again.
    auto keep = std::partition(retired_.begin(), retired_.end(),
                               [](const auto& s) { return s.use_count() > 1; });
    std::move(keep, retired_.end(), std::back_inserter(freed));
    retired_.erase(keep, retired_.end());
  }
  return freed.size();  // destroyed here, by the publisher, outside the lock
}

std::size_t SnapshotSlot::retired_count() const {
  const std::lock_guard lock(mutex_);
  return retired_.size();
}

}  // namespace rootsim::resolver
