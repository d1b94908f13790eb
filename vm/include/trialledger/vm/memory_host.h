// An in-memory Host for tests, tools and the contracts layer's simulations. Storage is an
// ordered map; the caller, block and payload are plain fields to set before a run.
//
//   MemoryHost host;
//   host.caller_organisation = "cro";
//   host.roles = {"clinops"};
//   host.payload = EncodeValue(fact);
//   auto result = Execute(*program, "record_visit", {}, host);
#ifndef TRIALLEDGER_VM_MEMORY_HOST_H_
#define TRIALLEDGER_VM_MEMORY_HOST_H_

#include <map>
#include <set>
#include <string>

#include "trialledger/vm/host.h"

namespace tl::vm {

class MemoryHost : public Host {
 public:
  absl::StatusOr<std::optional<std::string>> StorageGet(std::string_view key) override;
  absl::Status CommitWrites(const std::vector<StorageWrite>& writes) override;
  std::string_view Payload() const override { return payload; }
  int64_t BlockHeight() const override { return block_height; }
  int64_t BlockTimeMs() const override { return block_time_ms; }
  std::string_view CallerKey() const override { return caller_key; }
  std::string_view CallerOrganisation() const override { return caller_organisation; }
  bool CallerHasRole(std::string_view role) const override;

  std::map<std::string, std::string, std::less<>> storage;
  std::string payload;
  int64_t block_height = 1;
  int64_t block_time_ms = 0;
  std::string caller_key;
  std::string caller_organisation;
  std::set<std::string, std::less<>> roles;
  int commit_count = 0;  // how many runs committed writes
};

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_MEMORY_HOST_H_
