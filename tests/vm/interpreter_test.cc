#include <gtest/gtest.h>

#include "test_util.h"

namespace tl::vm {
namespace {

using test::Main;
using test::RunAsm;

constexpr std::string_view kSumTo = R"(
.func sum_to n:int -> int
.reg i:int s:int
  jle n i done
loop:
  add s s i
  addi i i 1
  jlt i n loop
done:
  ret s
.end
.entry sum_to sum_to
)";

TEST(InterpreterTest, LoopsSumIntegers) {
  ExecutionResult result = RunAsm(kSumTo, "sum_to", {Value::MakeInt(100)});
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsInt(), 4950);
  EXPECT_GT(result.gas_used, 300);
}

TEST(InterpreterTest, GasIsDeterministicPerBlock) {
  // Entry block: jle (1). Loop block: add, addi, jlt (3) per iteration. Exit block: ret (1).
  ExecutionResult result = RunAsm(kSumTo, "sum_to", {Value::MakeInt(10)});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.gas_used, 1 + 10 * 3 + 1);
}

TEST(InterpreterTest, OutOfGasTrapsAndReportsTheLimit) {
  ExecutionResult result = RunAsm(kSumTo, "sum_to", {Value::MakeInt(1000)}, nullptr, 100);
  EXPECT_EQ(result.trap, TrapCode::kOutOfGas);
  EXPECT_EQ(result.gas_used, 100);
  EXPECT_EQ(result.return_value.type(), Type::kNone);
}

TEST(InterpreterTest, CallsPassArgumentsAndResults) {
  constexpr std::string_view kText = R"(
.func main -> int
.reg x:int y:int z:int
  loadi x 20
  loadi y 22
  call z add x
  move x z
  call z add x
  ret z
.end
.func add a:int b:int -> int
.reg s:int
  add s a b
  ret s
.end
.entry main main
)";
  // Second call passes (z, y) = (42, 22).
  ExecutionResult result = RunAsm(kText, "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsInt(), 64);
}

TEST(InterpreterTest, IntegerOverflowTraps) {
  ExecutionResult result = RunAsm(Main("int", "x:int y:int", R"(
  loadk x 9223372036854775807
  addi y x 1
  ret y)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kIntegerOverflow);
  EXPECT_EQ(result.message, "integer_overflow at function 0 instruction 1");
}

TEST(InterpreterTest, MultiplicationAndNegationOverflowTrap) {
  EXPECT_EQ(RunAsm(Main("int", "x:int y:int",
                        "loadk x 4611686018427387904\n"
                        "loadi y 2\nmul y x y\nret y"),
                   "main")
                .trap,
            TrapCode::kIntegerOverflow);
  EXPECT_EQ(
      RunAsm(Main("int", "x:int", "loadk x -9223372036854775808\nneg x x\nret x"), "main").trap,
      TrapCode::kIntegerOverflow);
}

TEST(InterpreterTest, DivisionByZeroTraps) {
  EXPECT_EQ(RunAsm(Main("int", "x:int y:int", "loadi x 7\ndiv.down x x y\nret x"), "main").trap,
            TrapCode::kDivisionByZero);
  EXPECT_EQ(RunAsm(Main("int", "x:int y:int", "loadi x 7\nrem x x y\nret x"), "main").trap,
            TrapCode::kDivisionByZero);
}

TEST(InterpreterTest, DivisionOfMinimumByMinusOneOverflows) {
  EXPECT_EQ(RunAsm(Main("int", "x:int y:int",
                        "loadk x -9223372036854775808\nloadi y -1\n"
                        "div.down x x y\nret x"),
                   "main")
                .trap,
            TrapCode::kIntegerOverflow);
  ExecutionResult rem = RunAsm(Main("int", "x:int y:int",
                                    "loadk x -9223372036854775808\n"
                                    "loadi y -1\nrem x x y\nret x"),
                               "main");
  ASSERT_TRUE(rem.ok());
  EXPECT_EQ(rem.return_value.AsInt(), 0);
}

struct IntRounding {
  int64_t n, d;
  std::string_view mode;
  int64_t expected;
};

class IntRoundingTest : public ::testing::TestWithParam<IntRounding> {};

