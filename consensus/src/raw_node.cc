#include "trialledger/consensus/raw_node.h"

#include "trialledger/base/check.h"

#include "absl/strings/str_cat.h"
#include "raft.h"
#include "trialledger/consensus/codec.h"

namespace tl::raft {
namespace {

absl::Status ValidateConfig(const Config& config, const LogStorage* storage) {
  if (config.id == kNoNode) return absl::InvalidArgumentError("config.id must be nonzero");
  if (config.heartbeat_interval_ticks == 0 ||
      config.election_timeout_ticks <= config.heartbeat_interval_ticks) {
    return absl::InvalidArgumentError(
        "election_timeout_ticks must exceed heartbeat_interval_ticks, which must be nonzero");
  }
  if (config.max_inflight_appends == 0 || config.max_append_bytes == 0 ||
      config.max_inflight_bytes == 0 || config.snapshot_chunk_bytes == 0 ||
      config.max_inflight_snapshot_chunks == 0) {
    return absl::InvalidArgumentError("flow-control limits must be nonzero");
  }
  if (storage == nullptr) return absl::InvalidArgumentError("storage is null");
  // The application may have applied past the stored commit index (that is written unsynced),
  // never past the stored log.
  const uint64_t committed = std::max(storage->hard_state().commit, storage->snapshot().meta.index);
  if (config.applied_index > storage->LastIndex() || committed > storage->LastIndex()) {
    return absl::FailedPreconditionError(
        absl::StrCat("storage holds up to index ", storage->LastIndex(), " with commit ", committed,
                     " but the application claims to have applied up to ", config.applied_index));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RawNode>> RawNode::Create(const Config& config,
                                                         const LogStorage* storage) {
  if (absl::Status status = ValidateConfig(config, storage); !status.ok()) return status;
  return std::unique_ptr<RawNode>(new RawNode(config, storage));
}

RawNode::RawNode(const Config& config, const LogStorage* storage)
    : raft_(std::make_unique<Raft>(config, storage)),
      previous_soft_state_(raft_->soft_state()),
      persisted_hard_state_(storage->hard_state()) {}

RawNode::~RawNode() = default;

void RawNode::Tick() {
  raft_->Tick();
}
absl::Status RawNode::Step(const Message& message) {
  return raft_->Step(message);
}
absl::StatusOr<uint64_t> RawNode::Propose(std::string data) {
  return raft_->Propose(EntryType::kNormal, std::move(data));
}
absl::StatusOr<uint64_t> RawNode::ProposeConfChange(const ConfChange& change) {
  return raft_->ProposeConfChange(change);
}
absl::Status RawNode::ReadIndex(std::string request_context) {
  return raft_->ReadIndex(std::move(request_context));
}
absl::Status RawNode::TransferLeadership(uint64_t transferee) {
  return raft_->TransferLeadership(transferee);
}
absl::Status RawNode::Campaign() {
  return raft_->Campaign();
}

HardState RawNode::HardStateToPersist() const {
  HardState hard_state = raft_->hard_state();
  if (raft_->config().testing_knobs.vote_not_persisted) {
    hard_state.vote =
        hard_state.term == persisted_hard_state_.term ? persisted_hard_state_.vote : kNoNode;
  }
  return hard_state;
}

bool RawNode::HasReady() const {
  const RaftLog& log = raft_->log();
  return raft_->soft_state() != previous_soft_state_ ||
         HardStateToPersist() != persisted_hard_state_ || !log.unstable_entries().empty() ||
         log.unstable_snapshot().has_value() || raft_->HasMessagesOrReads() ||
         log.HasNextCommittedEntries();
}

Ready RawNode::GetReady() {
  TL_CHECK(!ready_outstanding_);
  ready_outstanding_ = true;
  RaftLog& log = raft_->log();
  Ready ready;
  if (const SoftState soft_state = raft_->soft_state(); soft_state != previous_soft_state_) {
    ready.soft_state = soft_state;
    previous_soft_state_ = soft_state;
  }
  ready.write.snapshot = log.unstable_snapshot();
  ready.write.entries = log.unstable_entries();
  const HardState hard_state = HardStateToPersist();
  bool vote_changed = false;
  if (hard_state != persisted_hard_state_) {
    ready.write.hard_state = hard_state;
    // A new commit index alone is written but not synced (as etcd does): the commit index is
    // volatile in Raft, a restart learns it again from the leader, and what the application
    // applied before a crash is committed by definition (the log raises its commit to it).
    vote_changed = hard_state.term != persisted_hard_state_.term ||
                   hard_state.vote != persisted_hard_state_.vote;
    persisted_hard_state_ = hard_state;
  }
  ready.write.must_sync =
      vote_changed || ready.write.snapshot.has_value() ||
      (!ready.write.entries.empty() && !raft_->config().testing_knobs.acknowledge_before_sync);
  std::vector<Message> messages = raft_->TakeMessages();
  // A leader's appends promise nothing about its own log, so they may travel while it writes;
  // anything sent after a term or vote change, or in answer to a peer, waits for the write.
  const bool may_send_early = raft_->role() == Role::kLeader && !vote_changed;
  const bool planted_bug = raft_->config().testing_knobs.send_every_message_early;
  for (Message& message : messages) {
    const bool leader_to_follower = message.type == MessageType::kAppend ||
                                    message.type == MessageType::kHeartbeat ||
                                    message.type == MessageType::kSnapshotChunk;
    (planted_bug || (may_send_early && leader_to_follower) ? ready.early_messages : ready.messages)
        .push_back(std::move(message));
  }
  ready.read_states = raft_->TakeReadStates();
  ready.committed_entries = log.NextCommittedEntries(raft_->config().max_committed_bytes_per_ready);

  pending_last_entry_.reset();
  if (!ready.write.entries.empty()) pending_last_entry_ = ready.write.entries.back();
  pending_snapshot_index_.reset();
  if (ready.write.snapshot) pending_snapshot_index_ = ready.write.snapshot->meta.index;
  pending_committed_ = ready.committed_entries;
  return ready;
}

void RawNode::Advance() {
  TL_CHECK(ready_outstanding_);
  ready_outstanding_ = false;
  RaftLog& log = raft_->log();
  if (pending_snapshot_index_) log.StableSnapshotTo(*pending_snapshot_index_);
  if (pending_last_entry_)
    raft_->OnPersisted(pending_last_entry_->index, pending_last_entry_->term);
  for (const Entry& entry : pending_committed_) {
    if (entry.type != EntryType::kConfChange) continue;
    absl::StatusOr<ConfChange> change = DecodeConfChange(entry.data);
    TL_CHECK(change.ok());  // the leader encoded it; storage checksums guard the bytes
    if (change.ok()) raft_->ApplyConfChange(*change);
  }
  if (!pending_committed_.empty()) log.AppliedTo(pending_committed_.back().index);
  pending_committed_.clear();
}

uint64_t RawNode::id() const {
  return raft_->id();
}
SoftState RawNode::soft_state() const {
  return raft_->soft_state();
}
HardState RawNode::hard_state() const {
  return raft_->hard_state();
}
ConfState RawNode::conf_state() const {
  return raft_->conf_state();
}
uint64_t RawNode::applied_index() const {
  return raft_->log().applied();
}
uint64_t RawNode::last_index() const {
  return raft_->log().LastIndex();
}
bool RawNode::recovering() const {
  return raft_->recovering();
}

std::vector<PeerStatus> RawNode::peer_status() const {
  std::vector<PeerStatus> peers;
  if (raft_->role() != Role::kLeader) return peers;
  for (const auto& [node, progress] : raft_->progress()) {
    peers.push_back(PeerStatus{node, progress.match, progress.next, progress.is_learner,
                               progress.recent_active});
  }
  return peers;
}

}  // namespace tl::raft
