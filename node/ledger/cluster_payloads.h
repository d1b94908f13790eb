// Cluster membership as signed ledger transactions: an organisation's admin adds a node of its
// own organisation as a learner, promotes it, or removes it; any admin may ask for a leadership
// transfer. The ledger records what the membership should be (NodeInfo.membership); the Raft
// leader then changes the Raft configuration to match, one change at a time
// (node/replica/membership.cc). REQUIRES (all): the signer's envelope, nonce and role permission
// were checked.
#pragma once

#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"

namespace tl::ledger {

v1::TxResult ExecuteChangeNode(const v1::ChangeNode& payload, const v1::MemberRecord& signer,
                               uint64_t height, StateOverlay& state);
v1::TxResult ExecuteTransferLeadership(const v1::TransferLeadership& payload,
                                       const StateReader& state);

// Writes a founding node's records (genesis).
void PutGenesisNode(const v1::NodeInfo& node, StateOverlay& state);
// The node record under node/<name>, if any.
std::optional<v1::NodeInfo> ReadNode(const StateReader& state, std::string_view name);

}  // namespace tl::ledger
