// The simulator's safety checker (in the spirit of LogCabin's RaftConsensusInvariants): every
// hook returns a violation the moment a Raft safety property breaks.
//
//   election safety      at most one leader per term
//   log matching         two logs holding an entry with the same index and term agree on its
//                        data and on the term before it (hence, by induction, on the prefix)
//   leader completeness  a new leader's log holds every entry any node knows to be committed
//   state machine safety no two nodes commit or apply different entries at one index, and a
//                        snapshot's state equals the state any node reached at that index
//   commit monotonicity  a node's synced commit index never decreases, across restarts too
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "trialledger/consensus/log_storage.h"

namespace tl::raft::sim {

uint64_t HashBytes(std::string_view data, uint64_t seed = 0xcbf29ce484222325ULL);

class InvariantChecker {
 public:
  // A node (re)started from `storage`; commit_floor is the highest commit it had synced.
  absl::Status OnStart(uint64_t node, const LogStorage& storage);
  // After a Ready's write reached storage (synced iff `synced`).
  absl::Status OnWrite(uint64_t node, const StorageWrite& write, const LogStorage& storage,
                       bool synced);
  absl::Status OnBecameLeader(uint64_t node, uint64_t term, const LogStorage& storage);
  absl::Status OnApply(uint64_t node, const Entry& entry, uint64_t state_hash_after);
  absl::Status OnSnapshotState(uint64_t node, uint64_t index, uint64_t state_hash);

  uint64_t committed_entry_count() const { return committed_.size(); }
  uint64_t leader_count() const { return leader_of_term_.size(); }

 private:
  struct EntryId {
    uint64_t term;
    uint64_t data_hash;
    bool operator==(const EntryId&) const = default;
  };
  absl::Status RecordCommitted(uint64_t node, uint64_t index, EntryId entry, const char* how);

  std::map<uint64_t, uint64_t> leader_of_term_;
  // (index, term) -> (data hash, term of the previous entry), over every log ever written.
  std::map<std::pair<uint64_t, uint64_t>, std::pair<uint64_t, uint64_t>> written_;
  std::map<uint64_t, EntryId> committed_;        // index -> the entry committed there
  std::map<uint64_t, uint64_t> state_hash_at_;   // index -> state machine hash after it
  std::map<uint64_t, uint64_t> synced_commit_;   // node -> highest synced commit index
  std::map<uint64_t, uint64_t> commit_scanned_;  // node -> commit index recorded so far
};

}  // namespace tl::raft::sim
