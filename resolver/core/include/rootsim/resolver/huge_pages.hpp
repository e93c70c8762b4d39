// Memory for large arrays read at random (snapshots, the scenario engine's resolver caches):
// anonymous mappings, 2 MiB aligned and advised for transparent huge pages from 2 MiB up, so that
// random reads do not each miss the TLB (a prefetch of an address whose page walk misses stalls
// like a load). Thread-safety: the functions are; a mapping belongs to its caller.
#pragma once

#include <cstddef>
#include <mutex>
#include <new>
#include <vector>

namespace rootsim::resolver {

/// Maps `bytes` zero-filled bytes (2 MiB aligned and huge-page advised from 2 MiB up); returns
/// null when the mapping fails. Release with unmap_pages(p, bytes).
[[nodiscard]] void* map_pages(std::size_t bytes) noexcept;
void unmap_pages(void* p, std::size_t bytes) noexcept;

/// Mappings handed back by the arrays of snapshots that went, for the arrays of later snapshots to
/// take instead of new ones: a zone published again and again then maps, faults in and has the
/// kernel zero its memory once, not once per version. Keeps at most `max_bytes`; what does not fit
/// is unmapped. Thread-safety: take() and give() may be called from any thread (one mutex).
/// Ownership: it unmaps what it keeps when it goes; arrays hold it by shared_ptr.
class MappingPool {
 public:
  explicit MappingPool(std::size_t max_bytes = std::size_t{64} << 20) noexcept
      : max_bytes_(max_bytes) {}
  ~MappingPool();
  MappingPool(const MappingPool&) = delete;
  MappingPool& operator=(const MappingPool&) = delete;

  struct Mapping {
    void* data = nullptr;   ///< null when nothing could be mapped
    std::size_t bytes = 0;  ///< its whole size, at least the size asked for
    bool zeroed = false;    ///< new from the kernel (all zeros), not handed back
  };
  /// A kept mapping of at least `bytes` (and not over twice as big), else a new one.
  [[nodiscard]] Mapping take(std::size_t bytes) noexcept;
  /// Keeps the mapping (as taken: its whole size) for a later take(), or unmaps it.
  void give(void* data, std::size_t bytes) noexcept;
  [[nodiscard]] std::size_t kept_bytes() const noexcept;

 private:
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::vector<Mapping> kept_;
  std::size_t kept_bytes_ = 0;
};

/// A standard allocator over map_pages, for a std::vector that is sized once and read at random.
/// Every allocation is its own mapping: for a few large arrays, not for many small ones.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() noexcept = default;
  template <class U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}
  [[nodiscard]] T* allocate(std::size_t n) {
    void* p = map_pages(n * sizeof(T));
    if (p == nullptr) {
      throw std::bad_alloc();
    }
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept { unmap_pages(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const HugePageAllocator<U>& /*other*/) const noexcept {
    return true;
  }
};

}  // namespace rootsim::resolver
