// FactBatch (facts.proto) to the payload the contract's `submit` entry decodes: a list of fact
// records (abi.h), after the checks that need no contract state: field lengths, the kind is set,
// amounts are valid money, the batch fits the contract's limit.
#ifndef TRIALLEDGER_CONTRACTS_FACT_PAYLOAD_H_
#define TRIALLEDGER_CONTRACTS_FACT_PAYLOAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/v1/facts.pb.h"

namespace tl::contracts {

// InvalidArgument naming the fact index and field when the batch is malformed.
absl::StatusOr<std::string> EncodeFactBatch(const trialledger::v1::FactBatch& batch,
                                            int64_t facts_per_batch_max);

// The business date of a fact (the day it happened, as its kind carries it); nullopt when no kind
// is set.
std::optional<int64_t> FactDateMs(const trialledger::v1::Fact& fact);

// The amount rule of every contract: a fact that carries an amount must give it in the contract's
// currency and above zero. The code generator compiles it into each contract's `validate` with
// these words; a client checks a file against it before it submits (`facts submit`).
inline constexpr char kAmountCurrencyRule[] = "the amount must be in ";  // + the currency
inline constexpr char kAmountPositiveRule[] = "the amount must be positive";
// "" when `fact` keeps the rule (or carries no amount); else the rule it breaks, with the amount.
std::string AmountProblem(const trialledger::v1::Fact& fact, std::string_view contract_currency);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_FACT_PAYLOAD_H_
