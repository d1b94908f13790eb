#include "trialledger/contracts/display.h"

#include <vector>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/fact_kinds.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts {

std::string FormatValue(const vm::Value& value) {
  switch (value.type()) {
    case vm::Type::kMoney:
      return FormatMoney(static_cast<int64_t>(value.MoneyMinor()), value.MoneyCurrency().code());
    case vm::Type::kTime:
      return FormatDate(value.AsTimeMs());
    case vm::Type::kString:
      return std::string(value.AsString());
    case vm::Type::kInt:
      return std::to_string(value.AsInt());
    case vm::Type::kRational:
      return StrCat(value.RationalNumerator().str(), "/", value.RationalDenominator().str());
    case vm::Type::kList: {
      std::vector<std::string> items;
      for (const vm::Value& item : value.ListItems())
        items.push_back(FormatValue(item));
      return StrCat("[", Join(items, ", "), "]");
    }
    default:
      return value.DebugString();
  }
}

std::string FormatAmount(int64_t minor, std::string_view currency) {
  return FormatMoney(minor, currency);
}

std::string FormatDate(int64_t ms) {
  return ms % kMsPerDay == 0 ? FormatIsoDate(ms) : FormatIsoTimestamp(ms);
}

std::string_view RecognitionName(trialledger::v1::Recognition recognition) {
  switch (recognition) {
    case trialledger::v1::RECOGNITION_OVER_TIME_COST_TO_COST:
      return "over time, cost-to-cost";
    case trialledger::v1::RECOGNITION_OVER_TIME_UNITS:
      return "over time, units";
    case trialledger::v1::RECOGNITION_OVER_TIME_MILESTONES:
      return "over time, milestones";
    case trialledger::v1::RECOGNITION_POINT_IN_TIME:
      return "at a point in time";
    default:
      return "unspecified";
  }
}

std::string DescribeEvent(const trialledger::v1::ContractEvent& event) {
  std::vector<std::string> fields;
  for (const trialledger::v1::EventField& field : event.fields()) {
    std::string value;
    switch (field.value_case()) {
      case trialledger::v1::EventField::kIntValue:
        value = std::to_string(field.int_value());
        break;
      case trialledger::v1::EventField::kBoolValue:
        value = field.bool_value() ? "true" : "false";
        break;
      case trialledger::v1::EventField::kText:
        value = field.text();
        break;
      case trialledger::v1::EventField::kMoney:
        value = FormatMoney(field.money().amount_minor(), field.money().currency());
        break;
      case trialledger::v1::EventField::kTimeMs:
        value = FormatDate(field.time_ms());
        break;
      case trialledger::v1::EventField::kBytesValue:
        value = ToHex(field.bytes_value());
        break;
      case trialledger::v1::EventField::VALUE_NOT_SET:
        value = "-";
        break;
    }
    fields.push_back(StrCat(field.name(), "=", value));
  }
  return StrCat(event.name(), "{", Join(fields, ", "), "}");
}

std::string_view FactKindLabel(const trialledger::v1::Fact& fact) {
  std::optional<FactKind> kind = FactKindOf(fact);
  return kind.has_value() ? FactKindName(*kind) : "unknown";
}

}  // namespace tl::contracts
