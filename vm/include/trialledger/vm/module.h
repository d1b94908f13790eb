// A contract module: the unit that is deployed, stored on the ledger and loaded by every node.
//
// DecodeModule checks only the structure of untrusted bytes (lengths, counts, versions); it
// never trusts them to be meaningful. Verify (verifier.h) then checks every rule the
// interpreter relies on. LoadProgram (vm.h) does both and links the result; most callers need
// only that. The byte layout is specified in docs/vm-bytecode.md.
#ifndef TRIALLEDGER_VM_MODULE_H_
#define TRIALLEDGER_VM_MODULE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/vm/limits.h"
#include "trialledger/vm/opcodes.h"
#include "trialledger/vm/types.h"
#include "trialledger/vm/value.h"

namespace tl::vm {

// A constant-pool entry: a scalar or text value, or (when `shape` is set) the field names of a
// record type used by RECNEW.
struct Constant {
  Value value;
  std::shared_ptr<const RecordShape> shape;
};

struct Function {
  // Types of registers 0..n-1; the first `param_count` registers receive the arguments.
  std::vector<Type> register_types;
  uint8_t param_count = 0;
  Type result_type = Type::kNone;
  std::vector<Instruction> code;
};

struct EntryPoint {
  std::string name;
  uint32_t function = 0;
};

struct Module {
  uint16_t format_version = kFormatVersion;
  uint16_t gas_schedule_version = kGasScheduleVersion;
  std::vector<Constant> constants;
  std::vector<Function> functions;
  std::vector<EntryPoint> entry_points;
};

std::string EncodeModule(const Module& module);
// Byte offset, in EncodeModule's output, of each function's first instruction.
std::vector<uint32_t> CodeOffsets(const Module& module);
absl::StatusOr<Module> DecodeModule(std::string_view bytes);

inline constexpr std::string_view kModuleMagic = "TLVM";

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_MODULE_H_
