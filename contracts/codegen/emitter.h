// A structured layer over vm::FunctionBuilder for the code generator: typed scratch registers
// that are reused, if/else and bounded loops, constants, and a running bound on the gas any run
// through the function can use.
//
// The bound follows the code's structure as it is emitted: straight-line code adds up, the arms
// of a branch take the larger, a loop multiplies its body by its iteration bound, a call adds the
// callee's own bound. Dynamic VM charges (text, storage bytes, events) are added from explicit
// byte bounds at the call sites, so the result is an upper bound on the VM's gas for the
// function, not an estimate.
#ifndef TRIALLEDGER_CONTRACTS_EMITTER_H_
#define TRIALLEDGER_CONTRACTS_EMITTER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "trialledger/vm/builder.h"
#include "trialledger/vm/value.h"

namespace tl::contracts {

// Largest text (strings, keys, ids, messages) the generated code builds or reads; the runtime's
// fact field limits keep real text far below it. Used only for gas bounds.
inline constexpr int64_t kTextBytesBound = 512;
inline constexpr int64_t kTextGasBound = kTextBytesBound / 8 + 1;

class Emitter {
 public:
  // `params` are the function's parameter types (its first registers).
  Emitter(vm::ModuleBuilder& module, vm::FunctionBuilder& function,
          const std::vector<vm::Type>& params);
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  vm::FunctionBuilder& function() { return function_; }
  vm::ModuleBuilder& module() { return module_; }

  // A register that stays reserved for the rest of the function (parameters, results, values
  // kept across scopes).
  uint16_t Fixed(vm::Type type);
  vm::Type TypeOf(uint16_t reg) const { return types_[reg]; }
  // Consecutive registers of these types, for CALL arguments and RECNEW fields. Runs are
  // shared per type list: fill one and use it at once, after evaluating everything it needs.
  uint16_t Run(const std::vector<vm::Type>& types);
  // A scratch register, returned to the pool when the innermost TempScope ends.
  uint16_t Temp(vm::Type type);

  class TempScope {
   public:
    explicit TempScope(Emitter& emitter);
    ~TempScope();
    TempScope(const TempScope&) = delete;
    TempScope& operator=(const TempScope&) = delete;

   private:
    Emitter& emitter_;
    size_t mark_;
  };

  // One instruction. `dynamic_gas` is the bound on its dynamic charges (see file comment).
  void Op(vm::Opcode op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0, int64_t dynamic_gas = 0);
  void OpRounded(vm::Opcode op, uint16_t a, uint16_t b, uint16_t c, vm::RoundingMode mode);
  void Jump(vm::Opcode op, uint16_t a, uint16_t b, vm::Label target);
  vm::Label NewLabel() { return function_.NewLabel(); }
  void Bind(vm::Label label) { function_.Bind(label); }

  // Constants, each loaded into a new scratch register.
  uint16_t Const(const vm::Value& value);
  uint16_t Int(int64_t value);
  uint16_t Bool(bool value);
  uint16_t Str(std::string_view text);
  uint16_t Bytes(std::string_view bytes);
  uint16_t Money(int64_t minor, std::string_view currency);
  void Load(uint16_t reg, const vm::Value& value);

  // Control flow with gas accounting.
  void If(uint16_t condition, const std::function<void()>& then_arm,
          const std::function<void()>& else_arm = nullptr);
  // for (i = 0; i < count; ++i) body(i), with `count` at most `iterations_max` (the caller
  // guarantees it, e.g. with a CHECK).
  void For(uint16_t count, int64_t iterations_max, const std::function<void(uint16_t)>& body);
  void Call(uint16_t result, const vm::FunctionBuilder& callee, int64_t callee_gas,
            uint16_t first_argument);
  // An extra dynamic charge on the current path.
  void AddGas(int64_t gas);

  int64_t worst_case_gas() const;

 private:
  struct Frame {
    int64_t current = 0;
    int64_t best_arm = 0;
  };
  void Charge(int64_t gas);

  vm::ModuleBuilder& module_;
  vm::FunctionBuilder& function_;
  std::vector<Frame> frames_;
  std::map<vm::Type, std::vector<uint16_t>> free_;
  std::vector<std::pair<vm::Type, uint16_t>> taken_;  // scratch registers in use, in order
  std::map<std::vector<vm::Type>, uint16_t> runs_;
  std::vector<vm::Type> types_;  // of every register, by index
};

// Saturating addition and multiplication for gas bounds.
int64_t GasAdd(int64_t a, int64_t b);
int64_t GasMul(int64_t a, int64_t b);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_EMITTER_H_
