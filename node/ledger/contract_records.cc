#include "trialledger/ledger/contract_records.h"

#include <algorithm>
#include <vector>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/compiled_contract.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"

namespace tl::ledger {

absl::StatusOr<std::optional<std::string>> ContractStorage::Get(std::string_view key) const {
  return reader_.Get(StrCat(prefix_, key));
}

absl::Status ContractStorage::Put(std::string_view key, std::string_view value) {
  if (overlay_ == nullptr) return absl::FailedPreconditionError("contract storage is read-only");
  overlay_->Put(StrCat(prefix_, key), std::string(value));
  return absl::OkStatus();
}

absl::Status ContractStorage::Delete(std::string_view key) {
  if (overlay_ == nullptr) return absl::FailedPreconditionError("contract storage is read-only");
  overlay_->Delete(StrCat(prefix_, key));
  return absl::OkStatus();
}

std::optional<trialledger::v1::ContractRecord> ReadContract(const StateReader& state,
                                                            std::string_view contract_id) {
  std::optional<std::string> bytes = state.Get(state_keys::Contract(contract_id));
  trialledger::v1::ContractRecord record;
  if (!bytes.has_value() || !record.ParseFromString(*bytes)) return std::nullopt;
  return record;
}

void WriteContract(const trialledger::v1::ContractRecord& record, StateOverlay& state) {
  state.Put(state_keys::Contract(record.contract_id()), Encode(record));
}

absl::StatusOr<trialledger::v1::StoredCode> ReadCode(
    const StateReader& state, const trialledger::v1::ContractVersion& version) {
  std::optional<std::string> bytes =
      state.Get(state_keys::ContractCode(version.code_hash(), version.source_hash()));
  trialledger::v1::StoredCode code;
  if (!bytes.has_value() || !code.ParseFromString(*bytes)) {
    return absl::DataLossError(StrCat("the code of version ", version.version(), " (",
                                      ToHex(version.code_hash()), ") is missing"));
  }
  return code;
}

absl::StatusOr<trialledger::v1::ContractMetadata> ReadMetadata(
    const StateReader& state, const trialledger::v1::ContractVersion& version) {
  absl::StatusOr<trialledger::v1::StoredCode> code = ReadCode(state, version);
  if (!code.ok()) return code.status();
  return contracts::ParseMetadata(code->metadata());
}

absl::StatusOr<contracts::ContractRuntime> LoadRuntime(
    const StateReader& state, const trialledger::v1::ContractVersion& version) {
  absl::StatusOr<trialledger::v1::StoredCode> code = ReadCode(state, version);
  if (!code.ok()) return code.status();
  absl::StatusOr<trialledger::v1::ContractMetadata> metadata =
      contracts::ParseMetadata(code->metadata());
  if (!metadata.ok()) return metadata.status();
  return contracts::ContractRuntime::Load(code->code().module(), *std::move(metadata));
}

absl::StatusOr<contracts::ContractRuntime> LoadRuntimeCached(
    const StateReader& state, const trialledger::v1::ContractVersion& version) {
  // Most recently used last.
  thread_local std::vector<std::pair<std::string, contracts::ContractRuntime>> cache;
  std::string key = StrCat(version.code_hash(), version.source_hash());
  for (size_t i = 0; i < cache.size(); ++i) {
    if (cache[i].first != key) continue;
    std::rotate(cache.begin() + static_cast<std::ptrdiff_t>(i),
                cache.begin() + static_cast<std::ptrdiff_t>(i) + 1, cache.end());
    return cache.back().second;
  }
  absl::StatusOr<contracts::ContractRuntime> loaded = LoadRuntime(state, version);
  if (!loaded.ok()) return loaded;
  if (cache.size() == limits::kContractVersionsCachedMax) cache.erase(cache.begin());
  cache.emplace_back(std::move(key), *loaded);
  return loaded;
}

}  // namespace tl::ledger
