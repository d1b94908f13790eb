// LevelDbLogStorage: round trips, truncation, compaction, torn and corrupt records, sharing a
// DB under a prefix, and a RawNode restarting from it.
#include "trialledger/consensus/leveldb_storage.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <filesystem>

#include "trialledger/consensus/codec.h"
#include "trialledger/consensus/raw_node.h"

namespace tl::raft {
namespace {

class LevelDbLogStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::path(::testing::TempDir()) /
                 (std::string("raft-leveldb-") +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::unique_ptr<LevelDbLogStorage> OpenOrDie() {
    absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> storage =
        LevelDbLogStorage::OpenDirectory(directory_.string());
    EXPECT_TRUE(storage.ok()) << storage.status();
    return storage.ok() ? std::move(*storage) : nullptr;
  }

  // Opens the raw DB so a test can damage records the way a disk would.
  std::unique_ptr<leveldb::DB> OpenRawDb() {
    leveldb::Options options;
    options.create_if_missing = true;
    leveldb::DB* db = nullptr;
    EXPECT_TRUE(leveldb::DB::Open(options, directory_.string(), &db).ok());
    return std::unique_ptr<leveldb::DB>(db);
  }

  static StorageWrite EntriesWrite(uint64_t first, uint64_t last, uint64_t term) {
    StorageWrite write;
    for (uint64_t index = first; index <= last; ++index) {
      write.entries.push_back(
          Entry{term, index, EntryType::kNormal, "block-" + std::to_string(index)});
    }
    write.hard_state = HardState{term, 1, first - 1};
    write.must_sync = true;
    return write;
  }

  std::filesystem::path directory_;
};

TEST_F(LevelDbLogStorageTest, RoundTripsLogHardStateAndSnapshot) {
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1, 2, 3}, {}})).ok());
    ASSERT_TRUE(storage->Write(EntriesWrite(2, 6, 2)).ok());
  }
  auto storage = OpenOrDie();
  EXPECT_EQ(storage->FirstIndex(), 2u);
  EXPECT_EQ(storage->LastIndex(), 6u);
  EXPECT_EQ(storage->Term(6), 2u);
  EXPECT_EQ(storage->Term(1), 1u);
  EXPECT_EQ(storage->hard_state(), (HardState{2, 1, 1}));
  EXPECT_EQ(storage->snapshot().meta.conf_state.voters, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(storage->Entries(3, 5, UINT64_MAX)[1].data, "block-4");
}

TEST_F(LevelDbLogStorageTest, ConflictingSuffixIsReplacedDurably) {
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    ASSERT_TRUE(storage->Write(EntriesWrite(2, 8, 2)).ok());
    ASSERT_TRUE(storage->Write(EntriesWrite(4, 5, 3)).ok());
    EXPECT_EQ(storage->LastIndex(), 5u);
  }
  auto storage = OpenOrDie();
  EXPECT_EQ(storage->LastIndex(), 5u);
  EXPECT_EQ(storage->Term(3), 2u);
  EXPECT_EQ(storage->Term(4), 3u);
}

TEST_F(LevelDbLogStorageTest, CompactionAndInstalledSnapshotsSurviveRestart) {
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    StorageWrite write = EntriesWrite(2, 10, 2);
    write.hard_state->commit = 8;
    ASSERT_TRUE(storage->Write(write).ok());
    ASSERT_TRUE(storage->CreateSnapshot(6, ConfState{{1}, {2}}, "state@6").ok());
    EXPECT_FALSE(storage->CreateSnapshot(9, ConfState{{1}, {}}, "beyond commit").ok());
  }
  {
    auto storage = OpenOrDie();
    EXPECT_EQ(storage->FirstIndex(), 7u);
    EXPECT_EQ(storage->LastIndex(), 10u);
    EXPECT_EQ(storage->snapshot().data, "state@6");
    EXPECT_EQ(storage->snapshot().meta.conf_state.learners, std::vector<uint64_t>{2});
    // A leader's snapshot replaces the whole log.
    StorageWrite install;
    install.snapshot = Snapshot{SnapshotMeta{20, 4, ConfState{{1, 2}, {}}}, "state@20"};
    install.hard_state = HardState{4, 0, 20};
    install.must_sync = true;
    ASSERT_TRUE(storage->Write(install).ok());
  }
  auto storage = OpenOrDie();
  EXPECT_EQ(storage->FirstIndex(), 21u);
  EXPECT_EQ(storage->LastIndex(), 20u);
  EXPECT_EQ(storage->Term(20), 4u);
  EXPECT_EQ(storage->snapshot().data, "state@20");
}

