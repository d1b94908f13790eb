// How contract values read for people, in one place for sowc, the node's messages and the CLI:
// money as "USD 1,250.00", dates as ISO days, events as "name{field=value, ...}".
#ifndef TRIALLEDGER_CONTRACTS_DISPLAY_H_
#define TRIALLEDGER_CONTRACTS_DISPLAY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "trialledger/v1/contract.pb.h"
#include "trialledger/v1/contract_ledger.pb.h"
#include "trialledger/vm/value.h"

namespace tl::contracts {

std::string FormatAmount(int64_t minor, std::string_view currency);
// Any VM value as a person reads it: money, dates, lists as [a, b].
std::string FormatValue(const vm::Value& value);
// "2027-06-30" for a whole day, else an ISO timestamp.
std::string FormatDate(int64_t ms);
// How a performance obligation's revenue is recognised: "over time, cost-to-cost", ...
std::string_view RecognitionName(trialledger::v1::Recognition recognition);
std::string DescribeEvent(const trialledger::v1::ContractEvent& event);
// A readable summary (parties, obligations, milestones, fees, feeds, gas) for `sowc` and
// `trialledger contract show`.
std::string DescribeContract(const trialledger::v1::ContractMetadata& metadata);
// "subject_enrolled", or "unknown" when no kind is set.
std::string_view FactKindLabel(const trialledger::v1::Fact& fact);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_DISPLAY_H_
