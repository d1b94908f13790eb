// The books' own transactions (tx payloads 40-42): an organisation sets the ERP codes of its
// chart, closes the next period of its book, or (an admin, with a reason) reopens the last
// closed one. Each acts on the signer's own organisation's book only.
// REQUIRES (Execute*): the signer's envelope, nonce and role permission were checked.
#pragma once

#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"

namespace tl::ledger {

// Payloads 40-42.
bool IsBookPayload(v1::TxBody::PayloadCase payload);
// Admission's static check: setting the account map and closing a period need finance,
// reopening a period needs admin.
v1::TxResult CheckBookRole(const v1::TxBody& body, const v1::MemberRecord& signer);

v1::TxResult ExecuteBookPayload(const DecodedTx& tx, const v1::MemberRecord& signer,
                                const TxContext& context, StateOverlay& state);

}  // namespace tl::ledger
