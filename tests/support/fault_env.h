// FaultInjectionEnv: a disk that fails on purpose, for tests of code that runs LevelDB.
//
// Usage:
//   tl::testing::FaultInjectionEnv env(leveldb::Env::Default());
//   options.env = &env;
//   ... open the DB, write ...
//   env.FailSyncs(true);               // every WritableFile::Sync now fails
//   env.FailWritesAfterBytes(4096);    // the disk is full after 4 KiB more
//   env.FailWritesWithNoSpace(false);  // and has room again
//   ...
//   delete db;                         // "crash": close the DB first, then
//   env.DropUnsyncedData();            // lose every byte that was never synced, or
//   env.TearUnsyncedTails(5);          // keep up to 5 of them, as a torn write would
//   ... reopen on the same env and check what survived ...
//
// Crash model: every file LevelDB writes through this env really goes to the base env, and the
// env counts, per file, the bytes appended and the bytes covered by the last successful Sync.
// Close flushes but is not a sync. Once the DB is closed, every appended byte is in the file, so a
// crash is modelled by cutting each file back towards its synced length. Only file contents are
// modelled: creating, renaming and removing files count as durable at once, files this env did not
// write (including the info LOG) are never cut, and bytes already in a file that is opened for
// appending count as synced.
//
// LevelDB reactions worth knowing (1.23):
//   - A failed Sync of the log makes every later write fail with that error until the DB is
//     reopened.
//   - A failed Append fails only that write, but the log writer still advances its block offset
//     past the lost record, so later records are framed against the wrong 32 KiB boundaries.
//     LevelDB acknowledges them, and a reopen (even with paranoid_checks) can then skip whole
//     blocks of them without a report: seen, 749 of 1000 later writes gone. Code under test
//     should reopen the DB after any failed write before trusting later ones.
//
// Thread-safe: the switches, counters and per-file state may be used from any thread.

#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "leveldb/env.h"

namespace tl::testing {

class FaultInjectionEnv : public leveldb::EnvWrapper {
 public:
  // `base` holds the files and must outlive this env; normally leveldb::Env::Default().
  explicit FaultInjectionEnv(leveldb::Env* base);

  // While on, WritableFile::Sync syncs nothing and fails with "injected fsync failure: <file>".
  void FailSyncs(bool fail);
  // While on, WritableFile::Append writes nothing and fails with ENOSPC's text, "No space left on
  // device". Off gives the disk unlimited room again.
  void FailWritesWithNoSpace(bool fail);
  // Lets `bytes` more bytes be appended, then fails like FailWritesWithNoSpace(true). An Append
  // that does not fit writes nothing and fills the disk, so later small ones fail too.
  void FailWritesAfterBytes(uint64_t bytes);
  // The next WritableFile::Append writes only the first half of its data (a write torn by a
  // failing disk) and fails with "injected torn write: <file>"; every Append after it fails too.
  void TearNextWrite();

  // Simulate a crash. Cut every file written through this env to its synced length plus at most
  // `keep_bytes` of the part that was never synced (DropUnsyncedData keeps none), and take what
  // is left as synced. REQUIRES: every such file is closed, i.e. the DB is closed.
  leveldb::Status TearUnsyncedTails(uint64_t keep_bytes);
  leveldb::Status DropUnsyncedData();

  // Sync calls seen, failed ones included.
  uint64_t syncs_seen() const;
  // Bytes that Append passed to the base env successfully.
  uint64_t bytes_appended() const;

  leveldb::Status NewWritableFile(const std::string& fname,
                                  leveldb::WritableFile** result) override;
  leveldb::Status NewAppendableFile(const std::string& fname,
                                    leveldb::WritableFile** result) override;
  leveldb::Status RemoveFile(const std::string& fname) override;
  leveldb::Status RenameFile(const std::string& from, const std::string& to) override;

 private:
  class TrackedFile;

  struct FileState {
    uint64_t appended = 0;
    uint64_t synced = 0;  // Never more than `appended`.
  };

  // Takes `bytes` from the append budget, or fails with ENOSPC for `fname`.
  leveldb::Status SpendAppendBudget(const std::string& fname, uint64_t bytes);

  std::atomic<bool> fail_syncs_ = false;
  std::atomic<bool> tear_next_write_ = false;
  std::atomic<bool> torn_ = false;  // a write was torn: the disk fails every write after it
  std::atomic<uint64_t> syncs_seen_ = 0;
  std::atomic<uint64_t> bytes_appended_ = 0;

  mutable std::mutex mutex_;
  std::optional<uint64_t> append_budget_;  // Guarded by mutex_; nullopt means unlimited.
  // Guarded by mutex_, as are the FileStates, which open files share with this map; a rename
  // moves the entry, so an open file's counts follow its new name.
  std::map<std::string, std::shared_ptr<FileState>> files_;
};

}  // namespace tl::testing
