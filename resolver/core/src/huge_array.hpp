// Private: a fixed-size array of trivially copyable values in its own anonymous mapping, backed
// by transparent huge pages when it is big enough (MADV_HUGEPAGE), so that the random accesses
// of the answer path into a large snapshot do not each miss the TLB. Sized once, never grown:
// no capacity slack. Freed in one step (munmap) when the snapshot goes.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/resolver/huge_pages.hpp"

#include <cstddef>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

namespace rootsim::resolver {


template <class T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  HugeArray() noexcept = default;
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  HugeArray(HugeArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  HugeArray& operator=(HugeArray&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~HugeArray() { release(); }

  /// `count` value-initialised elements. kLimit when the memory cannot be mapped.
  [[nodiscard]] static Result<HugeArray> make(std::size_t count) {
    auto a = mapped(count);
    // A new anonymous mapping reads as zeros, which is what value-initialisation gives a
    // trivially default-constructible T: only other types (default member initialisers) are
    // written, so that the pages are not all touched up front.
    if (a && !std::is_trivially_default_constructible_v<T>) {
      for (std::size_t i = 0; i < count; ++i) {
        ::new (static_cast<void*>(a->data_ + i)) T{};
      }
    }
    return a;
  }
  /// A copy of `from`.
  [[nodiscard]] static Result<HugeArray> copy_of(std::span<const T> from) {
    auto a = mapped(from.size());
    if (a && !from.empty()) {
      std::memcpy(static_cast<void*>(a->data_), from.data(), from.size_bytes());
    }
    return a;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t bytes() const noexcept { return size_ * sizeof(T); }
  [[nodiscard]] T* data() noexcept { return data_; }
  [[nodiscard]] const T* data() const noexcept { return data_; }
  [[nodiscard]] T& operator[](std::size_t i) noexcept { return data_[i]; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  [[nodiscard]] T* begin() noexcept { return data_; }
  [[nodiscard]] T* end() noexcept { return data_ + size_; }
  [[nodiscard]] const T* begin() const noexcept { return data_; }
  [[nodiscard]] const T* end() const noexcept { return data_ + size_; }

 private:
  // `count` elements of new (zeroed) memory, not yet constructed.
  [[nodiscard]] static Result<HugeArray> mapped(std::size_t count) {
    HugeArray a;
    if (count == 0) {
      return a;
    }
    void* p = map_pages(count * sizeof(T));
    if (p == nullptr) {
      return fail(Errc::kLimit, "cannot map " + std::to_string(count * sizeof(T)) + " bytes");
    }
    a.data_ = static_cast<T*>(p);
    a.size_ = count;
    return a;
  }

  void release() noexcept {
    if (data_ != nullptr) {
      unmap_pages(data_, size_ * sizeof(T));
      data_ = nullptr;
      size_ = 0;
    }
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace rootsim::resolver