TEST_F(LevelDbLogStorageTest, TornLastEntryIsDroppedOnOpen) {
  std::string last_key;
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    ASSERT_TRUE(storage->Write(EntriesWrite(2, 5, 2)).ok());
    last_key = storage->EntryKey(5);
  }
  {
    auto db = OpenRawDb();
    std::string record;
    ASSERT_TRUE(db->Get(leveldb::ReadOptions(), last_key, &record).ok());
    record.resize(record.size() - 3);  // the write stopped part way
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), last_key, record).ok());
  }
  auto storage = OpenOrDie();
  EXPECT_EQ(storage->LastIndex(), 4u);
  storage.reset();
  auto db = OpenRawDb();
  std::string value;
  EXPECT_TRUE(db->Get(leveldb::ReadOptions(), last_key, &value).IsNotFound());
}

TEST_F(LevelDbLogStorageTest, CorruptEntryIsDataLoss) {
  std::string key;
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    ASSERT_TRUE(storage->Write(EntriesWrite(2, 5, 2)).ok());
    key = storage->EntryKey(3);
  }
  {
    auto db = OpenRawDb();
    std::string record;
    ASSERT_TRUE(db->Get(leveldb::ReadOptions(), key, &record).ok());
    record.back() ^= 0x40;  // bit rot: same length, wrong checksum
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), key, record).ok());
  }
  absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> storage =
      LevelDbLogStorage::OpenDirectory(directory_.string());
  ASSERT_FALSE(storage.ok());
  EXPECT_EQ(storage.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(LevelDbLogStorageTest, CorruptHardStateIsDataLoss) {
  std::string key;
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    key = storage->HardStateKey();
  }
  {
    auto db = OpenRawDb();
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), key, "garbage").ok());
  }
  absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> storage =
      LevelDbLogStorage::OpenDirectory(directory_.string());
  ASSERT_FALSE(storage.ok());
  EXPECT_EQ(storage.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(LevelDbLogStorageTest, PrefixesShareOneDbWithoutInterfering) {
  auto db = OpenRawDb();
  ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "ledger/block/1", "not raft").ok());
  {
    auto first = LevelDbLogStorage::Open(db.get(), "raft/");
    auto second = LevelDbLogStorage::Open(db.get(), "raft2/");
    ASSERT_TRUE(first.ok() && second.ok());
    ASSERT_TRUE((*first)->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    ASSERT_TRUE((*first)->Write(EntriesWrite(2, 4, 2)).ok());
    ASSERT_TRUE((*second)->Write(BootstrapWrite(ConfState{{7}, {}})).ok());
  }
  auto first = LevelDbLogStorage::Open(db.get(), "raft/");
  auto second = LevelDbLogStorage::Open(db.get(), "raft2/");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)->LastIndex(), 4u);
  EXPECT_EQ((*second)->LastIndex(), 1u);
  EXPECT_EQ((*second)->snapshot().meta.conf_state.voters, std::vector<uint64_t>{7});
  std::string value;
  EXPECT_TRUE(db->Get(leveldb::ReadOptions(), "ledger/block/1", &value).ok());
}

