// Loading and running contracts. The whole public flow:
//
//   // At deploy and at every load: decode, verify and link untrusted module bytes.
//   absl::StatusOr<std::shared_ptr<const Program>> program = LoadProgram(module_bytes);
//   if (!program.ok()) reject(program.status());      // names the first fault and its offset
//
//   // Per transaction: run one entry point against a Host (host.h) with a gas limit.
//   absl::StatusOr<ExecutionResult> result =
//       Execute(**program, "record_visit", /*args=*/{}, host, /*gas_limit=*/1'000'000);
//   if (!result.ok()) stop_node(result.status());       // the host failed, not the contract
//   if (!result->ok()) reject_tx(result->trap, result->message);  // no state changed
//   else post(result->events);                         // writes already committed to host
//
// Execution is deterministic: the same program, entry, arguments, host answers and gas limit
// give the same ExecutionResult (trap, message, gas, return value, events, writes) on every
// platform and compiler. A Program is immutable but its constants are reference-counted without
// atomics: use one Program from one thread at a time.
#ifndef TRIALLEDGER_VM_VM_H_
#define TRIALLEDGER_VM_VM_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/vm/host.h"
#include "trialledger/vm/module.h"
#include "trialledger/vm/types.h"
#include "trialledger/vm/value.h"
#include "trialledger/vm/verifier.h"

namespace tl::vm {

namespace internal {
struct LinkedFunction;
}  // namespace internal

struct LoadOptions {
  // Charge gas. Only benchmarks measuring the cost of metering turn this off: an unmetered
  // program has no bound on its running time.
  bool metering = true;
};

// A verified, linked module ready to run.
class Program {
 public:
  ~Program();
  const Module& module() const { return module_; }
  bool metered() const { return metered_; }
  // Function index of the entry point `name`, or -1.
  int64_t FindEntryPoint(std::string_view name) const;

 private:
  friend absl::StatusOr<std::shared_ptr<const Program>> LinkProgram(Module, const VerifiedFacts&,
                                                                    const LoadOptions&);
  friend struct ProgramAccess;
  Program() = default;

  Module module_;
  bool metered_ = true;
  std::vector<Value> constants_;
  std::vector<internal::LinkedFunction> functions_;
  std::map<std::string, uint32_t, std::less<>> entry_points_;
};

// Decodes (DecodeModule), verifies (Verify) and links module bytes.
absl::StatusOr<std::shared_ptr<const Program>> LoadProgram(std::string_view module_bytes,
                                                           const LoadOptions& options = {});
// Verifies and links an in-memory module (from ModuleBuilder or the assembler).
absl::StatusOr<std::shared_ptr<const Program>> LoadProgram(Module module,
                                                           const LoadOptions& options = {});

// A contract event: a name and a record of typed fields.
struct Event {
  std::string name;
  Value fields;  // a kRecord
};

struct ExecutionResult {
  TrapCode trap = TrapCode::kNone;
  // For kCheckFailed and kAborted the contract's own message; for other traps a description
  // naming the instruction, e.g. "integer_overflow at function 1 instruction 7".
  std::string message;
  int64_t gas_used = 0;
  Value return_value;                // kNone when trapped or the entry has no result
  std::vector<Event> events;         // empty when trapped
  std::vector<StorageWrite> writes;  // committed to the host; empty when trapped
  // BLAKE2b-256 over the events in order: for each, u32 name length, name, canonical value
  // encoding of the fields record. The hash of no events is the hash of the empty string.
  std::array<uint8_t, 32> events_hash{};
  // Module instructions executed (not the linker's gas charges), counted only when
  // ExecuteOptions::count_instructions is set on a metered program.
  uint64_t instructions = 0;

  bool ok() const { return trap == TrapCode::kNone; }
};

struct ExecuteOptions {
  int64_t gas_limit = 1'000'000;    // at most kGasPerRunMax
  bool count_instructions = false;  // for benchmarks; slows the run slightly
};

// Runs entry point `entry` with `args` (of the entry function's parameter types). Returns a
// non-OK status only for caller or host errors: unknown entry point, wrong arguments, a gas
// limit outside 0..kGasPerRunMax, or a failing Host call. Contract failures are traps inside
// an OK result.
absl::StatusOr<ExecutionResult> Execute(const Program& program, std::string_view entry,
                                        std::span<const Value> args, Host& host,
                                        const ExecuteOptions& options = {});

// Hex form of an events hash, for logs and test expectations.
std::string HashHex(const std::array<uint8_t, 32>& hash);

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_VM_H_
