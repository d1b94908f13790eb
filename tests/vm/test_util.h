// Helpers shared by the VM tests: assemble, load and run in one call.
#ifndef TRIALLEDGER_TESTS_VM_TEST_UTIL_H_
#define TRIALLEDGER_TESTS_VM_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trialledger/vm/assembler.h"
#include "trialledger/vm/memory_host.h"
#include "trialledger/vm/vm.h"

namespace tl::vm::test {

// Assembles and loads `text`; fails the test (and returns null) on any error.
inline std::shared_ptr<const Program> Load(std::string_view text, LoadOptions options = {}) {
  absl::StatusOr<std::string> bytes = AssembleBytes(text);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  if (!bytes.ok()) return nullptr;
  absl::StatusOr<std::shared_ptr<const Program>> program = LoadProgram(*bytes, options);
  EXPECT_TRUE(program.ok()) << program.status();
  return program.ok() ? *program : nullptr;
}

// Runs `entry` of the assembled `text`. A non-OK Execute status fails the test.
inline ExecutionResult RunAsm(std::string_view text, std::string_view entry,
                              std::vector<Value> args = {}, Host* host = nullptr,
                              int64_t gas_limit = 1'000'000) {
  MemoryHost default_host;
  std::shared_ptr<const Program> program = Load(text);
  ExecutionResult failed;
  failed.trap = TrapCode::kInvalidValue;
  if (program == nullptr) return failed;
  absl::StatusOr<ExecutionResult> result =
      Execute(*program, entry, args, host != nullptr ? *host : default_host,
              ExecuteOptions{.gas_limit = gas_limit});
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : failed;
}

// Wraps one function body as `.func main -> TYPE` with registers, plus an entry point.
inline std::string Main(std::string_view result_type, std::string_view registers,
                        std::string_view body) {
  return std::string(".func main -> ") + std::string(result_type) + "\n.reg " +
         std::string(registers) + "\n" + std::string(body) + "\n.end\n.entry main main\n";
}

}  // namespace tl::vm::test

#endif  // TRIALLEDGER_TESTS_VM_TEST_UTIL_H_
