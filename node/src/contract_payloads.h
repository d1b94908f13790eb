// Contract transactions: ProposeContract, AcceptContract, ProposeAmendment, AcceptAmendment,
// CloseContract (tx payloads 20-24) and SubmitFacts (30). The rules of who may do what live in
// contracts/lifecycle.h; this file reads and writes the records and runs the contract.
// REQUIRES (ExecuteContractPayload): the signer's envelope, nonce and role permission were
// checked; `overlay` is a scratch overlay that the caller keeps only on TX_OK.
#pragma once

#include "trialledger/node/state.h"
#include "trialledger/node/tx_rules.h"

namespace tl::node {

// Payloads 20-24 and 30.
bool IsContractPayload(v1::TxBody::PayloadCase payload);

// Admission's static check: proposing needs finance or clinops, approving and closing need
// finance, submitting facts needs an oracle role. Which organisation is checked at execution.
v1::TxResult CheckContractRole(const v1::TxBody& body, const v1::MemberRecord& signer);

v1::TxResult ExecuteContractPayload(const DecodedTx& tx, const v1::MemberRecord& signer,
                                    const TxContext& context, StateOverlay& overlay);

}  // namespace tl::node
