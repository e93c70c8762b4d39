#include "rootsim/dns/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

// Expected values come from an independent Python implementation of mt19937_64, splitmix64,
// FNV-1a and the rejection rule (it reproduces the C++ standard's 10000th-draw check), so these
// tests pin the exact bytes every standard library must give.
namespace rootsim {
namespace {

TEST(Random, EngineIsTheStandardOne) {
  std::mt19937_64 rng;  // default seed 5489
  rng.discard(9999);
  EXPECT_EQ(rng(), 9981545732273789042ULL);  // [rand.predef]
}

TEST(Random, Splitmix64Golden) {
  EXPECT_EQ(splitmix64(0), 16294208416658607535ULL);
  EXPECT_EQ(splitmix64(1), 10451216379200822465ULL);
}

TEST(Random, StreamSeedsAreNamedAndStable) {
  EXPECT_EQ(stream_seed(42, "glue"), 16445860507525529261ULL);
  EXPECT_EQ(stream_seed(42, "ds"), 10437793039315625626ULL);
  EXPECT_NE(stream_seed(42, "glue"), stream_seed(43, "glue"));
}

TEST(Random, UniformIntGolden) {
  auto rng = make_stream(42, "glue");
  std::vector<std::uint64_t> got;
  for (int i = 0; i < 8; ++i) {
    got.push_back(uniform_int(rng, 0, 9));
  }
  EXPECT_EQ(got, (std::vector<std::uint64_t>{1, 9, 4, 0, 6, 6, 5, 2}));
}

// n = 2^63 + 5 rejects almost half the draws: the golden values include rejected ones.
TEST(Random, UniformIntRejectsTheBiasedTopRange) {
  auto rng = make_stream(42, "glue");
  const std::uint64_t hi = (1ULL << 63U) + 5;
  EXPECT_EQ(uniform_int(rng, 1, hi), 4935025927633293169ULL);
  EXPECT_EQ(uniform_int(rng, 1, hi), 201330494108691557ULL);
  EXPECT_EQ(uniform_int(rng, 1, hi), 2381390737389871432ULL);
}

TEST(Random, UniformIntEdges) {
  std::mt19937_64 rng(1);
  EXPECT_EQ(uniform_int(rng, 7, 7), 7U);
  EXPECT_EQ(uniform_int(rng, 9, 3), 9U);
  std::mt19937_64 a(3);
  std::mt19937_64 b(3);
  EXPECT_EQ(uniform_int(a, 0, ~0ULL), b());  // full range: one raw draw
  for (int i = 0; i < 1000; ++i) {
    const auto v = uniform_int(rng, 10, 12);
    ASSERT_GE(v, 10U);
    ASSERT_LE(v, 12U);
  }
}

TEST(Random, UniformReal01Golden) {
  std::mt19937_64 rng(7);
  EXPECT_EQ(uniform_real01(rng), 0.754385304152858);
  EXPECT_EQ(uniform_real01(rng), 0.9493012028926442);
  EXPECT_EQ(uniform_real01(rng), 0.11741428103451801);
}

TEST(Random, PickWeightedFollowsWeights) {
  auto rng = make_stream(1, "weights");
  const std::array<std::uint64_t, 3> weights{1, 0, 3};
  std::array<int, 4> counts{};
  for (int i = 0; i < 4000; ++i) {
    ++counts.at(pick_weighted(rng, weights));
  }
  EXPECT_EQ(counts[1], 0);
  EXPECT_EQ(counts[3], 0);
  EXPECT_NEAR(counts[2] / 4000.0, 0.75, 0.03);
  const std::array<std::uint64_t, 2> zero{0, 0};
  EXPECT_EQ(pick_weighted(rng, zero), 2U);
  EXPECT_FALSE(bernoulli(rng, 0.0));
  EXPECT_TRUE(bernoulli(rng, 1.0));
}

}  // namespace
}  // namespace rootsim
