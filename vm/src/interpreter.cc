// The interpreter loop. Registers are statically typed and every index was verified, so the
// loop reads operands without checks. Integer, boolean and control instructions run inline;
// everything else calls an op (ops.h). Dispatch uses computed goto where the compiler has it
// (GCC, Clang) and a switch elsewhere or when TL_VM_SWITCH_DISPATCH is defined (the
// differential test builds that variant); both run the same handlers.
//
// The loop is instantiated three times: metered (production), metered and counting
// instructions (benchmarks), and unmetered (benchmarks measuring the cost of metering).
#include <cassert>
#include <limits>

#include "arith.h"
#include "object.h"
#include "ops.h"
#include "program.h"
#include "run.h"
#include "trialledger/base/str_cat.h"

namespace tl::vm::internal {
namespace {

struct Frame {
  const LinkedFunction* function;
  const LinkedInstruction* return_ip;  // the CALL instruction
  Value* registers;
  uint16_t result_register;
};

// Makes registers [from, count) of a fresh frame hold the zero values of their types.
// REQUIRES: they hold no heap objects (frames release theirs when they return).
inline void ZeroRegisters(const LinkedFunction& function, Value* registers, size_t from) {
  const size_t count = function.register_types.size();
  for (size_t i = from; i < count; ++i) {
    ValueAccess::Reset(registers[i], function.register_types[i]);
  }
}

inline void ReleaseFrame(const LinkedFunction& function, Value* registers) {
  for (uint16_t r : function.heap_registers)
    registers[r] = Value();
}

}  // namespace

template <bool kMetered, bool kCount>
TrapCode Interpret(RunState& state, const LinkedFunction& entry, Value* stack, int64_t* gas_left,
                   uint64_t* instructions, Value* result, uint32_t* trap_function,
                   uint32_t* trap_pc) {
  const auto& functions = ProgramAccess::Functions(*state.program);
  Frame frames[kCallDepthMax];
  size_t depth = 0;
  const LinkedFunction* function = &entry;
  const LinkedInstruction* code = entry.code.data();
  const LinkedInstruction* ip = code;
  Value* r = stack;
  int64_t gas = *gas_left;
  uint64_t executed = 0;
  TrapCode trap = TrapCode::kNone;
  bool finished = false;  // the entry function returned

  if constexpr (kMetered) {
    gas -= entry.entry_gas;
    if (gas < 0) {
      trap = TrapCode::kOutOfGas;
      goto stop;
    }
  }

#define I(x) ValueAccess::Int(r[x])
#define B(x) ValueAccess::Bool(r[x])
#define TRAP(code_value) \
  do {                   \
    trap = (code_value); \
    goto stop;           \
  } while (0)
#define CHARGE(amount)                        \
  do {                                        \
    if constexpr (kMetered) {                 \
      gas -= static_cast<int64_t>(amount);    \
      if (gas < 0) TRAP(TrapCode::kOutOfGas); \
    }                                         \
  } while (0)
#define JUMP()       \
  do {               \
    CHARGE(ip->gas); \
    ip += ip->jump;  \
    DISPATCH();      \
  } while (0)
#define SLOW(name)                               \
  do {                                           \
    const TrapCode t = Op_##name(state, r, *ip); \
    if (t != TrapCode::kNone) TRAP(t);           \
    if constexpr (kMetered) {                    \
      CHARGE(state.pending_gas);                 \
      state.pending_gas = 0;                     \
    }                                            \
    NEXT();                                      \
  } while (0)

#if defined(__GNUC__) && !defined(TL_VM_SWITCH_DISPATCH)
  static const void* const kLabels[kLinkedOpcodeCount] = {
#define TL_VM_LABEL(name, mnemonic, a, b, c, gas, rules) &&L_##name,
      TL_VM_OPCODES(TL_VM_LABEL)
#undef TL_VM_LABEL
      && L_kGas};
#define DISPATCH()                    \
  do {                                \
    if constexpr (kCount) ++executed; \
    goto* kLabels[ip->op];            \
  } while (0)
#define HANDLER(name) L_##name:
  DISPATCH();
#else
#define DISPATCH() goto dispatch
#define HANDLER(name) case static_cast<uint8_t>(Opcode::name):
dispatch:
  if constexpr (kCount) ++executed;
  switch (ip->op) {
    case kGasOpcode:
      goto L_kGas;
#endif
#define NEXT()  \
  do {          \
    ++ip;       \
    DISPATCH(); \
  } while (0)

L_kGas : {
  if constexpr (kCount) --executed;  // count only the module's own instructions
  CHARGE(ip->gas);
  NEXT();
}
  HANDLER(kNop) {
    NEXT();
  }
  HANDLER(kJmp) {
    JUMP();
  }
  HANDLER(kJt) {
    if (B(ip->a)) JUMP();
    NEXT();
  }
  HANDLER(kJf) {
    if (!B(ip->a)) JUMP();
    NEXT();
  }
  HANDLER(kJlt) {
    if (I(ip->a) < I(ip->b)) JUMP();
    NEXT();
  }
  HANDLER(kJle) {
    if (I(ip->a) <= I(ip->b)) JUMP();
    NEXT();
  }
  HANDLER(kJeq) {
    if (I(ip->a) == I(ip->b)) JUMP();
    NEXT();
  }
  HANDLER(kJne) {
    if (I(ip->a) != I(ip->b)) JUMP();
    NEXT();
  }
  HANDLER(kCall) {
    const LinkedFunction& callee = functions[ip->b];
    CHARGE(callee.entry_gas);
    Value* callee_registers = r + function->register_types.size();
    for (uint32_t p = 0; p < callee.param_count; ++p)
      callee_registers[p] = r[ip->c + p];
    ZeroRegisters(callee, callee_registers, callee.param_count);
    frames[depth++] = Frame{function, ip, r, ip->a};
    function = &callee;
    code = callee.code.data();
    ip = code;
    r = callee_registers;
    DISPATCH();
  }
  HANDLER(kRet) {
    {
      // Scoped so that no jump below leaves the scope of a Value (clang forbids that for
      // computed goto).
      Value returned = std::move(r[ip->a]);
      ReleaseFrame(*function, r);
      if (depth == 0) {
        *result = std::move(returned);
        finished = true;
      } else {
        const Frame& caller = frames[--depth];
        function = caller.function;
        code = function->code.data();
        r = caller.registers;
        ip = caller.return_ip;
        r[caller.result_register] = std::move(returned);
      }
    }
    if (finished) goto stop;
    NEXT();
  }
  HANDLER(kRetv) {
    ReleaseFrame(*function, r);
    if (depth == 0) goto stop;
    const Frame& caller = frames[--depth];
    function = caller.function;
    code = function->code.data();
    r = caller.registers;
    ip = caller.return_ip;
    NEXT();
  }
  HANDLER(kLoadi) {
    I(ip->a) = static_cast<int16_t>(ip->b);
    NEXT();
  }
  HANDLER(kLoadb) {
    B(ip->a) = ip->b != 0;
    NEXT();
  }
  HANDLER(kAdd) {
    if (__builtin_add_overflow(I(ip->b), I(ip->c), &I(ip->a))) TRAP(TrapCode::kIntegerOverflow);
    NEXT();
  }
  HANDLER(kSub) {
    if (__builtin_sub_overflow(I(ip->b), I(ip->c), &I(ip->a))) TRAP(TrapCode::kIntegerOverflow);
    NEXT();
  }
  HANDLER(kMul) {
    if (__builtin_mul_overflow(I(ip->b), I(ip->c), &I(ip->a))) TRAP(TrapCode::kIntegerOverflow);
    NEXT();
  }
  HANDLER(kDiv) {
    if (I(ip->c) == 0) TRAP(TrapCode::kDivisionByZero);
    if (!RoundDivideInt(I(ip->b), I(ip->c), static_cast<RoundingMode>(ip->mode), &I(ip->a))) {
      TRAP(TrapCode::kIntegerOverflow);
    }
    NEXT();
  }
  HANDLER(kRem) {
    if (I(ip->c) == 0) TRAP(TrapCode::kDivisionByZero);
    // INT64_MIN % -1 is undefined behaviour in C++; mathematically it is 0.
    I(ip->a) = I(ip->c) == -1 ? 0 : I(ip->b) % I(ip->c);
    NEXT();
  }
  HANDLER(kAddi) {
    if (__builtin_add_overflow(I(ip->b), int64_t{static_cast<int16_t>(ip->c)}, &I(ip->a))) {
      TRAP(TrapCode::kIntegerOverflow);
    }
    NEXT();
  }
  HANDLER(kNeg) {
    if (__builtin_sub_overflow(int64_t{0}, I(ip->b), &I(ip->a))) {
      TRAP(TrapCode::kIntegerOverflow);
    }
    NEXT();
  }
  HANDLER(kLt) {
    B(ip->a) = I(ip->b) < I(ip->c);
    NEXT();
  }
  HANDLER(kLe) {
    B(ip->a) = I(ip->b) <= I(ip->c);
    NEXT();
  }
  HANDLER(kEq) {
    B(ip->a) = I(ip->b) == I(ip->c);
    NEXT();
  }
  HANDLER(kNe) {
    B(ip->a) = I(ip->b) != I(ip->c);
    NEXT();
  }
  HANDLER(kNot) {
    B(ip->a) = !B(ip->b);
    NEXT();
  }
  HANDLER(kAnd) {
    B(ip->a) = B(ip->b) && B(ip->c);
    NEXT();
  }
  HANDLER(kOr) {
    B(ip->a) = B(ip->b) || B(ip->c);
    NEXT();
  }
  HANDLER(kTadd) {
    if (__builtin_add_overflow(I(ip->b), I(ip->c), &I(ip->a))) TRAP(TrapCode::kIntegerOverflow);
    NEXT();
  }
  HANDLER(kTdiff) {
    if (__builtin_sub_overflow(I(ip->b), I(ip->c), &I(ip->a))) TRAP(TrapCode::kIntegerOverflow);
    NEXT();
  }
  HANDLER(kTday) {
    constexpr int64_t kMsPerDay = 86'400'000;
    int64_t day;
    RoundDivideInt(I(ip->b), kMsPerDay, RoundingMode::kFloor, &day);
    I(ip->a) = day * kMsPerDay;  // cannot overflow: |day * kMsPerDay| <= |b| + kMsPerDay
    NEXT();
  }
  HANDLER(kTms) {
    I(ip->a) = I(ip->b);
    NEXT();
  }
  HANDLER(kTfromms) {
    I(ip->a) = I(ip->b);
    NEXT();
  }
  HANDLER(kDms) {
    I(ip->a) = I(ip->b);
    NEXT();
  }
  HANDLER(kDfromms) {
    I(ip->a) = I(ip->b);
    NEXT();
  }
#define TL_VM_SLOW_HANDLER(name) \
  HANDLER(name) {                \
    SLOW(name);                  \
  }
  TL_VM_SLOW_OPS(TL_VM_SLOW_HANDLER)
#undef TL_VM_SLOW_HANDLER
#if !defined(__GNUC__) || defined(TL_VM_SWITCH_DISPATCH)
}
#endif

stop : * gas_left = gas;
*instructions = executed;
if (trap != TrapCode::kNone) {
  *trap_function = function->index;
  *trap_pc = function->module_pc[ip - code];
}
return trap;

#undef I
#undef B
#undef TRAP
#undef CHARGE
#undef JUMP
#undef SLOW
#undef DISPATCH
#undef HANDLER
#undef NEXT
}

TrapCode RunInterpreter(RunState& state, const LinkedFunction& entry, Value* stack,
                        int64_t* gas_left, bool count_instructions, uint64_t* instructions,
                        Value* result, uint32_t* trap_function, uint32_t* trap_pc) {
  if (!state.program->metered()) {
    return Interpret<false, false>(state, entry, stack, gas_left, instructions, result,
                                   trap_function, trap_pc);
  }
  if (count_instructions) {
    return Interpret<true, true>(state, entry, stack, gas_left, instructions, result, trap_function,
                                 trap_pc);
  }
  return Interpret<true, false>(state, entry, stack, gas_left, instructions, result, trap_function,
                                trap_pc);
}

}  // namespace tl::vm::internal
