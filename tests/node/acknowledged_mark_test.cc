// The acknowledged mark: its file survives a torn copy and names a damaged one; the comparison
// with the store finds every kind of loss and nothing after a crash; --resync-from-peers sets a
// data dir aside only when a mark can hold the node back.
#include "trialledger/ledger/acknowledged_mark.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_ledger.h"

namespace tl::ledger {
namespace {

using testing::TempDir;

AcknowledgedMark Mark(uint64_t term, uint64_t last_index, uint64_t last_term, uint64_t height) {
  return AcknowledgedMark{.term = term,
                          .vote = 2,
                          .last_index = last_index,
                          .last_term = last_term,
                          .head_height = height,
                          .head_hash = std::string(32, static_cast<char>('a' + height % 26))};
}

void Overwrite(const std::string& path, size_t offset, std::string_view bytes) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(AcknowledgedMarkFile, ANewFileHoldsNothingAndTheLastWriteIsReadBack) {
  TempDir dir;
  const std::string path = dir.path() + "/data.acknowledged";
  {
    auto file = AcknowledgedMarkFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_FALSE((*file)->at_open().has_value());
    for (uint64_t i = 1; i <= 5; ++i)
      ASSERT_TRUE((*file)->Write(Mark(3, 10 * i, 3, i)).ok());
  }
  auto reopened = AcknowledgedMarkFile::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ASSERT_TRUE((*reopened)->at_open().has_value());
  EXPECT_EQ(*(*reopened)->at_open(), Mark(3, 50, 3, 5));
}

TEST(AcknowledgedMarkFile, AWriteTornByAPowerCutLeavesThePreviousCopy) {
  TempDir dir;
  const std::string path = dir.path() + "/data.acknowledged";
  {
    auto file = AcknowledgedMarkFile::Open(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write(Mark(3, 10, 3, 1)).ok());  // copy 1
    ASSERT_TRUE((*file)->Write(Mark(3, 20, 3, 2)).ok());  // copy 0, the newest
  }
  Overwrite(path, 40, "torn");  // inside copy 0
  auto reopened = AcknowledgedMarkFile::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->at_open(), Mark(3, 10, 3, 1));
}

TEST(AcknowledgedMarkFile, AMarkEqualToTheNewestCopyIsNotWrittenAgain) {
  TempDir dir;
  const std::string path = dir.path() + "/data.acknowledged";
  {
    auto file = AcknowledgedMarkFile::Open(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write(Mark(3, 10, 3, 1)).ok());  // copy 1
    ASSERT_TRUE((*file)->Write(Mark(3, 20, 3, 2)).ok());  // copy 0
    ASSERT_TRUE((*file)->Write(Mark(3, 20, 3, 2)).ok());  // written again, it would be copy 1
  }
  Overwrite(path, 40, "torn");  // copy 0: only an untouched copy 1 still holds the first mark
  auto reopened = AcknowledgedMarkFile::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->at_open(), Mark(3, 10, 3, 1));
}

TEST(AcknowledgedMarkFile, BothCopiesDamagedIsRefusedNamingTheFile) {
  TempDir dir;
  const std::string path = dir.path() + "/data.acknowledged";
  {
    auto file = AcknowledgedMarkFile::Open(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write(Mark(3, 10, 3, 1)).ok());
    ASSERT_TRUE((*file)->Write(Mark(3, 20, 3, 2)).ok());
  }
  Overwrite(path, 20, "x");
  Overwrite(path, 512 + 20, "x");
  auto reopened = AcknowledgedMarkFile::Open(path);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(reopened.status().message().find(path), std::string::npos);
  EXPECT_NE(reopened.status().message().find("damaged"), std::string::npos);
}

TEST(AcknowledgedMarkFile, ACutFileIsRefused) {
  TempDir dir;
  const std::string path = dir.path() + "/data.acknowledged";
  ASSERT_TRUE(AcknowledgedMarkFile::Open(path).ok());
  std::filesystem::resize_file(path, 100);
  auto reopened = AcknowledgedMarkFile::Open(path);
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.status().message().find("100 bytes, expected 1024"), std::string::npos);
}

