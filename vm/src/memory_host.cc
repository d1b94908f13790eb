#include "trialledger/vm/memory_host.h"

namespace tl::vm {

absl::StatusOr<std::optional<std::string>> MemoryHost::StorageGet(std::string_view key) {
  auto it = storage.find(key);
  if (it == storage.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status MemoryHost::CommitWrites(const std::vector<StorageWrite>& writes) {
  for (const StorageWrite& write : writes) {
    if (write.value.has_value()) {
      storage.insert_or_assign(write.key, *write.value);
    } else {
      storage.erase(write.key);
    }
  }
  ++commit_count;
  return absl::OkStatus();
}

bool MemoryHost::CallerHasRole(std::string_view role) const {
  return roles.contains(role);
}

}  // namespace tl::vm
