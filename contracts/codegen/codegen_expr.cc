// Expressions and the SOW's own functions.
#include "codegen_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

using vm::Opcode;
using vm::Type;

uint16_t Codegen::Expr(Emitter& e, const contracts::Expr& expr, const ExprEnv& env) {
  using Kind = contracts::Expr::Kind;
  switch (expr.kind) {
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kMoney:
    case Kind::kString:
    case Kind::kDate:
      if (expr.kind == Kind::kInt) return e.Int(expr.number);
      if (expr.kind == Kind::kBool) return e.Bool(expr.number != 0);
      return e.Const(LiteralValue(expr));
    case Kind::kName:
      switch (expr.ref) {
        case NameRef::kLocal:
          return (*env.locals)[expr.index];
        case NameRef::kCounter:
          return GetInt(e, ConstKey(e, abi::kPrefixCounter, expr.key));
        case NameRef::kFlag: {
          const uint16_t count = GetInt(e, ConstKey(e, abi::kPrefixCounter, expr.key));
          const uint16_t flag = e.Temp(Type::kBool);
          e.Op(Opcode::kNe, flag, count, e.Int(0));
          return flag;
        }
        case NameRef::kMoneyState:
          return GetMoney(e, ConstKey(e, abi::kPrefixMoney, expr.key));
        case NameRef::kParameter: {
          const ParameterDecl& parameter = file_.parameters[expr.index];
          const uint16_t fallback = e.Const(LiteralValue(*parameter.default_value));
          return Get(e, VmType(parameter.type), ConstKey(e, abi::kPrefixParameter, parameter.name),
                     fallback, kStoredTextBytes);
        }
        case NameRef::kNone:
          break;
      }
      TL_UNREACHABLE("the checker resolves every name");
    case Kind::kFactField: {
      abi::FactField field = abi::kFieldSite;
      if (expr.text == "subject") field = abi::kFieldSubject;
      if (expr.text == "visit_type" || expr.text == "category") field = abi::kFieldDetail;
      if (expr.text == "study") field = abi::kFieldStudy;
      if (expr.text == "date") field = abi::kFieldDate;
      if (expr.text == "amount") field = abi::kFieldAmount;
      const uint16_t value = e.Temp(VmType(expr.type));
      e.Op(Opcode::kRecget, value, env.fact, field);
      return value;
    }
    case Kind::kCall:
      return Call(e, expr, env);
    case Kind::kUnary: {
      const uint16_t operand = Expr(e, *expr.args[0], env);
      const uint16_t out = e.Temp(e.TypeOf(operand));
      if (expr.text == "not") {
        e.Op(Opcode::kNot, out, operand);
      } else if (expr.type == SowType::kMoney) {
        e.Op(Opcode::kMneg, out, operand, 0, 4);
      } else {
        e.Op(Opcode::kNeg, out, operand);
      }
      return out;
    }
    case Kind::kBinary: {
      if (expr.text == "and" || expr.text == "or") {
        // Short-circuit, so `n > 0 and total / n > 2` never divides by zero.
        const uint16_t out = e.Temp(Type::kBool);
        e.Op(Opcode::kMove, out, Expr(e, *expr.args[0], env));
        const bool is_and = expr.text == "and";
        const uint16_t test = e.Temp(Type::kBool);
        if (is_and) {
          e.Op(Opcode::kMove, test, out);
        } else {
          e.Op(Opcode::kNot, test, out);
        }
        e.If(test, [&] { e.Op(Opcode::kMove, out, Expr(e, *expr.args[1], env)); });
        return out;
      }
      const uint16_t left = Expr(e, *expr.args[0], env);
      const uint16_t right = Expr(e, *expr.args[1], env);
      if (expr.type == SowType::kBool) return Compare(e, expr, left, right);
      return Arithmetic(e, expr, left, right);
    }
  }
  TL_UNREACHABLE("an expression kind without code");
}

