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

}  // namespace rootsim::resolver
