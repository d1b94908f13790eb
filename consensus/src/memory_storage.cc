#include <algorithm>
#include "trialledger/base/check.h"

#include "trialledger/consensus/log_storage.h"

namespace tl::raft {

uint64_t InMemoryLog::Term(uint64_t index) const {
  TL_CHECK(index + 1 >= FirstIndex() && index <= LastIndex());
  if (index == snapshot_.meta.index) return snapshot_.meta.term;
  return entries_[index - FirstIndex()].term;
}

std::vector<Entry> InMemoryLog::Entries(uint64_t low, uint64_t high, uint64_t max_bytes) const {
  TL_CHECK(FirstIndex() <= low && low < high && high <= LastIndex() + 1);
  std::vector<Entry> out;
  uint64_t size_bytes = 0;
  for (uint64_t index = low; index < high; ++index) {
    const Entry& entry = entries_[index - FirstIndex()];
    size_bytes += entry.data.size();
    if (!out.empty() && size_bytes > max_bytes) break;
    out.push_back(entry);
  }
  return out;
}

void InMemoryLog::Apply(const StorageWrite& write) {
  if (write.snapshot) {
    snapshot_ = *write.snapshot;
    entries_.clear();
  }
  if (!write.entries.empty()) {
    const uint64_t first_new = write.entries.front().index;
    TL_CHECK(first_new >= FirstIndex() && first_new <= LastIndex() + 1);
    entries_.resize(first_new - FirstIndex());
    entries_.insert(entries_.end(), write.entries.begin(), write.entries.end());
  }
  if (write.hard_state) hard_state_ = *write.hard_state;
}

void InMemoryLog::Compact(uint64_t index, const ConfState& conf_state, std::string data) {
  TL_CHECK(index > snapshot_.meta.index && index <= LastIndex());
  const uint64_t term = Term(index);
  entries_.erase(entries_.begin(), entries_.begin() + (index - snapshot_.meta.index));
  snapshot_.meta = SnapshotMeta{index, term, conf_state};
  snapshot_.data = std::move(data);
}

void InMemoryLog::DropTail(uint64_t count) {
  entries_.resize(entries_.size() - std::min<uint64_t>(count, entries_.size()));
}

StorageWrite BootstrapWrite(const ConfState& conf_state) {
  StorageWrite write;
  write.snapshot = Snapshot{SnapshotMeta{1, 1, conf_state}, ""};
  write.hard_state = HardState{1, kNoNode, 1};
  write.must_sync = true;
  return write;
}

MemoryLogStorage MemoryLogStorage::Bootstrapped(const ConfState& conf_state) {
  MemoryLogStorage storage;
  absl::Status status = storage.Write(BootstrapWrite(conf_state));
  TL_CHECK(status.ok());
  (void)status;
  return storage;
}

absl::Status MemoryLogStorage::Write(const StorageWrite& write) {
  current_.Apply(write);
  unsynced_writes_.push_back(write);
  if (write.must_sync) Sync();
  return absl::OkStatus();
}

absl::Status MemoryLogStorage::CreateSnapshot(uint64_t index, const ConfState& conf_state,
                                              std::string data) {
  TL_CHECK(index <= current_.hard_state().commit);
  Sync();
  durable_.Compact(index, conf_state, data);
  current_.Compact(index, conf_state, std::move(data));
  return absl::OkStatus();
}

void MemoryLogStorage::Sync() {
  // Replaying the unsynced writes costs their size, not the log's.
  for (const StorageWrite& write : unsynced_writes_)
    durable_.Apply(write);
  unsynced_writes_.clear();
}

void MemoryLogStorage::Crash(uint64_t surviving_unsynced_writes, uint64_t torn_tail_entries) {
  surviving_unsynced_writes =
      std::min<uint64_t>(surviving_unsynced_writes, unsynced_writes_.size());
  for (uint64_t i = 0; i < surviving_unsynced_writes; ++i) {
    StorageWrite write = unsynced_writes_[i];
    if (i + 1 == surviving_unsynced_writes) {
      // A torn write keeps a prefix of its entries, never its hard state (it comes last).
      if (torn_tail_entries > 0) write.hard_state.reset();
      write.entries.resize(write.entries.size() -
                           std::min<uint64_t>(torn_tail_entries, write.entries.size()));
    }
    durable_.Apply(write);
  }
  current_ = durable_;
  unsynced_writes_.clear();
}

}  // namespace tl::raft
