#include <sodium.h>

#include <memory>

#include "byte_io.h"
#include "object.h"
#include "ops.h"
#include "program.h"
#include "run.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/value_codec.h"
#include "trialledger/vm/vm.h"

namespace tl::vm {
namespace {

using internal::LinkedFunction;

std::array<uint8_t, 32> HashEvents(const std::vector<Event>& events) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  for (const Event& event : events) {
    std::string bytes;
    AppendLittleEndian<uint32_t>(event.name.size(), &bytes);
    bytes.append(event.name);
    bytes.append(EncodeValue(event.fields));
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
  }
  std::array<uint8_t, 32> hash;
  crypto_generichash_final(&state, hash.data(), hash.size());
  return hash;
}

absl::Status CheckArguments(const LinkedFunction& function, std::span<const Value> args,
                            std::string_view entry) {
  if (args.size() != function.param_count) {
    return absl::InvalidArgumentError(StrCat(
        "entry point '", entry, "' takes ", function.param_count, " arguments, got ", args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type() != function.register_types[i]) {
      return absl::InvalidArgumentError(StrCat("entry point '", entry, "' argument ", i,
                                               " must be a ", TypeName(function.register_types[i]),
                                               ", got a ", TypeName(args[i].type())));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string HashHex(const std::array<uint8_t, 32>& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : hash) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

absl::StatusOr<ExecutionResult> Execute(const Program& program, std::string_view entry,
                                        std::span<const Value> args, Host& host,
                                        const ExecuteOptions& options) {
  const int64_t function_index = program.FindEntryPoint(entry);
  if (function_index < 0) {
    return absl::NotFoundError(StrCat("the contract has no entry point '", entry, "'"));
  }
  if (options.gas_limit < 0 || options.gas_limit > kGasPerRunMax) {
    return absl::InvalidArgumentError(
        StrCat("gas limit ", options.gas_limit, " outside 0..", kGasPerRunMax));
  }
  const LinkedFunction& function = ProgramAccess::Functions(program)[function_index];
  if (absl::Status s = CheckArguments(function, args, entry); !s.ok()) return s;
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");

  std::unique_ptr<Value[]> stack(new Value[function.stack_registers]);
  for (size_t i = 0; i < args.size(); ++i)
    stack[i] = args[i];
  for (size_t i = args.size(); i < function.register_types.size(); ++i) {
    stack[i] = Value::ZeroOf(function.register_types[i]);
  }

  internal::RunState state;
  state.host = &host;
  state.program = &program;
  int64_t gas_left = options.gas_limit;
  ExecutionResult result;
  uint32_t trap_function = 0, trap_pc = 0;
  result.trap = internal::RunInterpreter(state, function, stack.get(), &gas_left,
                                         options.count_instructions, &result.instructions,
                                         &result.return_value, &trap_function, &trap_pc);
  stack.reset();
  if (result.trap == internal::kHostFailure) return state.host_error;
  result.gas_used = options.gas_limit - std::max<int64_t>(gas_left, 0);
  if (!result.ok()) {
    result.message = state.message.empty() ? StrCat(TrapCodeName(result.trap), " at function ",
                                                    trap_function, " instruction ", trap_pc)
                                           : state.message;
    result.return_value = Value();
  } else {
    result.events = std::move(state.events);
    for (auto& [key, value] : state.writes) {
      result.writes.push_back(StorageWrite{key, std::move(value)});
    }
    if (!result.writes.empty()) {
      if (absl::Status s = host.CommitWrites(result.writes); !s.ok()) return s;
    }
  }
  result.events_hash = HashEvents(result.events);
  return result;
}

}  // namespace tl::vm
