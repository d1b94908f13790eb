// What the SOW compiler hands the runtime and the ledger: a VM module and the metadata stored
// beside it (parties, obligations, milestones, fee terms, feed bindings, gas, hashes).
#ifndef TRIALLEDGER_CONTRACTS_COMPILED_CONTRACT_H_
#define TRIALLEDGER_CONTRACTS_COMPILED_CONTRACT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/v1/contract.pb.h"

namespace tl::contracts {

struct CompiledContract {
  std::string module_bytes;
  std::string code_hash;  // BLAKE2b-256 of module_bytes, 32 raw bytes (also in metadata)
  trialledger::v1::ContractMetadata metadata;
};

// Metadata bytes for the ledger: deterministic protobuf serialization.
std::string SerializeMetadata(const trialledger::v1::ContractMetadata& metadata);
absl::StatusOr<trialledger::v1::ContractMetadata> ParseMetadata(std::string_view bytes);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_COMPILED_CONTRACT_H_
