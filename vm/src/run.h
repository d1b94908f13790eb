// The entry into the interpreter loop, for execute.cc.
#ifndef TRIALLEDGER_VM_SRC_RUN_H_
#define TRIALLEDGER_VM_SRC_RUN_H_

#include <cstdint>

#include "ops.h"
#include "program.h"

namespace tl::vm::internal {

// Runs `entry` whose parameters are already in stack[0..param_count). `stack` holds at least
// entry.stack_registers Values, all without heap objects beyond the parameters. On a trap,
// reports the function and module instruction index where it happened.
TrapCode RunInterpreter(RunState& state, const LinkedFunction& entry, Value* stack,
                        int64_t* gas_left, bool count_instructions, uint64_t* instructions,
                        Value* result, uint32_t* trap_function, uint32_t* trap_pc);

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_RUN_H_
