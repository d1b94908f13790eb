// The bytecode verifier. It runs at deploy and again at load, before any instruction executes,
// and checks every property the interpreter relies on instead of checking at run time:
//
//   - every register, constant, function and jump-target index is in bounds;
//   - every operand has the type its opcode requires (registers are statically typed);
//   - calls pass arguments of the callee's parameter types and receive its result type;
//   - the call graph is acyclic, so runs terminate given gas, the call depth is bounded and
//     the register stack a run needs is known before it starts;
//   - code cannot run off the end of a function; every size is within limits.h.
//
// A failure names the first fault and where it is: the function, the instruction index and the
// byte offset of the instruction in the encoded module (see CodeOffsets in module.h).
#ifndef TRIALLEDGER_VM_VERIFIER_H_
#define TRIALLEDGER_VM_VERIFIER_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "trialledger/vm/module.h"

namespace tl::vm {

// What the verifier learned that the linker and interpreter use.
struct VerifiedFacts {
  // Registers a call of each function needs on the stack, including all nested calls.
  std::vector<uint32_t> stack_registers;
  // Frames a call of each function needs, including itself.
  std::vector<uint32_t> call_depth;
};

absl::Status Verify(const Module& module, VerifiedFacts* facts = nullptr);

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_VERIFIER_H_
