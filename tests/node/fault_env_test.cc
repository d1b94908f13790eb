#include "fault_env.h"

#include "leveldb_testing.h"
#include "test_ledger.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/options.h"

namespace tl::testing {
namespace {

namespace fs = std::filesystem;

std::string Value(int i) {
  return "value-" + std::to_string(i) + std::string(100, 'v');
}

leveldb::WriteOptions Synced(bool sync) {
  leveldb::WriteOptions options;
  options.sync = sync;
  return options;
}

bool Contains(const leveldb::Status& status, const std::string& text) {
  return status.ToString().find(text) != std::string::npos;
}

class FaultInjectionEnvTest : public ::testing::Test {
 protected:
  // Opens (or reopens) the DB in dir_ on env_, with paranoid checks so that any damage LevelDB
  // notices on recovery fails the open instead of being skipped.
  void Open() {
    db_.reset();
    leveldb::Options options;
    options.env = &env_;
    options.create_if_missing = true;
    options.paranoid_checks = true;
    leveldb::DB* db = nullptr;
    const leveldb::Status status = leveldb::DB::Open(options, dir_.path(), &db);
    ASSERT_TRUE(status.ok()) << status.ToString();
    db_.reset(db);
  }

  void Close() { db_.reset(); }

  void Put(int begin, int end, bool sync) {
    for (int i = begin; i < end; ++i) {
      const leveldb::Status status = db_->Put(Synced(sync), NumberedKey(i), Value(i));
      ASSERT_TRUE(status.ok()) << status.ToString();
    }
  }

  // Whether each key in [begin, end) is present, requiring all or none to be.
  void ExpectKeys(int begin, int end, bool present) {
    for (int i = begin; i < end; ++i) {
      std::string value;
      const leveldb::Status status = db_->Get(leveldb::ReadOptions(), NumberedKey(i), &value);
      if (present) {
        ASSERT_TRUE(status.ok()) << NumberedKey(i) << ": " << status.ToString();
        ASSERT_EQ(value, Value(i));
      } else {
        ASSERT_TRUE(status.IsNotFound()) << NumberedKey(i) << ": " << status.ToString();
      }
    }
  }

  std::string OnlyLogFile() const {
    std::string log;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir_.path())) {
      if (entry.path().extension() != ".log") continue;
      if (!log.empty()) throw std::runtime_error("more than one log in " + dir_.path());
      log = entry.path();
    }
    return log;
  }

  TempDir dir_;
  FaultInjectionEnv env_{leveldb::Env::Default()};
  std::unique_ptr<leveldb::DB> db_;
};

TEST_F(FaultInjectionEnvTest, FailedSyncFailsTheSyncedWriteUntilReopen) {
  ASSERT_NO_FATAL_FAILURE(Open());
  env_.FailSyncs(true);
  const leveldb::Status failed = db_->Put(Synced(true), "key", "value");
  EXPECT_TRUE(failed.IsIOError()) << failed.ToString();
  EXPECT_TRUE(Contains(failed, "injected fsync failure: " + dir_.path() + "/"))
      << failed.ToString();

  // LevelDB does not know whether the record reached the disk, so it refuses every later write
  // with the same error until the DB is reopened, even once syncs work again.
  env_.FailSyncs(false);
  EXPECT_EQ(db_->Put(Synced(true), "key", "value").ToString(), failed.ToString());

  ASSERT_NO_FATAL_FAILURE(Open());
  const leveldb::Status status = db_->Put(Synced(true), "key", "value");
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_F(FaultInjectionEnvTest, CountsSyncsAndAppendedBytes) {
  ASSERT_NO_FATAL_FAILURE(Open());
  const uint64_t syncs = env_.syncs_seen();
  const uint64_t bytes = env_.bytes_appended();
  ASSERT_NO_FATAL_FAILURE(Put(0, 3, /*sync=*/true));
  ASSERT_NO_FATAL_FAILURE(Put(3, 5, /*sync=*/false));
  EXPECT_EQ(env_.syncs_seen(), syncs + 3);
  EXPECT_GT(env_.bytes_appended(), bytes + 5 * Value(0).size());
}

TEST_F(FaultInjectionEnvTest, FullDiskFailsTheWriteWithNoSpace) {
  ASSERT_NO_FATAL_FAILURE(Open());
  env_.FailWritesWithNoSpace(true);
  const leveldb::Status failed = db_->Put(Synced(false), "key", "value");
  EXPECT_TRUE(failed.IsIOError()) << failed.ToString();
  EXPECT_TRUE(Contains(failed, std::strerror(ENOSPC))) << failed.ToString();

  // The DB takes writes again at once; see fault_env.h for why they need a reopen to be safe.
  env_.FailWritesWithNoSpace(false);
  const leveldb::Status status = db_->Put(Synced(false), "key", "value");
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_F(FaultInjectionEnvTest, DiskFillsUpAfterTheByteBudget) {
  ASSERT_NO_FATAL_FAILURE(Open());
  env_.FailWritesAfterBytes(10 * Value(0).size());
  int written = 0;
  leveldb::Status status;
  while (status.ok() && written < 100) {
    status = db_->Put(Synced(false), NumberedKey(written), Value(written));
    if (status.ok()) ++written;
  }
  EXPECT_GT(written, 0);
  EXPECT_LT(written, 10);
  EXPECT_TRUE(Contains(status, std::strerror(ENOSPC))) << status.ToString();
  EXPECT_TRUE(Contains(db_->Put(Synced(false), "small", "x"), std::strerror(ENOSPC)));
}

TEST_F(FaultInjectionEnvTest, CrashLosesExactlyTheUnsyncedWrites) {
  ASSERT_NO_FATAL_FAILURE(Open());
  ASSERT_NO_FATAL_FAILURE(Put(0, 50, /*sync=*/true));
  ASSERT_NO_FATAL_FAILURE(Put(50, 100, /*sync=*/false));
  Close();
  ASSERT_TRUE(env_.DropUnsyncedData().ok());

  ASSERT_NO_FATAL_FAILURE(Open());
  ExpectKeys(0, 50, /*present=*/true);
  ExpectKeys(50, 100, /*present=*/false);
}

TEST_F(FaultInjectionEnvTest, TornTailIsDroppedAndSyncedWritesSurvive) {
  ASSERT_NO_FATAL_FAILURE(Open());
  ASSERT_NO_FATAL_FAILURE(Put(0, 50, /*sync=*/true));
  const std::string log = OnlyLogFile();
  const uintmax_t synced_size = fs::file_size(log);
  ASSERT_NO_FATAL_FAILURE(Put(50, 100, /*sync=*/false));
  Close();
  ASSERT_GT(fs::file_size(log), synced_size + 5);  // The unsynced writes reached the file.

  ASSERT_TRUE(env_.TearUnsyncedTails(5).ok());
  EXPECT_EQ(fs::file_size(log), synced_size + 5);  // Part of the next record's header.

  ASSERT_NO_FATAL_FAILURE(Open());
  ExpectKeys(0, 50, /*present=*/true);
  ExpectKeys(50, 100, /*present=*/false);
}

}  // namespace
}  // namespace tl::testing
