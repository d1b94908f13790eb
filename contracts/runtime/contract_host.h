// The vm::Host of one contract run: storage from a ContractState, the rest from the block, the
// signer and the payload.
#ifndef TRIALLEDGER_CONTRACTS_CONTRACT_HOST_H_
#define TRIALLEDGER_CONTRACTS_CONTRACT_HOST_H_

#include <string>

#include "trialledger/contracts/runtime.h"
#include "trialledger/contracts/state.h"
#include "trialledger/vm/host.h"

namespace tl::contracts {

class ContractHost : public vm::Host {
 public:
  ContractHost(ContractState& state, const BlockContext& block, const Signer& signer,
               std::string payload)
      : state_(state), block_(block), signer_(signer), payload_(std::move(payload)) {}

  absl::StatusOr<std::optional<std::string>> StorageGet(std::string_view key) override {
    return state_.Get(key);
  }
  absl::Status CommitWrites(const std::vector<vm::StorageWrite>& writes) override;
  std::string_view Payload() const override { return payload_; }
  int64_t BlockHeight() const override { return block_.height; }
  int64_t BlockTimeMs() const override { return block_.time_ms; }
  std::string_view CallerKey() const override { return signer_.public_key; }
  std::string_view CallerOrganisation() const override { return signer_.organisation; }
  bool CallerHasRole(std::string_view role) const override;

 private:
  ContractState& state_;
  const BlockContext& block_;
  const Signer& signer_;
  std::string payload_;
};

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_CONTRACT_HOST_H_
