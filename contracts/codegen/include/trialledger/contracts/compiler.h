// The SOW compiler: SOW source text to a verified VM module plus the metadata the ledger stores
// beside it (docs/sow-language.md).
//
//   absl::StatusOr<CompiledContract> compiled = CompileSow(source, "acme-301.sow");
//   if (!compiled.ok()) {
//     // The message is a ready-to-print diagnostic:
//     //   acme-301.sow:14:9: error: unknown name 'enroled'
//     //     when enroled >= 10
//     //          ^~~~~~~
//   }
//   compiled->module_bytes   // what ProposeContract carries; LoadProgram accepts it
//   compiled->metadata       // parties, obligations, milestones, bindings, gas, hashes
//
// Compilation is deterministic: the same source gives the same bytes on every machine.
#ifndef TRIALLEDGER_CONTRACTS_COMPILER_H_
#define TRIALLEDGER_CONTRACTS_COMPILER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/contracts/compiled_contract.h"

namespace tl::contracts {

// Parses, type-checks, generates code and runs the VM verifier. On a fault in the source the
// status is InvalidArgument and its message is the formatted diagnostic (file:line:col, the
// line, a caret under the fault).
absl::StatusOr<CompiledContract> CompileSow(std::string_view source, std::string_view file_name);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_COMPILER_H_
