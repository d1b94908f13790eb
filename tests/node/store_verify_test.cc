// The LevelDB store and offline verification: restart at the head, and every kind of damage to a
// stored ledger reported with its height.
#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <cstdio>
#include <filesystem>

#include "leveldb_testing.h"
#include "test_ledger.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/ledger/verify.h"
#include "trialledger/sdk/codec.h"

namespace tl::ledger {
namespace {

using testing::TempDir;
using testing::TestNetwork;

class StoreTest : public ::testing::Test {
 protected:
  // Writes `blocks` blocks of three notes each (plus one rejected replay in block 2). With
  // `tables_from` > 0, LevelDB's write-ahead log is compacted into tables after that many blocks,
  // so the data dir holds both, as a node's does after a while.
  void BuildLedger(int blocks, int tables_from = 0) {
    absl::StatusOr<std::unique_ptr<LedgerStore>> store =
        LedgerStore::Open(dir_.path(), network_.genesis());
    ASSERT_TRUE(store.ok()) << store.status();
    uint64_t nonce = 1;
    for (int b = 0; b < blocks; ++b) {
      std::vector<v1::Transaction> txs;
      for (int i = 0; i < 3; ++i) {
        txs.push_back(network_.Note("cro-edc", nonce, "note " + std::to_string(nonce)));
        ++nonce;
      }
      if (b == 1) txs.push_back(network_.Note("cro-edc", 1, "note 2"));  // a replay
      DecodedBlock block = network_.MakeBlock((*store)->head(), txs);
      absl::StatusOr<AppliedBlock> applied =
          ApplyBlock((*store)->head(), network_.chain_id(), block, **store);
      ASSERT_TRUE(applied.ok()) << applied.status();
      ASSERT_TRUE(
          (*store)->CommitBlock(block, *applied, block.header.height(), /*sync=*/true).ok());
      if (b + 1 == tables_from) (*store)->db()->CompactRange(nullptr, nullptr);
    }
    head_ = (*store)->head();
  }

  VerifyReport Verify() {
    VerifyOptions options;
    options.data_dir = dir_.path();
    return VerifyLedger(options);
  }

  // Runs `change` on the raw database of the (closed) store.
  void Tamper(const std::function<void(leveldb::DB&)>& change) {
    absl::StatusOr<std::unique_ptr<leveldb::DB>> db = OpenLevelDb(dir_.path(), false);
    ASSERT_TRUE(db.ok()) << db.status();
    change(**db);
  }

  std::string Get(leveldb::DB& db, const std::string& key) {
    std::string value;
    EXPECT_TRUE(db.Get(leveldb::ReadOptions(), key, &value).ok()) << key;
    return value;
  }

  TestNetwork network_;
  TempDir dir_;
  ChainHead head_;
};

TEST_F(StoreTest, ReopensAtTheHeadAndRefusesAnotherGenesis) {
  BuildLedger(3);
  absl::StatusOr<std::unique_ptr<LedgerStore>> reopened =
      LedgerStore::Open(dir_.path(), network_.genesis());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->head().height, 3u);
  EXPECT_EQ((*reopened)->head().state_hash, head_.state_hash);
  reopened->reset();

