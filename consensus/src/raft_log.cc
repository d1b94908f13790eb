#include "raft_log.h"

#include <algorithm>
#include "trialledger/base/check.h"

namespace tl::raft {

RaftLog::RaftLog(const LogStorage* storage, uint64_t applied_index) : storage_(storage) {
  unstable_offset_ = storage_->LastIndex() + 1;
  // The snapshot index and whatever the application applied are committed by definition; the
  // stored commit index may predate both (it is written unsynced).
  applied_ = std::max(applied_index, storage_->snapshot().meta.index);
  committed_ = std::max(storage_->hard_state().commit, applied_);
  TL_CHECK(committed_ <= LastIndex());
}

uint64_t RaftLog::FirstIndex() const {
  if (unstable_snapshot_) return unstable_snapshot_->meta.index + 1;
  return storage_->FirstIndex();
}

uint64_t RaftLog::LastIndex() const {
  if (!unstable_entries_.empty()) return unstable_offset_ + unstable_entries_.size() - 1;
  if (unstable_snapshot_) return unstable_snapshot_->meta.index;
  return storage_->LastIndex();
}

std::optional<uint64_t> RaftLog::Term(uint64_t index) const {
  if (index + 1 < FirstIndex() || index > LastIndex()) return std::nullopt;
  if (index >= unstable_offset_ && !unstable_entries_.empty()) {
    return unstable_entries_[index - unstable_offset_].term;
  }
  if (unstable_snapshot_) {
    if (index == unstable_snapshot_->meta.index) return unstable_snapshot_->meta.term;
    return std::nullopt;
  }
  return storage_->Term(index);
}

std::optional<uint64_t> RaftLog::MaybeAppend(uint64_t prev_index, uint64_t prev_term,
                                             uint64_t leader_commit,
                                             const std::vector<Entry>& entries) {
  if (!MatchTerm(prev_index, prev_term)) return std::nullopt;
  const uint64_t last_new_index = prev_index + entries.size();
  const uint64_t conflict_index = FindConflict(entries);
  // A conflict at or below the commit index would mean two leaders disagree on a committed
  // entry: a safety violation no valid run produces.
  TL_CHECK(tolerate_safety_violations_ || conflict_index == 0 || conflict_index > committed_);
  if (conflict_index != 0) {
    const auto first_new = entries.begin() + (conflict_index - (prev_index + 1));
    Append(std::vector<Entry>(first_new, entries.end()));
  }
  // Only entries this append proved to match the leader's may be marked committed.
  CommitTo(std::min(leader_commit, last_new_index));
  return last_new_index;
}

uint64_t RaftLog::FindConflict(const std::vector<Entry>& entries) const {
  for (const Entry& entry : entries) {
    if (!MatchTerm(entry.index, entry.term)) return entry.index;
  }
  return 0;
}

uint64_t RaftLog::Append(const std::vector<Entry>& entries) {
  if (entries.empty()) return LastIndex();
  const uint64_t first = entries.front().index;
  TL_CHECK(tolerate_safety_violations_ || first > committed_);
  if (first <= committed_) {
    // Only reachable under a planted bug: the checker sees the commit index go back.
    committed_ = first - 1;
    applied_ = std::min(applied_, committed_);
  }
  if (first == unstable_offset_ + unstable_entries_.size()) {
    // Extends the unstable tail directly.
  } else if (first <= unstable_offset_) {
    // Replaces the whole unstable tail (and, once persisted, storage's entries from `first`).
    unstable_offset_ = first;
    unstable_entries_.clear();
  } else {
    unstable_entries_.resize(first - unstable_offset_);
  }
  unstable_entries_.insert(unstable_entries_.end(), entries.begin(), entries.end());
  return LastIndex();
}

uint64_t RaftLog::FindConflictByTerm(uint64_t index, uint64_t term) const {
  index = std::min(index, LastIndex());
  while (index > 0) {
    const std::optional<uint64_t> our_term = Term(index);
    if (!our_term || *our_term <= term) break;
    --index;
  }
  return index;
}

std::vector<Entry> RaftLog::Slice(uint64_t low, uint64_t high, uint64_t max_bytes) const {
  std::vector<Entry> out;
  if (low < FirstIndex() || low >= high) return out;
  high = std::min(high, LastIndex() + 1);
  uint64_t size_bytes = 0;
  if (low < unstable_offset_) {
    const uint64_t stored_high = std::min(high, unstable_offset_);
    out = storage_->Entries(low, stored_high, max_bytes);
    for (const Entry& entry : out)
      size_bytes += entry.data.size();
    if (out.size() < stored_high - low) return out;  // hit max_bytes inside storage
  }
  for (uint64_t index = std::max(low, unstable_offset_); index < high; ++index) {
    const Entry& entry = unstable_entries_[index - unstable_offset_];
    size_bytes += entry.data.size();
    if (!out.empty() && size_bytes > max_bytes) break;
    out.push_back(entry);
  }
  return out;
}

void RaftLog::CommitTo(uint64_t index) {
  if (index <= committed_) return;  // the commit index never goes back
  TL_CHECK(index <= LastIndex());
  committed_ = std::min(index, LastIndex());
}

void RaftLog::AppliedTo(uint64_t index) {
  TL_CHECK(tolerate_safety_violations_ || (index >= applied_ && index <= committed_));
  applied_ = std::min(index, committed_);
}

bool RaftLog::HasNextCommittedEntries() const {
  return committed_ > applied_ && applied_ + 1 >= FirstIndex();
}

std::vector<Entry> RaftLog::NextCommittedEntries(uint64_t max_bytes) const {
  if (!HasNextCommittedEntries()) return {};
  return Slice(applied_ + 1, committed_ + 1, max_bytes);
}

void RaftLog::Restore(const Snapshot& snapshot) {
  unstable_snapshot_ = snapshot;
  unstable_entries_.clear();
  unstable_offset_ = snapshot.meta.index + 1;
  committed_ = snapshot.meta.index;
  applied_ = std::max(applied_, snapshot.meta.index);
}

void RaftLog::StableTo(uint64_t index, uint64_t term) {
  // The tail may have been replaced since the Ready was taken: only drop what still matches.
  if (index < unstable_offset_ || unstable_entries_.empty() || index > LastIndex()) return;
  if (unstable_entries_[index - unstable_offset_].term != term) return;
  unstable_entries_.erase(unstable_entries_.begin(),
                          unstable_entries_.begin() + (index + 1 - unstable_offset_));
  unstable_offset_ = index + 1;
}

void RaftLog::StableSnapshotTo(uint64_t index) {
  if (unstable_snapshot_ && unstable_snapshot_->meta.index == index) unstable_snapshot_.reset();
}

}  // namespace tl::raft
