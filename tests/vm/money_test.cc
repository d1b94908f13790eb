#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "test_util.h"

namespace tl::vm {
namespace {

using test::Main;
using test::RunAsm;

Value Money(std::string_view currency, int64_t minor) {
  return *Value::MakeMoney(currency, minor);
}

TEST(MoneyTest, AddsSubtractsAndMultipliesExactly) {
  ExecutionResult result = RunAsm(Main("money", "a:money b:money n:int", R"(
  loadk a USD:125000
  loadk b USD:99
  madd a a b
  msub a a b
  loadi n 3
  mmul a a n
  mneg a a
  ret a)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value, Money("USD", -375000));
}

TEST(MoneyTest, MixingCurrenciesTraps) {
  ExecutionResult result = RunAsm(Main("money", "a:money b:money", R"(
  loadk a USD:100
  loadk b EUR:100
  madd a a b
  ret a)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kCurrencyMismatch);
  EXPECT_EQ(result.message, "currency mismatch: 'USD' and 'EUR'");
}

TEST(MoneyTest, ComparisonAcrossCurrenciesTraps) {
  ExecutionResult result = RunAsm(Main("bool", "a:money b:money c:bool", R"(
  loadk a USD:100
  loadk b EUR:100
  ltv c a b
  ret c)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kCurrencyMismatch);
}

TEST(MoneyTest, AmountsBeyondTheBoundOverflow) {
  ExecutionResult result = RunAsm(Main("money", "a:money n:int", R"(
  loadk a USD:1000000000000000000000000000000
  loadi n 2
  mmul a a n
  ret a)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kIntegerOverflow);
}

TEST(MoneyTest, NewMoneyValidatesTheCurrency) {
  ExecutionResult ok = RunAsm(Main("money", "a:money n:int c:string", R"(
  loadi n 500
  loadk c "CHF"
  mnew a n c
  ret a)"),
                              "main");
  ASSERT_TRUE(ok.ok()) << ok.message;
  EXPECT_EQ(ok.return_value, Money("CHF", 500));
  ExecutionResult bad = RunAsm(Main("money", "a:money n:int c:string", R"(
  loadk c "usd"
  mnew a n c
  ret a)"),
                               "main");
  EXPECT_EQ(bad.trap, TrapCode::kInvalidValue);
}

TEST(MoneyTest, ZeroMoneyWithoutCurrencyDoesNotMixWithACurrency) {
  ExecutionResult result = RunAsm(Main("money", "a:money b:money", R"(
  loadk b USD:1
  madd a a b
  ret a)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kCurrencyMismatch);
}

TEST(MoneyTest, SumsCrossTheInt64BoundaryExactly) {
  ExecutionResult result = RunAsm(Main("list", "a:money b:money c:money l:list", R"(
  loadk a USD:9223372036854775807
  loadk b USD:1
  madd c a b
  lpush l c
  loadk a USD:-9223372036854775808
  msub c a b
  lpush l c
  madd c c b
  lpush l c
  ret l)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  const auto items = result.return_value.ListItems();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], *Value::MakeMoney("USD", Amount(1) << 63));
  EXPECT_EQ(items[1], *Value::MakeMoney("USD", -(Amount(1) << 63) - 1));
  EXPECT_EQ(items[2], Money("USD", std::numeric_limits<int64_t>::min()));
}

TEST(MoneyTest, AmountsBeyond64BitsPayOneMoreGasWord) {
  const auto gas_of_sum = [](std::string_view amount) {
    ExecutionResult result =
        RunAsm(Main("money", "a:money b:money",
                    "loadk a USD:" + std::string(amount) + "\nloadk b USD:1\nmadd a a b\nret a"),
               "main");
    EXPECT_TRUE(result.ok()) << result.message;
    return result.gas_used;
  };
  EXPECT_EQ(gas_of_sum("18446744073709551613"), gas_of_sum("18446744073709551614"));
  EXPECT_EQ(gas_of_sum("18446744073709551615"), gas_of_sum("18446744073709551614") + 1);
}

TEST(MoneyTest, CurrencyMismatchIsRefusedAtEveryWidth) {
  for (std::string_view amount :
       {"1", "9223372036854775807", "9223372036854775808", "1000000000000000000000000000000"}) {
    for (std::string_view op : {"madd", "msub", "mratio"}) {
      const std::string body = "loadk a USD:" + std::string(amount) +
                               "\nloadk b EUR:" + std::string(amount) + "\n" + std::string(op) +
                               " q a b\nret q";
      const bool ratio = op == "mratio";
      ExecutionResult result =
          RunAsm(Main(ratio ? "rational" : "money",
                      ratio ? "a:money b:money q:rational" : "a:money b:money q:money", body),
                 "main");
      EXPECT_EQ(result.trap, TrapCode::kCurrencyMismatch) << op << " " << amount;
      EXPECT_EQ(result.message, "currency mismatch: 'USD' and 'EUR'");
    }
  }
}

struct MoneyRounding {
  int64_t minor, divisor;
  std::string_view mode;
  int64_t expected;
};

class MoneyDivisionTest : public ::testing::TestWithParam<MoneyRounding> {};

TEST_P(MoneyDivisionTest, RoundsByTheNamedMode) {
  const MoneyRounding& c = GetParam();
  const std::string body = "loadk a USD:" + std::to_string(c.minor) + "\nloadk n " +
                           std::to_string(c.divisor) + "\nmdiv." + std::string(c.mode) +
                           " a a n\nret a";
  ExecutionResult result = RunAsm(Main("money", "a:money n:int", body), "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value, Money("USD", c.expected))
      << c.minor << "/" << c.divisor << " " << c.mode;
}

INSTANTIATE_TEST_SUITE_P(AllModes, MoneyDivisionTest,
                         ::testing::Values(MoneyRounding{1000, 3, "down", 333},
                                           MoneyRounding{1000, 3, "up", 334},
                                           MoneyRounding{-1000, 3, "floor", -334},
                                           MoneyRounding{-1000, 3, "ceiling", -333},
                                           MoneyRounding{1000, 3, "half_up", 333},
                                           MoneyRounding{1001, 2, "half_up", 501},
                                           MoneyRounding{-1001, 2, "half_up", -501},
                                           MoneyRounding{1001, 2, "half_even", 500},
                                           MoneyRounding{1003, 2, "half_even", 502},
                                           MoneyRounding{-1003, 2, "half_even", -502}));

TEST(MoneyTest, DivisionByZeroTraps) {
  EXPECT_EQ(
      RunAsm(Main("money", "a:money n:int", "loadk a USD:5\nmdiv.down a a n\nret a"), "main").trap,
      TrapCode::kDivisionByZero);
}

TEST(MoneyTest, PriceTimesProgressIsRoundedOnceHalfUp) {
  // Cumulative revenue = price × progress, rounded once: 1,000,000.00 × 1/3 = 333,333.333...
  ExecutionResult result = RunAsm(Main("money", "p:money q:rational a:money", R"(
  loadk p USD:100000000
  loadk q 1/3
  mmulr.half_up a p q
  ret a)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value, Money("USD", 33333333));
  ExecutionResult two_thirds = RunAsm(Main("money", "p:money q:rational a:money", R"(
  loadk p USD:100000000
  loadk q 2/3
  mmulr.half_up a p q
  ret a)"),
                                      "main");
  EXPECT_EQ(two_thirds.return_value, Money("USD", 66666667));
}

TEST(MoneyTest, RatioOfAmountsIsExact) {
  ExecutionResult result = RunAsm(Main("rational", "a:money b:money q:rational", R"(
  loadk a USD:250
  loadk b USD:1000
  mratio q a b
  ret q)"),
                                  "main");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.return_value, *Value::MakeRational(1, 4));
  EXPECT_EQ(RunAsm(Main("rational", "a:money b:money q:rational", R"(
  loadk a USD:250
  loadk b USD:0
  mratio q a b
  ret q)"),
                   "main")
                .trap,
            TrapCode::kDivisionByZero);
}

TEST(MoneyTest, AmountAndCurrencyAccessors) {
  ExecutionResult result = RunAsm(Main("string", "a:money n:int s:string t:string", R"(
  loadk a GBP:4200
  mamount n a
  itos s n
  mcur t a
  scat s t s
  ret s)"),
                                  "main");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.return_value.AsString(), "GBP4200");
}

