// Contract transactions: ProposeContract, AcceptContract, ProposeAmendment, AcceptAmendment,
// CloseContract (tx payloads 20-24) and SubmitFacts (30). Who may do what, and how the record
// changes, is contracts/lifecycle/ (the role table and the record transitions); this file reads
// and writes the records and runs the contract.
// REQUIRES (ExecuteContractPayload): the signer's envelope, nonce and role permission were
// checked; `overlay` is a scratch overlay that the caller keeps only on TX_OK.
#pragma once

#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"

namespace tl::ledger {

// Payloads 20-24 and 30.
bool IsContractPayload(v1::TxBody::PayloadCase payload);

// Admission's static check, from the lifecycle's role table (contracts::MayAct): the roles the
// payload's action needs. Which organisation is checked at execution.
v1::TxResult CheckContractRole(const v1::TxBody& body, const v1::MemberRecord& signer);

// A non-OK status is a storage fault (tx_rules.h, ExecutePayload).
absl::StatusOr<v1::TxResult> ExecuteContractPayload(const DecodedTx& tx,
                                                    const v1::MemberRecord& signer,
                                                    const TxContext& context,
                                                    StateOverlay& overlay);

}  // namespace tl::ledger
