// A contract's position: counters, units earned, costs, pass-through spend and holdbacks.
#include <set>

#include "stored_values.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {

using vm::Value;

absl::StatusOr<ContractPosition> ContractRuntime::Position(const ContractState& state) const {
  ContractPosition position;
  absl::StatusOr<int64_t> version = ReadStoredInt(state, abi::kKeyVersion);
  if (!version.ok()) return version.status();
  position.version = *version;
  std::set<std::string> counters;
  for (const abi::StateName& name : abi::kStateNames) {
    if (name.kind != abi::StateKind::kMoney) counters.insert(std::string(name.name));
  }
  for (const auto& fee : metadata_.unit_fees())
    counters.insert(fee.counter());
  for (const std::string& counter : counters) {
    absl::StatusOr<int64_t> value = ReadStoredInt(state, abi::Key(abi::kPrefixCounter, counter));
    if (!value.ok()) return value.status();
    position.counters.emplace_back(counter, *value);
  }
  for (const auto& fee : metadata_.unit_fees()) {
    absl::StatusOr<int64_t> units = ReadStoredInt(state, abi::Key(abi::kPrefixUnits, fee.name()));
    if (!units.ok()) return units.status();
    position.units_earned.emplace_back(fee.name(), *units);
  }
  absl::StatusOr<int64_t> cost =
      ReadStoredMinor(state, abi::Key(abi::kPrefixMoney, abi::kStateCostIncurred));
  absl::StatusOr<int64_t> estimate =
      ReadStoredMinor(state, abi::Key(abi::kPrefixMoney, abi::kStateEstimateAtCompletion));
  if (!cost.ok()) return cost.status();
  if (!estimate.ok()) return estimate.status();
  position.cost_incurred_minor = *cost;
  position.estimate_at_completion_minor = *estimate;
  for (const auto& pass : metadata_.pass_throughs()) {
    absl::StatusOr<int64_t> spent = ReadStoredMinor(
        state, abi::Key(abi::kPrefixMoney, abi::Key(abi::kPassThroughSpend, pass.name())));
    if (!spent.ok()) return spent.status();
    position.pass_through_spent_minor.emplace_back(pass.name(), *spent);
  }
  for (const auto& holdback : metadata_.holdbacks()) {
    absl::StatusOr<int64_t> held =
        ReadStoredMinor(state, abi::Key(abi::kPrefixHeld, holdback.name()));
    absl::StatusOr<int64_t> released =
        ReadStoredInt(state, abi::Key(abi::kPrefixReleased, holdback.name()));
    if (!held.ok()) return held.status();
    if (!released.ok()) return released.status();
    position.holdback_withheld_minor.emplace_back(holdback.name(), *held);
    position.holdback_released.emplace_back(holdback.name(), *released == 1);
  }
  return position;
}

}  // namespace tl::contracts