TEST(MoneyTest, LargestRemainderAllocationSumsToTheWhole) {
  // 100.00 split 1:1:1 gives 33.34, 33.33, 33.33: the first remainder wins the tie.
  ExecutionResult result = RunAsm(Main("list", "t:money w:list one:int parts:list", R"(
  loadk t USD:10000
  loadi one 1
  lpush w one
  lpush w one
  lpush w one
  malloc parts t w
  ret parts)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  const auto parts = result.return_value.ListItems();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], Money("USD", 3334));
  EXPECT_EQ(parts[1], Money("USD", 3333));
  EXPECT_EQ(parts[2], Money("USD", 3333));
}

TEST(MoneyTest, AllocationByStandaloneSellingPrices) {
  // A price of 10.01 allocated over standalone selling prices 6.00, 3.00, 3.00 (2:1:1).
  ExecutionResult result = RunAsm(Main("list", "t:money w:list s:money parts:list", R"(
  loadk t USD:1001
  loadk s USD:600
  lpush w s
  loadk s USD:300
  lpush w s
  lpush w s
  malloc parts t w
  ret parts)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  const auto parts = result.return_value.ListItems();
  ASSERT_EQ(parts.size(), 3u);
  // Exact shares 500.5, 250.25, 250.25: floors 500, 250, 250 leave 1 unit for share 0.
  EXPECT_EQ(parts[0], Money("USD", 501));
  EXPECT_EQ(parts[1], Money("USD", 250));
  EXPECT_EQ(parts[2], Money("USD", 250));
}

TEST(MoneyTest, AllocationOfANegativeTotalMirrorsThePositiveOne) {
  ExecutionResult result = RunAsm(Main("list", "t:money w:list one:int parts:list", R"(
  loadk t USD:-100
  loadi one 1
  lpush w one
  lpush w one
  lpush w one
  malloc parts t w
  ret parts)"),
                                  "main");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.return_value.ListItems()[0], Money("USD", -34));
  EXPECT_EQ(result.return_value.ListItems()[2], Money("USD", -33));
}

