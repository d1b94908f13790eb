#include "program_generator.h"

#include <algorithm>
#include <vector>

namespace tl::vm::test {
namespace {

// Registers 0..kLayoutSize-1 of every function: each type twice, ints first so that parameters
// (a prefix of the layout) are mostly ints.
const std::vector<Type>& Layout() {
  static const std::vector<Type> layout = [] {
    std::vector<Type> types = {Type::kInt, Type::kInt, Type::kInt, Type::kBool};
    for (int round = 0; round < 2; ++round) {
      for (uint8_t t = 1; t < kTypeCount; ++t)
        types.push_back(static_cast<Type>(t));
    }
    return types;
  }();
  return layout;
}

class Generator {
 public:
  explicit Generator(uint64_t seed, uint32_t max_instructions)
      : random_(seed), max_instructions_(max_instructions) {}

  Module Run() {
    Module module;
    AddConstants(&module);
    const uint32_t function_count = 1 + random_.Below(4);
    for (uint32_t f = 0; f < function_count; ++f) {
      Function function;
      function.register_types = Layout();
      function.param_count = f == 0 ? 0 : random_.Below(4);
      function.result_type =
          random_.Below(3) == 0 ? Type::kNone : Layout()[random_.Below(Layout().size())];
      module.functions.push_back(std::move(function));
    }
    for (uint32_t f = 0; f < function_count; ++f)
      FillCode(&module, f);
    module.entry_points.push_back({"main", 0});
    return module;
  }

