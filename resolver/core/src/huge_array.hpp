// Private: a fixed-size array of trivially copyable values in its own anonymous mapping, backed
// by transparent huge pages when it is big enough (MADV_HUGEPAGE), so that the random accesses
// of the answer path into a large snapshot do not each miss the TLB. Sized once, never grown:
// no capacity slack. Freed in one step (munmap) when the snapshot goes, or handed back to the
// MappingPool it came from, for the arrays of a later snapshot.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/resolver/huge_pages.hpp"

#include <cstddef>
#include <cstring>
#include <memory>
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
  /// Where arrays come from and go back to: a pool, or (null) mappings of their own.
  using Pool = std::shared_ptr<MappingPool>;

  HugeArray() noexcept = default;
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  HugeArray(HugeArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        mapped_(std::exchange(other.mapped_, 0)),
        pool_(std::move(other.pool_)) {}
  HugeArray& operator=(HugeArray&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      mapped_ = std::exchange(other.mapped_, 0);
      pool_ = std::move(other.pool_);
    }
    return *this;
  }
  ~HugeArray() { release(); }

  /// `count` value-initialised elements. kLimit when the memory cannot be mapped.
  [[nodiscard]] static Result<HugeArray> make(std::size_t count, const Pool& pool = nullptr) {
    bool zeroed = false;
    auto a = mapped(count, pool, zeroed);
    if (!a) {
      return a;
    }
    if constexpr (std::is_trivially_default_constructible_v<T>) {
      // New anonymous memory reads as zeros, which is value-initialisation for such a T: only
      // memory handed back to a pool is cleared, so that new pages are not all touched up front.
      if (!zeroed && count > 0) {
        std::memset(static_cast<void*>(a->data_), 0, count * sizeof(T));
      }
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        ::new (static_cast<void*>(a->data_ + i)) T{};
      }
    }
    return a;
  }
  /// `count` elements whose bytes are whatever the memory held: for an array the caller
  /// overwrites whole before reading it. kLimit when the memory cannot be mapped.
  [[nodiscard]] static Result<HugeArray> for_overwrite(std::size_t count,
                                                       const Pool& pool = nullptr) {
    bool zeroed = false;
    return mapped(count, pool, zeroed);
  }
  /// A copy of `from`.
  [[nodiscard]] static Result<HugeArray> copy_of(std::span<const T> from,
                                                 const Pool& pool = nullptr) {
    auto a = for_overwrite(from.size(), pool);
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
  // `count` elements of memory from the pool or a new mapping, not yet constructed; `zeroed`
  // tells whether it reads as zeros (a new mapping).
  [[nodiscard]] static Result<HugeArray> mapped(std::size_t count, const Pool& pool, bool& zeroed) {
    HugeArray a;
    if (count == 0) {
      zeroed = true;
      return a;
    }
    const std::size_t bytes = count * sizeof(T);
    void* p = nullptr;
    if (pool) {
      const MappingPool::Mapping m = pool->take(bytes);
      p = m.data;
      a.mapped_ = m.bytes;
      zeroed = m.zeroed;
      a.pool_ = pool;
    } else {
      p = map_pages(bytes);
      a.mapped_ = bytes;
      zeroed = true;
    }
    if (p == nullptr) {
      return fail(Errc::kLimit, "cannot map " + std::to_string(bytes) + " bytes");
    }
    a.data_ = static_cast<T*>(p);
    a.size_ = count;
    return a;
  }

  void release() noexcept {
    if (data_ != nullptr) {
      if (pool_) {
        pool_->give(data_, mapped_);
      } else {
        unmap_pages(data_, mapped_);
      }
      data_ = nullptr;
      size_ = 0;
      mapped_ = 0;
    }
    pool_.reset();
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_ = 0;  // bytes of the mapping (a pool's may be bigger than the array)
  Pool pool_;
};

}  // namespace rootsim::resolver
