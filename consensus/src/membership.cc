// Proposals, membership changes (one at a time, effective when applied), leadership transfer
// and ReadIndex: the leader-side bookkeeping that is not replication itself.
#include <algorithm>
#include <cassert>

#include "absl/strings/str_cat.h"
#include "raft.h"
#include "trialledger/consensus/codec.h"

namespace tl::raft {

absl::StatusOr<uint64_t> Raft::Propose(EntryType type, std::string data) {
  if (role_ != Role::kLeader) {
    return absl::FailedPreconditionError(absl::StrCat(
        "node ", config_.id, " is not the leader; the leader is node ", leader_, " (0: unknown)"));
  }
  if (lead_transferee_ != kNoNode) {
    return absl::UnavailableError(absl::StrCat("leadership is being transferred to node ",
                                               lead_transferee_, "; retry on the new leader"));
  }
  if (!AppendEntries({Entry{0, 0, type, std::move(data)}})) {
    return absl::ResourceExhaustedError(
        absl::StrCat("leader holds ", uncommitted_bytes_, " uncommitted bytes (limit ",
                     config_.max_uncommitted_entry_bytes, "); retry after commits catch up"));
  }
  return log_.LastIndex();
}

absl::StatusOr<uint64_t> Raft::ProposeConfChange(const ConfChange& change) {
  if (role_ == Role::kLeader) {
    if (absl::Status status = ValidateConfChange(change); !status.ok()) return status;
  }
  absl::StatusOr<uint64_t> index = Propose(EntryType::kConfChange, EncodeConfChange(change));
  if (index.ok()) pending_conf_index_ = *index;
  return index;
}

absl::Status Raft::ValidateConfChange(const ConfChange& change) const {
  if (pending_conf_index_ > log_.applied()) {
    return absl::FailedPreconditionError(absl::StrCat("membership change at index ",
                                                      pending_conf_index_,
                                                      " is not applied yet; one change at a time"));
  }
  const uint64_t node = change.node_id;
  switch (change.type) {
    case ConfChangeType::kAddLearner:
      if (IsMember(node)) {
        return absl::AlreadyExistsError(absl::StrCat("node ", node, " is already a member"));
      }
      break;
    case ConfChangeType::kAddVoter: {
      if (voters_.contains(node)) {
        return absl::AlreadyExistsError(absl::StrCat("node ", node, " is already a voter"));
      }
      if (!learners_.contains(node)) {
        return absl::FailedPreconditionError(
            absl::StrCat("add node ", node, " as a learner first, then promote it"));
      }
      // Promoting a learner that lags would stall commits until it catches up.
      const Progress& progress = progress_.at(node);
      if (progress.match < log_.committed()) {
        return absl::FailedPreconditionError(
            absl::StrCat("learner ", node, " has index ", progress.match, ", leader commit is ",
                         log_.committed(), "; promote it once caught up"));
      }
      break;
    }
    case ConfChangeType::kRemoveNode:
      if (!IsMember(node)) {
        return absl::NotFoundError(absl::StrCat("node ", node, " is not a member"));
      }
      if (voters_.size() == 1 && voters_.contains(node)) {
        return absl::FailedPreconditionError("cannot remove the last voter");
      }
      break;
  }
  return absl::OkStatus();
}

void Raft::AddProgress(uint64_t node, bool is_learner) {
  auto [it, inserted] = progress_.try_emplace(
      node, log_.LastIndex() + 1, config_.max_inflight_appends, config_.max_inflight_bytes);
  it->second.is_learner = is_learner;
  // A new member counts as active so adding it cannot make check-quorum depose the leader.
  if (inserted) it->second.recent_active = true;
}

void Raft::ApplyConfChange(const ConfChange& change) {
  // Applied on every node in log order, so it must accept anything that got committed; the
  // leader's validation keeps nonsense out, and a stale duplicate here is a no-op.
  const uint64_t node = change.node_id;
  switch (change.type) {
    case ConfChangeType::kAddLearner:
      if (voters_.contains(node)) return;
      learners_.insert(node);
      if (role_ == Role::kLeader) AddProgress(node, true);
      break;
    case ConfChangeType::kAddVoter:
      learners_.erase(node);
      voters_.insert(node);
      if (role_ == Role::kLeader) AddProgress(node, false);
      break;
    case ConfChangeType::kRemoveNode:
      if (voters_.size() == 1 && voters_.contains(node)) return;
      voters_.erase(node);
      learners_.erase(node);
      if (role_ == Role::kLeader && node != config_.id) progress_.erase(node);
      if (node == lead_transferee_) AbortLeaderTransfer();
      break;
  }
  if (role_ != Role::kLeader) return;
  if (node == config_.id && !voters_.contains(node)) {
    // A removed leader steps down, first nudging the most caught-up voter to take over so the
    // cluster need not wait for an election timeout.
    uint64_t successor = kNoNode;
    for (const auto& [peer, progress] : progress_) {
      if (voters_.contains(peer) && progress.match == log_.LastIndex()) successor = peer;
    }
    if (successor != kNoNode) SendTimeoutNow(successor);
    BecomeFollower(term_, kNoNode);
    return;
  }
  if (MaybeCommit()) BroadcastAppend();  // a smaller quorum may already hold more entries
}

absl::Status Raft::TransferLeadership(uint64_t transferee) {
  if (role_ != Role::kLeader) {
    return absl::FailedPreconditionError(
        absl::StrCat("node ", config_.id, " is not the leader; ask node ", leader_));
  }
  if (transferee == config_.id) return absl::OkStatus();
  if (!voters_.contains(transferee)) {
    return absl::InvalidArgumentError(
        absl::StrCat("node ", transferee, " is not a voter and cannot lead"));
  }
  lead_transferee_ = transferee;
  election_elapsed_ticks_ = 0;  // the transfer is abandoned after one election timeout
  if (progress_.at(transferee).match == log_.LastIndex()) {
    SendTimeoutNow(transferee);
  } else {
    MaybeSendAppend(transferee, true);
  }
  return absl::OkStatus();
}

void Raft::SendTimeoutNow(uint64_t to) {
  Message message;
  message.type = MessageType::kTimeoutNow;
  message.to = to;
  Send(std::move(message));
}

absl::Status Raft::ReadIndex(std::string request_context) {
  if (request_context.empty()) {
    return absl::InvalidArgumentError("a ReadIndex request needs a nonempty, unique context");
  }
  if (role_ == Role::kLeader) {
    if (!CommittedInCurrentTerm()) {
      return absl::UnavailableError(
          "the new leader has not committed an entry of its term yet; retry shortly");
    }
    HandleReadIndexRequest(config_.id, request_context);
    return absl::OkStatus();
  }
  if (leader_ == kNoNode) return absl::UnavailableError("no known leader; retry shortly");
  Message message;
  message.type = MessageType::kReadIndex;
  message.to = leader_;
  message.context = std::move(request_context);
  Send(std::move(message));
  return absl::OkStatus();
}

void Raft::HandleReadIndexRequest(uint64_t requester, const std::string& context) {
  // Until the leader commits in its term its commit index may lag the cluster's; a forwarded
  // request is then dropped and the requester retries after its own timeout.
  if (!CommittedInCurrentTerm() || context.empty()) return;
  const uint64_t index = log_.committed();
  if (voters_.size() == 1) {
    if (requester == config_.id) {
      read_states_.push_back(ReadState{index, context});
    } else {
      Message response;
      response.type = MessageType::kReadIndexResponse;
      response.to = requester;
      response.index = index;
      response.context = context;
      Send(std::move(response));
    }
    return;
  }
  // A heartbeat round acknowledged by a quorum proves we were still leader when the index was
  // recorded (Raft thesis section 6.4).
  pending_reads_.push_back(PendingRead{index, requester, context, {config_.id}});
  BroadcastHeartbeat(context);
}

void Raft::AcknowledgeRead(uint64_t from, const std::string& context) {
  auto it = std::find_if(pending_reads_.begin(), pending_reads_.end(),
                         [&](const PendingRead& read) { return read.context == context; });
  if (it == pending_reads_.end()) return;
  if (voters_.contains(from)) it->acks.insert(from);
  uint64_t voter_acks = 0;
  for (uint64_t node : it->acks)
    voter_acks += voters_.contains(node) ? 1 : 0;
  if (voter_acks < QuorumSize()) return;
  // The quorum also confirms every earlier request: they were registered before this round.
  const auto released_end = std::next(it);
  for (auto read = pending_reads_.begin(); read != released_end; ++read) {
    if (read->requester == config_.id) {
      read_states_.push_back(ReadState{read->index, read->context});
    } else {
      Message response;
      response.type = MessageType::kReadIndexResponse;
      response.to = read->requester;
      response.index = read->index;
      response.context = read->context;
      Send(std::move(response));
    }
  }
  pending_reads_.erase(pending_reads_.begin(), released_end);
}

}  // namespace tl::raft
