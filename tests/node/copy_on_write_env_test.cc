#include "copy_on_write_env.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/options.h"
#include "leveldb_testing.h"
#include "test_ledger.h"

namespace tl::ledger {
namespace {

namespace fs = std::filesystem;

std::string Value(int i) {
  return "value-" + std::to_string(i) + std::string(100, 'v');
}

leveldb::Status OpenDb(const leveldb::Options& options, const std::string& dir,
                       std::unique_ptr<leveldb::DB>* db) {
  leveldb::DB* raw_db = nullptr;
  const leveldb::Status status = leveldb::DB::Open(options, dir, &raw_db);
  db->reset(raw_db);
  return status;
}

void PutKeys(leveldb::DB* db, int begin, int end) {
  for (int i = begin; i < end; ++i) {
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), testing::NumberedKey(i), Value(i)).ok());
  }
}

void ExpectKeys(leveldb::DB* db, int begin, int end) {
  for (int i = begin; i < end; ++i) {
    std::string value;
    const leveldb::Status status = db->Get(leveldb::ReadOptions(), testing::NumberedKey(i), &value);
    ASSERT_TRUE(status.ok()) << testing::NumberedKey(i) << ": " << status.ToString();
    ASSERT_EQ(value, Value(i));
  }
}

bool HasFileEndingWith(const testing::DirectoryBytes& snapshot, const std::string& suffix) {
  for (const auto& [name, bytes] : snapshot) {
    if (name.ends_with(suffix) && !bytes.empty()) return true;
  }
  return false;
}

// Leaves a closed DB the way a stopped node does: keys [0, 500) in tables and [500, 1000) only
// in the write-ahead log, which the next Open has to recover.
void CreateNodeDb(const std::string& dir) {
  leveldb::Options options;
  options.create_if_missing = true;
  std::unique_ptr<leveldb::DB> db;
  ASSERT_TRUE(OpenDb(options, dir, &db).ok());
  PutKeys(db.get(), 0, 500);
  db->CompactRange(nullptr, nullptr);
  PutKeys(db.get(), 500, 1000);
}

constexpr int kNodeDbKeys = 1000;

leveldb::Options OverlayOptions(leveldb::Env* env) {
  leveldb::Options options;
  options.env = env;
  options.paranoid_checks = true;
  return options;
}

TEST(CopyOnWriteEnvTest, RecoveryWritesAndCompactionLeaveDirectoryUnchanged) {
  testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(CreateNodeDb(dir.path()));
  const testing::DirectoryBytes before = testing::ReadDirectoryBytes(dir.path());
  ASSERT_TRUE(HasFileEndingWith(before, ".ldb"));
  ASSERT_TRUE(HasFileEndingWith(before, ".log"));

  CopyOnWriteEnv env(leveldb::Env::Default());
  {
    std::unique_ptr<leveldb::DB> db;
    const leveldb::Status status = OpenDb(OverlayOptions(&env), dir.path(), &db);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ExpectKeys(db.get(), 0, kNodeDbKeys);
    PutKeys(db.get(), kNodeDbKeys, kNodeDbKeys + 500);
    db->CompactRange(nullptr, nullptr);
    ExpectKeys(db.get(), 0, kNodeDbKeys + 500);
  }
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir.path()));

  // Recovery really happened, in memory: the recovered log is gone from the overlay's view.
  for (const auto& [name, bytes] : before) {
    if (name.ends_with(".log")) {
      EXPECT_FALSE(env.FileExists(dir.path() + "/" + name)) << name;
    }
  }
  EXPECT_TRUE(env.FileExists(dir.path() + "/LOG.old"));

  // The overlay keeps what the first DB wrote, so a second open through it sees the new keys.
  {
    std::unique_ptr<leveldb::DB> db;
    const leveldb::Status status = OpenDb(OverlayOptions(&env), dir.path(), &db);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ExpectKeys(db.get(), 0, kNodeDbKeys + 500);
  }
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir.path()));
}

TEST(CopyOnWriteEnvTest, RefusesDirectoryThatARunningNodeHolds) {
  testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(CreateNodeDb(dir.path()));
  std::unique_ptr<leveldb::DB> node_db;
  ASSERT_TRUE(OpenDb(leveldb::Options(), dir.path(), &node_db).ok());

  CopyOnWriteEnv env(leveldb::Env::Default());
  std::unique_ptr<leveldb::DB> db;
  const leveldb::Status status = OpenDb(OverlayOptions(&env), dir.path(), &db);
  EXPECT_TRUE(status.IsIOError()) << status.ToString();
  EXPECT_NE(status.ToString().find("LOCK"), std::string::npos) << status.ToString();
}

// Leaves a closed DB whose only data is in the log: kLogOnlyKeys small records, then one large
// record that a test can cut in half.
constexpr int kLogOnlyKeys = 100;
const std::string kLargeValue(20000, 'L');

void CreateLogOnlyDb(const std::string& dir) {
  leveldb::Options options;
  options.create_if_missing = true;
  std::unique_ptr<leveldb::DB> db;
  ASSERT_TRUE(OpenDb(options, dir, &db).ok());
  PutKeys(db.get(), 0, kLogOnlyKeys);
  ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "large", kLargeValue).ok());
}