  GenesisDocument other = network_.genesis();
  other.text += "\n# another network\n";
  other.hash = Blake2b256(other.text);
  absl::StatusOr<std::unique_ptr<LedgerStore>> wrong = LedgerStore::Open(dir_.path(), other);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(std::string(wrong.status().message()).find("genesis hash"), std::string::npos);
}

TEST_F(StoreTest, ADamagedHeadStopsTheNodeAtOpen) {
  BuildLedger(2);
  Tamper([&](leveldb::DB& db) {
    v1::Block block;
    ASSERT_TRUE(block.ParseFromString(Get(db, store_keys::Block(2))));
    block.mutable_results(0)->set_message("edited");
    ASSERT_TRUE(db.Put(leveldb::WriteOptions(), store_keys::Block(2), Encode(block)).ok());
  });
  absl::StatusOr<std::unique_ptr<LedgerStore>> reopened =
      LedgerStore::Open(dir_.path(), network_.genesis());
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(std::string(reopened.status().message()).find("state hash mismatch at height 2"),
            std::string::npos)
      << reopened.status();
}

TEST_F(StoreTest, AnIntactLedgerVerifies) {
  BuildLedger(4);
  VerifyReport report = Verify();
  ASSERT_TRUE(report.status.ok()) << report.status;
  EXPECT_EQ(report.blocks_verified, 4u);
  EXPECT_EQ(report.transactions_verified, 13u);
  EXPECT_EQ(report.rejected_transactions, 1u);
  EXPECT_EQ(report.head_state_hash, head_.state_hash);
}

TEST_F(StoreTest, EveryFlippedByteOfAStoredBlockIsReportedAtItsHeight) {
  BuildLedger(3);
  std::string original;
  Tamper([&](leveldb::DB& db) { original = Get(db, store_keys::Block(2)); });
  for (size_t i = 0; i < original.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80}) {
      std::string damaged = original;
      damaged[i] = static_cast<char>(damaged[i] ^ mask);
      Tamper([&](leveldb::DB& db) {
        ASSERT_TRUE(db.Put(leveldb::WriteOptions(), store_keys::Block(2), damaged).ok());
      });
      VerifyReport report = Verify();
      ASSERT_FALSE(report.status.ok()) << "flip of byte " << i << " mask " << int(mask);
      EXPECT_EQ(report.first_bad_height, 2u) << "byte " << i << ": " << report.status;
    }
  }
  Tamper([&](leveldb::DB& db) {
    ASSERT_TRUE(db.Put(leveldb::WriteOptions(), store_keys::Block(2), original).ok());
  });
  EXPECT_TRUE(Verify().status.ok());
}

TEST_F(StoreTest, SwappedBlocksAreReportedAtTheFirstHeight) {
  BuildLedger(4);
  Tamper([&](leveldb::DB& db) {
    std::string two = Get(db, store_keys::Block(2));
    std::string three = Get(db, store_keys::Block(3));
    ASSERT_TRUE(db.Put(leveldb::WriteOptions(), store_keys::Block(2), three).ok());
    ASSERT_TRUE(db.Put(leveldb::WriteOptions(), store_keys::Block(3), two).ok());
  });
  VerifyReport report = Verify();
  ASSERT_FALSE(report.status.ok());
  EXPECT_EQ(report.first_bad_height, 2u);
  EXPECT_NE(std::string(report.status.message()).find("height 2"), std::string::npos);
}

TEST_F(StoreTest, AMissingBlockIsReportedAtItsHeight) {
  BuildLedger(4);
  Tamper([&](leveldb::DB& db) {
    ASSERT_TRUE(db.Delete(leveldb::WriteOptions(), store_keys::Block(3)).ok());
  });
  VerifyReport gap = Verify();
  EXPECT_FALSE(gap.status.ok());
  EXPECT_EQ(gap.first_bad_height, 3u);
}

TEST_F(StoreTest, EditedStateIsReported) {
  BuildLedger(2);
  Tamper([&](leveldb::DB& db) {
    std::string key = store_keys::State(state_keys::Nonce(network_.key("cro-edc").public_key));
    ASSERT_TRUE(db.Put(leveldb::WriteOptions(), key, EncodeBigEndian64(1)).ok());
  });
  VerifyReport report = Verify();
  ASSERT_FALSE(report.status.ok());
  EXPECT_NE(std::string(report.status.message()).find("state entry 'nonce/"), std::string::npos)
      << report.status;
}

TEST_F(StoreTest, EditedTransactionIndexIsReported) {
  BuildLedger(2);
  Tamper([&](leveldb::DB& db) {
    v1::Block block;
    ASSERT_TRUE(block.ParseFromString(Get(db, store_keys::Block(1))));
    v1::TxLocation wrong;
    wrong.set_height(2);
    wrong.set_index(0);
    ASSERT_TRUE(
        db.Put(leveldb::WriteOptions(), store_keys::Tx(TxId(block.transactions(1))), Encode(wrong))
            .ok());
  });
  VerifyReport report = Verify();
  ASSERT_FALSE(report.status.ok());
  EXPECT_EQ(report.first_bad_height, 1u);
}

