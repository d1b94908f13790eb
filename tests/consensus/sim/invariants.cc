#include "invariants.h"

#include "absl/strings/str_cat.h"

namespace tl::raft::sim {
namespace {

absl::Status Violation(std::string message) {
  return absl::InternalError(absl::StrCat("INVARIANT VIOLATED: ", message));
}

uint64_t EntryDataHash(const Entry& entry) {
  return HashBytes(entry.data, HashBytes(std::string(1, static_cast<char>(entry.type))));
}

}  // namespace

uint64_t HashBytes(std::string_view data, uint64_t seed) {
  uint64_t hash = seed;
  for (char c : data) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

absl::Status InvariantChecker::OnStart(uint64_t node, const LogStorage& storage) {
  const uint64_t durable_commit = storage.hard_state().commit;
  if (durable_commit < synced_commit_[node]) {
    return Violation(absl::StrCat("commit index went back across a restart: node ", node,
                                  " had synced commit ", synced_commit_[node], ", recovered ",
                                  durable_commit));
  }
  commit_scanned_[node] = storage.snapshot().meta.index;
  return absl::OkStatus();
}

absl::Status InvariantChecker::OnWrite(uint64_t node, const StorageWrite& write,
                                       const LogStorage& storage, bool synced) {
  if (write.snapshot) commit_scanned_[node] = write.snapshot->meta.index;
  for (const Entry& entry : write.entries) {
    const uint64_t previous_term = storage.Term(entry.index - 1);
    auto [it, inserted] =
        written_.try_emplace({entry.index, entry.term}, EntryDataHash(entry), previous_term);
    if (!inserted && it->second != std::make_pair(EntryDataHash(entry), previous_term)) {
      return Violation(absl::StrCat("log matching: node ", node, " wrote index ", entry.index,
                                    " term ", entry.term,
                                    " with different data or previous term than another log"));
    }
  }
  if (!write.hard_state) return absl::OkStatus();
  const uint64_t commit = write.hard_state->commit;
  if (commit < synced_commit_[node]) {
    return Violation(absl::StrCat("commit index went back: node ", node, " from ",
                                  synced_commit_[node], " to ", commit));
  }
  if (synced) synced_commit_[node] = commit;
  // Every entry up to the commit index is committed: record it against all other nodes.
  uint64_t& scanned = commit_scanned_[node];
  scanned = std::max(scanned, storage.FirstIndex() - 1);
  for (; scanned < commit && scanned < storage.LastIndex(); ++scanned) {
    const uint64_t index = scanned + 1;
    const Entry entry = storage.Entries(index, index + 1, UINT64_MAX).front();
    if (absl::Status status =
            RecordCommitted(node, index, {entry.term, EntryDataHash(entry)}, "commits");
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::RecordCommitted(uint64_t node, uint64_t index, EntryId entry,
                                               const char* how) {
  auto [it, inserted] = committed_.try_emplace(index, entry);
  if (!inserted && !(it->second == entry)) {
    return Violation(absl::StrCat("state machine safety: node ", node, " ", how, " index ", index,
                                  " with term ", entry.term, " but index ", index,
                                  " was committed with term ", it->second.term,
                                  " (or different data)"));
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::OnBecameLeader(uint64_t node, uint64_t term,
                                              const LogStorage& storage) {
  auto [it, inserted] = leader_of_term_.try_emplace(term, node);
  if (!inserted && it->second != node) {
    return Violation(absl::StrCat("election safety: nodes ", it->second, " and ", node,
                                  " both leaders of term ", term));
  }
  for (auto entry = committed_.lower_bound(storage.FirstIndex()); entry != committed_.end();
       ++entry) {
    const uint64_t index = entry->first;
    if (index > storage.LastIndex() || storage.Term(index) != entry->second.term) {
      return Violation(absl::StrCat("leader completeness: node ", node, " leads term ", term,
                                    " without committed index ", index, " (term ",
                                    entry->second.term, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::OnApply(uint64_t node, const Entry& entry,
                                       uint64_t state_hash_after) {
  if (absl::Status status =
          RecordCommitted(node, entry.index, {entry.term, EntryDataHash(entry)}, "applies");
      !status.ok()) {
    return status;
  }
  return OnSnapshotState(node, entry.index, state_hash_after);
}

absl::Status InvariantChecker::OnSnapshotState(uint64_t node, uint64_t index, uint64_t state_hash) {
  auto [it, inserted] = state_hash_at_.try_emplace(index, state_hash);
  if (!inserted && it->second != state_hash) {
    return Violation(absl::StrCat("state machine safety: node ", node,
                                  " has a different state than another node at index ", index));
  }
  return absl::OkStatus();
}

}  // namespace tl::raft::sim
