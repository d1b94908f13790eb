// Read grants (tx payload 48): an organisation names an auditing organisation whose `auditor`
// members may read its book, or one contract it is a party to; or takes the grant back. Who may
// read what is decided in read_access.h; this only records the grants.
// REQUIRES (Execute*): the signer's envelope, nonce and role permission were checked.
#pragma once

#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"

namespace tl::ledger {

// Admission's static check: granting needs the finance or the admin role.
v1::TxResult CheckGrantRole(const v1::MemberRecord& signer);

v1::TxResult ExecuteGrantAccess(const DecodedTx& tx, const v1::MemberRecord& signer,
                                const TxContext& context, StateOverlay& state);

}  // namespace tl::ledger
