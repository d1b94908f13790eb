#include "trialledger/vm/verifier.h"

#include <algorithm>
#include <set>

#include "trialledger/base/str_cat.h"

namespace tl::vm {
namespace {

bool IsConstantType(Type type) {
  return type >= Type::kBool && type <= Type::kBytes;
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kNameBytesMax) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

class ModuleVerifier {
 public:
  explicit ModuleVerifier(const Module& module) : module_(module), offsets_(CodeOffsets(module)) {}

  absl::Status Run(VerifiedFacts* facts) {
    if (module_.format_version != kFormatVersion ||
        module_.gas_schedule_version != kGasScheduleVersion) {
      return Fault("unsupported format or gas schedule version");
    }
    if (module_.constants.size() > kConstantsMax || module_.functions.size() > kFunctionsMax ||
        module_.entry_points.size() > kEntryPointsMax) {
      return Fault("more constants, functions or entry points than limits.h allows");
    }
    if (absl::Status s = Constants(); !s.ok()) return s;
    for (size_t f = 0; f < module_.functions.size(); ++f) {
      if (absl::Status s = Header(f); !s.ok()) return s;
    }
    callees_.resize(module_.functions.size());
    for (size_t f = 0; f < module_.functions.size(); ++f) {
      if (absl::Status s = Code(f); !s.ok()) return s;
    }
    if (absl::Status s = CallGraph(facts); !s.ok()) return s;
    return EntryPoints();
  }

