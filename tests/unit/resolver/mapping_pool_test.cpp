// MappingPool: a mapping handed back is taken again for a request it fits (and reads as it was
// left, so callers that need zeros are told), one much bigger is not, and what would pass the
// pool's limit is unmapped instead of kept.
#include "rootsim/resolver/huge_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace rootsim::resolver {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(MappingPool, AMappingHandedBackIsTakenAgainAsItWasLeft) {
  MappingPool pool;
  const MappingPool::Mapping first = pool.take(100000);
  ASSERT_NE(first.data, nullptr);
  EXPECT_TRUE(first.zeroed);
  EXPECT_GE(first.bytes, 100000U);
  std::memset(first.data, 0xab, 100000);
  pool.give(first.data, first.bytes);
  EXPECT_EQ(pool.kept_bytes(), first.bytes);

  const MappingPool::Mapping again = pool.take(90000);  // fits: the same mapping
  EXPECT_EQ(again.data, first.data);
  EXPECT_EQ(again.bytes, first.bytes);
  EXPECT_FALSE(again.zeroed);
  EXPECT_EQ(static_cast<const std::uint8_t*>(again.data)[99999], 0xab);
  EXPECT_EQ(pool.kept_bytes(), 0U);
  pool.give(again.data, again.bytes);
}

TEST(MappingPool, NeitherTooSmallNorFarTooBigIsTaken) {
  MappingPool pool;
  const MappingPool::Mapping big = pool.take(5 * kMiB);
  ASSERT_NE(big.data, nullptr);
  EXPECT_EQ(big.bytes, 6 * kMiB);  // whole 2 MiB pages from 2 MiB up
  pool.give(big.data, big.bytes);

  const MappingPool::Mapping small = pool.take(64 * 1024);  // 6 MiB for 64 KiB: a new one
  EXPECT_NE(small.data, big.data);
  EXPECT_TRUE(small.zeroed);
  const MappingPool::Mapping bigger = pool.take(7 * kMiB);  // does not fit: a new one
  EXPECT_NE(bigger.data, big.data);
  EXPECT_TRUE(bigger.zeroed);
  EXPECT_EQ(pool.kept_bytes(), 6 * kMiB);
  pool.give(small.data, small.bytes);
  pool.give(bigger.data, bigger.bytes);
}

TEST(MappingPool, WhatWouldPassTheLimitIsUnmapped) {
  MappingPool pool(8 * kMiB);
  const MappingPool::Mapping a = pool.take(6 * kMiB);
  const MappingPool::Mapping b = pool.take(4 * kMiB);
  ASSERT_NE(a.data, nullptr);
  ASSERT_NE(b.data, nullptr);
  pool.give(a.data, a.bytes);
  pool.give(b.data, b.bytes);  // 6 + 4 MiB > 8 MiB: unmapped
  EXPECT_EQ(pool.kept_bytes(), 6 * kMiB);
}

}  // namespace
}  // namespace rootsim::resolver
