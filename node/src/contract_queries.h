// The contract read RPCs (ledger_service.proto) over one snapshot of the committed state.
// NotFound for an unknown contract; DataLoss when a stored record does not decode.
#pragma once

#include "absl/status/status.h"
#include "trialledger/node/ledger_store.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::node {

absl::Status ListContracts(const StateSnapshot& state, v1::ListContractsResponse* response);
absl::Status GetContract(const StateSnapshot& state, const v1::GetContractRequest& request,
                         v1::GetContractResponse* response);
absl::Status GetMilestones(const StateSnapshot& state, const v1::GetMilestonesRequest& request,
                           v1::GetMilestonesResponse* response);
absl::Status ListFacts(const StateSnapshot& state, const v1::ListFactsRequest& request,
                       v1::ListFactsResponse* response);
absl::Status ListContractEvents(const StateSnapshot& state,
                                const v1::ListContractEventsRequest& request,
                                v1::ListContractEventsResponse* response);

}  // namespace tl::node
