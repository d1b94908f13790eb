// Module → assembly text that Assemble accepts again: registers r0.., constants $c0..,
// shapes s0.., jump targets L<index>, functions f0...
#include <set>

#include "trialledger/base/str_cat.h"
#include "trialledger/vm/assembler.h"
#include "trialledger/vm/value_codec.h"

namespace tl::vm {
namespace {

std::string Quoted(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : data) {
    if (c == '"' || c == '\\') {
      StrAppend(&out, '\\', static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      StrAppend(&out, "\\x", kDigits[c >> 4], kDigits[c & 15]);
    }
  }
  return out + "\"";
}

std::string Literal(const Value& value) {
  switch (value.type()) {
    case Type::kBool:
      return value.AsBool() ? "true" : "false";
    case Type::kInt:
      return StrCat(value.AsInt());
    case Type::kTime:
      return StrCat(value.AsTimeMs());
    case Type::kDuration:
      return StrCat(value.AsDurationMs(), "ms");
    case Type::kMoney:
      return StrCat(value.MoneyCurrency().code(), ":", value.MoneyMinor().str());
    case Type::kRational:
      return StrCat(value.RationalNumerator().str(), "/", value.RationalDenominator().str());
    case Type::kString:
    case Type::kBytes:
      return Quoted(value.AsString());
    default:
      return "?";
  }
}

}  // namespace

std::string Disassemble(const Module& module) {
  std::string out;
  for (size_t i = 0; i < module.constants.size(); ++i) {
    const Constant& c = module.constants[i];
    if (c.shape != nullptr) {
      StrAppend(&out, ".shape s", i);
      for (const std::string& name : *c.shape)
        StrAppend(&out, " ", name);
    } else {
      StrAppend(&out, ".const c", i, " ", TypeName(c.value.type()), " ", Literal(c.value));
    }
    out += "\n";
  }
  for (size_t f = 0; f < module.functions.size(); ++f) {
    const Function& function = module.functions[f];
    StrAppend(&out, ".func f", f);
    for (size_t p = 0; p < function.param_count && p < function.register_types.size(); ++p) {
      StrAppend(&out, " r", p, ":", TypeName(function.register_types[p]));
    }
    StrAppend(&out, " -> ", TypeName(function.result_type), "\n");
    if (function.register_types.size() > function.param_count) {
      out += ".reg";
      for (size_t r = function.param_count; r < function.register_types.size(); ++r) {
        StrAppend(&out, " r", r, ":", TypeName(function.register_types[r]));
      }
      out += "\n";
    }
    std::set<uint16_t> targets;
    for (const Instruction& in : function.code) {
      if (in.op < Opcode::kCount && GetOpcodeInfo(in.op).c == OperandKind::kTarget) {
        targets.insert(in.c);
      }
    }
    for (size_t pc = 0; pc < function.code.size(); ++pc) {
      if (targets.contains(pc)) StrAppend(&out, "L", pc, ":\n");
      const Instruction& in = function.code[pc];
      if (in.op >= Opcode::kCount) {
        StrAppend(&out, "  ; invalid opcode ", static_cast<int>(in.op), "\n");
        continue;
      }
      const OpcodeInfo& info = GetOpcodeInfo(in.op);
      StrAppend(&out, "  ", info.mnemonic);
      if (in.mode != 0 && IsValidRoundingMode(in.mode)) {
        StrAppend(&out, ".", RoundingModeName(static_cast<RoundingMode>(in.mode)));
      }
      const OperandKind kinds[3] = {info.a, info.b, info.c};
      const uint16_t values[3] = {in.a, in.b, in.c};
      for (int s = 0; s < 3; ++s) {
        switch (kinds[s]) {
          case OperandKind::kNone:
            continue;
          case OperandKind::kTarget:
            StrAppend(&out, " L", values[s]);
            break;
          case OperandKind::kImmSigned:
            StrAppend(&out, " ", static_cast<int16_t>(values[s]));
            break;
          case OperandKind::kImmUnsigned:
            StrAppend(&out, " ", values[s]);
            break;
          case OperandKind::kFunction:
            StrAppend(&out, " f", values[s]);
            break;
          case OperandKind::kConstShape:
            StrAppend(&out, " s", values[s]);
            break;
          case OperandKind::kConstOfA:
          case OperandKind::kConstString:
            StrAppend(&out, " $c", values[s]);
            break;
          default:
            StrAppend(&out, " r", values[s]);
            break;
        }
      }
      out += "\n";
    }
    out += ".end\n";
  }
  for (const EntryPoint& entry : module.entry_points) {
    StrAppend(&out, ".entry ", entry.name, " f", entry.function, "\n");
  }
  return out;
}

}  // namespace tl::vm
