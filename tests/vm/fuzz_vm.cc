// libFuzzer target over everything that reads untrusted bytes in the VM. Inputs that start with
// the module magic go through decode → verify → link → run every entry point with a small gas
// cap; other inputs go through the value decoder. Beyond "no crash, hang or sanitizer report"
// it checks that decoding is canonical (re-encoding gives the input back) and that a trapped run
// leaves no writes and no events.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trialledger/vm/memory_host.h"
#include "trialledger/vm/value_codec.h"
#include "trialledger/vm/vm.h"

namespace {

using tl::vm::Value;

constexpr int64_t kFuzzGasLimit = 20'000;

void Require(bool condition) {
  if (!condition) std::abort();
}

void FuzzValue(std::string_view bytes) {
  absl::StatusOr<Value> value = tl::vm::DecodeValue(bytes);
  if (value.ok()) Require(tl::vm::EncodeValue(*value) == bytes);
}

void FuzzModule(std::string_view bytes) {
  absl::StatusOr<tl::vm::Module> module = tl::vm::DecodeModule(bytes);
  if (!module.ok()) return;
  Require(tl::vm::EncodeModule(*module) == bytes);
  absl::StatusOr<std::shared_ptr<const tl::vm::Program>> program =
      tl::vm::LoadProgram(*std::move(module));
  if (!program.ok()) return;
  for (const tl::vm::EntryPoint& entry : (*program)->module().entry_points) {
    const tl::vm::Function& function = (*program)->module().functions[entry.function];
    std::vector<Value> args;
    for (size_t p = 0; p < function.param_count; ++p) {
      args.push_back(Value::ZeroOf(function.register_types[p]));
    }
    tl::vm::MemoryHost host;
    host.payload = std::string(bytes.substr(bytes.size() / 2));
    host.storage["k"] = tl::vm::EncodeValue(Value::MakeInt(7));
    const auto storage_before = host.storage;
    absl::StatusOr<tl::vm::ExecutionResult> result =
        tl::vm::Execute(**program, entry.name, args, host, {.gas_limit = kFuzzGasLimit});
    Require(result.ok());
    Require(result->gas_used >= 0 && result->gas_used <= kFuzzGasLimit);
    if (!result->ok()) {
      Require(result->writes.empty() && result->events.empty());
      Require(host.storage == storage_before);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.starts_with(tl::vm::kModuleMagic)) {
    FuzzModule(bytes);
  } else {
    FuzzValue(bytes);
  }
  return 0;
}
