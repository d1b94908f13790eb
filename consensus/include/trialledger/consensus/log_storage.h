// Durable Raft state: the hard state, the log and the latest snapshot.
//
// The core reads through LogStorage and never writes: it hands the application a StorageWrite in
// each Ready, and the application calls Write() with it before sending that Ready's messages.
// Implementations keep the whole (compacted) log readable in memory, so reads cannot fail; only
// writes touch the disk and return a Status. A failed write means the node must stop: the core
// may already have promised the write to peers in the messages of the same Ready.
//
// Index conventions: entries occupy [FirstIndex(), LastIndex()]; FirstIndex() == snapshot index
// + 1; Term(FirstIndex() - 1) is the snapshot's term. A fresh log has snapshot index and term 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "trialledger/consensus/types.h"

namespace tl::raft {

// What one Ready asks to make durable, applied in field order.
struct StorageWrite {
  std::optional<Snapshot> snapshot;  // replaces the log and everything before it
  // Contiguous. entries[0].index may be <= LastIndex(): the log from there on is replaced.
  std::vector<Entry> entries;
  std::optional<HardState> hard_state;
  // True when the write must be synced before the Ready's messages are sent or its committed
  // entries applied (it carries entries, a snapshot, or a new term, vote or commit).
  bool must_sync = false;

  bool empty() const { return !snapshot && entries.empty() && !hard_state; }
};

// The first write of every founding member's storage: a snapshot at index 1, term 1 holding the
// initial membership (with empty application data). A node that joins later starts empty, and
// the leader sends it a snapshot, so every log is self-describing.
StorageWrite BootstrapWrite(const ConfState& conf_state);

class LogStorage {
 public:
  virtual ~LogStorage() = default;

  virtual HardState hard_state() const = 0;
  // The latest snapshot (meta.index == 0 and empty data for a log that was never compacted).
  virtual const Snapshot& snapshot() const = 0;
  virtual uint64_t FirstIndex() const = 0;
  virtual uint64_t LastIndex() const = 0;
  // REQUIRES: FirstIndex() - 1 <= index <= LastIndex().
  virtual uint64_t Term(uint64_t index) const = 0;
  // Entries in [low, high), stopping before max_bytes of data but returning at least one.
  // REQUIRES: FirstIndex() <= low < high <= LastIndex() + 1.
  virtual std::vector<Entry> Entries(uint64_t low, uint64_t high, uint64_t max_bytes) const = 0;

  // Persists a Ready's write; synced iff write.must_sync.
  virtual absl::Status Write(const StorageWrite& write) = 0;
  // The application records its state machine image at `index` (which it has applied, with the
  // membership in force there) and drops the log up to it. Synced.
  // REQUIRES: snapshot().meta.index < index <= min(LastIndex(), hard_state().commit).
  virtual absl::Status CreateSnapshot(uint64_t index, const ConfState& conf_state,
                                      std::string data) = 0;
};

// The log in memory: the shared core of every LogStorage implementation. Not thread-safe.
class InMemoryLog {
 public:
  HardState hard_state() const { return hard_state_; }
  const Snapshot& snapshot() const { return snapshot_; }
  uint64_t FirstIndex() const { return snapshot_.meta.index + 1; }
  uint64_t LastIndex() const { return snapshot_.meta.index + entries_.size(); }
  uint64_t Term(uint64_t index) const;
  std::vector<Entry> Entries(uint64_t low, uint64_t high, uint64_t max_bytes) const;

  void Apply(const StorageWrite& write);
  void Compact(uint64_t index, const ConfState& conf_state, std::string data);

  // Drops the last `count` entries (used to model a torn tail).
  void DropTail(uint64_t count);

 private:
  HardState hard_state_;
  Snapshot snapshot_;
  std::vector<Entry> entries_;  // entries_[i].index == snapshot_.meta.index + 1 + i
};

// In-memory storage with a fault model for the simulator: a write is visible at once but only
// durable after a sync, and Crash() decides what of the unsynced writes survives.
class MemoryLogStorage : public LogStorage {
 public:
  // A storage whose initial snapshot (index 0) holds `conf_state`: how a new cluster starts.
  static MemoryLogStorage Bootstrapped(const ConfState& conf_state);

  HardState hard_state() const override { return current_.hard_state(); }
  const Snapshot& snapshot() const override { return current_.snapshot(); }
  uint64_t FirstIndex() const override { return current_.FirstIndex(); }
  uint64_t LastIndex() const override { return current_.LastIndex(); }
  uint64_t Term(uint64_t index) const override { return current_.Term(index); }
  std::vector<Entry> Entries(uint64_t low, uint64_t high, uint64_t max_bytes) const override {
    return current_.Entries(low, high, max_bytes);
  }

  absl::Status Write(const StorageWrite& write) override;
  absl::Status CreateSnapshot(uint64_t index, const ConfState& conf_state,
                              std::string data) override;

  // Makes every write so far durable.
  void Sync();
  uint64_t unsynced_write_count() const { return unsynced_writes_.size(); }
  // Power loss: only synced state survives, plus the first `surviving_unsynced_writes` unsynced
  // writes (the disk may have flushed them on its own), of which the last loses its final
  // `torn_tail_entries` entries and its hard state (a torn tail write).
  void Crash(uint64_t surviving_unsynced_writes = 0, uint64_t torn_tail_entries = 0);

 private:
  InMemoryLog current_;
  InMemoryLog durable_;
  std::vector<StorageWrite> unsynced_writes_;
};

}  // namespace tl::raft
