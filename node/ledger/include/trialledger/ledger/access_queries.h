// The read grants (access_payloads.h) as the ListGrants RPC shows them: those on one book or on
// one contract, by auditor organisation. The caller checked the member may read them.
#pragma once

#include "absl/status/status.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::ledger {

absl::Status ListGrants(const OrderedStateReader& state, const v1::ListGrantsRequest& request,
                        v1::ListGrantsResponse* response);

}  // namespace tl::ledger
