// FactBatch (facts.proto) to the payload the contract's `submit` entry decodes: a list of fact
// records (abi.h), after the checks that need no contract state: field lengths, the kind is set,
// amounts are valid money, the batch fits the contract's limit.
#ifndef TRIALLEDGER_CONTRACTS_FACT_PAYLOAD_H_
#define TRIALLEDGER_CONTRACTS_FACT_PAYLOAD_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "trialledger/v1/facts.pb.h"

namespace tl::contracts {

// InvalidArgument naming the fact index and field when the batch is malformed.
absl::StatusOr<std::string> EncodeFactBatch(const trialledger::v1::FactBatch& batch,
                                            int64_t facts_per_batch_max);

// The business date of a fact (the day it happened, as its kind carries it); nullopt when no kind
// is set.
std::optional<int64_t> FactDateMs(const trialledger::v1::Fact& fact);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_FACT_PAYLOAD_H_
