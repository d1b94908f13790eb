// The metadata of a compiled contract (contract.proto) from its checked syntax tree.
#ifndef TRIALLEDGER_CONTRACTS_METADATA_H_
#define TRIALLEDGER_CONTRACTS_METADATA_H_

#include <string_view>

#include "ast.h"
#include "codegen.h"
#include "trialledger/v1/contract.pb.h"

namespace tl::contracts {

trialledger::v1::ContractMetadata BuildMetadata(const SowFile& file, std::string_view source,
                                                const GeneratedModule& generated);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_METADATA_H_
