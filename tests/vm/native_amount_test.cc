// The machine-word money paths (vm/src/native_amount.h) against the exact Boost ones they stand
// in for: conversions, the bound, the charged width, and money × rational at the int64 and
// int128 boundaries in every rounding mode. The hand-written programs in programs/ pin the same
// edges end to end (results and gas recorded before the native paths existed).
#include <gtest/gtest.h>

#include <iterator>
#include <limits>
#include <vector>

#include "arith.h"
#include "native_amount.h"

namespace tl::vm::internal {
namespace {

const Amount kTwoPow63 = Amount(1) << 63;
const Amount kTwoPow64 = Amount(1) << 64;
const Amount kTwoPow127 = Amount(1) << 127;
const Amount kTen30 = ToAmount(kMoneyMinorMax);

constexpr RoundingMode kModes[] = {RoundingMode::kDown,   RoundingMode::kUp,
                                   RoundingMode::kFloor,  RoundingMode::kCeiling,
                                   RoundingMode::kHalfUp, RoundingMode::kHalfEven};

// Amounts at the edges of each path, both signs.
std::vector<Amount> EdgeAmounts() {
  std::vector<Amount> magnitudes = {0,
                                    1,
                                    2,
                                    3,
                                    5,
                                    7,
                                    123456789,
                                    kTwoPow63 - 2,
                                    kTwoPow63 - 1,
                                    kTwoPow63,
                                    kTwoPow63 + 1,
                                    kTwoPow64 - 1,
                                    kTwoPow64,
                                    kTwoPow64 + 1,
                                    Amount(1) << 99,
                                    kTen30 - 1,
                                    kTen30};
  std::vector<Amount> amounts;
  for (const Amount& m : magnitudes) {
    amounts.push_back(m);
    if (m != 0) amounts.push_back(-m);
  }
  return amounts;
}

TEST(NativeAmountTest, ConvertsExactlyBothWays) {
  const Amount native_max = kTwoPow127 - 1;
  for (const Amount& value :
       {Amount(0), Amount(1), Amount(-1), kTwoPow63, Amount(-kTwoPow63), kTwoPow64 - 1,
        Amount(-kTwoPow64), kTen30, Amount(-kTen30), native_max, Amount(-native_max)}) {
    NativeAmount native;
    ASSERT_TRUE(ToNative(value, &native)) << value;
    EXPECT_EQ(ToAmount(native), value);
  }
  EXPECT_EQ(ToAmount(INT64_MIN), Amount(-kTwoPow63));
  // Boost's 128-bit Amount is sign-magnitude and reaches ±(2^128 - 1); __int128 does not.
  NativeAmount unused;
  EXPECT_FALSE(ToNative(kTwoPow127, &unused));
  EXPECT_FALSE(ToNative(Amount(-kTwoPow127), &unused));
  EXPECT_FALSE(ToNative(std::numeric_limits<Amount>::max(), &unused));
}

TEST(NativeAmountTest, BoundAndWidthMatchTheExactRules) {
  for (const Amount& value : EdgeAmounts()) {
    for (const Amount& nudged : {Amount(value - 1), value, Amount(value + 1)}) {
      NativeAmount native;
      ASSERT_TRUE(ToNative(nudged, &native));
      EXPECT_EQ(MoneyInRange(native), MoneyInRange(nudged)) << nudged;
      EXPECT_EQ(WidthWords(native), WidthWords(nudged)) << nudged;
      EXPECT_EQ(FitsInt64(native), nudged >= -kTwoPow63 && nudged < kTwoPow63) << nudged;
    }
  }
  EXPECT_EQ(WidthWords(NativeAmount{UINT64_MAX}), 1);
  EXPECT_EQ(WidthWords(NativeAmount{UINT64_MAX} + 1), 2);
  EXPECT_EQ(WidthWords(-NativeAmount{UINT64_MAX}), 1);
  EXPECT_EQ(WidthWords(-NativeAmount{UINT64_MAX} - 1), 2);
}

// Rationals that reach each path: parts within int64, within __int128 only, and beyond it.
std::vector<Value> EdgeRatios() {
  const std::vector<std::pair<Amount, Amount>> parts = {
      {0, 1},
      {1, 1},
      {1, 2},
      {2, 3},
      {-2, 3},
      {3, 2},
      {-1, 3},
      {1, kTwoPow63 - 1},
      {kTwoPow63 - 1, kTwoPow63 - 2},
      {-(kTwoPow63 - 1), 7},
      {kTwoPow63, 1},  // just beyond int64
      {kTwoPow63 + 1, kTwoPow63 + 3},
      {-(kTwoPow64 + 1), kTwoPow64 + 3},
      {kTwoPow64 * 3, kTwoPow64 * 3 + 1},
      {1, kTwoPow127 - 1},
      {170141184, 170141183},  // 10^30 × this just overflows __int128
      {-170141184, 170141185},
      {kTwoPow127, 3},  // beyond __int128: exact path only
      {1, kTwoPow127 + 1},
      {-(kTwoPow127 + 5), kTwoPow127 + 7},
  };
  std::vector<Value> ratios;
  for (const auto& [n, d] : parts)
    ratios.push_back(*Value::MakeRational(n, d));
  ratios.push_back(Value::ZeroOf(Type::kRational));  // the register zero value, no object
  return ratios;
}

TEST(NativeAmountTest, MoneyTimesRatioAgreesWithTheExactPath) {
  int compared = 0;
  for (const Amount& amount : EdgeAmounts()) {
    NativeAmount minor;
    ASSERT_TRUE(ToNative(amount, &minor));
    for (const Value& ratio : EdgeRatios()) {
      for (RoundingMode mode : kModes) {
        NativeAmount fast = 0, exact = 0;
        const bool fast_ok = MultiplyByRatio(minor, ratio, mode, &fast);
        const bool exact_ok = MultiplyByRatioExact(minor, ratio, mode, &exact);
        ASSERT_EQ(fast_ok, exact_ok)
            << amount << " × " << ratio.DebugString() << " mode " << RoundingModeName(mode);
        if (fast_ok) {
          ASSERT_EQ(ToAmount(fast), ToAmount(exact))
              << amount << " × " << ratio.DebugString() << " mode " << RoundingModeName(mode);
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 3000);
}

// Both paths share RoundDivide, so check the rule itself on negative ties and near-ties too.
TEST(NativeAmountTest, NegativeAmountsRoundByTheNamedMode) {
  struct Case {
    int64_t minor, numerator, denominator;
    int64_t down, up, floor, ceiling, half_up, half_even;
  };
  const Case cases[] = {
      {-5, 1, 2, -2, -3, -3, -2, -3, -2},  // -2.5
      {-7, 1, 2, -3, -4, -4, -3, -4, -4},  // -3.5
      {-7, 2, 3, -4, -5, -5, -4, -5, -5},  // -4.67
      {-8, 2, 3, -5, -6, -6, -5, -5, -5},  // -5.33
      {5, -1, 2, -2, -3, -3, -2, -3, -2},  // the sign on the ratio
      {-3, -1, 2, 1, 2, 1, 2, 2, 2},       // 1.5
      {INT64_MIN + 1, 1, 2,                // -4611686018427387903.5
       -4611686018427387903, -4611686018427387904, -4611686018427387904, -4611686018427387903,
       -4611686018427387904, -4611686018427387904},
  };
  const Value zero_ratio = Value::ZeroOf(Type::kRational);
  for (const Case& c : cases) {
    const Value ratio = *Value::MakeRational(c.numerator, c.denominator);
    const int64_t expected[] = {c.down, c.up, c.floor, c.ceiling, c.half_up, c.half_even};
    for (size_t m = 0; m < std::size(kModes); ++m) {
      NativeAmount rounded;
      ASSERT_TRUE(MultiplyByRatio(c.minor, ratio, kModes[m], &rounded));
      EXPECT_EQ(ToAmount(rounded), Amount(expected[m]))
          << c.minor << " × " << c.numerator << "/" << c.denominator << " "
          << RoundingModeName(kModes[m]);
    }
  }
}

TEST(NativeAmountTest, ResultsBeyondTheMoneyBoundAreRefused) {
  NativeAmount out;
  const Value two = *Value::MakeRational(2, 1);
  EXPECT_TRUE(MultiplyByRatio(kMoneyMinorMax / 2, two, RoundingMode::kDown, &out));
  EXPECT_FALSE(MultiplyByRatio(kMoneyMinorMax / 2 + 1, two, RoundingMode::kDown, &out));
  EXPECT_FALSE(MultiplyByRatio(-kMoneyMinorMax, two, RoundingMode::kDown, &out));
  // A product beyond __int128 whose result still fits goes the exact way and succeeds.
  const Value near_one = *Value::MakeRational(kTwoPow127 - 1, kTwoPow127 + 1);
  ASSERT_TRUE(MultiplyByRatio(kMoneyMinorMax, near_one, RoundingMode::kHalfEven, &out));
  EXPECT_EQ(ToAmount(out), kTen30);
}

}  // namespace
}  // namespace tl::vm::internal