 private:
  absl::Status Constants() {
    for (size_t i = 0; i < module_.constants.size(); ++i) {
      const Constant& constant = module_.constants[i];
      if (constant.shape != nullptr) {
        std::set<std::string_view> seen;
        for (const std::string& name : *constant.shape) {
          if (!IsValidName(name) || !seen.insert(name).second) {
            return Fault(
                StrCat("constant ", i, ": record field name '", name, "' is invalid or repeated"));
          }
        }
        if (constant.shape->size() > kRecordFieldsMax) {
          return Fault(StrCat("constant ", i, ": record shape has too many fields"));
        }
      } else if (!IsConstantType(constant.value.type())) {
        return Fault(StrCat("constant ", i, ": a ", TypeName(constant.value.type()),
                            " cannot be a constant"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Header(size_t f) {
    const Function& function = module_.functions[f];
    const std::string where = StrCat("function ", f, ": ");
    if (function.register_types.size() > kRegistersPerFunctionMax) {
      return Fault(StrCat(where, function.register_types.size(),
                          " registers exceed kRegistersPerFunctionMax"));
    }
    if (function.param_count > kParamsPerFunctionMax ||
        function.param_count > function.register_types.size()) {
      return Fault(StrCat(where, function.param_count,
                          " parameters exceed the registers or kParamsPerFunctionMax"));
    }
    for (size_t r = 0; r < function.register_types.size(); ++r) {
      if (!IsValidType(static_cast<uint8_t>(function.register_types[r]))) {
        return Fault(StrCat(where, "register ", r, " has invalid type ",
                            static_cast<int>(function.register_types[r])));
      }
    }
    if (function.result_type != Type::kNone &&
        !IsValidType(static_cast<uint8_t>(function.result_type))) {
      return Fault(StrCat(where, "invalid result type"));
    }
    if (function.code.empty()) return Fault(StrCat(where, "has no instructions"));
    if (function.code.size() > kInstructionsPerFunctionMax) {
      return Fault(StrCat(where, "more instructions than kInstructionsPerFunctionMax"));
    }
    return absl::OkStatus();
  }

  absl::Status Code(size_t f) {
    const Function& function = module_.functions[f];
    for (size_t pc = 0; pc < function.code.size(); ++pc) {
      if (absl::Status s = Instruction(f, pc); !s.ok()) return s;
    }
    const vm::Instruction& last = function.code.back();
    const uint16_t rules = GetOpcodeInfo(last.op).rules;
    if ((rules & (kRuleJump | kRuleReturn | kRuleNoFallThrough)) == 0) {
      return At(f, function.code.size() - 1,
                "the last instruction must be jmp, ret, retv or abort so execution cannot run "
                "off the end of the function");
    }
    return absl::OkStatus();
  }

  absl::Status Instruction(size_t f, size_t pc) {
    const Function& function = module_.functions[f];
    const vm::Instruction& in = function.code[pc];
    if (in.op >= Opcode::kCount) {
      return At(f, pc, StrCat("unknown opcode ", static_cast<int>(in.op)));
    }
    const OpcodeInfo& info = GetOpcodeInfo(in.op);
    if (info.rules & kRuleRounding) {
      if (!IsValidRoundingMode(in.mode)) {
        return At(
            f, pc,
            StrCat(info.mnemonic, " needs a rounding mode 1..6, got ", static_cast<int>(in.mode)));
      }
    } else if (in.mode != 0) {
      return At(f, pc, StrCat(info.mnemonic, " takes no rounding mode"));
    }
    const uint16_t operands[3] = {in.a, in.b, in.c};
    const OperandKind kinds[3] = {info.a, info.b, info.c};
    for (int slot = 0; slot < 3; ++slot) {
      if (absl::Status s = Operand(f, pc, slot, kinds[slot], operands[slot]); !s.ok()) return s;
    }
    auto type = [&](uint16_t reg) { return function.register_types[reg]; };
    if ((info.rules & kRuleSameTypeAB) && type(in.a) != type(in.b)) {
      return At(f, pc, "operands a and b must have the same type");
    }
    if ((info.rules & kRuleSameTypeBC) && type(in.b) != type(in.c)) {
      return At(f, pc, "operands b and c must have the same type");
    }
    if ((info.rules & kRuleSameTypeAC) && type(in.a) != type(in.c)) {
      return At(f, pc, "operands a and c must have the same type");
    }
    if ((info.rules & kRuleOrderedBC) && !IsOrderedType(type(in.b))) {
      return At(f, pc, StrCat("a ", TypeName(type(in.b)), " has no order"));
    }
    if ((info.rules & kRuleBoolImm) && in.b > 1) return At(f, pc, "boolean immediate must be 0/1");
    if (in.op == Opcode::kRet) {
      if (function.result_type == Type::kNone || type(in.a) != function.result_type) {
        return At(f, pc, "ret register type differs from the function's result type");
      }
    }
    if (in.op == Opcode::kRetv && function.result_type != Type::kNone) {
      return At(f, pc, "retv in a function that declares a result");
    }
    if (info.rules & kRuleCall) return Call(f, pc);
    if (info.rules & kRuleRecordNew) {
      const size_t fields = module_.constants[in.b].shape->size();
      if (in.c + fields > function.register_types.size()) {
        return At(f, pc, "record fields run past the last register");
      }
    }
    return absl::OkStatus();
  }

  absl::Status Operand(size_t f, size_t pc, int slot, OperandKind kind, uint16_t raw) {
    const Function& function = module_.functions[f];
    const char name = static_cast<char>('a' + slot);
    const size_t registers = function.register_types.size();
    auto register_in_range = [&]() -> absl::Status {
      if (raw >= registers) {
        return At(f, pc,
                  StrCat("operand ", std::string(1, name), ": register ", raw,
                         " out of range (function has ", registers, ")"));
      }
      return absl::OkStatus();
    };
    switch (kind) {
      case OperandKind::kNone:
        if (raw != 0)
          return At(f, pc, StrCat("operand ", std::string(1, name), " unused but not 0"));
        return absl::OkStatus();
      case OperandKind::kRegAny:
        return register_in_range();
      case OperandKind::kRegKey: {
        if (absl::Status s = register_in_range(); !s.ok()) return s;
        if (!IsKeyType(function.register_types[raw])) {
          return At(f, pc,
                    StrCat("a ", TypeName(function.register_types[raw]), " cannot be a map key"));
        }
        return absl::OkStatus();
      }
      case OperandKind::kRegCallResult:
      case OperandKind::kRegRun:
      case OperandKind::kImmSigned:
      case OperandKind::kImmUnsigned:
        return absl::OkStatus();  // checked with their instruction's rule
      case OperandKind::kTarget:
        if (raw >= function.code.size()) {
          return At(f, pc,
                    StrCat("jump target ", raw, " outside the function (", function.code.size(),
                           " instructions)"));
        }
        return absl::OkStatus();
      case OperandKind::kFunction:
        if (raw >= module_.functions.size()) {
          return At(f, pc,
                    StrCat("call of function ", raw, ", module has ", module_.functions.size()));
        }
        return absl::OkStatus();
      case OperandKind::kConstOfA:
      case OperandKind::kConstString:
      case OperandKind::kConstShape: {
        if (raw >= module_.constants.size()) {
          return At(f, pc,
                    StrCat("constant ", raw, " out of range (module has ", module_.constants.size(),
                           ")"));
        }
        const Constant& constant = module_.constants[raw];
        if (kind == OperandKind::kConstShape) {
          if (constant.shape == nullptr) return At(f, pc, "constant is not a record shape");
          return absl::OkStatus();
        }
        const Type wanted = kind == OperandKind::kConstString
                                ? Type::kString
                                : function.register_types[function.code[pc].a];
        if (constant.shape != nullptr || constant.value.type() != wanted) {
          return At(f, pc, StrCat("constant ", raw, " is not a ", TypeName(wanted)));
        }
        if (kind == OperandKind::kConstString && !IsValidName(constant.value.AsString())) {
          return At(f, pc, "event name must be 1..64 characters of [A-Za-z0-9_.:-]");
        }
        return absl::OkStatus();
      }
      default: {
        if (absl::Status s = register_in_range(); !s.ok()) return s;
        const Type wanted = RegisterTypeOf(kind);
        if (function.register_types[raw] != wanted) {
          return At(f, pc,
                    StrCat("operand ", std::string(1, name), ": register ", raw, " is ",
                           TypeName(function.register_types[raw]), ", needs ", TypeName(wanted)));
        }
        return absl::OkStatus();
      }
    }
  }

  absl::Status Call(size_t f, size_t pc) {
    const Function& function = module_.functions[f];
    const vm::Instruction& in = function.code[pc];
    const Function& callee = module_.functions[in.b];
    if (in.c + callee.param_count > function.register_types.size()) {
      return At(f, pc, "call arguments run past the last register");
    }
    for (size_t p = 0; p < callee.param_count; ++p) {
      if (function.register_types[in.c + p] != callee.register_types[p]) {
        return At(f, pc,
                  StrCat("argument ", p, " is ", TypeName(function.register_types[in.c + p]),
                         ", function ", in.b, " takes ", TypeName(callee.register_types[p])));
      }
    }
    if (callee.result_type == Type::kNone) {
      if (in.a != 0) return At(f, pc, "call of a function without result must have a == 0");
    } else if (in.a >= function.register_types.size() ||
               function.register_types[in.a] != callee.result_type) {
      return At(f, pc, StrCat("call result register must be a ", TypeName(callee.result_type)));
    }
    callees_[f].push_back(in.b);
    return absl::OkStatus();
  }

  // Orders functions callees-first (Kahn's algorithm); a leftover function lies on a cycle.
  absl::Status CallGraph(VerifiedFacts* facts) {
    const size_t n = module_.functions.size();
    std::vector<uint32_t> pending_callees(n);
    std::vector<std::vector<uint32_t>> callers(n);
    for (size_t f = 0; f < n; ++f) {
      std::sort(callees_[f].begin(), callees_[f].end());
      callees_[f].erase(std::unique(callees_[f].begin(), callees_[f].end()), callees_[f].end());
      pending_callees[f] = callees_[f].size();
      for (uint32_t callee : callees_[f])
        callers[callee].push_back(f);
    }
    std::vector<uint32_t> ready;
    for (size_t f = 0; f < n; ++f) {
      if (pending_callees[f] == 0) ready.push_back(f);
    }
    VerifiedFacts local;
    local.stack_registers.assign(n, 0);
    local.call_depth.assign(n, 0);
    size_t done = 0;
    while (!ready.empty()) {
      const uint32_t f = ready.back();
      ready.pop_back();
      ++done;
      uint64_t stack = 0, depth = 0;
      for (uint32_t callee : callees_[f]) {
        stack = std::max<uint64_t>(stack, local.stack_registers[callee]);
        depth = std::max<uint64_t>(depth, local.call_depth[callee]);
      }
      stack += module_.functions[f].register_types.size();
      depth += 1;
      if (stack > kStackRegistersMax || depth > kCallDepthMax) {
        return Fault(StrCat("function ", f, " needs ", stack, " stack registers and ", depth,
                            " call frames; limits are ", kStackRegistersMax, " and ",
                            kCallDepthMax));
      }
      local.stack_registers[f] = static_cast<uint32_t>(stack);
      local.call_depth[f] = static_cast<uint32_t>(depth);
      for (uint32_t caller : callers[f]) {
        if (--pending_callees[caller] == 0) ready.push_back(caller);
      }
    }
    if (done != n) {
      for (size_t f = 0; f < n; ++f) {
        if (pending_callees[f] != 0) {
          return Fault(StrCat("function ", f, " is on a call cycle; recursion is not allowed"));
        }
      }
    }
    if (facts != nullptr) *facts = std::move(local);
    return absl::OkStatus();
  }

  absl::Status EntryPoints() {
    std::set<std::string_view> seen;
    for (const EntryPoint& entry : module_.entry_points) {
      if (!IsValidName(entry.name) || !seen.insert(entry.name).second) {
        return Fault(StrCat("entry point name '", entry.name, "' is invalid or repeated"));
      }
      if (entry.function >= module_.functions.size()) {
        return Fault(StrCat("entry point '", entry.name, "' names function ", entry.function,
                            ", module has ", module_.functions.size()));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Fault(absl::string_view what) const {
    return absl::InvalidArgumentError(StrCat("verifier: ", what));
  }
  absl::Status At(size_t f, size_t pc, absl::string_view what) const {
    return absl::InvalidArgumentError(StrCat("verifier: function ", f, " instruction ", pc,
                                             " (module byte offset ",
                                             offsets_[f] + pc * kInstructionBytes, "): ", what));
  }

  const Module& module_;
  std::vector<uint32_t> offsets_;
  std::vector<std::vector<uint32_t>> callees_;
};

}  // namespace

absl::Status Verify(const Module& module, VerifiedFacts* facts) {
  return ModuleVerifier(module).Run(facts);
}

}  // namespace tl::vm
