#include <gtest/gtest.h>

#include "test_util.h"
#include "trialledger/vm/builder.h"
#include "trialledger/vm/verifier.h"

namespace tl::vm {
namespace {

// Verifies `module` and returns the fault message ("" when it verifies).
std::string Fault(const Module& module) {
  absl::Status status = Verify(module);
  return status.ok() ? "" : std::string(status.message());
}

std::string FaultOf(std::string_view text) {
  absl::StatusOr<Module> module = Assemble(text);
  EXPECT_TRUE(module.ok()) << module.status();
  return module.ok() ? Fault(*module) : "assembly failed";
}

std::string OffsetText(const Module& module, size_t function, size_t pc) {
  return "(module byte offset " + std::to_string(CodeOffsets(module)[function] + pc * 8) + ")";
}

// One function `main` with registers (int, int, bool, money) and the given code.
Module OneFunction(std::vector<Instruction> code, Type result = Type::kNone) {
  Module module;
  Function f;
  f.register_types = {Type::kInt, Type::kInt, Type::kBool, Type::kMoney};
  f.result_type = result;
  f.code = std::move(code);
  module.functions.push_back(std::move(f));
  module.entry_points.push_back({"main", 0});
  return module;
}

constexpr Instruction kRetv{Opcode::kRetv, 0, 0, 0, 0};

TEST(VerifierTest, AcceptsAWellFormedModule) {
  EXPECT_EQ(Fault(OneFunction({{Opcode::kAdd, 0, 0, 1, 0}, kRetv})), "");
}

TEST(VerifierTest, RegisterOutOfRangeNamesTheOffset) {
  Module module = OneFunction({{Opcode::kNop}, {Opcode::kAdd, 0, 0, 1, 9}, kRetv});
  const std::string fault = Fault(module);
  EXPECT_NE(fault.find("function 0 instruction 1 " + OffsetText(module, 0, 1)), std::string::npos)
      << fault;
  EXPECT_NE(fault.find("register 9 out of range (function has 4)"), std::string::npos) << fault;
}

TEST(VerifierTest, OperandTypesAreChecked) {
  const std::string fault = Fault(OneFunction({{Opcode::kAdd, 0, 0, 2, 1}, kRetv}));
  EXPECT_NE(fault.find("operand b: register 2 is bool, needs int"), std::string::npos) << fault;
}

TEST(VerifierTest, ReportsOnlyTheFirstFault) {
  const std::string fault =
      Fault(OneFunction({{Opcode::kAdd, 0, 0, 2, 1}, {Opcode::kAdd, 0, 0, 9, 9}, kRetv}));
  EXPECT_NE(fault.find("instruction 0"), std::string::npos) << fault;
  EXPECT_EQ(fault.find("instruction 1"), std::string::npos) << fault;
}

TEST(VerifierTest, JumpTargetsStayInsideTheFunction) {
  Module module = OneFunction({{Opcode::kJmp, 0, 0, 0, 7}, kRetv});
  EXPECT_NE(Fault(module).find("jump target 7 outside the function (2 instructions)"),
            std::string::npos);
}

TEST(VerifierTest, UnknownOpcodeIsAFault) {
  Module module = OneFunction({{static_cast<Opcode>(250)}, kRetv});
  EXPECT_NE(Fault(module).find("unknown opcode 250"), std::string::npos);
}

TEST(VerifierTest, DivisionNeedsARoundingModeAndOthersTakeNone) {
  EXPECT_NE(Fault(OneFunction({{Opcode::kDiv, 0, 0, 0, 1}, kRetv})).find("needs a rounding mode"),
            std::string::npos);
  EXPECT_NE(Fault(OneFunction({{Opcode::kDiv, 7, 0, 0, 1}, kRetv})).find("needs a rounding mode"),
            std::string::npos);
  EXPECT_NE(Fault(OneFunction({{Opcode::kAdd, 5, 0, 0, 1}, kRetv})).find("takes no rounding"),
            std::string::npos);
}

TEST(VerifierTest, CodeMustNotRunOffTheEnd) {
  EXPECT_NE(Fault(OneFunction({{Opcode::kAdd, 0, 0, 0, 1}})).find("last instruction must be"),
            std::string::npos);
}

TEST(VerifierTest, ReturnTypesMatchTheDeclaration) {
  EXPECT_NE(Fault(OneFunction({{Opcode::kRet, 0, 2}}, Type::kInt)).find("ret register type"),
            std::string::npos);
  EXPECT_NE(Fault(OneFunction({kRetv}, Type::kInt)).find("retv in a function"), std::string::npos);
  EXPECT_EQ(Fault(OneFunction({{Opcode::kRet, 0, 0}}, Type::kInt)), "");
}

TEST(VerifierTest, UnusedOperandsMustBeZero) {
  EXPECT_NE(Fault(OneFunction({{Opcode::kNeg, 0, 0, 1, 3}, kRetv})).find("unused but not 0"),
            std::string::npos);
}

TEST(VerifierTest, ConstantsMatchTheRegisterType) {
  Module module = OneFunction({{Opcode::kLoadk, 0, 3, 0, 0}, kRetv});
  module.constants.push_back({Value::MakeInt(5), nullptr});
  EXPECT_NE(Fault(module).find("constant 0 is not a money"), std::string::npos);
  module.constants[0].value = *Value::MakeList({});
  EXPECT_NE(Fault(module).find("a list cannot be a constant"), std::string::npos);
}

TEST(VerifierTest, MapKeysAndOrderedComparisonsNeedSuitableTypes) {
  EXPECT_NE(FaultOf(test::Main("none", "m:map k:money v:int", "mapput m k v\nretv"))
                .find("a money cannot be a map key"),
            std::string::npos);
  EXPECT_NE(FaultOf(test::Main("none", "a:list b:list c:bool", "ltv c a b\nretv"))
                .find("a list has no order"),
            std::string::npos);
  EXPECT_NE(FaultOf(test::Main("none", "a:int b:string c:bool", "eqv c a b\nretv"))
                .find("operands b and c must have the same type"),
            std::string::npos);
}

TEST(VerifierTest, CallsCheckArgumentAndResultTypes) {
  constexpr std::string_view kCaller = R"(
.func main -> none
.reg x:int y:int s:string r:int
  call r f %s
  retv
.end
.func f a:int b:int -> int
  ret a
.end
.entry main main
)";
  auto with = [&](std::string_view arg) {
    std::string text(kCaller);
    text.replace(text.find("%s"), 2, arg);
    return FaultOf(text);
  };
  EXPECT_EQ(with("x"), "");
  EXPECT_NE(with("s").find("argument 0 is string, function 1 takes int"), std::string::npos);
  EXPECT_NE(with("r").find("call arguments run past the last register"), std::string::npos);
}

TEST(VerifierTest, RecursionIsRejected) {
  EXPECT_NE(FaultOf(R"(
.func f n:int -> int
  call n f n
  ret n
.end
)")
                .find("function 0 is on a call cycle"),
            std::string::npos);
  EXPECT_NE(FaultOf(R"(
.func a -> none
  call _ b _
  retv
.end
.func b -> none
  call _ a _
  retv
.end
)")
                .find("on a call cycle"),
            std::string::npos);
}

TEST(VerifierTest, CallDepthAndStackAreBoundedStatically) {
  // A chain of kCallDepthMax + 1 functions, each calling the next.
  ModuleBuilder builder;
  for (uint32_t i = 0; i <= kCallDepthMax; ++i) {
    FunctionBuilder& f = builder.AddFunction("f" + std::to_string(i), {}, Type::kNone);
    if (i < kCallDepthMax) f.Emit(Opcode::kCall, 0, i + 1, 0);
    f.Emit(Opcode::kRetv);
  }
  absl::StatusOr<Module> module = builder.Build();
  ASSERT_TRUE(module.ok());
  EXPECT_NE(Fault(*module).find("call frames; limits are"), std::string::npos);

  ModuleBuilder wide;
  for (uint32_t i = 0; i < 20; ++i) {
    FunctionBuilder& f = wide.AddFunction("g" + std::to_string(i), {}, Type::kNone);
    for (int r = 0; r < 1000; ++r)
      f.AddRegister(Type::kInt);
    if (i < 19) f.Emit(Opcode::kCall, 0, i + 1, 0);
    f.Emit(Opcode::kRetv);
  }
  EXPECT_NE(Fault(*wide.Build()).find("stack registers"), std::string::npos);
}

TEST(VerifierTest, FunctionHeadersAreChecked) {
  Module module = OneFunction({kRetv});
  module.functions[0].param_count = 9;
  EXPECT_NE(Fault(module).find("parameters exceed"), std::string::npos);
  module = OneFunction({kRetv});
  module.functions[0].register_types[1] = static_cast<Type>(99);
  EXPECT_NE(Fault(module).find("register 1 has invalid type 99"), std::string::npos);
  module = OneFunction({});
  EXPECT_NE(Fault(module).find("has no instructions"), std::string::npos);
}

TEST(VerifierTest, EntryPointsNameExistingFunctionsOnce) {
  Module module = OneFunction({kRetv});
  module.entry_points.push_back({"other", 3});
  EXPECT_NE(Fault(module).find("entry point 'other' names function 3"), std::string::npos);
  module.entry_points[1] = {"main", 0};
  EXPECT_NE(Fault(module).find("invalid or repeated"), std::string::npos);
}

TEST(VerifierTest, LoadProgramRunsTheVerifier) {
  Module module = OneFunction({{Opcode::kAdd, 0, 0, 2, 1}, kRetv});
  absl::StatusOr<std::shared_ptr<const Program>> program = LoadProgram(EncodeModule(module));
  EXPECT_EQ(program.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(program.status().message()).find("verifier:"), std::string::npos);
}

}  // namespace
}  // namespace tl::vm
