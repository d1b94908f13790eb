// Typed reads of a contract's stored values, following the storage layout of abi.h. A value of
// another type than the layout says is a corrupt state (DataLoss).
#ifndef TRIALLEDGER_CONTRACTS_RUNTIME_STORED_VALUES_H_
#define TRIALLEDGER_CONTRACTS_RUNTIME_STORED_VALUES_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/contracts/state.h"
#include "trialledger/vm/value.h"

namespace tl::contracts {

// The stored value at `key`, or nullopt when nothing is stored.
absl::StatusOr<std::optional<vm::Value>> ReadStored(const ContractState& state,
                                                    std::string_view key, vm::Type type);
// An int (0 when absent).
absl::StatusOr<int64_t> ReadStoredInt(const ContractState& state, std::string_view key);
// Money in minor units (0 when absent).
absl::StatusOr<int64_t> ReadStoredMinor(const ContractState& state, std::string_view key);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_RUNTIME_STORED_VALUES_H_
