// LevelDbLogStorage: the durable LogStorage for trialledgerd.
//
// Layout (docs/raft.md has the details): under a key prefix, "hardstate" and "snapshot" hold
// one record each and "entry/" + 8-byte big-endian index holds each log entry, every value a
// checksummed record (codec.h). Each StorageWrite is one leveldb::WriteBatch, written with
// sync = write.must_sync, so entries, hard state and snapshot change atomically.
//
// The node can give the log its own directory (OpenDirectory) or share the DB that holds its
// ledger (Open with a prefix such as "raft/"); the ledger's synced apply batch then never waits
// on a second fsync stream.
//
// On open the log is read back and verified: a record cut short at the very end of the log is a
// torn write and is dropped; any other damage (a checksum mismatch, a gap, a record in the
// middle cut short, a corrupt hard state) is DataLoss and the node must stop rather than vote
// or acknowledge with a log it cannot trust. The whole compacted log is cached in memory, so
// reads never touch the disk.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "trialledger/consensus/log_storage.h"

namespace leveldb {
class DB;
}

namespace tl::raft {

class LevelDbLogStorage : public LogStorage {
 public:
  // Opens (creating if missing) a LevelDB used only by the Raft log.
  static absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> OpenDirectory(
      const std::string& directory);
  // Uses the keys under key_prefix in a DB the caller owns; `db` must outlive the storage.
  static absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> Open(leveldb::DB* db,
                                                                 std::string key_prefix);
  ~LevelDbLogStorage() override;

  HardState hard_state() const override { return cache_.hard_state(); }
  const Snapshot& snapshot() const override { return cache_.snapshot(); }
  uint64_t FirstIndex() const override { return cache_.FirstIndex(); }
  uint64_t LastIndex() const override { return cache_.LastIndex(); }
  uint64_t Term(uint64_t index) const override { return cache_.Term(index); }
  std::vector<Entry> Entries(uint64_t low, uint64_t high, uint64_t max_bytes) const override {
    return cache_.Entries(low, high, max_bytes);
  }

  absl::Status Write(const StorageWrite& write) override;
  absl::Status CreateSnapshot(uint64_t index, const ConfState& conf_state,
                              std::string data) override;

  // Key names, for tests and tools that inspect the DB.
  std::string HardStateKey() const { return key_prefix_ + "hardstate"; }
  std::string SnapshotKey() const { return key_prefix_ + "snapshot"; }
  std::string EntryKey(uint64_t index) const;

 private:
  LevelDbLogStorage(std::unique_ptr<leveldb::DB> owned_db, leveldb::DB* db, std::string prefix);
  absl::Status Load();

  std::unique_ptr<leveldb::DB> owned_db_;
  leveldb::DB* db_;
  std::string key_prefix_;
  InMemoryLog cache_;
};

}  // namespace tl::raft
