// Contract records in the ledger's state (keys in trialledger/ledger/state.h): reading and writing
// them, loading a version's runtime, and a contract's own storage as a contracts::ContractState.
// Shared by the contract transactions (contract_payloads.cc) and the read RPCs
// (contract_queries.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/ledger/state.h"
#include "trialledger/v1/contract_ledger.pb.h"

namespace tl::ledger {

// A contract's storage under contract-data/<id>/. Writes go to `overlay`; a view built without
// one is read-only (queries), and writing through it is an error.
class ContractStorage : public contracts::ContractState {
 public:
  ContractStorage(StateOverlay& overlay, std::string_view contract_id)
      : reader_(overlay), overlay_(&overlay), prefix_(state_keys::ContractData(contract_id)) {}
  ContractStorage(const StateReader& reader, std::string_view contract_id)
      : reader_(reader), overlay_(nullptr), prefix_(state_keys::ContractData(contract_id)) {}

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override;
  absl::Status Put(std::string_view key, std::string_view value) override;
  absl::Status Delete(std::string_view key) override;

 private:
  const StateReader& reader_;
  StateOverlay* overlay_;
  std::string prefix_;
};

std::optional<trialledger::v1::ContractRecord> ReadContract(const StateReader& state,
                                                            std::string_view contract_id);
void WriteContract(const trialledger::v1::ContractRecord& record, StateOverlay& state);

// The code of `version`; DataLoss if absent or unreadable (the record that names it was
// written with it, so that is a corrupt state).
absl::StatusOr<trialledger::v1::StoredCode> ReadCode(
    const StateReader& state, const trialledger::v1::ContractVersion& version);
absl::StatusOr<trialledger::v1::ContractMetadata> ReadMetadata(
    const StateReader& state, const trialledger::v1::ContractVersion& version);
absl::StatusOr<contracts::ContractRuntime> LoadRuntime(
    const StateReader& state, const trialledger::v1::ContractVersion& version);

// LoadRuntime with this thread's cache of recently loaded versions, keyed by code hash and source
// hash (the code stored under that key never changes). Verifying a module costs more than running
// a small batch of facts (docs/contracts-on-ledger.md), and the apply pipeline runs on one
// thread. Per thread because a VM program's constants are reference-counted without atomics.
absl::StatusOr<contracts::ContractRuntime> LoadRuntimeCached(
    const StateReader& state, const trialledger::v1::ContractVersion& version);

}  // namespace tl::ledger
