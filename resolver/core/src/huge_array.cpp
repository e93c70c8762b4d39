// Anonymous mappings for HugeArray and HugePageAllocator (rootsim/resolver/huge_pages.hpp): 2 MiB aligned so that the kernel can back them with
// transparent huge pages (MADV_HUGEPAGE matters when THP is in "madvise" mode, the default).
#include "huge_array.hpp"

#include <cstdint>
#include <sys/mman.h>

namespace rootsim::resolver {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kPage = 4096;

std::size_t mapped_size(std::size_t bytes) noexcept {
  const std::size_t unit = bytes >= kHugePage ? kHugePage : kPage;
  return (bytes + unit - 1) / unit * unit;
}

}  // namespace

void* map_pages(std::size_t bytes) noexcept {
  const std::size_t size = mapped_size(bytes);
  if (size < kHugePage) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  // Over-map by one huge page, then trim both ends to a 2 MiB aligned range.
  void* raw =
      mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) {
    return nullptr;
  }
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) {
    munmap(raw, aligned - start);
  }
  const std::uintptr_t tail = start + size + kHugePage - (aligned + size);
  if (tail > 0) {
    munmap(reinterpret_cast<void*>(aligned + size), tail);
  }
  void* p = reinterpret_cast<void*>(aligned);
  madvise(p, size, MADV_HUGEPAGE);  // advisory: without THP the array still works
  return p;
}

void unmap_pages(void* p, std::size_t bytes) noexcept {
  if (p != nullptr && bytes > 0) {
    munmap(p, mapped_size(bytes));
  }
}

MappingPool::~MappingPool() {
  for (const Mapping& m : kept_) {
    unmap_pages(m.data, m.bytes);
  }
}

MappingPool::Mapping MappingPool::take(std::size_t bytes) noexcept {
  const std::size_t want = mapped_size(bytes);
  {
    const std::lock_guard lock(mutex_);
    // The smallest kept mapping that holds `bytes` without wasting more than it holds.
    auto best = kept_.end();
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
      if (it->bytes >= want && it->bytes <= 2 * want &&
          (best == kept_.end() || it->bytes < best->bytes)) {
        best = it;
      }
    }
    if (best != kept_.end()) {
      const Mapping m{best->data, best->bytes, false};
      kept_bytes_ -= m.bytes;
      *best = kept_.back();
      kept_.pop_back();
      return m;
    }
  }
  return Mapping{map_pages(bytes), want, true};
}

void MappingPool::give(void* data, std::size_t bytes) noexcept {
  if (data == nullptr) {
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    if (kept_bytes_ + bytes <= max_bytes_) {
      try {
        kept_.push_back(Mapping{data, bytes, false});
        kept_bytes_ += bytes;
        return;
      } catch (const std::bad_alloc&) {
        // no room to note it: unmapped below
      }
    }
  }
  unmap_pages(data, bytes);
}

std::size_t MappingPool::kept_bytes() const noexcept {
  const std::lock_guard lock(mutex_);
  return kept_bytes_;
}

}  // namespace rootsim::resolver
