// Memory for large arrays read at random (snapshots, the scenario engine's resolver caches):
// anonymous mappings, 2 MiB aligned and advised for transparent huge pages from 2 MiB up, so that
// random reads do not each miss the TLB (a prefetch of an address whose page walk misses stalls
// like a load). Thread-safety: the functions are; a mapping belongs to its caller.
#pragma once

#include <cstddef>
#include <new>

namespace rootsim::resolver {

/// Maps `bytes` zero-filled bytes (2 MiB aligned and huge-page advised from 2 MiB up); returns
/// null when the mapping fails. Release with unmap_pages(p, bytes).
[[nodiscard]] void* map_pages(std::size_t bytes) noexcept;
void unmap_pages(void* p, std::size_t bytes) noexcept;

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
