// The interpreter's out-of-line instructions: everything beyond int, bool and control flow.
// Each takes the run's state, the current frame's registers and the instruction; it returns
// TrapCode::kNone to continue or the trap that stops the run, and adds any dynamic gas (money
// width, bytes, collection sizes) to `state.pending_gas`, which the interpreter charges right
// after the call. Operand types were verified, so registers are read without checks.
#ifndef TRIALLEDGER_VM_SRC_OPS_H_
#define TRIALLEDGER_VM_SRC_OPS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "program.h"
#include "trialledger/vm/host.h"
#include "trialledger/vm/vm.h"

namespace tl::vm::internal {

// Returned by host ops when the Host itself failed; `RunState::host_error` says why.
inline constexpr TrapCode kHostFailure = static_cast<TrapCode>(255);

struct RunState {
  Host* host = nullptr;
  const Program* program = nullptr;
  uint64_t pending_gas = 0;
  std::string message;  // set by an op that traps with a specific message
  absl::Status host_error;
  std::map<std::string, std::optional<std::string>, std::less<>> writes;
  std::vector<Event> events;
};

using Op = TrapCode (*)(RunState& state, Value* r, const LinkedInstruction& in);

#define TL_VM_DECLARE_OP(name) \
  TrapCode Op_##name(RunState& state, Value* r, const LinkedInstruction& in);

// clang-format off
#define TL_VM_SLOW_OPS(X)                                                                     \
  X(kMove) X(kLoadk) X(kEqv) X(kLtv) X(kMnew) X(kMadd) X(kMsub) X(kMneg) X(kMmul) X(kMdiv)    \
  X(kMmulr) X(kMratio) X(kMamount) X(kMcur) X(kMalloc) X(kRnew) X(kRadd) X(kRsub) X(kRmul)    \
  X(kRdiv) X(kRneg) X(kRround) X(kScat) X(kSlen) X(kBcat) X(kBlen) X(kStob) X(kItos)          \
  X(kRecnew) X(kRecget) X(kRecset) X(kLnew) X(kLpush) X(kLget) X(kLset) X(kLlen) X(kMapnew)    \
  X(kMapput) X(kMapget) X(kMaphas) X(kMapdel) X(kMaplen) X(kMapkey) X(kMapval) X(kSget)        \
  X(kSput) X(kSdel) X(kPayload) X(kDecode) X(kEncode) X(kHeight) X(kBtime) X(kCaller) X(kCorg) \
  X(kHasrole) X(kReqrole) X(kReqparty) X(kEmit) X(kCheck) X(kAbort)
// clang-format on

TL_VM_SLOW_OPS(TL_VM_DECLARE_OP)
#undef TL_VM_DECLARE_OP

// Helpers shared by the op files.
TrapCode SetString(Type type, std::string data, Value& out);  // kLimitExceeded if too long
uint64_t BytesGas(size_t bytes);  // dynamic cost of touching `bytes` bytes

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_OPS_H_
