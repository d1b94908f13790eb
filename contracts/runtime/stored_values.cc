#include "stored_values.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {

using vm::Value;

absl::StatusOr<std::optional<Value>> ReadStored(const ContractState& state, std::string_view key,
                                                vm::Type type) {
  absl::StatusOr<std::optional<std::string>> bytes = state.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::nullopt;
  absl::StatusOr<Value> value = vm::DecodeValue(**bytes);
  if (!value.ok() || value->type() != type) {
    return absl::DataLossError(StrCat("contract state '", key, "' is not a ", vm::TypeName(type)));
  }
  return *value;
}

absl::StatusOr<int64_t> ReadStoredInt(const ContractState& state, std::string_view key) {
  absl::StatusOr<std::optional<Value>> value = ReadStored(state, key, vm::Type::kInt);
  if (!value.ok()) return value.status();
  return value->has_value() ? (*value)->AsInt() : 0;
}

absl::StatusOr<int64_t> ReadStoredMinor(const ContractState& state, std::string_view key) {
  absl::StatusOr<std::optional<Value>> value = ReadStored(state, key, vm::Type::kMoney);
  if (!value.ok()) return value.status();
  return value->has_value() ? static_cast<int64_t>((*value)->MoneyMinor()) : 0;
}

}  // namespace tl::contracts
