// The contract read RPCs (ledger_service.proto) over one snapshot of the committed state.
// NotFound for an unknown contract; DataLoss when a stored record does not decode. The caller
// fills in the snapshot's height and checks the snapshot's status() (a failed read).
#pragma once

#include "absl/status/status.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::ledger {

absl::Status ListContracts(const OrderedStateReader& state, v1::ListContractsResponse* response);
absl::Status GetContract(const OrderedStateReader& state, const v1::GetContractRequest& request,
                         v1::GetContractResponse* response);
absl::Status GetMilestones(const OrderedStateReader& state, const v1::GetMilestonesRequest& request,
                           v1::GetMilestonesResponse* response);
absl::Status ListFacts(const OrderedStateReader& state, const v1::ListFactsRequest& request,
                       v1::ListFactsResponse* response);
absl::Status ListContractEvents(const OrderedStateReader& state,
                                const v1::ListContractEventsRequest& request,
                                v1::ListContractEventsResponse* response);

}  // namespace tl::ledger