TEST_F(StoreTest, AnIndependentGenesisCopyMustMatch) {
  BuildLedger(1);
  std::string copy = dir_.Sub("other-genesis.toml");
  FILE* file = std::fopen(copy.c_str(), "w");
  std::fputs((network_.genesis().text + "\n# changed\n").c_str(), file);
  std::fclose(file);
  VerifyOptions options;
  options.data_dir = dir_.path();
  options.genesis_path = copy;
  VerifyReport report = VerifyLedger(options);
  ASSERT_FALSE(report.status.ok());
  EXPECT_NE(std::string(report.status.message()).find("stored genesis"), std::string::npos);
}

// An auditor's check leaves the evidence as it found it: verify opens the store through a
// copy-on-write env, so LevelDB's recovery (log to table, new MANIFEST, LOG rotation, dropping a
// torn tail) happens in memory only.
TEST_F(StoreTest, VerifyChangesNoByteOfACleanDataDir) {
  BuildLedger(12, /*tables_from=*/6);
  ASSERT_FALSE(testing::FilesEndingWith(dir_.path(), ".ldb").empty());
  ASSERT_FALSE(testing::FilesEndingWith(dir_.path(), ".log").empty());
  const testing::DirectoryBytes before = testing::ReadDirectoryBytes(dir_.path());
  VerifyReport report = Verify();
  ASSERT_TRUE(report.status.ok()) << report.status;
  EXPECT_EQ(report.blocks_verified, 12u);
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir_.path()));
  // And again: nothing the first run did is left behind for the second to find.
  ASSERT_TRUE(Verify().status.ok());
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir_.path()));
}

TEST_F(StoreTest, AHalfTruncatedTableIsNamedAndLeftAsItWas) {
  BuildLedger(12, /*tables_from=*/6);
  const std::string table = testing::FilesEndingWith(dir_.path(), ".ldb").front();
  std::filesystem::resize_file(dir_.Sub(table), std::filesystem::file_size(dir_.Sub(table)) / 2);
  const testing::DirectoryBytes before = testing::ReadDirectoryBytes(dir_.path());
  VerifyReport report = Verify();
  ASSERT_FALSE(report.status.ok());
  const std::string message(report.status.message());
  EXPECT_NE(message.find(table), std::string::npos) << message;
  EXPECT_NE(message.find("Corruption"), std::string::npos) << message;  // LevelDB's own words
  EXPECT_EQ(message.find("genesis"), std::string::npos) << message;
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir_.path()));
}

TEST_F(StoreTest, ATornLogTailIsReadAroundNotCut) {
  BuildLedger(5);
  const std::string log = testing::FilesEndingWith(dir_.path(), ".log").back();
  // A crash in the middle of writing a record leaves a partial one at the end of the log.
  std::FILE* file = std::fopen(dir_.Sub(log).c_str(), "ab");
  ASSERT_NE(file, nullptr);
  std::fputs("\x12\x34torn", file);
  std::fclose(file);
  const testing::DirectoryBytes before = testing::ReadDirectoryBytes(dir_.path());
  VerifyReport report = Verify();
  ASSERT_TRUE(report.status.ok()) << report.status;
  EXPECT_EQ(report.blocks_verified, 5u);
  testing::ExpectSameDirectory(before, testing::ReadDirectoryBytes(dir_.path()));
}

TEST_F(StoreTest, VerifyRefusesADataDirANodeHolds) {
  BuildLedger(2);
  absl::StatusOr<std::unique_ptr<LedgerStore>> running =
      LedgerStore::Open(dir_.path(), network_.genesis());
  ASSERT_TRUE(running.ok()) << running.status();
  VerifyReport report = Verify();
  ASSERT_FALSE(report.status.ok());
  EXPECT_NE(std::string(report.status.message()).find("still running"), std::string::npos)
      << report.status;
}

TEST_F(StoreTest, ADirWithoutAStoreIsSaidSo) {
  VerifyReport report = Verify();
  ASSERT_FALSE(report.status.ok());
  EXPECT_NE(std::string(report.status.message()).find("cannot open the ledger store"),
            std::string::npos)
      << report.status;
}

}  // namespace
}  // namespace tl::ledger