uint16_t Codegen::Compare(Emitter& e, const contracts::Expr& expr, uint16_t left, uint16_t right) {
  const std::string& op = expr.text;
  const uint16_t out = e.Temp(Type::kBool);
  const SowType operands = expr.args[0]->type;
  if (operands == SowType::kInt) {
    if (op == "==") e.Op(Opcode::kEq, out, left, right);
    if (op == "!=") e.Op(Opcode::kNe, out, left, right);
    if (op == "<") e.Op(Opcode::kLt, out, left, right);
    if (op == "<=") e.Op(Opcode::kLe, out, left, right);
    if (op == ">") e.Op(Opcode::kLt, out, right, left);
    if (op == ">=") e.Op(Opcode::kLe, out, right, left);
    return out;
  }
  // Text, money, dates and bools: generic comparison (text compares bytewise).
  const int64_t text_gas = 2 + kTextGasBound;
  if (op == "==" || op == "!=") {
    e.Op(Opcode::kEqv, out, left, right, text_gas);
    if (op == "!=") e.Op(Opcode::kNot, out, out);
  } else if (op == "<" || op == ">=") {
    e.Op(Opcode::kLtv, out, left, right, text_gas);
    if (op == ">=") e.Op(Opcode::kNot, out, out);
  } else {  // ">" and "<="
    e.Op(Opcode::kLtv, out, right, left, text_gas);
    if (op == "<=") e.Op(Opcode::kNot, out, out);
  }
  return out;
}

uint16_t Codegen::Arithmetic(Emitter& e, const contracts::Expr& expr, uint16_t left,
                             uint16_t right) {
  const std::string& op = expr.text;
  const uint16_t out = e.Temp(VmType(expr.type));
  if (expr.type == SowType::kMoney) {
    if (op == "+") e.Op(Opcode::kMadd, out, left, right, 4);
    if (op == "-") e.Op(Opcode::kMsub, out, left, right, 4);
    if (op == "*") {
      const bool money_left = expr.args[0]->type == SowType::kMoney;
      e.Op(Opcode::kMmul, out, money_left ? left : right, money_left ? right : left, 4);
    }
    return out;
  }
  if (op == "+") e.Op(Opcode::kAdd, out, left, right);
  if (op == "-") e.Op(Opcode::kSub, out, left, right);
  if (op == "*") e.Op(Opcode::kMul, out, left, right);
  if (op == "/") e.OpRounded(Opcode::kDiv, out, left, right, vm::RoundingMode::kDown);
  return out;
}