TEST(WhatWasLost, AStoreAtOrBeyondTheMarkLostNothing) {
  const AcknowledgedMark acknowledged = Mark(4, 100, 4, 40);
  EXPECT_TRUE(WhatWasLost(acknowledged, acknowledged).empty());
  EXPECT_TRUE(WhatWasLost(acknowledged, Mark(4, 101, 4, 41)).empty());
  // A newer leader replaced the uncommitted tail before the crash: fewer entries, a later term.
  EXPECT_TRUE(WhatWasLost(acknowledged, Mark(5, 98, 5, 40)).empty());
}

TEST(WhatWasLost, NamesEveryLoss) {
  const AcknowledgedMark acknowledged = Mark(4, 100, 4, 40);
  std::vector<std::string> lost = WhatWasLost(acknowledged, Mark(3, 55, 3, 20));
  ASSERT_EQ(lost.size(), 3u);
  EXPECT_EQ(lost[0],
            "the Raft log ends at index 55 of term 3, but this node had acknowledged up to index "
            "100 of term 4");
  EXPECT_EQ(lost[1], "the Raft hard state is at term 3, but this node had reached term 4");
  EXPECT_EQ(lost[2], "the ledger head is at height 20, but this node had applied up to height 40");
  EXPECT_EQ(WhatWasLost(acknowledged, Mark(4, 99, 4, 40)).size(), 1u);
  EXPECT_EQ(WhatWasLost(acknowledged, Mark(4, 100, 4, 39)).size(), 1u);
}

TEST(Covering, NeverRecordsLessThanWhatWasAcknowledged) {
  const AcknowledgedMark acknowledged = Mark(4, 100, 4, 40);
  EXPECT_EQ(Covering(acknowledged, Mark(4, 30, 4, 10)), acknowledged);
  const AcknowledgedMark beyond = Mark(5, 120, 5, 45);
  EXPECT_EQ(Covering(acknowledged, beyond), beyond);
  AcknowledgedMark mixed = Covering(acknowledged, Mark(5, 30, 4, 41));
  EXPECT_EQ(mixed.term, 5u);
  EXPECT_EQ(mixed.last_index, 100u);
  EXPECT_EQ(mixed.head_height, 41u);
}

TEST(AcknowledgedMarkPath, LivesBesideTheDataDir) {
  EXPECT_EQ(AcknowledgedMarkPath("/srv/node2/data"), "/srv/node2/data.acknowledged");
  EXPECT_EQ(AcknowledgedMarkPath("/srv/node2/data/"), "/srv/node2/data.acknowledged");
}

TEST(SetDataDirAsideForResync, RefusesWithoutAMarkAndMovesTheDirAsideWithOne) {
  TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  std::filesystem::create_directory(data_dir);
  std::ofstream(data_dir + "/CURRENT") << "MANIFEST-000002\n";
  absl::StatusOr<std::string> refused = SetDataDirAsideForResync(data_dir);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("no acknowledged mark"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(data_dir + "/CURRENT")) << "nothing moved";

  ASSERT_TRUE(AcknowledgedMarkFile::Open(AcknowledgedMarkPath(data_dir)).ok());
  absl::StatusOr<std::string> aside = SetDataDirAsideForResync(data_dir);
  ASSERT_TRUE(aside.ok()) << aside.status();
  EXPECT_EQ(*aside, data_dir + ".damaged");
  EXPECT_TRUE(std::filesystem::exists(data_dir + ".damaged/CURRENT"));
  EXPECT_FALSE(std::filesystem::exists(data_dir));
  std::filesystem::create_directory(data_dir);
  aside = SetDataDirAsideForResync(data_dir);
  ASSERT_TRUE(aside.ok());
  EXPECT_EQ(*aside, data_dir + ".damaged.2") << "an earlier copy set aside is kept";
}

}  // namespace
}  // namespace tl::ledger
