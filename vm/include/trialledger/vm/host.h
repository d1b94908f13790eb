// The host interface: everything a contract can learn about or do to the world outside the VM.
// The contracts layer implements it over the node's state for one transaction; tests use
// MemoryHost (memory_host.h).
//
// The VM buffers a run's storage writes and events. Only when the entry point returns without a
// trap does it call CommitWrites once, with the writes in ascending key order; a trapped run
// never calls it, so a trap changes no state. Reads see the run's own earlier writes first
// (the VM answers those from its buffer) and otherwise call StorageGet.
//
// Every method must be deterministic: its answer depends only on the block, the transaction and
// committed state, never on clocks, randomness or the local node.
#ifndef TRIALLEDGER_VM_HOST_H_
#define TRIALLEDGER_VM_HOST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tl::vm {

// One buffered write: a value, or nullopt for a deletion.
struct StorageWrite {
  std::string key;
  std::optional<std::string> value;
  friend bool operator==(const StorageWrite&, const StorageWrite&) = default;
};

class Host {
 public:
  virtual ~Host() = default;

  // Committed value of `key` in this contract's storage, or nullopt. A non-OK status (a disk
  // failure, say) stops the run and is returned from Execute unchanged: it is a node fault, not
  // a contract outcome.
  virtual absl::StatusOr<std::optional<std::string>> StorageGet(std::string_view key) = 0;
  // Applies a successful run's writes, ascending by key.
  virtual absl::Status CommitWrites(const std::vector<StorageWrite>& writes) = 0;

  // The transaction's payload bytes (for DECODE, usually a canonical value encoding).
  virtual std::string_view Payload() const = 0;
  virtual int64_t BlockHeight() const = 0;
  virtual int64_t BlockTimeMs() const = 0;
  // The signer's public key, organisation id and whether the signer holds `role`.
  virtual std::string_view CallerKey() const = 0;
  virtual std::string_view CallerOrganisation() const = 0;
  virtual bool CallerHasRole(std::string_view role) const = 0;
};

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_HOST_H_