TEST(MoneyTest, AllocationRejectsBadWeights) {
  EXPECT_EQ(RunAsm(Main("list", "t:money w:list parts:list",
                        "loadk t USD:1\nmalloc parts t w\nret parts"),
                   "main")
                .trap,
            TrapCode::kInvalidValue);
  EXPECT_EQ(RunAsm(Main("list", "t:money w:list z:int parts:list",
                        "loadk t USD:1\nloadi z -1\nlpush w z\nmalloc parts t w\nret parts"),
                   "main")
                .trap,
            TrapCode::kInvalidValue);
  EXPECT_EQ(RunAsm(Main("list", "t:money w:list s:string parts:list",
                        "loadk t USD:1\nlpush w s\nmalloc parts t w\nret parts"),
                   "main")
                .trap,
            TrapCode::kTypeError);
}

TEST(RationalTest, ArithmeticStaysReduced) {
  ExecutionResult result = RunAsm(Main("rational", "a:rational b:rational c:rational", R"(
  loadk a 1/6
  loadk b 1/3
  radd c a b
  rmul c c b
  rsub c c a
  rdiv c c b
  rneg c c
  ret c)"),
                                  "main");
  // ((1/6 + 1/3) × 1/3 − 1/6) ÷ 1/3 = (1/6 − 1/6) × 3 = 0.
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value, *Value::MakeRational(0, 1));
  EXPECT_EQ(result.return_value.RationalDenominator(), 1);
}

TEST(RationalTest, RoundingToIntegerNamesItsMode) {
  for (auto [mode, expected] : std::vector<std::pair<std::string, int64_t>>{{"down", -2},
                                                                            {"up", -3},
                                                                            {"floor", -3},
                                                                            {"ceiling", -2},
                                                                            {"half_up", -3},
                                                                            {"half_even", -2}}) {
    ExecutionResult result = RunAsm(
        Main("int", "q:rational n:int", "loadk q -5/2\nrround." + mode + " n q\nret n"), "main");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.return_value.AsInt(), expected) << mode;
  }
}

TEST(RationalTest, ZeroDenominatorAndZeroDivisorTrap) {
  EXPECT_EQ(RunAsm(Main("rational", "q:rational n:int d:int", "rnew q n d\nret q"), "main").trap,
            TrapCode::kDivisionByZero);
  EXPECT_EQ(
      RunAsm(Main("rational", "q:rational z:rational", "loadk q 1/2\nrdiv q q z\nret q"), "main")
          .trap,
      TrapCode::kDivisionByZero);
}

TEST(RationalTest, OverflowOfTheBoundTraps) {
  ExecutionResult result = RunAsm(Main("rational", "q:rational", R"(
  loadk q 1000000000000000000000000000000/7
  rmul q q q
  ret q)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kIntegerOverflow);
}

}  // namespace
}  // namespace tl::vm
