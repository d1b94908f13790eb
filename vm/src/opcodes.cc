#include "trialledger/vm/opcodes.h"

#include <array>
#include "trialledger/base/check.h"

namespace tl::vm {
namespace {

constexpr std::array<OpcodeInfo, static_cast<size_t>(Opcode::kCount)> kOpcodeTable = {{
#define TL_VM_OPCODE_INFO(name, mnemonic, a, b, c, gas, rules) \
  {mnemonic, OperandKind::a, OperandKind::b, OperandKind::c, gas, static_cast<uint16_t>(rules)},
    TL_VM_OPCODES(TL_VM_OPCODE_INFO)
#undef TL_VM_OPCODE_INFO
}};

}  // namespace

const OpcodeInfo& GetOpcodeInfo(Opcode op) {
  TL_CHECK(op < Opcode::kCount);
  return kOpcodeTable[static_cast<size_t>(op)];
}

std::optional<Opcode> OpcodeFromMnemonic(std::string_view mnemonic) {
  for (size_t i = 0; i < kOpcodeTable.size(); ++i) {
    if (kOpcodeTable[i].mnemonic == mnemonic) return static_cast<Opcode>(i);
  }
  return std::nullopt;
}

Type RegisterTypeOf(OperandKind kind) {
  switch (kind) {
    case OperandKind::kRegBool:
      return Type::kBool;
    case OperandKind::kRegInt:
      return Type::kInt;
    case OperandKind::kRegMoney:
      return Type::kMoney;
    case OperandKind::kRegRational:
      return Type::kRational;
    case OperandKind::kRegTime:
      return Type::kTime;
    case OperandKind::kRegDuration:
      return Type::kDuration;
    case OperandKind::kRegString:
      return Type::kString;
    case OperandKind::kRegBytes:
      return Type::kBytes;
    case OperandKind::kRegList:
      return Type::kList;
    case OperandKind::kRegMap:
      return Type::kMap;
    case OperandKind::kRegRecord:
      return Type::kRecord;
    default:
      return Type::kNone;
  }
}

}  // namespace tl::vm
