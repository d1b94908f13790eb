#include "trialledger/contracts/runtime.h"

#include "contract_host.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {
namespace {

using trialledger::v1::ContractMetadata;
using vm::Value;

RunResult Refused(std::string message) {
  RunResult result;
  result.accepted = false;
  result.message = std::move(message);
  return result;
}

absl::StatusOr<Value> ParameterValue(const trialledger::v1::Parameter& declared,
                                     std::string_view text, std::string_view currency) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        StrCat("parameter ", declared.name(), " (", declared.type(), "): ", why));
  };
  if (declared.type() == "int") {
    int64_t value = 0;
    bool negative = !text.empty() && text[0] == '-';
    std::string_view digits = negative ? text.substr(1) : text;
    if (digits.empty() || digits.size() > 18) return bad("expected a whole number");
    for (char c : digits) {
      if (c < '0' || c > '9') return bad("expected a whole number");
      value = value * 10 + (c - '0');
    }
    return Value::MakeInt(negative ? -value : value);
  }
  if (declared.type() == "bool") {
    if (text != "true" && text != "false") return bad("expected true or false");
    return Value::MakeBool(text == "true");
  }
  if (declared.type() == "date") {
    std::optional<int64_t> ms = ParseIsoDate(text);
    if (!ms) return bad("expected a date YYYY-MM-DD");
    return Value::MakeTime(*ms);
  }
  if (declared.type() == "money") {
    std::string code, why;
    std::optional<int64_t> minor = ParseMoneyText(text, &code, &why);
    if (!minor) return bad(why);
    if (code != currency) return bad(StrCat("must be in ", currency));
    return Value::MakeMoney(code, *minor);
  }
  if (text.size() > kFactFieldBytesMax) return bad("longer than 64 bytes");
  return Value::MakeString(text);
}

}  // namespace

absl::StatusOr<ContractRuntime> ContractRuntime::Load(std::string_view module_bytes,
                                                      ContractMetadata metadata) {
  if (Blake2b256(module_bytes) != metadata.code_hash()) {
    return absl::InvalidArgumentError("the module does not match the metadata's code hash");
  }
  absl::StatusOr<std::shared_ptr<const vm::Program>> program = vm::LoadProgram(module_bytes);
  if (!program.ok()) return program.status();
  for (std::string_view entry : {abi::kEntryInit, abi::kEntrySubmit, abi::kEntryMigrate}) {
    if ((*program)->FindEntryPoint(entry) < 0) {
      return absl::InvalidArgumentError(StrCat("the module has no '", entry, "' entry"));
    }
  }
  return ContractRuntime(*std::move(program), std::move(metadata));
}

absl::StatusOr<ContractRuntime> ContractRuntime::Load(const CompiledContract& compiled) {
  return Load(compiled.module_bytes, compiled.metadata);
}

absl::StatusOr<RunResult> ContractRuntime::Run(std::string_view entry, std::string payload,
                                               ContractState& state, const BlockContext& block,
                                               const Signer& signer) const {
  ContractHost host(state, block, signer, std::move(payload));
  absl::StatusOr<vm::ExecutionResult> executed =
      vm::Execute(*program_, entry, {}, host, {.gas_limit = kGasPerTransaction});
  if (!executed.ok()) return executed.status();
  RunResult result;
  result.accepted = executed->ok();
  result.trap = executed->trap;
  result.gas_used = executed->gas_used;
  result.events_hash = executed->events_hash;
  if (!executed->ok()) {
    result.message =
        executed->trap == vm::TrapCode::kAborted || executed->trap == vm::TrapCode::kCheckFailed
            ? executed->message
            : StrCat("contract trap ", vm::TrapCodeName(executed->trap), ": ", executed->message);
    return result;
  }
  result.events = std::move(executed->events);
  if (executed->return_value.type() == vm::Type::kList) {
    for (const Value& item : executed->return_value.ListItems()) {
      const Value* code = item.RecordField("code");
      const Value* message = item.RecordField("message");
      FactResult fact;
      if (code != nullptr && code->type() == vm::Type::kInt &&
          code->AsInt() >= abi::kResultApplied && code->AsInt() <= abi::kResultHeld) {
        fact.outcome = static_cast<FactOutcome>(code->AsInt());
      }
      if (message != nullptr && message->type() == vm::Type::kString) {
        fact.message = std::string(message->AsString());
      }
      result.facts.push_back(std::move(fact));
    }
  }
  return result;
}

absl::StatusOr<RunResult> ContractRuntime::Instantiate(
    ContractState& state, const BlockContext& block, const Signer& signer,
    const std::vector<std::pair<std::string, std::string>>& parameters) const {
  std::vector<std::pair<Value, Value>> entries;
  for (const auto& [name, text] : parameters) {
    const trialledger::v1::Parameter* declared = nullptr;
    for (const auto& p : metadata_.parameters()) {
      if (p.name() == name) declared = &p;
    }
    if (declared == nullptr) {
      return Refused(StrCat("contract ", metadata_.name(), " has no parameter '", name, "'"));
    }
    absl::StatusOr<Value> value = ParameterValue(*declared, text, metadata_.currency());
    if (!value.ok()) return Refused(std::string(value.status().message()));
    entries.emplace_back(*Value::MakeString(name), *std::move(value));
  }
  absl::StatusOr<Value> map = Value::MakeMap(std::move(entries));
  if (!map.ok()) return Refused(StrCat("parameters: ", map.status().message()));
  return Run(abi::kEntryInit, vm::EncodeValue(*map), state, block, signer);
}

absl::StatusOr<RunResult> ContractRuntime::SubmitFacts(
    ContractState& state, const BlockContext& block, const Signer& signer,
    const trialledger::v1::FactBatch& batch) const {
  absl::StatusOr<std::string> payload = EncodeFactBatch(batch, metadata_.facts_per_batch_max());
  if (!payload.ok()) return Refused(std::string(payload.status().message()));
  return Run(abi::kEntrySubmit, *std::move(payload), state, block, signer);
}

absl::StatusOr<RunResult> ContractRuntime::MigrateFrom(const ContractMetadata& previous,
                                                       ContractState& state,
                                                       const BlockContext& block,
                                                       const Signer& signer) const {
  absl::Status compatible = CheckAmendment(previous, metadata_, state);
  if (absl::IsFailedPrecondition(compatible)) return Refused(std::string(compatible.message()));
  if (!compatible.ok()) return compatible;
  return Run(abi::kEntryMigrate, vm::EncodeValue(Value::MakeInt(previous.version())), state, block,
             signer);
}

}  // namespace tl::contracts