std::string OnlyLogFile(const std::string& dir) {
  std::vector<std::string> logs;
  for (const auto& [name, bytes] : testing::ReadDirectoryBytes(dir)) {
    if (name.ends_with(".log")) logs.push_back(dir + "/" + name);
  }
  if (logs.size() != 1) throw std::runtime_error("expected exactly one log in " + dir);
  return logs.front();
}

// Opens a DB with a torn log tail through the overlay and checks that the intact records are
// there, the torn one is not, and the disk still holds the torn tail.
void ExpectTornTailRecoveredInMemoryOnly(const std::string& dir, bool large_record_survives) {
  const testing::DirectoryBytes before = testing::ReadDirectoryBytes(dir);
  CopyOnWriteEnv env(leveldb::Env::Default());
  {
    std::unique_ptr<leveldb::DB> db;
    const leveldb::Status status = OpenDb(OverlayOptions(&env), dir, &db);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ExpectKeys(db.get(), 0, kLogOnlyKeys);
    std::string value;
    EXPECT_EQ(db->Get(leveldb::ReadOptions(), "large", &value).ok(), large_record_survives);
    PutKeys(db.get(), kLogOnlyKeys, 2 * kLogOnlyKeys);
  }
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir));
}

TEST(CopyOnWriteEnvTest, LogWithLastRecordCutInHalfOpensAndStaysOnDisk) {
  testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(CreateLogOnlyDb(dir.path()));
  const std::string log = OnlyLogFile(dir.path());
  fs::resize_file(log, fs::file_size(log) - kLargeValue.size() / 2);
  ExpectTornTailRecoveredInMemoryOnly(dir.path(), /*large_record_survives=*/false);
}

TEST(CopyOnWriteEnvTest, LogWithGarbageTailOpensAndStaysOnDisk) {
  testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(CreateLogOnlyDb(dir.path()));
  // Fewer bytes than a record header: what a writer that died while writing a header leaves.
  std::ofstream(OnlyLogFile(dir.path()), std::ios::binary | std::ios::app) << "\x7f\x01\x02";
  ExpectTornTailRecoveredInMemoryOnly(dir.path(), /*large_record_survives=*/true);
}

TEST(CopyOnWriteEnvTest, RemoveRenameAndAppendOnlyChangeTheOverlaysView) {
  testing::TempDir dir;
  const std::string real = dir.path() + "/real";
  std::ofstream(real, std::ios::binary) << "on disk";
  const testing::DirectoryBytes before = testing::ReadDirectoryBytes(dir.path());
  CopyOnWriteEnv env(leveldb::Env::Default());

  const std::string renamed = dir.path() + "/renamed";
  ASSERT_TRUE(env.RenameFile(real, renamed).ok());
  EXPECT_FALSE(env.FileExists(real));
  uint64_t size = 0;
  EXPECT_TRUE(env.GetFileSize(real, &size).IsNotFound());
  leveldb::SequentialFile* reader = nullptr;
  EXPECT_TRUE(env.NewSequentialFile(real, &reader).IsNotFound());

  leveldb::WritableFile* appender = nullptr;
  ASSERT_TRUE(env.NewAppendableFile(renamed, &appender).ok());
  ASSERT_TRUE(appender->Append(", then in memory").ok());
  delete appender;
  std::string contents;
  ASSERT_TRUE(leveldb::ReadFileToString(&env, renamed, &contents).ok());
  EXPECT_EQ(contents, "on disk, then in memory");

  std::vector<std::string> children;
  ASSERT_TRUE(env.GetChildren(dir.path(), &children).ok());
  std::erase_if(children, [](const std::string& name) { return name == "." || name == ".."; });
  EXPECT_EQ(children, std::vector<std::string>{"renamed"});

  // The deprecated name reaches RemoveFile through Env's default, not the base env.
  ASSERT_TRUE(env.DeleteFile(renamed).ok());
  EXPECT_FALSE(env.FileExists(renamed));
  EXPECT_TRUE(env.RemoveFile(renamed).IsNotFound());

  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir.path()));
}

TEST(CopyOnWriteEnvTest, LockOfAMissingFileIsTakenInMemory) {
  testing::TempDir dir;
  const std::string lock_name = dir.path() + "/LOCK";
  CopyOnWriteEnv env(leveldb::Env::Default());

  leveldb::FileLock* lock = nullptr;
  ASSERT_TRUE(env.LockFile(lock_name, &lock).ok());
  leveldb::FileLock* second_lock = nullptr;
  EXPECT_TRUE(env.LockFile(lock_name, &second_lock).IsIOError());
  EXPECT_FALSE(fs::exists(lock_name));

  ASSERT_TRUE(env.UnlockFile(lock).ok());
  ASSERT_TRUE(env.LockFile(lock_name, &lock).ok());
  ASSERT_TRUE(env.UnlockFile(lock).ok());
}

}  // namespace
}  // namespace tl::ledger