TEST_P(IntRoundingTest, DivisionRoundsByTheNamedMode) {
  const IntRounding& c = GetParam();
  const std::string body = "loadk x " + std::to_string(c.n) + "\nloadk y " + std::to_string(c.d) +
                           "\ndiv." + std::string(c.mode) + " x x y\nret x";
  ExecutionResult result = RunAsm(Main("int", "x:int y:int", body), "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsInt(), c.expected) << c.n << "/" << c.d << " " << c.mode;
}

INSTANTIATE_TEST_SUITE_P(
    AllModes, IntRoundingTest,
    ::testing::Values(IntRounding{7, 2, "down", 3}, IntRounding{-7, 2, "down", -3},
                      IntRounding{7, 2, "up", 4}, IntRounding{-7, 2, "up", -4},
                      IntRounding{7, 2, "floor", 3}, IntRounding{-7, 2, "floor", -4},
                      IntRounding{7, 2, "ceiling", 4}, IntRounding{-7, 2, "ceiling", -3},
                      IntRounding{7, 2, "half_up", 4}, IntRounding{-7, 2, "half_up", -4},
                      IntRounding{5, 2, "half_even", 2}, IntRounding{7, 2, "half_even", 4},
                      IntRounding{-5, 2, "half_even", -2}, IntRounding{7, 3, "half_up", 2},
                      IntRounding{8, 3, "half_up", 3}, IntRounding{8, -3, "half_even", -3},
                      IntRounding{6, 3, "up", 2}));

TEST(InterpreterTest, CheckAndAbortCarryTheContractMessage) {
  ExecutionResult check = RunAsm(Main("none", "ok:bool m:string", R"(
  loadb ok false
  loadk m "visit date precedes enrolment"
  check ok m
  retv)"),
                                 "main");
  EXPECT_EQ(check.trap, TrapCode::kCheckFailed);
  EXPECT_EQ(check.message, "visit date precedes enrolment");

  ExecutionResult abort =
      RunAsm(Main("none", "m:string", "loadk m \"milestone already paid\"\nabort m"), "main");
  EXPECT_EQ(abort.trap, TrapCode::kAborted);
  EXPECT_EQ(abort.message, "milestone already paid");
}

TEST(InterpreterTest, TimeAndDurations) {
  ExecutionResult result = RunAsm(Main("int", "t:time u:time d:duration x:int", R"(
  loadk t 2026-10-01T15:30:00Z
  tday u t
  loadk d 30d
  tadd u u d
  tdiff d u t
  dms x d
  ret x)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  // 30 days after midnight minus 15.5 hours.
  EXPECT_EQ(result.return_value.AsInt(), 30 * 86'400'000LL - 55'800'000LL);
}

TEST(InterpreterTest, BooleansAndComparisons) {
  ExecutionResult result = RunAsm(Main("bool", "x:int y:int a:bool b:bool c:bool", R"(
  loadi x 3
  loadi y 4
  lt a x y
  eq b x y
  not b b
  and c a b
  ne a x y
  or c c a
  ret c)"),
                                  "main");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.return_value.AsBool());
}

TEST(InterpreterTest, UnknownEntryAndBadArgumentsAreCallerErrors) {
  std::shared_ptr<const Program> program = test::Load(kSumTo);
  MemoryHost host;
  EXPECT_EQ(Execute(*program, "nope", {}, host).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Execute(*program, "sum_to", {}, host).status().code(),
            absl::StatusCode::kInvalidArgument);
  Value wrong = Value::MakeBool(true);
  EXPECT_EQ(Execute(*program, "sum_to", {&wrong, 1}, host).status().code(),
            absl::StatusCode::kInvalidArgument);
  Value n = Value::MakeInt(3);
  EXPECT_EQ(
      Execute(*program, "sum_to", {&n, 1}, host, {.gas_limit = kGasPerRunMax + 1}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(InterpreterTest, UnmeteredProgramsGiveTheSameResultsWithoutGas) {
  std::shared_ptr<const Program> program = test::Load(kSumTo, {.metering = false});
  MemoryHost host;
  Value n = Value::MakeInt(1000);
  absl::StatusOr<ExecutionResult> result =
      Execute(*program, "sum_to", {&n, 1}, host, {.gas_limit = 10});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->return_value.AsInt(), 499500);
  EXPECT_EQ(result->gas_used, 0);
}

TEST(InterpreterTest, CountsInstructionsOnRequest) {
  std::shared_ptr<const Program> program = test::Load(kSumTo);
  MemoryHost host;
  Value n = Value::MakeInt(10);
  absl::StatusOr<ExecutionResult> result =
      Execute(*program, "sum_to", {&n, 1}, host, {.count_instructions = true});
  ASSERT_TRUE(result.ok());
  // jle, 10 x (add, addi, jlt), ret.
  EXPECT_EQ(result->instructions, 1 + 30 + 1);
}

}  // namespace
}  // namespace tl::vm
