#include "trialledger/vm/builder.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace tl::vm {
namespace {

// The builder is how the SOW compiler will produce modules: labels, constants, entry points.
TEST(BuilderTest, BuildsALoadableLoop) {
  ModuleBuilder mb;
  FunctionBuilder& f = mb.AddFunction("sum_to", {Type::kInt}, Type::kInt);
  const uint16_t n = f.Param(0), i = f.AddRegister(Type::kInt), s = f.AddRegister(Type::kInt);
  const Label loop = f.NewLabel(), done = f.NewLabel();
  f.Emit(Opcode::kJle, n, i, done);
  f.Bind(loop);
  f.Emit(Opcode::kAdd, s, s, i);
  f.Emit(Opcode::kAddi, i, i, 1);
  f.Emit(Opcode::kJlt, i, n, loop);
  f.Bind(done);
  f.Emit(Opcode::kRet, s);
  mb.AddEntryPoint("sum_to", f.index());
  absl::StatusOr<std::string> bytes = mb.BuildBytes();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<std::shared_ptr<const Program>> program = LoadProgram(*bytes);
  ASSERT_TRUE(program.ok()) << program.status();
  MemoryHost host;
  const Value arg = Value::MakeInt(5);
  absl::StatusOr<ExecutionResult> result = Execute(**program, "sum_to", {&arg, 1}, host);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->return_value.AsInt(), 10);
}

TEST(BuilderTest, DeduplicatesConstantsAndShapes) {
  ModuleBuilder mb;
  EXPECT_EQ(mb.AddConstant(Value::MakeInt(7)), mb.AddConstant(Value::MakeInt(7)));
  EXPECT_NE(mb.AddConstant(Value::MakeInt(7)), mb.AddConstant(Value::MakeDuration(7)));
  EXPECT_EQ(mb.AddShape({"a", "b"}), mb.AddShape({"a", "b"}));
  EXPECT_NE(mb.AddShape({"a", "b"}), mb.AddShape({"ab"}));
}

TEST(BuilderTest, UnboundLabelIsReported) {
  ModuleBuilder mb;
  FunctionBuilder& f = mb.AddFunction("f", {}, Type::kNone);
  f.Emit(Opcode::kJmp, 0, 0, f.NewLabel());
  EXPECT_EQ(mb.Build().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(BuilderTest, AssemblerRejectsDuplicateFunctionNames) {
  EXPECT_FALSE(Assemble(".func f -> none\n retv\n.end\n.func f -> none\n retv\n.end\n").ok());
}

}  // namespace
}  // namespace tl::vm
