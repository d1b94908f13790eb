// How contract values read for people, in one place for sowc, the node's messages and the CLI:
// money as "USD 1,250.00", dates as ISO days, events as "name{field=value, ...}".
#ifndef TRIALLEDGER_CONTRACTS_DISPLAY_H_
#define TRIALLEDGER_CONTRACTS_DISPLAY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "trialledger/v1/contract_ledger.pb.h"
#include "trialledger/vm/value.h"

namespace tl::contracts {

std::string FormatAmount(int64_t minor, std::string_view currency);
// Any VM value as a person reads it: money, dates, lists as [a, b].
std::string FormatValue(const vm::Value& value);
// "2027-06-30" for a whole day, else an ISO timestamp.
std::string FormatDate(int64_t ms);
std::string DescribeEvent(const trialledger::v1::ContractEvent& event);
// "subject_enrolled", or "unknown" when no kind is set.
std::string_view FactKindLabel(const trialledger::v1::Fact& fact);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_DISPLAY_H_
