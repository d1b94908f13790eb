// The runtime's results in their ledger form (contract_ledger.proto): fact outcomes and events.
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/runtime.h"

namespace tl::contracts {

trialledger::v1::FactOutcomeCode ToProto(FactOutcome outcome) {
  switch (outcome) {
    case FactOutcome::kApplied:
      return trialledger::v1::FACT_APPLIED;
    case FactOutcome::kDuplicate:
      return trialledger::v1::FACT_DUPLICATE;
    case FactOutcome::kCorrected:
      return trialledger::v1::FACT_CORRECTED;
    case FactOutcome::kRejected:
      return trialledger::v1::FACT_REJECTED;
    case FactOutcome::kHeld:
      return trialledger::v1::FACT_HELD;
  }
  return trialledger::v1::FACT_REJECTED;
}

trialledger::v1::ContractEvent ToProto(const vm::Event& event) {
  trialledger::v1::ContractEvent out;
  out.set_name(event.name);
  const auto names = event.fields.RecordFieldNames();
  const auto values = event.fields.RecordFields();
  for (size_t i = 0; i < names.size(); ++i) {
    trialledger::v1::EventField* field = out.add_fields();
    field->set_name(names[i]);
    const vm::Value& value = values[i];
    switch (value.type()) {
      case vm::Type::kInt:
        field->set_int_value(value.AsInt());
        break;
      case vm::Type::kBool:
        field->set_bool_value(value.AsBool());
        break;
      case vm::Type::kString:
        field->set_text(std::string(value.AsString()));
        break;
      case vm::Type::kBytes:
        field->set_bytes_value(std::string(value.AsString()));
        break;
      case vm::Type::kMoney:
        field->mutable_money()->set_currency(std::string(value.MoneyCurrency().code()));
        field->mutable_money()->set_amount_minor(static_cast<int64_t>(value.MoneyMinor()));
        break;
      case vm::Type::kTime:
        field->set_time_ms(value.AsTimeMs());
        break;
      default:
        field->set_text(FormatValue(value));
        break;
    }
  }
  return out;
}

std::string_view FactOutcomeName(trialledger::v1::FactOutcomeCode code) {
  switch (code) {
    case trialledger::v1::FACT_APPLIED:
      return "applied";
    case trialledger::v1::FACT_DUPLICATE:
      return "duplicate";
    case trialledger::v1::FACT_CORRECTED:
      return "corrected";
    case trialledger::v1::FACT_REJECTED:
      return "rejected";
    case trialledger::v1::FACT_HELD:
      return "held";
    default:
      return "unknown";
  }
}

bool FactOutcomeTakesEffect(trialledger::v1::FactOutcomeCode code) {
  return code == trialledger::v1::FACT_APPLIED || code == trialledger::v1::FACT_CORRECTED ||
         code == trialledger::v1::FACT_HELD;
}

std::string_view FactOutcomeName(FactOutcome outcome) {
  return FactOutcomeName(ToProto(outcome));
}

std::string FormatEvent(const vm::Event& event) {
  return DescribeEvent(ToProto(event));
}

}  // namespace tl::contracts
