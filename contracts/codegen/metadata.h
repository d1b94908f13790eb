// The metadata of a compiled contract (contract.proto) from its checked syntax tree.
#ifndef TRIALLEDGER_CONTRACTS_METADATA_H_
#define TRIALLEDGER_CONTRACTS_METADATA_H_

#include <string_view>
#include <vector>

#include "codegen.h"
#include "trialledger/contracts/ast.h"
#include "trialledger/v1/contract.pb.h"

namespace tl::contracts {

trialledger::v1::ContractMetadata BuildMetadata(const SowFile& file, std::string_view source,
                                                const GeneratedModule& generated);

// A milestone's condition in the parts `milestones show` lists: the operands of its top-level
// `and`s, in order (a condition without `and` is one part). Metadata and the generated
// `requirements` entry both follow this order.
std::vector<const Expr*> MilestoneParts(const MilestoneDecl& milestone);

// The ledger's form of a milestone's kind (its name: abi::MilestoneKindName).
trialledger::v1::MilestoneKind MilestoneKindOf(MilestoneKindDecl kind);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_METADATA_H_
