// Terms, roles, elections (with pre-vote and check-quorum) and message dispatch.
#include "raft.h"

#include <algorithm>
#include "trialledger/base/check.h"

#include "absl/strings/str_cat.h"
#include "trialledger/consensus/codec.h"

namespace tl::raft {

Raft::Raft(const Config& config, const LogStorage* storage)
    : config_(config),
      log_(storage, config.applied_index),
      storage_(storage),
      rng_(config.random_seed ^ (config.id * 0x9e3779b97f4a7c15ULL)) {
  const TestingKnobs& knobs = config.testing_knobs;
  log_.set_tolerate_safety_violations(knobs.acknowledge_before_sync || knobs.vote_not_persisted ||
                                      knobs.commit_previous_term_by_count ||
                                      knobs.send_every_message_early ||
                                      knobs.vote_while_recovering);
  const HardState hard_state = storage->hard_state();
  term_ = hard_state.term;
  vote_ = hard_state.vote;
  // Storage that lost the synced vote would let this node vote twice in a term: take it back
  // from the acknowledged mark (the first Ready persists it again).
  const Acknowledged& acknowledged = config.acknowledged;
  if (acknowledged.term > term_ || (acknowledged.term == term_ && vote_ == kNoNode)) {
    term_ = acknowledged.term;
    vote_ = acknowledged.vote;
  }
  const ConfState& conf_state = storage->snapshot().meta.conf_state;
  voters_.insert(conf_state.voters.begin(), conf_state.voters.end());
  learners_.insert(conf_state.learners.begin(), conf_state.learners.end());
  // Membership changes the application already applied are not in the snapshot: replay them.
  if (log_.applied() >= log_.FirstIndex()) {
    for (const Entry& entry : log_.Slice(log_.FirstIndex(), log_.applied() + 1, UINT64_MAX)) {
      if (entry.type != EntryType::kConfChange) continue;
      absl::StatusOr<ConfChange> change = DecodeConfChange(entry.data);
      TL_CHECK(change.ok());
      if (change.ok()) ApplyConfChange(*change);
    }
  }
  BecomeFollower(term_, kNoNode);
}

bool Raft::Recovering() const {
  if (recovered_ || config_.testing_knobs.vote_while_recovering) return false;
  const Acknowledged& acknowledged = config_.acknowledged;
  const uint64_t last_term = log_.LastTerm();
  recovered_ = last_term > acknowledged.last_term ||
               (last_term == acknowledged.last_term && log_.LastIndex() >= acknowledged.last_index);
  return !recovered_;
}

ConfState Raft::conf_state() const {
  return ConfState{std::vector<uint64_t>(voters_.begin(), voters_.end()),
                   std::vector<uint64_t>(learners_.begin(), learners_.end())};
}

void Raft::Reset(uint64_t term) {
  if (term_ != term) {
    term_ = term;
    vote_ = kNoNode;
  }
  leader_ = kNoNode;
  election_elapsed_ticks_ = 0;
  heartbeat_elapsed_ticks_ = 0;
  ResetRandomizedElectionTimeout();
  AbortLeaderTransfer();
  votes_.clear();
  progress_.clear();
  pending_reads_.clear();
  uncommitted_bytes_ = 0;
  outgoing_snapshot_.reset();
}

void Raft::ResetRandomizedElectionTimeout() {
  // Randomized in [timeout, 2 * timeout) so that split votes resolve (Raft section 5.2).
  randomized_election_timeout_ticks_ =
      config_.election_timeout_ticks + rng_.Uniform(config_.election_timeout_ticks);
}

void Raft::BecomeFollower(uint64_t term, uint64_t leader) {
  Reset(term);
  leader_ = leader;
  role_ = Role::kFollower;
}

void Raft::BecomePreCandidate() {
  // Pre-vote changes neither term nor vote: a partitioned node that keeps failing pre-votes
  // cannot inflate its term and depose a healthy leader when it rejoins.
  TL_CHECK(role_ != Role::kLeader);
  votes_.clear();
  leader_ = kNoNode;
  role_ = Role::kPreCandidate;
}

void Raft::BecomeCandidate() {
  TL_CHECK(role_ != Role::kLeader);
  Reset(term_ + 1);
  vote_ = config_.id;
  role_ = Role::kCandidate;
}

void Raft::BecomeLeader() {
  TL_CHECK(role_ == Role::kCandidate);
  Reset(term_);
  leader_ = config_.id;
  role_ = Role::kLeader;
  for (uint64_t voter : voters_)
    AddProgress(voter, false);
  for (uint64_t learner : learners_)
    AddProgress(learner, true);
  Progress& self = progress_.at(config_.id);
  self.match = log_.StableLastIndex();
  self.BecomeReplicate();
  self.recent_active = true;
  // No membership change until everything up to here is applied; with changes that take effect
  // on apply this closes the single-server-change hole (etcd does the same).
  pending_conf_index_ = log_.LastIndex();
  // An entry of our own term lets earlier-term entries commit (Raft section 5.4.2).
  AppendEntries({Entry{0, 0, EntryType::kEmpty, ""}});
}

void Raft::Tick() {
  if (role_ == Role::kLeader) {
    TickHeartbeat();
  } else {
    TickElection();
  }
}

void Raft::TickElection() {
  ++election_elapsed_ticks_;
  if (Promotable() && election_elapsed_ticks_ >= randomized_election_timeout_ticks_) {
    election_elapsed_ticks_ = 0;
    StartCampaign(config_.pre_vote ? CampaignKind::kPreElection : CampaignKind::kElection);
  }
}

void Raft::TickHeartbeat() {
  ++heartbeat_elapsed_ticks_;
  ++election_elapsed_ticks_;
  if (election_elapsed_ticks_ >= config_.election_timeout_ticks) {
    election_elapsed_ticks_ = 0;
    if (config_.check_quorum && !QuorumActive()) {
      BecomeFollower(term_, kNoNode);  // a leader cut off from a quorum stops serving
      return;
    }
    AbortLeaderTransfer();  // the transferee had a whole election timeout to catch up
  }
  if (heartbeat_elapsed_ticks_ >= config_.heartbeat_interval_ticks) {
    heartbeat_elapsed_ticks_ = 0;
    BroadcastHeartbeat("");
  }
}

bool Raft::QuorumActive() {
  uint64_t active = 0;
  for (auto& [node, progress] : progress_) {
    if (node == config_.id) progress.recent_active = true;
    if (progress.recent_active && voters_.contains(node)) ++active;
    if (node != config_.id) progress.recent_active = false;
  }
  return active >= QuorumSize();
}

bool Raft::HasUnappliedConfChanges() const {
  if (log_.committed() <= log_.applied()) return false;
  for (const Entry& entry : log_.Slice(log_.applied() + 1, log_.committed() + 1, UINT64_MAX)) {
    if (entry.type == EntryType::kConfChange) return true;
  }
  return false;
}

absl::Status Raft::Campaign() {
  if (role_ == Role::kLeader) return absl::OkStatus();
  if (!Promotable()) {
    return absl::FailedPreconditionError(
        absl::StrCat("node ", config_.id, " is not a voter and cannot campaign"));
  }
  StartCampaign(config_.pre_vote ? CampaignKind::kPreElection : CampaignKind::kElection);
  return absl::OkStatus();
}

void Raft::StartCampaign(CampaignKind kind) {
  // A node that has committed but unapplied membership changes may campaign with a stale
  // configuration; it waits until the application catches up.
  if (!Promotable() || HasUnappliedConfChanges()) return;
  MessageType request_type = MessageType::kVote;
  uint64_t request_term = 0;
  if (kind == CampaignKind::kPreElection) {
    BecomePreCandidate();
    request_type = MessageType::kPreVote;
    request_term = term_ + 1;
  } else {
    BecomeCandidate();
    request_term = term_;
  }
  if (Poll(config_.id, true) == VoteResult::kWon) {
    if (kind == CampaignKind::kPreElection) {
      StartCampaign(CampaignKind::kElection);
    } else {
      BecomeLeader();
    }
    return;
  }
  for (uint64_t voter : voters_) {
    if (voter == config_.id) continue;
    Message request;
    request.type = request_type;
    request.to = voter;
    request.term = request_term;
    request.index = log_.LastIndex();
    request.log_term = log_.LastTerm();
    if (kind == CampaignKind::kTransfer) request.context = kTransferContext;
    Send(std::move(request));
  }
}

Raft::VoteResult Raft::Poll(uint64_t voter, bool granted) {
  votes_.emplace(voter, granted);
  uint64_t granted_count = 0;
  uint64_t rejected_count = 0;
  for (const auto& [node, vote_granted] : votes_) {
    if (!voters_.contains(node)) continue;
    (vote_granted ? granted_count : rejected_count)++;
  }
  if (granted_count >= QuorumSize()) return VoteResult::kWon;
  if (rejected_count >= QuorumSize()) return VoteResult::kLost;
  return VoteResult::kPending;
}

void Raft::Send(Message message) {
  message.from = config_.id;
  if (message.term == 0) message.term = term_;
  messages_.push_back(std::move(message));
}

absl::Status Raft::Step(const Message& message) {
  if (message.to != config_.id) {
    return absl::InvalidArgumentError(
        absl::StrCat("message for node ", message.to, " delivered to node ", config_.id));
  }
  const bool is_vote_request =
      message.type == MessageType::kVote || message.type == MessageType::kPreVote;
  if (message.term > term_) {
    if (is_vote_request) {
      // Leader lease: while we hear from a live leader, a vote request is a disruption (a node
      // rejoining from a partition), unless the leader itself asked for the election.
      const bool in_lease = config_.check_quorum && leader_ != kNoNode &&
                            election_elapsed_ticks_ < config_.election_timeout_ticks;
      if (in_lease && message.context != kTransferContext) return absl::OkStatus();
    }
    if (message.type == MessageType::kPreVote ||
        (message.type == MessageType::kPreVoteResponse && !message.reject)) {
      // A pre-vote neither raises our term nor is it evidence of a newer leader.
    } else if (message.type == MessageType::kAppend || message.type == MessageType::kHeartbeat ||
               message.type == MessageType::kSnapshotChunk) {
      BecomeFollower(message.term, message.from);
    } else {
      BecomeFollower(message.term, kNoNode);
    }
  } else if (message.term < term_) {
    if ((config_.check_quorum || config_.pre_vote) &&
        (message.type == MessageType::kAppend || message.type == MessageType::kHeartbeat)) {
      // Tell a stale leader about the newer term so it steps down; without this, a leader
      // isolated by check-quorum could never learn why its appends go unanswered.
      Message response;
      response.type = MessageType::kAppendResponse;
      response.to = message.from;
      Send(std::move(response));
    } else if (message.type == MessageType::kPreVote) {
      Message response;
      response.type = MessageType::kPreVoteResponse;
      response.to = message.from;
      response.reject = true;
      Send(std::move(response));
    }
    return absl::OkStatus();
  }

  if (is_vote_request) {
    HandleVoteRequest(message);
    return absl::OkStatus();
  }
  switch (role_) {
    case Role::kLeader:
      StepLeader(message);
      break;
    case Role::kPreCandidate:
    case Role::kCandidate:
      StepCandidate(message);
      break;
    case Role::kFollower:
      StepFollower(message);
      break;
  }
  return absl::OkStatus();
}

void Raft::HandleVoteRequest(const Message& message) {
  const bool pre_vote = message.type == MessageType::kPreVote;
  const bool can_vote = vote_ == message.from || (vote_ == kNoNode && leader_ == kNoNode) ||
                        (pre_vote && message.term > term_);
  Message response;
  response.type = pre_vote ? MessageType::kPreVoteResponse : MessageType::kVoteResponse;
  response.to = message.from;
  if (can_vote && !Recovering() && log_.IsUpToDate(message.index, message.log_term)) {
    // Granted responses carry the request's term: a pre-vote is for term + 1.
    response.term = message.term;
    if (!pre_vote) {
      election_elapsed_ticks_ = 0;
      vote_ = message.from;
    }
  } else {
    response.reject = true;
  }
  Send(std::move(response));
}

void Raft::StepCandidate(const Message& message) {
  switch (message.type) {
    case MessageType::kAppend:
      BecomeFollower(message.term, message.from);
      HandleAppend(message);
      break;
    case MessageType::kHeartbeat:
      BecomeFollower(message.term, message.from);
      HandleHeartbeat(message);
      break;
    case MessageType::kSnapshotChunk:
      BecomeFollower(message.term, message.from);
      HandleSnapshotChunk(message);
      break;
    case MessageType::kPreVoteResponse:
    case MessageType::kVoteResponse: {
      const bool expected =
          (role_ == Role::kPreCandidate) == (message.type == MessageType::kPreVoteResponse);
      if (!expected) break;
      switch (Poll(message.from, !message.reject)) {
        case VoteResult::kWon:
          if (role_ == Role::kPreCandidate) {
            StartCampaign(CampaignKind::kElection);
          } else {
            BecomeLeader();
          }
          break;
        case VoteResult::kLost:
          BecomeFollower(term_, kNoNode);
          break;
        case VoteResult::kPending:
          break;
      }
      break;
    }
    default:
      break;
  }
}

void Raft::StepFollower(const Message& message) {
  switch (message.type) {
    case MessageType::kAppend:
      election_elapsed_ticks_ = 0;
      leader_ = message.from;
      HandleAppend(message);
      break;
    case MessageType::kHeartbeat:
      election_elapsed_ticks_ = 0;
      leader_ = message.from;
      HandleHeartbeat(message);
      break;
    case MessageType::kSnapshotChunk:
      election_elapsed_ticks_ = 0;
      leader_ = message.from;
      HandleSnapshotChunk(message);
      break;
    case MessageType::kTimeoutNow:
      // The leader hands over: campaign at once, skipping pre-vote, past the others' lease.
      if (Promotable()) StartCampaign(CampaignKind::kTransfer);
      break;
    case MessageType::kReadIndexResponse:
      read_states_.push_back(ReadState{message.index, message.context});
      break;
    default:
      break;
  }
}

void Raft::StepLeader(const Message& message) {
  if (!progress_.contains(message.from)) return;  // a node no longer in the configuration
  switch (message.type) {
    case MessageType::kAppendResponse:
      HandleAppendResponse(message);
      break;
    case MessageType::kHeartbeatResponse:
      HandleHeartbeatResponse(message);
      break;
    case MessageType::kSnapshotResponse:
      HandleSnapshotResponse(message);
      break;
    case MessageType::kReadIndex:
      HandleReadIndexRequest(message.from, message.context);
      break;
    default:
      break;
  }
}

}  // namespace tl::raft
