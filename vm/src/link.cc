#include "trialledger/base/check.h"

#include "program.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/vm.h"

namespace tl::vm {
namespace {

using internal::LinkedFunction;
using internal::LinkedInstruction;

bool FallsThrough(Opcode op) {
  return (GetOpcodeInfo(op).rules & (kRuleJump | kRuleReturn | kRuleNoFallThrough)) == 0;
}

bool HasTarget(Opcode op) {
  return (GetOpcodeInfo(op).rules & (kRuleJump | kRuleBranch)) != 0;
}

LinkedFunction LinkFunction(const Function& function, uint32_t index, const VerifiedFacts& facts,
                            bool metered) {
  const size_t n = function.code.size();
  std::vector<bool> leader(n, false);
  leader[0] = true;
  for (size_t pc = 0; pc < n; ++pc) {
    const Instruction& in = function.code[pc];
    if (HasTarget(in.op)) leader[in.c] = true;
    if ((HasTarget(in.op) || !FallsThrough(in.op)) && pc + 1 < n) leader[pc + 1] = true;
  }
  // block_cost[pc] is the cost of the block that starts at leader pc.
  std::vector<uint32_t> block_cost(n, 0);
  for (size_t pc = n; pc-- > 0;) {
    const uint32_t next = (pc + 1 < n && !leader[pc + 1]) ? block_cost[pc + 1] : 0;
    block_cost[pc] = GetOpcodeInfo(function.code[pc].op).static_gas + next;
  }
  LinkedFunction linked;
  linked.index = index;
  linked.register_types = function.register_types;
  linked.param_count = function.param_count;
  linked.entry_gas = metered ? block_cost[0] : 0;
  linked.stack_registers = facts.stack_registers[index];
  linked.call_depth = facts.call_depth[index];
  for (size_t r = 0; r < function.register_types.size(); ++r) {
    if (IsHeapType(function.register_types[r])) linked.heap_registers.push_back(r);
  }
  std::vector<uint16_t> linked_pc(n);
  for (size_t pc = 0; pc < n; ++pc) {
    if (metered && leader[pc] && pc > 0 && FallsThrough(function.code[pc - 1].op)) {
      linked.code.push_back({internal::kGasOpcode, 0, 0, 0, 0, 0, block_cost[pc]});
      linked.module_pc.push_back(pc);
    }
    const Instruction& in = function.code[pc];
    linked_pc[pc] = linked.code.size();
    linked.code.push_back({static_cast<uint8_t>(in.op), in.mode, in.a, in.b, in.c, 0, 0});
    linked.module_pc.push_back(pc);
  }
  // At most one inserted instruction per module instruction, so indices fit 16 bits
  // (kInstructionsPerFunctionMax is 32767).
  TL_CHECK(linked.code.size() <= 65535);
  for (size_t index = 0; index < linked.code.size(); ++index) {
    LinkedInstruction& in = linked.code[index];
    if (in.op != internal::kGasOpcode && HasTarget(static_cast<Opcode>(in.op))) {
      in.gas = metered ? block_cost[in.c] : 0;
      in.jump = static_cast<int32_t>(linked_pc[in.c]) - static_cast<int32_t>(index);
    }
  }
  return linked;
}

}  // namespace

Program::~Program() = default;

int64_t Program::FindEntryPoint(std::string_view name) const {
  auto it = entry_points_.find(name);
  return it == entry_points_.end() ? -1 : int64_t{it->second};
}

absl::StatusOr<std::shared_ptr<const Program>> LinkProgram(Module module,
                                                           const VerifiedFacts& facts,
                                                           const LoadOptions& options) {
  std::shared_ptr<Program> program(new Program());
  program->metered_ = options.metering;
  for (const Constant& constant : module.constants) {
    // Shape constants are only read by RECNEW through the module; keep indices aligned.
    program->constants_.push_back(constant.value);
  }
  for (size_t f = 0; f < module.functions.size(); ++f) {
    program->functions_.push_back(LinkFunction(module.functions[f], f, facts, options.metering));
  }
  for (const EntryPoint& entry : module.entry_points) {
    program->entry_points_.emplace(entry.name, entry.function);
  }
  program->module_ = std::move(module);
  return std::shared_ptr<const Program>(std::move(program));
}

absl::StatusOr<std::shared_ptr<const Program>> LoadProgram(Module module,
                                                           const LoadOptions& options) {
  VerifiedFacts facts;
  if (absl::Status s = Verify(module, &facts); !s.ok()) return s;
  return LinkProgram(std::move(module), facts, options);
}

absl::StatusOr<std::shared_ptr<const Program>> LoadProgram(std::string_view module_bytes,
                                                           const LoadOptions& options) {
  absl::StatusOr<Module> module = DecodeModule(module_bytes);
  if (!module.ok()) return module.status();
  return LoadProgram(*std::move(module), options);
}

}  // namespace tl::vm
