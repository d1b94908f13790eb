// Log replication: the leader's appends with flow control, the commit rule, and snapshots sent
// in checksummed chunks; the follower's handling of each.
#include <algorithm>
#include "trialledger/base/check.h"

#include "raft.h"
#include "trialledger/consensus/codec.h"

namespace tl::raft {
namespace {

uint64_t DataBytes(const std::vector<Entry>& entries) {
  uint64_t size_bytes = 0;
  for (const Entry& entry : entries)
    size_bytes += entry.data.size();
  return size_bytes;
}

}  // namespace

bool Raft::AppendEntries(std::vector<Entry> entries) {
  const uint64_t size_bytes = DataBytes(entries);
  // One oversized entry is allowed when nothing is pending, so no entry can be stuck forever.
  if (uncommitted_bytes_ > 0 &&
      uncommitted_bytes_ + size_bytes > config_.max_uncommitted_entry_bytes) {
    return false;
  }
  uint64_t index = log_.LastIndex();
  for (Entry& entry : entries) {
    entry.term = term_;
    entry.index = ++index;
  }
  log_.Append(entries);
  uncommitted_bytes_ += size_bytes;
  // The leader's own copy counts toward commit only once persisted (OnPersisted).
  BroadcastAppend();
  return true;
}

void Raft::OnPersisted(uint64_t last_index, uint64_t last_term) {
  log_.StableTo(last_index, last_term);
  if (role_ != Role::kLeader) return;
  if (progress_.at(config_.id).MaybeUpdate(log_.StableLastIndex()) && MaybeCommit()) {
    BroadcastAppend();
  }
}

bool Raft::MaybeSendAppend(uint64_t to, bool send_if_empty) {
  Progress& progress = progress_.at(to);
  if (progress.Paused()) return false;
  const uint64_t prev_index = progress.next - 1;
  const std::optional<uint64_t> prev_term = log_.Term(prev_index);
  std::vector<Entry> entries;
  if (progress.next <= log_.LastIndex()) {
    entries = log_.Slice(progress.next, log_.LastIndex() + 1, config_.max_append_bytes);
  }
  if (!prev_term || (progress.next <= log_.LastIndex() && entries.empty())) {
    StartSnapshot(to);  // what the follower needs was compacted away
    return false;
  }
  if (entries.empty() && !send_if_empty) return false;

  Message message;
  message.type = MessageType::kAppend;
  message.to = to;
  message.index = prev_index;
  message.log_term = *prev_term;
  message.commit = log_.committed();
  if (!entries.empty()) {
    const uint64_t last_index = entries.back().index;
    if (progress.state == Progress::State::kReplicate) {
      progress.next = last_index + 1;  // pipelining: assume success, resend on rejection
      progress.inflights.Add(last_index, DataBytes(entries));
    } else {
      progress.probe_sent = true;
    }
  } else if (progress.state == Progress::State::kProbe) {
    progress.probe_sent = true;
  }
  message.entries = std::move(entries);
  Send(std::move(message));
  return true;
}

void Raft::BroadcastAppend() {
  for (const auto& [node, unused] : progress_) {
    if (node != config_.id) MaybeSendAppend(node, true);
  }
}

void Raft::BroadcastHeartbeat(const std::string& context) {
  for (const auto& [node, progress] : progress_) {
    if (node == config_.id) continue;
    Message message;
    message.type = MessageType::kHeartbeat;
    message.to = node;
    // Never ask a follower to commit past what it is known to hold, and name the term there so
    // a follower whose log is not what the leader believes (it lost entries) can tell.
    message.commit = std::min(progress.match, log_.committed());
    message.log_term = log_.Term(message.commit).value_or(0);
    message.context = context;
    Send(std::move(message));
  }
}

bool Raft::MaybeCommit() {
  std::vector<uint64_t> matches;
  for (const auto& [node, progress] : progress_) {
    if (voters_.contains(node)) matches.push_back(progress.match);
  }
  if (matches.empty()) return false;
  std::sort(matches.begin(), matches.end(), std::greater<>());
  const uint64_t quorum_index = matches[QuorumSize() - 1];
  if (quorum_index <= log_.committed()) return false;
  // Raft section 5.4.2: replica counting commits only entries of the leader's own term; earlier
  // entries commit indirectly. Counting replicas of an older entry is the Figure 8 bug.
  if (log_.Term(quorum_index) != term_ && !config_.testing_knobs.commit_previous_term_by_count) {
    return false;
  }
  const uint64_t old_commit = log_.committed();
  log_.CommitTo(quorum_index);
  for (const Entry& entry : log_.Slice(old_commit + 1, quorum_index + 1, UINT64_MAX)) {
    if (entry.term == term_) uncommitted_bytes_ -= std::min(uncommitted_bytes_, entry.data.size());
  }
  return true;
}

void Raft::HandleAppend(const Message& message) {
  Message response;
  response.type = MessageType::kAppendResponse;
  response.to = message.from;
  if (message.index < log_.committed()) {
    response.index = log_.committed();  // stale or duplicate: tell the leader what we hold
    Send(std::move(response));
    return;
  }
  if (std::optional<uint64_t> last_new =
          log_.MaybeAppend(message.index, message.log_term, message.commit, message.entries)) {
    response.index = *last_new;
    Send(std::move(response));
    return;
  }
  // Reject with a hint that lets the leader skip a whole conflicting term at once.
  const uint64_t hint_index =
      log_.FindConflictByTerm(std::min(message.index, log_.LastIndex()), message.log_term);
  response.index = message.index;
  response.reject = true;
  response.reject_hint = hint_index;
  response.log_term = log_.Term(hint_index).value_or(0);
  Send(std::move(response));
}

void Raft::HandleHeartbeat(const Message& message) {
  Message response;
  response.type = MessageType::kHeartbeatResponse;
  response.to = message.from;
  response.context = message.context;
  // By the log matching property, holding the leader's term at the commit index means holding
  // the leader's log up to it. A follower that does not (it restarted empty or lost synced
  // entries) commits nothing from the heartbeat and tells the leader where its log ends, so the
  // leader starts appending from there at once instead of at the next proposal. A leader that
  // names no term (an older version) is trusted as before.
  const bool names_term = message.log_term != 0;
  if (!names_term) {
    log_.CommitTo(std::min(message.commit, log_.LastIndex()));
  } else if (message.commit <= log_.committed()) {
    // Already committed here (and perhaps compacted): nothing to learn.
  } else if (log_.Term(message.commit) == message.log_term) {
    log_.CommitTo(message.commit);
  } else {
    response.reject = true;
    response.index = std::min(log_.LastIndex(), message.commit - 1);
  }
  Send(std::move(response));
}

void Raft::HandleAppendResponse(const Message& message) {
  Progress& progress = progress_.at(message.from);
  progress.recent_active = true;
  if (message.reject) {
    uint64_t next_probe_index = message.reject_hint;
    if (message.log_term > 0) {
      next_probe_index = log_.FindConflictByTerm(message.reject_hint, message.log_term);
    }
    if (progress.MaybeDecrease(message.index, next_probe_index)) {
      if (progress.state == Progress::State::kReplicate) progress.BecomeProbe();
      MaybeSendAppend(message.from, true);
    }
    return;
  }
  const bool was_paused = progress.Paused();
  const bool updated = progress.MaybeUpdate(message.index);
  if (progress.state == Progress::State::kSnapshot && progress.match >= progress.snapshot_index) {
    // The follower holds everything the snapshot covers, whether it installed it or (when its
    // match was already there) not: back to appends.
    progress.BecomeProbe();
    progress.BecomeReplicate();
  } else if (!updated) {
    return;
  } else if (progress.state == Progress::State::kProbe) {
    progress.BecomeReplicate();
  } else if (progress.state == Progress::State::kReplicate) {
    progress.inflights.FreeLE(message.index);
  }
  if (MaybeCommit()) {
    BroadcastAppend();
  } else if (was_paused) {
    MaybeSendAppend(message.from, true);
  }
  while (MaybeSendAppend(message.from, false)) {
  }
  if (message.from == lead_transferee_ && progress.match == log_.LastIndex()) {
    SendTimeoutNow(message.from);
  }
}

void Raft::HandleHeartbeatResponse(const Message& message) {
  Progress& progress = progress_.at(message.from);
  progress.recent_active = true;
  progress.probe_sent = false;
  if (progress.state == Progress::State::kReplicate && progress.inflights.Full()) {
    progress.inflights.FreeFirstOne();
  }
  if (message.reject && message.index < progress.match &&
      progress.state != Progress::State::kSnapshot) {
    // The follower holds less than it once acknowledged. Everything it lost is committed (the
    // heartbeat named at most the commit index), so a lower match cannot move the commit index;
    // it only makes the appends start where the follower's log now ends.
    progress.match = message.index;
    progress.BecomeProbe();
  }
  if (progress.state == Progress::State::kSnapshot) {
    // No progress for a whole heartbeat round: a chunk or the final response was lost.
    if (progress.snapshot_acked_bytes == progress.snapshot_acked_bytes_at_heartbeat) {
      progress.snapshot_sent_bytes = progress.snapshot_acked_bytes;
      SendSnapshotChunks(message.from);
    }
    progress.snapshot_acked_bytes_at_heartbeat = progress.snapshot_acked_bytes;
  } else if (progress.match < log_.LastIndex()) {
    MaybeSendAppend(message.from, true);
  }
  if (!message.context.empty()) AcknowledgeRead(message.from, message.context);
}

void Raft::StartSnapshot(uint64_t to) {
  const Snapshot& stored = storage_->snapshot();
  if (!outgoing_snapshot_ || outgoing_snapshot_->snapshot.meta.index != stored.meta.index) {
    outgoing_snapshot_ =
        std::make_shared<const OutgoingSnapshot>(OutgoingSnapshot{stored, Crc32c(stored.data)});
  }
  progress_.at(to).BecomeSnapshot(outgoing_snapshot_);
  SendSnapshotChunks(to);
}

void Raft::SendSnapshotChunks(uint64_t to) {
  Progress& progress = progress_.at(to);
  TL_CHECK(progress.state == Progress::State::kSnapshot);
  const OutgoingSnapshot& outgoing = *progress.snapshot;
  const std::string& data = outgoing.snapshot.data;
  const uint64_t window_bytes = config_.snapshot_chunk_bytes * config_.max_inflight_snapshot_chunks;
  // Always at least one chunk (an empty image is one empty chunk), then fill the window.
  do {
    Message message;
    message.type = MessageType::kSnapshotChunk;
    message.to = to;
    SnapshotChunk& chunk = message.snapshot;
    chunk.meta = outgoing.snapshot.meta;
    chunk.offset_bytes = progress.snapshot_sent_bytes;
    chunk.total_size_bytes = data.size();
    chunk.data = data.substr(chunk.offset_bytes, config_.snapshot_chunk_bytes);
    chunk.chunk_crc32c = Crc32c(chunk.data);
    chunk.snapshot_crc32c = outgoing.crc32c;
    progress.snapshot_sent_bytes += chunk.data.size();
    Send(std::move(message));
  } while (progress.snapshot_sent_bytes < data.size() &&
           progress.snapshot_sent_bytes - progress.snapshot_acked_bytes < window_bytes);
}

void Raft::HandleSnapshotResponse(const Message& message) {
  Progress& progress = progress_.at(message.from);
  progress.recent_active = true;
  if (progress.state != Progress::State::kSnapshot || message.log_term != progress.snapshot_index) {
    return;  // a response about an earlier transfer
  }
  const uint64_t total_bytes = progress.snapshot->snapshot.data.size();
  if (message.reject) {
    // Corrupt, lost or reordered chunks: resend from what the follower holds.
    progress.snapshot_acked_bytes = std::min(message.reject_hint, total_bytes);
    progress.snapshot_sent_bytes = progress.snapshot_acked_bytes;
  } else if (message.index > progress.snapshot_acked_bytes) {
    progress.snapshot_acked_bytes = std::min(message.index, total_bytes);
    progress.snapshot_sent_bytes =
        std::max(progress.snapshot_sent_bytes, progress.snapshot_acked_bytes);
  } else {
    return;  // duplicate acknowledgement
  }
  // Once every byte is confirmed the follower answers with an append response instead.
  if (progress.snapshot_sent_bytes < total_bytes) SendSnapshotChunks(message.from);
}

void Raft::HandleSnapshotChunk(const Message& message) {
  const SnapshotChunk& chunk = message.snapshot;
  if (chunk.meta.index <= log_.committed()) {
    // We already hold everything it covers (perhaps the final response was lost).
    Message caught_up;
    caught_up.type = MessageType::kAppendResponse;
    caught_up.to = message.from;
    caught_up.index = log_.committed();
    Send(std::move(caught_up));
    return;
  }
  Message response;
  response.type = MessageType::kSnapshotResponse;
  response.to = message.from;
  response.log_term = chunk.meta.index;  // names the transfer the response is about
  const bool same_transfer = incoming_snapshot_ && incoming_snapshot_->meta == chunk.meta &&
                             incoming_snapshot_->snapshot_crc32c == chunk.snapshot_crc32c;
  const uint64_t received_bytes = same_transfer ? incoming_snapshot_->data.size() : 0;
  if (Crc32c(chunk.data) != chunk.chunk_crc32c ||
      chunk.offset_bytes + chunk.data.size() > chunk.total_size_bytes) {
    response.reject = true;  // corrupt in transit: ask for it again
    response.reject_hint = received_bytes;
    Send(std::move(response));
    return;
  }
  if (!same_transfer) {
    if (chunk.offset_bytes != 0) {
      response.reject = true;
      response.reject_hint = 0;
      Send(std::move(response));
      return;
    }
    incoming_snapshot_ =
        SnapshotChunk{chunk.meta, 0, chunk.total_size_bytes, "", 0, chunk.snapshot_crc32c};
  }
  std::string& buffer = incoming_snapshot_->data;
  if (chunk.offset_bytes != buffer.size()) {
    // A duplicate: restate progress. A gap (a chunk was lost or is late, or we restarted and
    // the leader trusts a stale acknowledgement): reject, so the leader resends from here.
    response.index = buffer.size();
    response.reject = chunk.offset_bytes > buffer.size();
    response.reject_hint = buffer.size();
    Send(std::move(response));
    return;
  }
  buffer.append(chunk.data);
  if (buffer.size() < chunk.total_size_bytes) {
    response.index = buffer.size();
    Send(std::move(response));
    return;
  }
  Snapshot snapshot{chunk.meta, std::move(buffer)};
  incoming_snapshot_.reset();
  if (Crc32c(snapshot.data) != chunk.snapshot_crc32c) {
    response.reject = true;
    response.reject_hint = 0;
    Send(std::move(response));
    return;
  }
  Message append_response;
  append_response.type = MessageType::kAppendResponse;
  append_response.to = message.from;
  append_response.index = RestoreSnapshot(snapshot) ? log_.LastIndex() : log_.committed();
  Send(std::move(append_response));
}

bool Raft::RestoreSnapshot(const Snapshot& snapshot) {
  if (snapshot.meta.index <= log_.committed()) return false;
  if (log_.MatchTerm(snapshot.meta.index, snapshot.meta.term)) {
    log_.CommitTo(snapshot.meta.index);  // we already hold it: fast-forward instead
    return false;
  }
  log_.Restore(snapshot);
  voters_ = std::set<uint64_t>(snapshot.meta.conf_state.voters.begin(),
                               snapshot.meta.conf_state.voters.end());
  learners_ = std::set<uint64_t>(snapshot.meta.conf_state.learners.begin(),
                                 snapshot.meta.conf_state.learners.end());
  return true;
}

}  // namespace tl::raft
