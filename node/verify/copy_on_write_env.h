// CopyOnWriteEnv: open a LevelDB directory without changing a byte of it.
//
// Usage:
//   tl::ledger::CopyOnWriteEnv env(leveldb::Env::Default());
//   leveldb::Options options;
//   options.env = &env;
//   options.paranoid_checks = true;
//   leveldb::DB* db = nullptr;
//   leveldb::Status status = leveldb::DB::Open(options, "/var/lib/node/ledger", &db);
//   ... read (and, if it helps the check, write) through db ...
//   delete db;  // before env goes away
//
// Why: DB::Open always recovers. It turns the write-ahead log into a table, writes a new MANIFEST
// and CURRENT, rotates LOG to LOG.old, deletes obsolete files and drops a torn log tail for good.
// An auditor's check must leave that evidence as it found it. Through this env, files that exist
// on disk are read in place, every file LevelDB creates or appends to lives in memory, and
// removals and renames only hide names. The one thing done to the disk is taking the real LOCK
// file's advisory lock, which changes no bytes and makes the check refuse a directory that a
// running node holds. (The POSIX env opens LOCK read-write to lock it, so the caller needs write
// permission on that file even though nothing is written.)
//
// Memory grows with what LevelDB writes: recovery writes about the size of the logs, a compaction
// about the size of its inputs. Memory files live as long as the env, so reopening the same
// directory through the same env sees what the earlier DB wrote.
//
// Thread-safe: one mutex guards the in-memory state, including the bytes of memory files.

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "leveldb/env.h"

namespace tl::ledger {

class CopyOnWriteEnv : public leveldb::EnvWrapper {
 public:
  // `base` holds the real files; it is only read (and asked for LOCK's lock). It must outlive
  // this env. Normally leveldb::Env::Default().
  explicit CopyOnWriteEnv(leveldb::Env* base);

  leveldb::Status NewSequentialFile(const std::string& fname,
                                    leveldb::SequentialFile** result) override;
  leveldb::Status NewRandomAccessFile(const std::string& fname,
                                      leveldb::RandomAccessFile** result) override;
  leveldb::Status NewWritableFile(const std::string& fname,
                                  leveldb::WritableFile** result) override;
  // Copies the real file's bytes into memory first, so the appended file reads as it would on disk.
  leveldb::Status NewAppendableFile(const std::string& fname,
                                    leveldb::WritableFile** result) override;
  leveldb::Status NewLogger(const std::string& fname, leveldb::Logger** result) override;

  bool FileExists(const std::string& fname) override;
  leveldb::Status GetChildren(const std::string& dir, std::vector<std::string>* result) override;
  leveldb::Status GetFileSize(const std::string& fname, uint64_t* file_size) override;

  leveldb::Status RemoveFile(const std::string& fname) override;
  leveldb::Status RenameFile(const std::string& from, const std::string& to) override;
  // Env::DeleteFile and Env::DeleteDir (deprecated) need no override: in LevelDB 1.23 EnvWrapper
  // does not forward them, and Env's own versions call RemoveFile and RemoveDir.

  // Directories exist only as names in memory; a real directory stays listed after RemoveDir,
  // which LevelDB calls only in DestroyDB, after removing (here: hiding) every file in it.
  leveldb::Status CreateDir(const std::string& dirname) override;
  leveldb::Status RemoveDir(const std::string& dirname) override;

  // Takes the base env's real lock when `fname` exists on disk, otherwise a lock in memory, so no
  // LOCK file is ever created.
  leveldb::Status LockFile(const std::string& fname, leveldb::FileLock** lock) override;
  leveldb::Status UnlockFile(leveldb::FileLock* lock) override;

 private:
  // The memory file named `fname`, or null. REQUIRES: mutex_ held.
  std::shared_ptr<std::string> FindMemoryFile(const std::string& fname) const;
  // Whether a real file named `fname` exists and has not been removed or renamed away.
  // Memory files shadow real ones, so check FindMemoryFile first. REQUIRES: mutex_ held.
  bool RealFileVisible(const std::string& fname);
  // The memory file to append to under `fname`, made from the real file's bytes (or empty) when
  // there is none yet. REQUIRES: mutex_ held.
  leveldb::Status MemoryFileForAppend(const std::string& fname,
                                      std::shared_ptr<std::string>* contents);

  std::mutex mutex_;
  // Contents grow in place on append and are never shrunk; rewriting a name replaces the whole
  // string, so open readers of the old one keep its bytes, as with an unlinked POSIX file.
  std::map<std::string, std::shared_ptr<std::string>> memory_files_;
  // Real files that were removed or renamed away, as far as LevelDB can tell.
  std::set<std::string> hidden_real_files_;
  std::set<std::string> memory_dirs_;
  std::map<std::string, std::unique_ptr<leveldb::FileLock>> memory_locks_;
};

}  // namespace tl::ledger
