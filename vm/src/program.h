// The linked form of a function that the interpreter runs. Linking (link.cc) turns verified
// module code into this form: it splits each function into basic blocks and makes gas a
// per-block charge, so the interpreter's hot loop pays for metering only at block boundaries.
//
//   - A jump or taken branch charges the static cost of its target block (`gas`).
//   - A block entered by falling through is preceded by an inserted kGas instruction.
//   - A call charges the callee's first block (`entry_gas`).
//
// Each block's cost is the sum of the static gas of its instructions, charged up front; a trap
// in the middle of a block has still paid for the whole block, which is deterministic.
#ifndef TRIALLEDGER_VM_SRC_PROGRAM_H_
#define TRIALLEDGER_VM_SRC_PROGRAM_H_

#include <cstdint>
#include <vector>

#include "trialledger/vm/opcodes.h"
#include "trialledger/vm/types.h"
#include "trialledger/vm/vm.h"

namespace tl::vm::internal {

// The linker's own instruction: charge `gas` and continue. Never valid in a module.
inline constexpr uint8_t kGasOpcode = static_cast<uint8_t>(Opcode::kCount);
inline constexpr size_t kLinkedOpcodeCount = size_t{kGasOpcode} + 1;

struct LinkedInstruction {
  uint8_t op;
  uint8_t mode;
  uint16_t a, b, c;  // as in the module, except jump targets (see `jump`)
  int32_t jump;      // jumps and branches: target minus this instruction's linked index
  uint32_t gas;      // kGasOpcode: block cost; jumps and branches: cost of the target block
};
static_assert(sizeof(LinkedInstruction) == 16);

struct LinkedFunction {
  uint32_t index = 0;
  std::vector<LinkedInstruction> code;
  std::vector<uint16_t> module_pc;  // linked index -> instruction index in the module
  std::vector<Type> register_types;
  std::vector<uint16_t> heap_registers;  // released when a frame returns
  uint32_t param_count = 0;
  uint32_t entry_gas = 0;
  uint32_t stack_registers = 0;  // including nested calls (VerifiedFacts)
  uint32_t call_depth = 0;
};

}  // namespace tl::vm::internal

namespace tl::vm {

struct ProgramAccess {
  static const std::vector<internal::LinkedFunction>& Functions(const Program& p) {
    return p.functions_;
  }
  static const std::vector<Value>& Constants(const Program& p) { return p.constants_; }
};

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_SRC_PROGRAM_H_