 private:
  // Each random draw is its own statement: the order in which a compiler evaluates function
  // arguments is unspecified, and the differential test compares two compilers.
  void AddConstants(Module* module) {
    const auto add = [&](Value v) { module->constants.push_back({std::move(v), nullptr}); };
    add(Value::MakeBool(true));
    const uint64_t bits = random_.Next();
    add(Value::MakeInt(static_cast<int64_t>(bits >> random_.Below(64))));
    add(Value::MakeInt(-static_cast<int64_t>(random_.Below(1000))));
    const char* currency = random_.Below(2) ? "USD" : "EUR";
    add(*Value::MakeMoney(currency, Amount(random_.Below(1'000'000))));
    const Amount high(random_.Next() >> 8);
    const Amount low(random_.Next() >> 24);
    add(*Value::MakeMoney("USD", high * low));
    const Amount numerator = Amount(random_.Below(100)) - 50;
    const Amount denominator(1 + random_.Below(12));
    add(*Value::MakeRational(numerator, denominator));
    add(Value::MakeTime(1'700'000'000'000 + static_cast<int64_t>(random_.Below(1'000'000'000))));
    add(Value::MakeDuration(static_cast<int64_t>(random_.Below(86'400'000))));
    add(*Value::MakeString(random_.Below(2) ? "USD" : "milestone"));
    add(*Value::MakeString("event_name"));
    add(*Value::MakeBytes(std::string(1 + random_.Below(8), 'k')));
    module->constants.push_back({Value(), std::make_shared<RecordShape>(RecordShape{"a", "b"})});
  }

  uint16_t RegisterOf(Type type) {
    std::vector<uint16_t> matches;
    for (size_t r = 0; r < Layout().size(); ++r) {
      if (Layout()[r] == type) matches.push_back(r);
    }
    return matches[random_.Below(matches.size())];
  }
  uint16_t AnyRegister() { return random_.Below(Layout().size()); }
  uint16_t RegisterWhere(bool (*predicate)(Type)) {
    for (;;) {
      const uint16_t r = AnyRegister();
      if (predicate(Layout()[r])) return r;
    }
  }
  static bool IsConstantType(Type t) { return t >= Type::kBool && t <= Type::kBytes; }

  uint16_t ConstantOf(const Module& module, Type type) {
    std::vector<uint16_t> matches;
    for (size_t c = 0; c < module.constants.size(); ++c) {
      if (module.constants[c].shape == nullptr && module.constants[c].value.type() == type) {
        matches.push_back(c);
      }
    }
    return matches[random_.Below(matches.size())];
  }

  Instruction RandomInstruction(const Module& module, uint32_t f, uint32_t length) {
    for (;;) {
      const Opcode op = static_cast<Opcode>(random_.Below(static_cast<uint8_t>(Opcode::kCount)));
      const OpcodeInfo& info = GetOpcodeInfo(op);
      if (op == Opcode::kRet || op == Opcode::kRetv) continue;  // placed at the end
      if (op == Opcode::kCall && f + 1 >= module.functions.size()) continue;
      Instruction in{op};
      if (info.rules & kRuleRounding) in.mode = 1 + random_.Below(6);
      const OperandKind kinds[3] = {info.a, info.b, info.c};
      uint16_t* slots[3] = {&in.a, &in.b, &in.c};
      for (int s = 0; s < 3; ++s) {
        const Type type = RegisterTypeOf(kinds[s]);
        if (type != Type::kNone) {
          *slots[s] = RegisterOf(type);
          continue;
        }
        switch (kinds[s]) {
          case OperandKind::kRegAny:
            *slots[s] = AnyRegister();
            break;
          case OperandKind::kRegKey:
            *slots[s] = RegisterWhere(IsKeyType);
            break;
          case OperandKind::kTarget:
            *slots[s] = random_.Below(length);
            break;
          case OperandKind::kImmSigned:
            *slots[s] = static_cast<uint16_t>(random_.Next());
            break;
          case OperandKind::kImmUnsigned:
            *slots[s] = (info.rules & kRuleBoolImm) ? random_.Below(2) : random_.Below(3);
            break;
          case OperandKind::kConstString:
            *slots[s] = ConstantOf(module, Type::kString);
            break;
          case OperandKind::kConstShape:
            *slots[s] = module.constants.size() - 1;
            break;
          default:
            break;  // kConstOfA, call operands: below
        }
      }
      if (info.b == OperandKind::kConstOfA) {
        in.a = RegisterWhere(IsConstantType);
        in.b = ConstantOf(module, Layout()[in.a]);
      }
      if (info.rules & kRuleSameTypeAB) in.b = RegisterOf(Layout()[in.a]);
      if (info.rules & kRuleOrderedBC) in.b = RegisterWhere(IsOrderedType);
      if (info.rules & kRuleSameTypeBC) in.c = RegisterOf(Layout()[in.b]);
      if (info.rules & kRuleSameTypeAC) in.c = RegisterOf(Layout()[in.a]);
      if (op == Opcode::kCall) {
        in.b = f + 1 + random_.Below(module.functions.size() - f - 1);
        const Type result = module.functions[in.b].result_type;
        in.a = result == Type::kNone ? 0 : RegisterOf(result);
        in.c = 0;  // the shared layout: arguments are the callee's own parameter types
      }
      if (op == Opcode::kRecnew) in.c = random_.Below(Layout().size() - 1);
      return in;
    }
  }

  // Gives every non-parameter register a value so that generated code reaches past its first
  // few instructions: constants for scalar registers, one element for collections.
  void Prologue(const Module& module, Function* function) {
    const auto& layout = Layout();
    for (uint16_t r = function->param_count; r < layout.size(); ++r) {
      if (IsConstantType(layout[r])) {
        function->code.push_back({Opcode::kLoadk, 0, r, ConstantOf(module, layout[r])});
      }
    }
    const uint16_t an_int = RegisterOf(Type::kInt);
    for (uint16_t r = function->param_count; r < layout.size(); ++r) {
      if (layout[r] == Type::kList) function->code.push_back({Opcode::kLpush, 0, r, an_int});
      if (layout[r] == Type::kMap) {
        function->code.push_back({Opcode::kMapput, 0, r, an_int, AnyRegister()});
      }
      if (layout[r] == Type::kRecord) {
        function->code.push_back({Opcode::kRecnew, 0, r,
                                  static_cast<uint16_t>(module.constants.size() - 1),
                                  static_cast<uint16_t>(random_.Below(layout.size() - 1))});
      }
    }
  }

  void FillCode(Module* module, uint32_t f) {
    Function& function = module->functions[f];
    Prologue(*module, &function);
    const uint32_t length = function.code.size() + 1 + random_.Below(max_instructions_);
    while (function.code.size() + 1 < length) {
      const Instruction in = RandomInstruction(*module, f, length);
      // Unconditional failures end most runs at once; keep a few of them.
      const bool always_fails = in.op == Opcode::kAbort || in.op == Opcode::kReqrole ||
                                in.op == Opcode::kReqparty || in.op == Opcode::kCheck;
      if (always_fails && random_.Below(4) != 0) continue;
      function.code.push_back(in);
    }
    if (function.result_type == Type::kNone) {
      function.code.push_back({Opcode::kRetv});
    } else {
      function.code.push_back({Opcode::kRet, 0, RegisterOf(function.result_type)});
    }
  }

  Random random_;
  uint32_t max_instructions_;
};

}  // namespace

Module GenerateModule(uint64_t seed, uint32_t max_instructions) {
  return Generator(seed, max_instructions).Run();
}

}  // namespace tl::vm::test
