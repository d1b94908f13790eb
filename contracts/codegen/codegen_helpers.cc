// Storage, text, event and control-flow helpers of the code generator.
#include <memory>

#include "codegen_internal.h"
#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

using vm::Opcode;
using vm::Type;

vm::Type Codegen::VmType(SowType type) {
  switch (type) {
    case SowType::kBool:
      return Type::kBool;
    case SowType::kInt:
      return Type::kInt;
    case SowType::kMoney:
      return Type::kMoney;
    case SowType::kString:
      return Type::kString;
    case SowType::kDate:
      return Type::kTime;
    case SowType::kError:
      break;
  }
  return Type::kNone;
}

vm::Value Codegen::LiteralValue(const contracts::Expr& expr) const {
  switch (expr.kind) {
    case contracts::Expr::Kind::kBool:
      return vm::Value::MakeBool(expr.number != 0);
    case contracts::Expr::Kind::kInt:
      return vm::Value::MakeInt(expr.number);
    case contracts::Expr::Kind::kMoney:
      return *vm::Value::MakeMoney(file_.currency, expr.number);
    case contracts::Expr::Kind::kString:
      return *vm::Value::MakeString(expr.text);
    case contracts::Expr::Kind::kDate:
      return vm::Value::MakeTime(expr.number);
    case contracts::Expr::Kind::kUnary: {
      // The checker allows only literals here, so this is `-literal` of an int or money.
      const vm::Value inner = LiteralValue(*expr.args[0]);
      if (inner.type() == Type::kInt) return vm::Value::MakeInt(-inner.AsInt());
      if (inner.type() == Type::kMoney) {
        return *vm::Value::MakeMoney(file_.currency, -inner.MoneyMinor());
      }
      return vm::Value::MakeBool(!inner.AsBool());
    }
    default:
      break;
  }
  throw CompileError{expr.span, "a default must be a literal value"};
}

uint16_t Codegen::Key(Emitter& e, std::string_view prefix, uint16_t name) {
  const uint16_t text = e.Temp(Type::kString);
  e.Op(Opcode::kScat, text, e.Str(prefix), name, kTextGasBound);
  const uint16_t key = e.Temp(Type::kBytes);
  e.Op(Opcode::kStob, key, text, 0, kTextGasBound);
  return key;
}

uint16_t Codegen::NonEmpty(Emitter& e, uint16_t text) {
  const uint16_t length = e.Temp(Type::kInt);
  e.Op(e.TypeOf(text) == Type::kBytes ? Opcode::kBlen : Opcode::kSlen, length, text);
  const uint16_t non_empty = e.Temp(Type::kBool);
  e.Op(Opcode::kLt, non_empty, e.Int(0), length);
  return non_empty;
}

uint16_t Codegen::KindIn(Emitter& e, uint16_t kind, const std::vector<FactKind>& kinds) {
  const uint16_t any = e.Temp(Type::kBool);
  e.Op(Opcode::kLoadb, any, 0);
  const uint16_t match = e.Temp(Type::kBool);
  for (FactKind k : kinds) {
    e.Op(Opcode::kEq, match, kind, e.Int(static_cast<int64_t>(k)));
    e.Op(Opcode::kOr, any, any, match);
  }
  return any;
}

uint16_t Codegen::ConstKey(Emitter& e, std::string_view prefix, std::string_view name) {
  return e.Bytes(abi::Key(prefix, name));
}

uint16_t Codegen::Get(Emitter& e, vm::Type type, uint16_t key, uint16_t fallback,
                      int64_t value_bytes) {
  const uint16_t value = e.Temp(type);
  e.Op(Opcode::kSget, value, key, fallback, kKeyBytesBound + value_bytes);
  return value;
}

uint16_t Codegen::GetInt(Emitter& e, uint16_t key) {
  return Get(e, Type::kInt, key, e.Int(0), kIntValueBytes);
}

