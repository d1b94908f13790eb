#include "contract_host.h"

#include <algorithm>

namespace tl::contracts {

absl::StatusOr<std::optional<std::string>> MemoryContractState::Get(std::string_view key) const {
  auto it = entries.find(key);
  if (it == entries.end()) return std::nullopt;
  return it->second;
}

absl::Status MemoryContractState::Put(std::string_view key, std::string_view value) {
  entries.insert_or_assign(std::string(key), std::string(value));
  return absl::OkStatus();
}

absl::Status MemoryContractState::Delete(std::string_view key) {
  auto it = entries.find(key);
  if (it != entries.end()) entries.erase(it);
  return absl::OkStatus();
}

absl::Status ContractHost::CommitWrites(const std::vector<vm::StorageWrite>& writes) {
  for (const vm::StorageWrite& write : writes) {
    absl::Status status =
        write.value ? state_.Put(write.key, *write.value) : state_.Delete(write.key);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

bool ContractHost::CallerHasRole(std::string_view role) const {
  return std::find(signer_.roles.begin(), signer_.roles.end(), role) != signer_.roles.end();
}

}  // namespace tl::contracts
