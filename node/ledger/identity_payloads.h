// Notes and member management: registering members, revoking and rotating keys.
// REQUIRES (all): the signer's envelope, nonce and role permission were checked.
#pragma once

#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"

namespace tl::ledger {

v1::TxResult ExecuteNote(const v1::Note& note);
v1::TxResult ExecuteRegisterMember(const v1::RegisterMember& payload,
                                   const v1::MemberRecord& signer, uint64_t height,
                                   StateOverlay& state);
v1::TxResult ExecuteRevokeKey(const v1::RevokeKey& payload, const v1::MemberRecord& signer,
                              uint64_t height, StateOverlay& state);
v1::TxResult ExecuteRotateKey(const v1::RotateKey& payload, const v1::MemberRecord& signer,
                              uint64_t height, StateOverlay& state);

// Writes a new member's records (also used to build the genesis state).
void PutNewMember(const v1::Member& member, uint64_t height, StateOverlay& state);

}  // namespace tl::ledger