uint16_t Codegen::GetMoney(Emitter& e, uint16_t key) {
  return Get(e, Type::kMoney, key, Zero(e), kMoneyValueBytes);
}

void Codegen::Put(Emitter& e, uint16_t key, uint16_t value, int64_t value_bytes) {
  e.Op(Opcode::kSput, key, value, 0, kKeyBytesBound + value_bytes);
}

uint16_t Codegen::Zero(Emitter& e) {
  return e.Money(0, file_.currency);
}

uint16_t Codegen::Concat(Emitter& e, std::initializer_list<Piece> pieces) {
  const uint16_t out = e.Temp(Type::kString);
  e.Load(out, *vm::Value::MakeString(""));
  for (const Piece& piece : pieces) {
    const uint16_t part = std::holds_alternative<std::string>(piece)
                              ? e.Str(std::get<std::string>(piece))
                              : std::get<uint16_t>(piece);
    e.Op(Opcode::kScat, out, out, part, kTextGasBound);
  }
  return out;
}

uint16_t Codegen::Record(Emitter& e, const std::vector<std::string>& names,
                         const std::vector<uint16_t>& values) {
  std::vector<Type> types;
  for (uint16_t value : values)
    types.push_back(e.TypeOf(value));
  const uint16_t run = e.Run(types);
  for (size_t i = 0; i < values.size(); ++i) {
    e.Op(Opcode::kMove, static_cast<uint16_t>(run + i), values[i]);
  }
  const uint16_t record = e.Temp(Type::kRecord);
  e.Op(Opcode::kRecnew, record, module_.AddShape(names), run, static_cast<int64_t>(names.size()));
  return record;
}

void Codegen::EmitEvent(Emitter& e, std::string_view name,
                        std::initializer_list<std::pair<std::string, uint16_t>> fields,
                        int64_t list_bytes) {
  std::vector<std::string> names;
  std::vector<uint16_t> values;
  int64_t bytes_bound = 8;
  for (const auto& [field, value] : fields) {
    names.push_back(field);
    values.push_back(value);
    bytes_bound += 1 + static_cast<int64_t>(field.size());
    switch (e.TypeOf(value)) {
      case Type::kString:
        bytes_bound += kStoredTextBytes;
        break;
      case Type::kMoney:
      case Type::kRational:
        bytes_bound += 2 * kMoneyValueBytes;
        break;
      case Type::kList:
        bytes_bound += list_bytes;
        break;
      default:
        bytes_bound += kIntValueBytes;
        break;
    }
  }
  const uint16_t record = Record(e, names, values);
  e.Op(Opcode::kEmit, module_.AddConstant(*vm::Value::MakeString(name)), record, 0, bytes_bound);
}

uint16_t Codegen::CallFunction(Emitter& e, const GenFunction& callee, vm::Type result,
                               std::initializer_list<uint16_t> args) {
  std::vector<Type> types;
  for (uint16_t arg : args)
    types.push_back(e.TypeOf(arg));
  const uint16_t run = args.size() == 0 ? 0 : e.Run(types);
  uint16_t i = 0;
  for (uint16_t arg : args)
    e.Op(Opcode::kMove, static_cast<uint16_t>(run + i++), arg);
  const uint16_t out = result == Type::kNone ? 0 : e.Temp(result);
  e.Call(out, *callee.builder, callee.gas, run);
  return out;
}

void Codegen::Switch(Emitter& e, uint16_t reg,
                     const std::vector<std::pair<int64_t, std::function<void()>>>& cases,
                     const std::function<void()>& otherwise) {
  std::function<void(size_t)> from = [&](size_t i) {
    if (i == cases.size()) {
      if (otherwise) otherwise();
      return;
    }
    Emitter::TempScope scope(e);
    const uint16_t match = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, match, reg, e.Int(cases[i].first));
    e.If(match, cases[i].second, [&] { from(i + 1); });
  };
  from(0);
}

}  // namespace tl::contracts
