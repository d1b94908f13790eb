// The one rounding and the largest-remainder allocation, on figures worked by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "books_testing.h"

namespace tl::books {
namespace {

using ::testing::ElementsAre;

TEST(MulDivRoundHalfUpTest, RoundsOnceHalfAwayFromZero) {
  EXPECT_EQ(MulDivRoundHalfUp(5, 1, 2), 3);    // 2.5
  EXPECT_EQ(MulDivRoundHalfUp(-5, 1, 2), -3);  // -2.5
  EXPECT_EQ(MulDivRoundHalfUp(5, -1, 2), -3);  // a negative ratio rounds the same way
  EXPECT_EQ(MulDivRoundHalfUp(7, 1, 3), 2);    // 2.333...
  EXPECT_EQ(MulDivRoundHalfUp(8, 1, 3), 3);    // 2.666...
  EXPECT_EQ(MulDivRoundHalfUp(-8, 1, 3), -3);
  EXPECT_EQ(MulDivRoundHalfUp(-7, 1, 3), -2);
  EXPECT_EQ(MulDivRoundHalfUp(0, 5, 7), 0);
  EXPECT_EQ(MulDivRoundHalfUp(123, 0, 7), 0);
  // 1,350,000.00 × 420,000 / 820,000 = 691,463.4146... (ASC 606-10-55 Example 8).
  EXPECT_EQ(MulDivRoundHalfUp(135'000'000, 42'000'000, 82'000'000), 69'146'341);
  // 2,500,000.00 × 750 / 1800 = 1,041,666.666...
  EXPECT_EQ(MulDivRoundHalfUp(250'000'000, 750, 1800), 104'166'667);
}

TEST(MulDivRoundHalfUpTest, ProductsBeyond64BitsAreExact) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(MulDivRoundHalfUp(kMax, kMax, kMax), kMax);
  EXPECT_EQ(MulDivRoundHalfUp(kMax, kMax - 1, kMax), kMax - 1);
  // (10^15 × (10^12 − 1)) / 10^12 = 10^15 − 1000.
  EXPECT_EQ(MulDivRoundHalfUp(1'000'000'000'000'000, 999'999'999'999, 1'000'000'000'000),
            999'999'999'999'000);
  // 3 × (2^62 + 1) / 6 = 2^61 + 0.5 → 2^61 + 1.
  EXPECT_EQ(MulDivRoundHalfUp(3, (int64_t{1} << 62) + 1, 6), (int64_t{1} << 61) + 1);
}

TEST(AllocateByWeightsTest, LargestRemainderTiesToTheEarlierWeight) {
  // 10000 × 5000/15000 = 3333.33, × 2500/15000 = 1666.67, × 7500/15000 = 5000: the left-over
  // cent goes to the largest remainder, B's.
  const std::vector<int64_t> ssp = {5000, 2500, 7500};
  EXPECT_THAT(AllocateByWeights(10000, ssp), ElementsAre(3333, 1667, 5000));
  const std::vector<int64_t> equal = {1, 1, 1};
  EXPECT_THAT(AllocateByWeights(100, equal), ElementsAre(34, 33, 33));
  EXPECT_THAT(AllocateByWeights(101, equal), ElementsAre(34, 34, 33));
  // A negative total splits like its magnitude.
  EXPECT_THAT(AllocateByWeights(-100, equal), ElementsAre(-34, -33, -33));
  const std::vector<int64_t> with_zero = {0, 1, 1};
  EXPECT_THAT(AllocateByWeights(11, with_zero), ElementsAre(0, 6, 5));
  const std::vector<int64_t> one = {7};
  EXPECT_THAT(AllocateByWeights(-5, one), ElementsAre(-5));
  EXPECT_THAT(AllocateByWeights(0, equal), ElementsAre(0, 0, 0));
  // 2 over 3:3:2 → 0.75, 0.75, 0.5: the tie goes to the earlier weight.
  const std::vector<int64_t> tie = {3, 3, 2};
  EXPECT_THAT(AllocateByWeights(2, tie), ElementsAre(1, 1, 0));
  EXPECT_THAT(AllocateByWeights(1, tie), ElementsAre(1, 0, 0));
}

TEST(AllocateByWeightsTest, PartsAlwaysSumToTheWholeEvenForHugeFigures) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const std::vector<int64_t> weights = {kMax, kMax - 1, 1, 3};
  const std::vector<int64_t> parts = AllocateByWeights(kMax, weights);
  __int128 sum = 0;
  for (int64_t part : parts)
    sum += part;
  EXPECT_EQ(sum, kMax);
  const std::vector<int64_t> primes = {7, 11, 13};
  for (int64_t total = -200; total <= 200; ++total) {
    int64_t parts_sum = 0;
    for (int64_t part : AllocateByWeights(total, primes))
      parts_sum += part;
    EXPECT_EQ(parts_sum, total);
  }
}

}  // namespace
}  // namespace tl::books
