// A node's ledger in LevelDB: blocks with their results, the transaction index, the state and the
// chain head. Each applied block is one write batch, so a crash leaves either all of a block or
// none of it.
//
// Keys (docs/storage.md): "B"+height blocks, "W"+height write sets, "T"+tx id locations,
// "S"+state key state, "H" head, "G" genesis file text, "A" the last applied Raft log index.
// Heights are 8 bytes big-endian so that blocks sort in order. The node's Raft log lives in the
// same DB under "raft/" (docs/raft.md): one LevelDB log means a synced Raft write also makes
// every earlier block batch durable.
#pragma once

#include <leveldb/db.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/ledger/apply.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/genesis.h"

namespace tl::ledger {

namespace store_keys {
std::string Block(uint64_t height);
std::string WriteSet(uint64_t height);
std::string Tx(std::string_view tx_id);
std::string State(std::string_view state_key);
inline constexpr std::string_view kHead = "H";
inline constexpr std::string_view kGenesis = "G";
inline constexpr std::string_view kRaftApplied = "A";
inline constexpr std::string_view kRaftLogPrefix = "raft/";
}  // namespace store_keys

// The first read failure of a store, kept for whoever computed something from its reads
// (StateReader::status()). Thread-safe: admission, the read RPCs and the Raft thread share a
// store.
class ReadFaults {
 public:
  void Record(absl::Status fault);
  absl::Status first() const;

 private:
  mutable std::mutex mutex_;
  absl::Status first_;  // GUARDED_BY(mutex_)
};

// The committed state at one moment (a LevelDB snapshot): a read that spans several keys sees
// the state after one block, never part of the next. For read RPCs.
class StateSnapshot : public OrderedStateReader {
 public:
  explicit StateSnapshot(leveldb::DB* db);
  ~StateSnapshot() override;
  StateSnapshot(const StateSnapshot&) = delete;
  StateSnapshot& operator=(const StateSnapshot&) = delete;

  std::optional<std::string> Get(std::string_view state_key) const override;
  std::vector<std::pair<std::string, std::string>> Scan(std::string_view prefix,
                                                        std::string_view start,
                                                        size_t limit) const override;
  absl::Status status() const override { return faults_.first(); }
  uint64_t height() const { return height_; }

 private:
  leveldb::DB* db_;
  const leveldb::Snapshot* snapshot_;
  uint64_t height_ = 0;
  mutable ReadFaults faults_;
};

// Where a store keeps its files: LevelDB's Env. Tests pass a fault-injecting one (fsync errors,
// a full disk, torn writes); nullptr is the real file system.
struct StoreOptions {
  leveldb::Env* env = nullptr;
};

class LedgerStore : public StateReader {
 public:
  // Opens or creates the store in `dir`. A new store gets the genesis state; an existing one must
  // have been created from the same genesis file, and its head block must recompute to its head
  // state hash.
  static absl::StatusOr<std::unique_ptr<LedgerStore>> Open(const std::string& dir,
                                                           const GenesisDocument& genesis,
                                                           const StoreOptions& options = {});

  std::optional<std::string> Get(std::string_view state_key) const override;
  // The first failed read since the store opened: a store that fails a read is not trusted again
  // (the replica stops on it).
  absl::Status status() const override { return faults_.first(); }
  ChainHead head() const;

  // Writes the block, its results and write set, the transaction index, the new head and the
  // Raft index it was committed at in one batch, synced if `sync`. A node replicating through
  // Raft passes sync = false: the block is already durable in the synced Raft log, and replaying
  // it after a crash gives the same bytes. A failure means the disk cannot be trusted: stop. (After
  // a failed write LevelDB may go on accepting writes that a reopen then loses, so a caller never
  // writes again after a failure.)
  absl::Status CommitBlock(const DecodedBlock& block, const AppliedBlock& applied,
                           uint64_t raft_index, bool sync);
  // For a Raft entry that carries no block (a leader's empty entry, a membership change).
  absl::Status RecordRaftApplied(uint64_t raft_index, bool sync);
  uint64_t raft_applied() const;
  // Every state entry whose key starts with `prefix`, in key order.
  std::vector<std::pair<std::string, std::string>> ScanState(std::string_view prefix) const;
  std::unique_ptr<StateSnapshot> Snapshot() const {
    return std::make_unique<StateSnapshot>(db_.get());
  }
  leveldb::DB* db() { return db_.get(); }

  absl::StatusOr<v1::Block> ReadBlock(uint64_t height) const;
  // Where the transaction was first recorded; nullopt if nowhere (or on a failed read, which
  // status() then reports).
  std::optional<v1::TxLocation> FindTx(std::string_view tx_id) const;

 private:
  explicit LedgerStore(std::unique_ptr<leveldb::DB> db) : db_(std::move(db)) {}
  absl::Status Initialize(const GenesisDocument& genesis);
  absl::Status CheckHead();

  std::unique_ptr<leveldb::DB> db_;
  mutable ReadFaults faults_;
  mutable std::mutex head_mutex_;
  ChainHead head_;             // GUARDED_BY(head_mutex_)
  uint64_t raft_applied_ = 0;  // GUARDED_BY(head_mutex_)
};

// Opens a LevelDB database with the options the ledger uses (paranoid checks, no creation when
// `create` is false). Fails with a clear message if another process holds it.
absl::StatusOr<std::unique_ptr<leveldb::DB>> OpenLevelDb(const std::string& dir, bool create,
                                                         const StoreOptions& options = {});

v1::WriteSetRecord ToRecord(const WriteSet& writes);
WriteSet FromRecord(const v1::WriteSetRecord& record);

}  // namespace tl::ledger
