// The instruction set. Every instruction is 8 bytes: opcode, mode, and three 16-bit operands
// a, b, c. `mode` is a RoundingMode for the instructions that divide or round and 0 elsewhere.
// The table below is the single source of truth for operand kinds and static gas; the verifier,
// the assembler, the linker and docs/vm-bytecode.md all follow it.
//
// Operand kinds (what the verifier checks for a, b and c):
//   -     unused, must be 0            T     jump target: instruction index in the function
//   Rb    register of type bool        I     signed 16-bit immediate (two's complement)
//   Ri    int    Rm money   Rq rational U     unsigned 16-bit immediate (index, 0/1)
//   Rt    time   Rd duration            F     function index
//   Rs    string Ry bytes               K     constant of the type of register a
//   Rl    list   Rp map     Rr record   Ks    string constant (a name)
//   R*    any type                      Kh    record-shape constant
//   Rk    a map-key type (IsKeyType)    Rn    first of a run of registers (count from context)
//   Rc    result register of a CALL (type of the callee's result, 0 if it has none)
#ifndef TRIALLEDGER_VM_OPCODES_H_
#define TRIALLEDGER_VM_OPCODES_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "trialledger/vm/types.h"

namespace tl::vm {

enum class OperandKind : uint8_t {
  kNone,
  kRegBool,
  kRegInt,
  kRegMoney,
  kRegRational,
  kRegTime,
  kRegDuration,
  kRegString,
  kRegBytes,
  kRegList,
  kRegMap,
  kRegRecord,
  kRegAny,
  kRegKey,
  kRegCallResult,
  kRegRun,
  kTarget,
  kImmSigned,
  kImmUnsigned,
  kFunction,
  kConstOfA,
  kConstString,
  kConstShape,
};

// Cross-operand rules the per-operand kinds cannot express.
enum OpcodeRule : uint16_t {
  kRuleNone = 0,
  kRuleRounding = 1 << 0,       // mode is a RoundingMode
  kRuleSameTypeAB = 1 << 1,     // a and b registers have the same type
  kRuleSameTypeBC = 1 << 2,     // b and c registers have the same type
  kRuleSameTypeAC = 1 << 3,     // a and c registers have the same type
  kRuleOrderedBC = 1 << 4,      // b (and so c) has an ordered type (IsOrderedType)
  kRuleJump = 1 << 5,           // unconditional jump to c
  kRuleBranch = 1 << 6,         // conditional jump to c, else falls through
  kRuleReturn = 1 << 7,         // ends the function
  kRuleNoFallThrough = 1 << 8,  // always traps (ABORT)
  kRuleCall = 1 << 9,           // CALL: arguments are the run at c, counted by the callee
  kRuleRecordNew = 1 << 10,     // RECNEW: fields are the run at c, counted by the shape
  kRuleBoolImm = 1 << 11,       // U operand is 0 or 1
};

// X(NAME, "mnemonic", a, b, c, static_gas, rules)
// clang-format off
#define TL_VM_OPCODES(X)                                                                      \
  /* control */                                                                               \
  X(kNop, "nop", kNone, kNone, kNone, 1, kRuleNone)                                           \
  X(kJmp, "jmp", kNone, kNone, kTarget, 1, kRuleJump)                                         \
  X(kJt, "jt", kRegBool, kNone, kTarget, 1, kRuleBranch)                                      \
  X(kJf, "jf", kRegBool, kNone, kTarget, 1, kRuleBranch)                                      \
  X(kJlt, "jlt", kRegInt, kRegInt, kTarget, 1, kRuleBranch)                                   \
  X(kJle, "jle", kRegInt, kRegInt, kTarget, 1, kRuleBranch)                                   \
  X(kJeq, "jeq", kRegInt, kRegInt, kTarget, 1, kRuleBranch)                                   \
  X(kJne, "jne", kRegInt, kRegInt, kTarget, 1, kRuleBranch)                                   \
  X(kCall, "call", kRegCallResult, kFunction, kRegRun, 5, kRuleCall)                          \
  X(kRet, "ret", kRegAny, kNone, kNone, 1, kRuleReturn)                                       \
  X(kRetv, "retv", kNone, kNone, kNone, 1, kRuleReturn)                                       \
  /* moves and constants */                                                                   \
  X(kMove, "move", kRegAny, kRegAny, kNone, 1, kRuleSameTypeAB)                               \
  X(kLoadk, "loadk", kRegAny, kConstOfA, kNone, 1, kRuleNone)                                 \
  X(kLoadi, "loadi", kRegInt, kImmSigned, kNone, 1, kRuleNone)                                \
  X(kLoadb, "loadb", kRegBool, kImmUnsigned, kNone, 1, kRuleBoolImm)                          \
  /* checked 64-bit integers */                                                               \
  X(kAdd, "add", kRegInt, kRegInt, kRegInt, 1, kRuleNone)                                     \
  X(kSub, "sub", kRegInt, kRegInt, kRegInt, 1, kRuleNone)                                     \
  X(kMul, "mul", kRegInt, kRegInt, kRegInt, 2, kRuleNone)                                     \
  X(kDiv, "div", kRegInt, kRegInt, kRegInt, 3, kRuleRounding)                                 \
  X(kRem, "rem", kRegInt, kRegInt, kRegInt, 3, kRuleNone)                                     \
  X(kAddi, "addi", kRegInt, kRegInt, kImmSigned, 1, kRuleNone)                                \
  X(kNeg, "neg", kRegInt, kRegInt, kNone, 1, kRuleNone)                                       \
  X(kLt, "lt", kRegBool, kRegInt, kRegInt, 1, kRuleNone)                                      \
  X(kLe, "le", kRegBool, kRegInt, kRegInt, 1, kRuleNone)                                      \
  X(kEq, "eq", kRegBool, kRegInt, kRegInt, 1, kRuleNone)                                      \
  X(kNe, "ne", kRegBool, kRegInt, kRegInt, 1, kRuleNone)                                      \
  /* booleans and generic comparison */                                                       \
  X(kNot, "not", kRegBool, kRegBool, kNone, 1, kRuleNone)                                     \
  X(kAnd, "and", kRegBool, kRegBool, kRegBool, 1, kRuleNone)                                  \
  X(kOr, "or", kRegBool, kRegBool, kRegBool, 1, kRuleNone)                                    \
  X(kEqv, "eqv", kRegBool, kRegAny, kRegAny, 2, kRuleSameTypeBC)                              \
  X(kLtv, "ltv", kRegBool, kRegAny, kRegAny, 2, kRuleSameTypeBC | kRuleOrderedBC)             \
  /* money */                                                                                 \
  X(kMnew, "mnew", kRegMoney, kRegInt, kRegString, 3, kRuleNone)                              \
  X(kMadd, "madd", kRegMoney, kRegMoney, kRegMoney, 2, kRuleNone)                             \
  X(kMsub, "msub", kRegMoney, kRegMoney, kRegMoney, 2, kRuleNone)                             \
  X(kMneg, "mneg", kRegMoney, kRegMoney, kNone, 2, kRuleNone)                                 \
  X(kMmul, "mmul", kRegMoney, kRegMoney, kRegInt, 3, kRuleNone)                               \
  X(kMdiv, "mdiv", kRegMoney, kRegMoney, kRegInt, 4, kRuleRounding)                           \
  X(kMmulr, "mmulr", kRegMoney, kRegMoney, kRegRational, 6, kRuleRounding)                    \
  X(kMratio, "mratio", kRegRational, kRegMoney, kRegMoney, 6, kRuleNone)                      \
  X(kMamount, "mamount", kRegInt, kRegMoney, kNone, 1, kRuleNone)                             \
  X(kMcur, "mcur", kRegString, kRegMoney, kNone, 1, kRuleNone)                                \
  X(kMalloc, "malloc", kRegList, kRegMoney, kRegList, 10, kRuleNone)                          \
  /* exact rationals */                                                                       \
  X(kRnew, "rnew", kRegRational, kRegInt, kRegInt, 4, kRuleNone)                              \
  X(kRadd, "radd", kRegRational, kRegRational, kRegRational, 5, kRuleNone)                    \
  X(kRsub, "rsub", kRegRational, kRegRational, kRegRational, 5, kRuleNone)                    \
  X(kRmul, "rmul", kRegRational, kRegRational, kRegRational, 5, kRuleNone)                    \
  X(kRdiv, "rdiv", kRegRational, kRegRational, kRegRational, 5, kRuleNone)                    \
  X(kRneg, "rneg", kRegRational, kRegRational, kNone, 2, kRuleNone)                           \
  X(kRround, "rround", kRegInt, kRegRational, kNone, 4, kRuleRounding)                        \
  /* time and durations */                                                                    \
  X(kTadd, "tadd", kRegTime, kRegTime, kRegDuration, 1, kRuleNone)                            \
  X(kTdiff, "tdiff", kRegDuration, kRegTime, kRegTime, 1, kRuleNone)                          \
  X(kTday, "tday", kRegTime, kRegTime, kNone, 1, kRuleNone)                                   \
  X(kTms, "tms", kRegInt, kRegTime, kNone, 1, kRuleNone)                                      \
  X(kTfromms, "tfromms", kRegTime, kRegInt, kNone, 1, kRuleNone)                              \
  X(kDms, "dms", kRegInt, kRegDuration, kNone, 1, kRuleNone)                                  \
  X(kDfromms, "dfromms", kRegDuration, kRegInt, kNone, 1, kRuleNone)                          \
  /* strings and bytes */                                                                     \
  X(kScat, "scat", kRegString, kRegString, kRegString, 2, kRuleNone)                          \
  X(kSlen, "slen", kRegInt, kRegString, kNone, 1, kRuleNone)                                  \
  X(kBcat, "bcat", kRegBytes, kRegBytes, kRegBytes, 2, kRuleNone)                             \
  X(kBlen, "blen", kRegInt, kRegBytes, kNone, 1, kRuleNone)                                   \
  X(kStob, "stob", kRegBytes, kRegString, kNone, 2, kRuleNone)                                \
  X(kItos, "itos", kRegString, kRegInt, kNone, 2, kRuleNone)                                  \
  /* records, lists, maps */                                                                  \
  X(kRecnew, "recnew", kRegRecord, kConstShape, kRegRun, 3, kRuleRecordNew)                   \
  X(kRecget, "recget", kRegAny, kRegRecord, kImmUnsigned, 1, kRuleNone)                       \
  X(kRecset, "recset", kRegRecord, kImmUnsigned, kRegAny, 2, kRuleNone)                       \
  X(kLnew, "lnew", kRegList, kNone, kNone, 2, kRuleNone)                                      \
  X(kLpush, "lpush", kRegList, kRegAny, kNone, 2, kRuleNone)                                  \
  X(kLget, "lget", kRegAny, kRegList, kRegInt, 1, kRuleNone)                                  \
  X(kLset, "lset", kRegList, kRegInt, kRegAny, 2, kRuleNone)                                  \
  X(kLlen, "llen", kRegInt, kRegList, kNone, 1, kRuleNone)                                    \
  X(kMapnew, "mapnew", kRegMap, kNone, kNone, 2, kRuleNone)                                   \
  X(kMapput, "mapput", kRegMap, kRegKey, kRegAny, 4, kRuleNone)                               \
  X(kMapget, "mapget", kRegAny, kRegMap, kRegKey, 3, kRuleNone)                               \
  X(kMaphas, "maphas", kRegBool, kRegMap, kRegKey, 3, kRuleNone)                              \
  X(kMapdel, "mapdel", kRegMap, kRegKey, kNone, 4, kRuleNone)                                 \
  X(kMaplen, "maplen", kRegInt, kRegMap, kNone, 1, kRuleNone)                                 \
  X(kMapkey, "mapkey", kRegAny, kRegMap, kRegInt, 1, kRuleNone)                               \
  X(kMapval, "mapval", kRegAny, kRegMap, kRegInt, 1, kRuleNone)                               \
  /* host interface */                                                                        \
  X(kSget, "sget", kRegAny, kRegBytes, kRegAny, 50, kRuleSameTypeAC)                          \
  X(kSput, "sput", kRegBytes, kRegAny, kNone, 100, kRuleNone)                                 \
  X(kSdel, "sdel", kRegBytes, kNone, kNone, 50, kRuleNone)                                    \
  X(kPayload, "payload", kRegBytes, kNone, kNone, 5, kRuleNone)                               \
  X(kDecode, "decode", kRegAny, kRegBytes, kNone, 5, kRuleNone)                               \
  X(kEncode, "encode", kRegBytes, kRegAny, kNone, 5, kRuleNone)                               \
  X(kHeight, "height", kRegInt, kNone, kNone, 2, kRuleNone)                                   \
  X(kBtime, "btime", kRegTime, kNone, kNone, 2, kRuleNone)                                    \
  X(kCaller, "caller", kRegBytes, kNone, kNone, 2, kRuleNone)                                 \
  X(kCorg, "corg", kRegString, kNone, kNone, 2, kRuleNone)                                    \
  X(kHasrole, "hasrole", kRegBool, kRegString, kNone, 10, kRuleNone)                          \
  X(kReqrole, "reqrole", kRegString, kNone, kNone, 10, kRuleNone)                             \
  X(kReqparty, "reqparty", kRegString, kNone, kNone, 10, kRuleNone)                           \
  X(kEmit, "emit", kConstString, kRegRecord, kNone, 50, kRuleNone)                            \
  X(kCheck, "check", kRegBool, kRegString, kNone, 1, kRuleNone)                               \
  X(kAbort, "abort", kRegString, kNone, kNone, 1, kRuleNoFallThrough)
// clang-format on

enum class Opcode : uint8_t {
#define TL_VM_OPCODE_ENUM(name, mnemonic, a, b, c, gas, rules) name,
  TL_VM_OPCODES(TL_VM_OPCODE_ENUM)
#undef TL_VM_OPCODE_ENUM
      kCount
};

struct OpcodeInfo {
  std::string_view mnemonic;
  OperandKind a, b, c;
  uint32_t static_gas;
  uint16_t rules;
};

// REQUIRES: op < Opcode::kCount.
const OpcodeInfo& GetOpcodeInfo(Opcode op);
std::optional<Opcode> OpcodeFromMnemonic(std::string_view mnemonic);

// The value type a register operand of `kind` must hold; Type::kNone for non-register operands
// and for registers of any type.
Type RegisterTypeOf(OperandKind kind);

// One instruction as stored in a module.
struct Instruction {
  Opcode op = Opcode::kNop;
  uint8_t mode = 0;
  uint16_t a = 0, b = 0, c = 0;
  friend bool operator==(const Instruction&, const Instruction&) = default;
};
inline constexpr uint32_t kInstructionBytes = 8;

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_OPCODES_H_
