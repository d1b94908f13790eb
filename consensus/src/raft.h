// The Raft state machine (etcd raft's `raft` struct): messages and ticks in, messages, log
// entries and hard state out through RawNode's Ready. No I/O, clock or threads. Internal: the
// public face is RawNode (raw_node.h), which documents the contract.
//
// Method bodies are split by concern: raft.cc (terms, elections, message dispatch),
// replication.cc (appends, commit, snapshots), membership.cc (conf changes, leadership
// transfer, ReadIndex).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "progress.h"
#include "raft_log.h"
#include "trialledger/consensus/config.h"
#include "trialledger/consensus/rng.h"
#include "trialledger/consensus/types.h"

namespace tl::raft {

class Raft {
 public:
  Raft(const Config& config, const LogStorage* storage);

  // Inputs.
  void Tick();
  absl::Status Step(const Message& message);
  absl::StatusOr<uint64_t> Propose(EntryType type, std::string data);
  absl::StatusOr<uint64_t> ProposeConfChange(const ConfChange& change);
  absl::Status ReadIndex(std::string request_context);
  absl::Status TransferLeadership(uint64_t transferee);
  absl::Status Campaign();

  // Ready/Advance plumbing (RawNode).
  void OnPersisted(uint64_t last_index, uint64_t last_term);
  void ApplyConfChange(const ConfChange& change);
  std::vector<Message> TakeMessages() { return std::exchange(messages_, {}); }
  std::vector<ReadState> TakeReadStates() { return std::exchange(read_states_, {}); }
  bool HasMessagesOrReads() const { return !messages_.empty() || !read_states_.empty(); }

  // State.
  uint64_t id() const { return config_.id; }
  uint64_t term() const { return term_; }
  Role role() const { return role_; }
  // Until its log holds what it had acknowledged before its storage lost it, a node neither votes
  // nor campaigns (Config::acknowledged).
  bool recovering() const { return Recovering(); }
  uint64_t leader() const { return leader_; }
  HardState hard_state() const { return HardState{term_, vote_, log_.committed()}; }
  SoftState soft_state() const { return SoftState{leader_, role_}; }
  ConfState conf_state() const;
  RaftLog& log() { return log_; }
  const RaftLog& log() const { return log_; }
  const Config& config() const { return config_; }
  const std::map<uint64_t, Progress>& progress() const { return progress_; }

 private:
  enum class CampaignKind { kPreElection, kElection, kTransfer };
  enum class VoteResult { kPending, kWon, kLost };
  struct PendingRead {
    uint64_t index;
    uint64_t requester;
    std::string context;
    std::set<uint64_t> acks;
  };

  // raft.cc: roles, terms, elections.
  void BecomeFollower(uint64_t term, uint64_t leader);
  void BecomePreCandidate();
  void BecomeCandidate();
  void BecomeLeader();
  void Reset(uint64_t term);
  void ResetRandomizedElectionTimeout();
  void TickElection();
  void TickHeartbeat();
  void StartCampaign(CampaignKind kind);
  VoteResult Poll(uint64_t voter, bool granted);
  void HandleVoteRequest(const Message& message);
  void StepLeader(const Message& message);
  void StepCandidate(const Message& message);
  void StepFollower(const Message& message);
  void Send(Message message);
  // A voter that is not recovering from lost storage (Config::acknowledged) may campaign.
  bool Promotable() const { return voters_.contains(config_.id) && !Recovering(); }
  bool Recovering() const;
  bool IsMember(uint64_t node) const { return voters_.contains(node) || learners_.contains(node); }
  uint64_t QuorumSize() const { return voters_.size() / 2 + 1; }
  bool QuorumActive();
  bool HasUnappliedConfChanges() const;
  bool CommittedInCurrentTerm() const { return log_.Term(log_.committed()) == term_; }

  // replication.cc: the leader's side and the follower's side of appends and snapshots.
  bool AppendEntries(std::vector<Entry> entries);
  bool MaybeSendAppend(uint64_t to, bool send_if_empty);
  void BroadcastAppend();
  void BroadcastHeartbeat(const std::string& context);
  bool MaybeCommit();
  void HandleAppend(const Message& message);
  void HandleHeartbeat(const Message& message);
  void HandleAppendResponse(const Message& message);
  void HandleHeartbeatResponse(const Message& message);
  void StartSnapshot(uint64_t to);
  void SendSnapshotChunks(uint64_t to);
  void HandleSnapshotChunk(const Message& message);
  void HandleSnapshotResponse(const Message& message);
  bool RestoreSnapshot(const Snapshot& snapshot);

  // membership.cc: ReadIndex and leadership transfer live here too (both are leader bookkeeping).
  absl::Status ValidateConfChange(const ConfChange& change) const;
  void AddProgress(uint64_t node, bool is_learner);
  void HandleReadIndexRequest(uint64_t requester, const std::string& context);
  void AcknowledgeRead(uint64_t from, const std::string& context);
  void SendTimeoutNow(uint64_t to);
  void AbortLeaderTransfer() { lead_transferee_ = kNoNode; }

  Config config_;
  RaftLog log_;
  const LogStorage* storage_;
  DeterministicRng rng_;

  uint64_t term_ = 0;
  uint64_t vote_ = kNoNode;
  uint64_t leader_ = kNoNode;
  Role role_ = Role::kFollower;
  std::set<uint64_t> voters_;
  std::set<uint64_t> learners_;

  uint64_t election_elapsed_ticks_ = 0;
  uint64_t heartbeat_elapsed_ticks_ = 0;
  uint64_t randomized_election_timeout_ticks_ = 0;

  std::map<uint64_t, bool> votes_;         // candidate: who granted
  std::map<uint64_t, Progress> progress_;  // leader: every member, self included
  uint64_t pending_conf_index_ = 0;        // leader: last conf change it appended
  uint64_t uncommitted_bytes_ = 0;         // leader: data bytes appended, not yet committed
  uint64_t lead_transferee_ = kNoNode;
  mutable bool recovered_ = false;  // latched: once caught up, later truncations do not matter
  std::deque<PendingRead> pending_reads_;  // leader: ReadIndex requests awaiting a quorum
  std::shared_ptr<const OutgoingSnapshot> outgoing_snapshot_;  // leader: newest one prepared
  std::optional<SnapshotChunk> incoming_snapshot_;             // follower: reassembly buffer

  std::vector<Message> messages_;
  std::vector<ReadState> read_states_;
};

// Vote requests with this context come from a leadership transfer and bypass the leader lease.
inline constexpr char kTransferContext[] = "transfer-leadership";

}  // namespace tl::raft
