#include "cluster_payloads.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/identity_rules.h"

namespace tl::ledger {
namespace {

uint64_t VoterCount(const StateReader& state) {
  std::optional<std::string> count = state.Get(state_keys::kVoterCount);
  return count.has_value() ? DecodeBigEndian64(*count) : 0;
}

void PutNode(const v1::NodeInfo& node, StateOverlay& state) {
  state.Put(state_keys::Node(node.name()), Encode(node));
}

// The named node must exist and belong to the signer's organisation.
v1::TxResult FindManagedNode(std::string_view name, const v1::MemberRecord& signer,
                             const StateReader& state, v1::NodeInfo* node) {
  std::optional<v1::NodeInfo> found = ReadNode(state, name);
  if (!found.has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD, StrCat("no node is named '", name, "'"));
  }
  if (found->org() != signer.member().org()) {
    return TxReject(v1::TX_PERMISSION_DENIED,
                    StrCat("node '", name, "' belongs to '", found->org(),
                           "'; an admin manages only its own organisation's nodes"));
  }
  *node = *std::move(found);
  return TxOk();
}

v1::TxResult AddLearner(const v1::NodeInfo& requested, const v1::MemberRecord& signer,
                        uint64_t height, StateOverlay& state) {
  absl::Status valid = ValidateNode(requested);
  if (!valid.ok()) return TxReject(v1::TX_INVALID_PAYLOAD, std::string(valid.message()));
  if (requested.org() != signer.member().org()) {
    return TxReject(v1::TX_PERMISSION_DENIED,
                    StrCat("node '", requested.name(), "' would belong to '", requested.org(),
                           "'; an admin adds nodes only to its own organisation"));
  }
  if (ReadNode(state, requested.name()).has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD,
                    StrCat("a node named '", requested.name(), "' already exists"));
  }
  uint64_t raft_id = RaftNodeId(requested.public_key());
  if (std::optional<std::string> holder = state.Get(state_keys::NodeId(raft_id))) {
    return TxReject(v1::TX_INVALID_PAYLOAD,
                    StrCat("node '", requested.name(), "': its key gives the Raft id of node '",
                           *holder, "'; generate a new node key"));
  }
  v1::NodeInfo node = requested;
  node.set_membership(v1::NODE_MEMBERSHIP_LEARNER);
  node.set_changed_height(height);
  PutNode(node, state);
  state.Put(state_keys::NodeId(raft_id), node.name());
  return TxOk();
}

}  // namespace

std::optional<v1::NodeInfo> ReadNode(const StateReader& state, std::string_view name) {
  std::optional<std::string> bytes = state.Get(state_keys::Node(name));
  v1::NodeInfo node;
  if (!bytes.has_value() || !node.ParseFromString(*bytes)) return std::nullopt;
  return node;
}

void PutGenesisNode(const v1::NodeInfo& node, StateOverlay& state) {
  PutNode(node, state);
  state.Put(state_keys::NodeId(RaftNodeId(node.public_key())), node.name());
  if (node.membership() == v1::NODE_MEMBERSHIP_VOTER) {
    state.Put(std::string(state_keys::kVoterCount), EncodeBigEndian64(VoterCount(state) + 1));
  }
}

v1::TxResult ExecuteChangeNode(const v1::ChangeNode& payload, const v1::MemberRecord& signer,
                               uint64_t height, StateOverlay& state) {
  if (payload.action() == v1::ChangeNode::ACTION_ADD_LEARNER) {
    return AddLearner(payload.node(), signer, height, state);
  }
  v1::NodeInfo node;
  v1::TxResult found = FindManagedNode(payload.node_name(), signer, state, &node);
  if (found.code() != v1::TX_OK) return found;
  switch (payload.action()) {
    case v1::ChangeNode::ACTION_PROMOTE:
      if (node.membership() != v1::NODE_MEMBERSHIP_LEARNER) {
        return TxReject(v1::TX_INVALID_PAYLOAD, StrCat("node '", node.name(),
                                                       "' is not a learner; only learners are "
                                                       "promoted"));
      }
      node.set_membership(v1::NODE_MEMBERSHIP_VOTER);
      state.Put(std::string(state_keys::kVoterCount), EncodeBigEndian64(VoterCount(state) + 1));
      break;
    case v1::ChangeNode::ACTION_REMOVE:
      if (node.membership() == v1::NODE_MEMBERSHIP_REMOVED) {
        return TxReject(v1::TX_INVALID_PAYLOAD,
                        StrCat("node '", node.name(), "' is already removed"));
      }
      if (node.membership() == v1::NODE_MEMBERSHIP_VOTER) {
        uint64_t voters = VoterCount(state);
        if (voters <= 1) {
          return TxReject(v1::TX_INVALID_PAYLOAD,
                          StrCat("node '", node.name(),
                                 "' is the last voter; the network would have no quorum"));
        }
        state.Put(std::string(state_keys::kVoterCount), EncodeBigEndian64(voters - 1));
      }
      node.set_membership(v1::NODE_MEMBERSHIP_REMOVED);
      break;
    default:
      return TxReject(v1::TX_MALFORMED, "ChangeNode needs an action");
  }
  node.set_changed_height(height);
  PutNode(node, state);
  return TxOk();
}

v1::TxResult ExecuteTransferLeadership(const v1::TransferLeadership& payload,
                                       const StateReader& state) {
  std::optional<v1::NodeInfo> node = ReadNode(state, payload.node_name());
  if (!node.has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD, StrCat("no node is named '", payload.node_name(), "'"));
  }
  if (node->membership() != v1::NODE_MEMBERSHIP_VOTER) {
    return TxReject(v1::TX_INVALID_PAYLOAD,
                    StrCat("node '", node->name(), "' is not a voter and cannot lead"));
  }
  return TxOk();
}

}  // namespace tl::ledger
