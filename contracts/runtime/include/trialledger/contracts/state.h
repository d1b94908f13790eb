// The key-value state a contract runs against. The node implements ContractState over its state
// overlay, one key space per contract (a contract and all its amended versions share it); tests
// and tools use MemoryContractState.
//
// Determinism: a run's writes reach Put/Delete in ascending key order, once, after the run
// succeeded; a rejected run calls neither. Get must answer from committed state plus the writes
// of earlier transactions in the same block, never from anything local to one node.
#ifndef TRIALLEDGER_CONTRACTS_STATE_H_
#define TRIALLEDGER_CONTRACTS_STATE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tl::contracts {

class ContractState {
 public:
  virtual ~ContractState() = default;
  // The value of `key`, or nullopt. A non-OK status is a node fault (a disk error), not a
  // contract outcome: the caller stops rather than reject the transaction.
  virtual absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const = 0;
  virtual absl::Status Put(std::string_view key, std::string_view value) = 0;
  virtual absl::Status Delete(std::string_view key) = 0;
};

class MemoryContractState : public ContractState {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override;
  absl::Status Put(std::string_view key, std::string_view value) override;
  absl::Status Delete(std::string_view key) override;

  // Ordered, so tests can compare whole states and print them deterministically.
  std::map<std::string, std::string, std::less<>> entries;
};

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_STATE_H_