TEST_F(LevelDbLogStorageTest, RawNodeRestartsFromLevelDb) {
  uint64_t applied_index = 0;
  {
    auto storage = OpenOrDie();
    ASSERT_TRUE(storage->Write(BootstrapWrite(ConfState{{1}, {}})).ok());
    Config config;
    config.id = 1;
    auto node = RawNode::Create(config, storage.get());
    ASSERT_TRUE(node.ok());
    ASSERT_TRUE((*node)->Campaign().ok());
    auto drain = [&] {
      while ((*node)->HasReady()) {
        Ready ready = (*node)->GetReady();
        ASSERT_TRUE(storage->Write(ready.write).ok());
        for (const Entry& entry : ready.committed_entries)
          applied_index = entry.index;
        (*node)->Advance();
      }
    };
    drain();
    ASSERT_TRUE((*node)->Propose("block-a").ok());
    drain();
    ASSERT_TRUE((*node)->Propose("block-b").ok());
    drain();
  }
  auto storage = OpenOrDie();
  EXPECT_EQ(storage->hard_state().commit, applied_index);
  EXPECT_EQ(storage->hard_state().vote, 1u);
  Config config;
  config.id = 1;
  config.applied_index = applied_index;
  auto node = RawNode::Create(config, storage.get());
  ASSERT_TRUE(node.ok());
  EXPECT_EQ((*node)->applied_index(), applied_index);
  EXPECT_EQ(storage->Entries(applied_index, applied_index + 1, UINT64_MAX)[0].data, "block-b");
}

TEST(RaftCodec, RoundTripsEveryType) {
  const Entry entry{7, 42, EntryType::kConfChange, std::string("\0bytes\xff", 7)};
  EXPECT_EQ(*DecodeEntry(EncodeEntry(entry)), entry);
  const HardState hard_state{9, 3, 41};
  EXPECT_EQ(*DecodeHardState(EncodeHardState(hard_state)), hard_state);
  const ConfChange change{ConfChangeType::kAddLearner, 4, "10.0.0.4:7000"};
  EXPECT_EQ(*DecodeConfChange(EncodeConfChange(change)), change);
  const Snapshot snapshot{SnapshotMeta{40, 8, ConfState{{1, 2, 3}, {4}}}, "image"};
  EXPECT_EQ(*DecodeSnapshot(EncodeSnapshot(snapshot)), snapshot);
}

TEST(RaftCodec, RecordsDetectTornAndCorruptPayloads) {
  const std::string record = EncodeRecord("payload");
  EXPECT_EQ(*DecodeRecord(record), "payload");
  EXPECT_EQ(DecodeRecord(record.substr(0, record.size() - 1)).status().code(),
            absl::StatusCode::kDataLoss);
  std::string corrupt = record;
  corrupt[9] ^= 1;
  EXPECT_EQ(DecodeRecord(corrupt).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(DecodeEntry("short").ok());
}

TEST(RaftCodec, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c("56789", Crc32c("1234")), 0xE3069283u);
}

}  // namespace
}  // namespace tl::raft

namespace tl::raft {
namespace {

TEST(MemoryLogStorage, CrashKeepsSyncedStateAndLosesUnsyncedWrites) {
  MemoryLogStorage storage = MemoryLogStorage::Bootstrapped(ConfState{{1}, {}});
  StorageWrite synced;
  synced.entries = {Entry{2, 2, EntryType::kNormal, "a"}};
  synced.hard_state = HardState{2, 1, 1};
  synced.must_sync = true;
  ASSERT_TRUE(storage.Write(synced).ok());
  StorageWrite unsynced;
  unsynced.entries = {Entry{2, 3, EntryType::kNormal, "b"}, Entry{2, 4, EntryType::kNormal, "c"}};
  unsynced.hard_state = HardState{2, 1, 3};
  ASSERT_TRUE(storage.Write(unsynced).ok());
  EXPECT_EQ(storage.LastIndex(), 4u);  // visible before the sync
  storage.Crash();
  EXPECT_EQ(storage.LastIndex(), 2u);
  EXPECT_EQ(storage.hard_state().commit, 1u);
}

TEST(MemoryLogStorage, CrashCanTearTheLastSurvivingWrite) {
  MemoryLogStorage storage = MemoryLogStorage::Bootstrapped(ConfState{{1}, {}});
  StorageWrite unsynced;
  unsynced.entries = {Entry{2, 2, EntryType::kNormal, "a"}, Entry{2, 3, EntryType::kNormal, "b"}};
  unsynced.hard_state = HardState{2, 1, 2};
  ASSERT_TRUE(storage.Write(unsynced).ok());
  storage.Crash(/*surviving_unsynced_writes=*/1, /*torn_tail_entries=*/1);
  EXPECT_EQ(storage.LastIndex(), 2u);                     // a prefix of the write survived
  EXPECT_EQ(storage.hard_state(), (HardState{1, 0, 1}));  // its hard state did not
}

}  // namespace
}  // namespace tl::raft
