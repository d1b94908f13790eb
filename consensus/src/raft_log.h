// The core's view of the log: what storage holds plus the unstable tail (entries and possibly a
// snapshot the core accepted but the application has not yet persisted). Internal to the core.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "trialledger/consensus/log_storage.h"

namespace tl::raft {

class RaftLog {
 public:
  RaftLog(const LogStorage* storage, uint64_t applied_index);

  uint64_t FirstIndex() const;
  uint64_t LastIndex() const;
  uint64_t LastTerm() const { return *Term(LastIndex()); }
  // Empty when index is compacted away or beyond the last entry.
  std::optional<uint64_t> Term(uint64_t index) const;
  bool MatchTerm(uint64_t index, uint64_t term) const { return Term(index) == term; }
  // Raft's "at least as up to date" rule for votes (section 5.4.1).
  bool IsUpToDate(uint64_t last_index, uint64_t last_term) const {
    return last_term > LastTerm() || (last_term == LastTerm() && last_index >= LastIndex());
  }

  // Follower side of an append: the index of the last new entry, or empty if prev does not match.
  std::optional<uint64_t> MaybeAppend(uint64_t prev_index, uint64_t prev_term,
                                      uint64_t leader_commit, const std::vector<Entry>& entries);
  // Appends after the last entry (leader) or replaces a conflicting suffix; returns LastIndex().
  uint64_t Append(const std::vector<Entry>& entries);
  // The largest index <= `index` whose term is <= `term`: where a leader should probe next.
  uint64_t FindConflictByTerm(uint64_t index, uint64_t term) const;
  // Entries in [low, high) up to max_bytes (at least one); empty if low is compacted.
  std::vector<Entry> Slice(uint64_t low, uint64_t high, uint64_t max_bytes) const;

  uint64_t committed() const { return committed_; }
  uint64_t applied() const { return applied_; }
  void CommitTo(uint64_t index);
  void AppliedTo(uint64_t index);
  bool HasNextCommittedEntries() const;
  std::vector<Entry> NextCommittedEntries(uint64_t max_bytes) const;

  // Accepts a snapshot from the leader: the whole log is replaced by it.
  void Restore(const Snapshot& snapshot);

  // Ready plumbing: what is not yet durable, and marking it durable after Advance.
  const std::optional<Snapshot>& unstable_snapshot() const { return unstable_snapshot_; }
  const std::vector<Entry>& unstable_entries() const { return unstable_entries_; }
  void StableTo(uint64_t index, uint64_t term);
  void StableSnapshotTo(uint64_t index);
  // The last index the application has persisted (what a leader may count as its own replica).
  uint64_t StableLastIndex() const { return unstable_snapshot_ ? 0 : unstable_offset_ - 1; }

  // Under a planted bug (TestingKnobs) the log may be asked to rewrite committed entries; it then
  // complies instead of asserting, so the simulator's checker is what reports the violation.
  void set_tolerate_safety_violations(bool tolerate) { tolerate_safety_violations_ = tolerate; }

 private:
  uint64_t FindConflict(const std::vector<Entry>& entries) const;

  const LogStorage* storage_;
  std::optional<Snapshot> unstable_snapshot_;
  std::vector<Entry> unstable_entries_;  // unstable_entries_[i].index == unstable_offset_ + i
  uint64_t unstable_offset_ = 0;
  uint64_t committed_ = 0;
  uint64_t applied_ = 0;
  bool tolerate_safety_violations_ = false;
};

}  // namespace tl::raft
