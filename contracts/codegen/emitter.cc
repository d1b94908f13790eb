#include "emitter.h"

#include <algorithm>
#include <limits>
#include "trialledger/base/check.h"

#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

namespace {
constexpr int64_t kGasSaturated = std::numeric_limits<int64_t>::max() / 4;
}  // namespace

int64_t GasAdd(int64_t a, int64_t b) {
  return std::min(kGasSaturated, a + b);
}

int64_t GasMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > kGasSaturated / b) return kGasSaturated;
  return std::min(kGasSaturated, a * b);
}

Emitter::Emitter(vm::ModuleBuilder& module, vm::FunctionBuilder& function,
                 const std::vector<vm::Type>& params)
    : module_(module), function_(function), frames_(1), types_(params) {}

uint16_t Emitter::Fixed(vm::Type type) {
  const uint16_t reg = function_.AddRegister(type);
  if (types_.size() <= reg) types_.resize(reg + 1, vm::Type::kNone);
  types_[reg] = type;
  return reg;
}

uint16_t Emitter::Run(const std::vector<vm::Type>& types) {
  auto it = runs_.find(types);
  if (it != runs_.end()) return it->second;
  uint16_t first = 0;
  for (size_t i = 0; i < types.size(); ++i) {
    const uint16_t reg = Fixed(types[i]);
    if (i == 0) first = reg;
  }
  runs_.emplace(types, first);
  return first;
}

uint16_t Emitter::Temp(vm::Type type) {
  std::vector<uint16_t>& pool = free_[type];
  uint16_t reg;
  if (pool.empty()) {
    reg = Fixed(type);
  } else {
    reg = pool.back();
    pool.pop_back();
  }
  taken_.emplace_back(type, reg);
  return reg;
}

Emitter::TempScope::TempScope(Emitter& emitter) : emitter_(emitter), mark_(emitter.taken_.size()) {}

Emitter::TempScope::~TempScope() {
  while (emitter_.taken_.size() > mark_) {
    auto [type, reg] = emitter_.taken_.back();
    emitter_.taken_.pop_back();
    emitter_.free_[type].push_back(reg);
  }
}

void Emitter::Charge(int64_t gas) {
  frames_.back().current = GasAdd(frames_.back().current, gas);
}

void Emitter::AddGas(int64_t gas) {
  Charge(gas);
}

void Emitter::Op(vm::Opcode op, uint16_t a, uint16_t b, uint16_t c, int64_t dynamic_gas) {
  function_.Emit(op, a, b, c);
  Charge(GasAdd(vm::GetOpcodeInfo(op).static_gas, dynamic_gas));
}

void Emitter::OpRounded(vm::Opcode op, uint16_t a, uint16_t b, uint16_t c, vm::RoundingMode mode) {
  function_.Emit(op, a, b, c, mode);
  // Money and rational results: at most two 64-bit words per part, two parts.
  Charge(vm::GetOpcodeInfo(op).static_gas + 4);
}

void Emitter::Jump(vm::Opcode op, uint16_t a, uint16_t b, vm::Label target) {
  function_.Emit(op, a, b, target);
  Charge(vm::GetOpcodeInfo(op).static_gas);
}

void Emitter::Load(uint16_t reg, const vm::Value& value) {
  Op(vm::Opcode::kLoadk, reg, module_.AddConstant(value));
}

uint16_t Emitter::Const(const vm::Value& value) {
  const uint16_t reg = Temp(value.type());
  Load(reg, value);
  return reg;
}

uint16_t Emitter::Int(int64_t value) {
  const uint16_t reg = Temp(vm::Type::kInt);
  if (value >= -32768 && value <= 32767) {
    Op(vm::Opcode::kLoadi, reg, static_cast<uint16_t>(static_cast<int16_t>(value)));
  } else {
    Load(reg, vm::Value::MakeInt(value));
  }
  return reg;
}

uint16_t Emitter::Bool(bool value) {
  const uint16_t reg = Temp(vm::Type::kBool);
  Op(vm::Opcode::kLoadb, reg, value ? 1 : 0);
  return reg;
}

uint16_t Emitter::Str(std::string_view text) {
  return Const(*vm::Value::MakeString(text));
}

uint16_t Emitter::Bytes(std::string_view bytes) {
  return Const(*vm::Value::MakeBytes(bytes));
}

uint16_t Emitter::Money(int64_t minor, std::string_view currency) {
  return Const(*vm::Value::MakeMoney(currency, minor));
}

void Emitter::If(uint16_t condition, const std::function<void()>& then_arm,
                 const std::function<void()>& else_arm) {
  const vm::Label otherwise = NewLabel();
  const vm::Label end = NewLabel();
  Jump(vm::Opcode::kJf, condition, 0, otherwise);
  frames_.push_back(Frame{});
  then_arm();
  Jump(vm::Opcode::kJmp, 0, 0, end);
  Frame& frame = frames_.back();
  frame.best_arm = frame.current;
  frame.current = 0;
  Bind(otherwise);
  if (else_arm) else_arm();
  Bind(end);
  // The jump and the join need an instruction to land on: a nop keeps labels valid even when
  // the branch ends the function's code.
  Op(vm::Opcode::kNop);
  const int64_t cost = std::max(frames_.back().best_arm, frames_.back().current);
  frames_.pop_back();
  Charge(cost);
}

void Emitter::For(uint16_t count, int64_t iterations_max,
                  const std::function<void(uint16_t)>& body) {
  const uint16_t i = Fixed(vm::Type::kInt);
  const vm::Label top = NewLabel();
  const vm::Label end = NewLabel();
  Op(vm::Opcode::kLoadi, i, 0);
  Bind(top);
  frames_.push_back(Frame{});
  Jump(vm::Opcode::kJle, count, i, end);
  body(i);
  Op(vm::Opcode::kAddi, i, i, 1);
  Jump(vm::Opcode::kJmp, 0, 0, top);
  const int64_t per_iteration = frames_.back().current;
  frames_.pop_back();
  Bind(end);
  Op(vm::Opcode::kNop);
  // Each iteration, plus the final test that leaves the loop.
  Charge(GasAdd(GasMul(per_iteration, iterations_max), 2));
}

void Emitter::Call(uint16_t result, const vm::FunctionBuilder& callee, int64_t callee_gas,
                   uint16_t first_argument) {
  Op(vm::Opcode::kCall, result, static_cast<uint16_t>(callee.index()), first_argument, callee_gas);
}

int64_t Emitter::worst_case_gas() const {
  TL_CHECK(frames_.size() == 1);
  return frames_.back().current;
}

}  // namespace tl::contracts
