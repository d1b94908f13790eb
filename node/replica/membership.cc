// The node records the ledger keeps (node/<name>), the peers they make, and the leader moving the
// Raft configuration towards the membership they record.
#include <algorithm>

#include "replica.h"
#include "trialledger/sdk/identity_rules.h"

namespace tl::node {
namespace {

bool Contains(const std::vector<uint64_t>& ids, uint64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

std::map<std::string, v1::NodeInfo> Replica::nodes() const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  return nodes_;
}

std::optional<std::string> Replica::NodePublicKey(const std::string& node_name) const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  auto node = nodes_.find(node_name);
  if (node == nodes_.end()) return std::nullopt;
  return node->second.public_key();
}

std::string Replica::NodeName(uint64_t raft_id) const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  for (const auto& [name, info] : nodes_) {
    if (RaftNodeId(info.public_key()) == raft_id) return name;
  }
  return "";
}

bool Replica::IsPeerNode(const std::vector<std::string>& identities) const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  for (const std::string& identity : identities) {
    auto node = nodes_.find(identity);
    if (node != nodes_.end() && node->second.membership() != v1::NODE_MEMBERSHIP_REMOVED) {
      return true;
    }
  }
  return false;
}

void Replica::RefreshNodes() {
  std::map<std::string, v1::NodeInfo> fresh;
  for (const auto& [key, value] : store_->ScanState(ledger::state_keys::kNodePrefix)) {
    v1::NodeInfo info;
    if (info.ParseFromString(value)) fresh[info.name()] = info;
  }
  StopOnReadFault();
  std::lock_guard<std::mutex> lock(view_mutex_);
  nodes_ = std::move(fresh);
}

std::vector<raft::Peer> Replica::PeerList(const raft::ConfState& conf_state) const {
  std::vector<raft::Peer> peers;
  for (const auto& [name, info] : nodes()) {
    uint64_t id = RaftNodeId(info.public_key());
    bool in_conf = Contains(conf_state.voters, id) || Contains(conf_state.learners, id);
    if (info.membership() != v1::NODE_MEMBERSHIP_REMOVED || in_conf) {
      peers.push_back({id, name, info.peer_address()});
    }
  }
  return peers;
}

void Replica::UpdatePeers() {
  transport_->SetPeers(PeerList(raft_->conf_state()));
}

// The leader moves the Raft configuration towards the membership the ledger records, one change
// at a time (the core refuses a second while one is pending, and refuses to promote a learner
// that has not caught up: both are retried on a later tick).
void Replica::ReconcileMembership() {
  if (soft_.role != raft::Role::kLeader) return;
  raft::ConfState current = raft_->conf_state();
  for (const auto& [name, info] : nodes()) {
    uint64_t id = RaftNodeId(info.public_key());
    bool voter = Contains(current.voters, id);
    bool learner = Contains(current.learners, id);
    raft::ConfChange change;
    change.node_id = id;
    change.context = name;
    switch (info.membership()) {
      case v1::NODE_MEMBERSHIP_VOTER:
        if (voter) continue;
        change.type = learner ? raft::ConfChangeType::kAddVoter : raft::ConfChangeType::kAddLearner;
        break;
      case v1::NODE_MEMBERSHIP_LEARNER:
        if (voter || learner) continue;
        change.type = raft::ConfChangeType::kAddLearner;
        break;
      case v1::NODE_MEMBERSHIP_REMOVED:
        if (!voter && !learner) continue;
        change.type = raft::ConfChangeType::kRemoveNode;
        break;
      default:
        continue;
    }
    (void)raft_->ProposeConfChange(change);
    return;
  }
}

}  // namespace tl::node