uint16_t Codegen::Call(Emitter& e, const contracts::Expr& expr, const ExprEnv& env) {
  if (expr.index >= 0) {
    std::vector<uint16_t> args;
    for (const auto& arg : expr.args)
      args.push_back(Expr(e, *arg, env));
    const GenFunction& callee = user_functions_[expr.index];
    std::vector<Type> types;
    for (uint16_t arg : args)
      types.push_back(e.TypeOf(arg));
    const uint16_t run = args.empty() ? 0 : e.Run(types);
    for (size_t i = 0; i < args.size(); ++i) {
      e.Op(Opcode::kMove, static_cast<uint16_t>(run + i), args[i]);
    }
    const uint16_t out = e.Temp(VmType(expr.type));
    e.Call(out, *callee.builder, callee.gas, run);
    return out;
  }
  const std::string& name = expr.text;
  if (name == "achieved") {
    const uint16_t status = GetInt(e, ConstKey(e, abi::kPrefixMilestone, expr.args[0]->text));
    const uint16_t out = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, out, status, e.Int(abi::kMilestoneAchieved));
    return out;
  }
  const uint16_t first = Expr(e, *expr.args[0], env);
  if (name == "length") {
    const uint16_t out = e.Temp(Type::kInt);
    e.Op(Opcode::kSlen, out, first);
    return out;
  }
  if (name == "min" || name == "max") {
    const uint16_t second = Expr(e, *expr.args[1], env);
    const uint16_t out = e.Temp(Type::kInt);
    e.Op(Opcode::kMove, out, first);
    const uint16_t replace = e.Temp(Type::kBool);
    e.Op(Opcode::kLt, replace, name == "min" ? second : first, name == "min" ? first : second);
    e.If(replace, [&] { e.Op(Opcode::kMove, out, second); });
    return out;
  }
  if (name == "days_between") {
    const uint16_t second = Expr(e, *expr.args[1], env);
    const uint16_t span = e.Temp(Type::kDuration);
    e.Op(Opcode::kTdiff, span, second, first);
    const uint16_t ms = e.Temp(Type::kInt);
    e.Op(Opcode::kDms, ms, span);
    const uint16_t out = e.Temp(Type::kInt);
    e.OpRounded(Opcode::kDiv, out, ms, e.Const(vm::Value::MakeInt(kMsPerDay)),
                vm::RoundingMode::kFloor);
    return out;
  }
  if (name == "visits_of") {
    return GetInt(e, Key(e, abi::Key(abi::kPrefixCounter, "visit/"), first));
  }
  if (name == "site_active") {
    const uint16_t status = GetInt(e, Key(e, abi::kPrefixSite, first));
    const uint16_t out = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, out, status, e.Int(abi::kSiteActive));
    return out;
  }
  if (name == "subject_enrolled") {
    // Enrolled at some point and not a screen failure: enrolled, randomized, withdrawn, completed.
    const uint16_t status = GetInt(e, Key(e, abi::kPrefixSubject, first));
    const uint16_t reached = e.Temp(Type::kBool);
    e.Op(Opcode::kLe, reached, e.Int(abi::kSubjectEnrolled), status);
    const uint16_t failed = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, failed, status, e.Int(abi::kSubjectScreenFailed));
    e.Op(Opcode::kNot, failed, failed);
    const uint16_t out = e.Temp(Type::kBool);
    e.Op(Opcode::kAnd, out, reached, failed);
    return out;
  }
  TL_UNREACHABLE(StrCat("built-in '", name, "' passed the checker but has no code"));
}

void Codegen::Statements(Emitter& e, const std::vector<Stmt>& body,
                         const std::vector<uint16_t>& slots) {
  ExprEnv env;
  env.locals = &slots;
  for (const Stmt& stmt : body) {
    Emitter::TempScope scope(e);
    switch (stmt.kind) {
      case Stmt::Kind::kLet:
      case Stmt::Kind::kAssign:
        e.Op(Opcode::kMove, slots[stmt.slot], Expr(e, *stmt.value, env));
        break;
      case Stmt::Kind::kIf:
        e.If(
            Expr(e, *stmt.value, env), [&] { Statements(e, stmt.body, slots); },
            [&] { Statements(e, stmt.else_body, slots); });
        break;
      case Stmt::Kind::kFor: {
        const uint16_t count = e.Int(stmt.to - stmt.from);
        e.For(count, stmt.to - stmt.from, [&](uint16_t i) {
          e.Op(Opcode::kAdd, slots[stmt.slot], i, e.Int(stmt.from));
          Statements(e, stmt.body, slots);
        });
        break;
      }
      case Stmt::Kind::kReturn:
        e.Op(Opcode::kRet, Expr(e, *stmt.value, env));
        break;
    }
  }
}

void Codegen::GenerateUserFunction(size_t index) {
  const FunctionDecl& decl = file_.functions[index];
  std::vector<Type> params;
  for (const Param& param : decl.params)
    params.push_back(VmType(param.type));
  vm::FunctionBuilder& builder =
      module_.AddFunction(StrCat("sow_", decl.name), params, VmType(decl.result));
  Emitter e(module_, builder, params);
  std::vector<uint16_t> slots;
  for (size_t slot = 0; slot < decl.slot_types.size(); ++slot) {
    slots.push_back(slot < params.size() ? builder.Param(static_cast<uint16_t>(slot))
                                         : e.Fixed(VmType(decl.slot_types[slot])));
  }
  Statements(e, decl.body, slots);
  user_functions_.push_back(GenFunction{&builder, e.worst_case_gas()});
}

}  // namespace tl::contracts
