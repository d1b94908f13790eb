#include <gtest/gtest.h>

#include "corpus_runner.h"
#include "program_generator.h"
#include "trialledger/vm/assembler.h"
#include "trialledger/vm/verifier.h"

namespace tl::vm {
namespace {

// The generator is only useful if its programs get past the verifier and into the interpreter.
TEST(GeneratedProgramsTest, AllVerify) {
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const Module module = test::GenerateModule(seed);
    absl::Status status = Verify(module);
    ASSERT_TRUE(status.ok()) << "seed " << seed << ": " << status;
  }
}

}  // namespace
}  // namespace tl::vm

namespace tl::vm {
namespace {

// Disassembling and assembling again gives a module that behaves identically (constant indices
// may differ, since the assembler deduplicates constants).
TEST(GeneratedProgramsTest, DisassemblyAssemblesToAnEquivalentModule) {
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const Module module = test::GenerateModule(seed);
    const std::string text = Disassemble(module);
    absl::StatusOr<Module> again = Assemble(text);
    ASSERT_TRUE(again.ok()) << "seed " << seed << ": " << again.status() << "\n" << text;
    EXPECT_EQ(test::RunModule("x", *again), test::RunModule("x", module)) << text;
  }
}

}  // namespace
}  // namespace tl::vm
