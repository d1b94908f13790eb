#include "file_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/options.h"
#include "leveldb_testing.h"
#include "test_ledger.h"

namespace tl::ledger {
namespace {

namespace fs = std::filesystem;

// Random letters, so that compression leaves tables and logs many blocks long and a byte in the
// middle of a file lands inside a record, far from any header or footer.
std::string Value(int i) {
  std::mt19937 random(i);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string value(1000, ' ');
  for (char& c : value)
    c = static_cast<char>(letter(random));
  return value;
}

constexpr int kTableKeys = 300;
constexpr int kLogKeys = 300;

// Leaves a closed DB with keys [0, kTableKeys) compacted into tables and the next kLogKeys only
// in the write-ahead log.
void CreateDb(const std::string& dir) {
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* raw_db = nullptr;
  ASSERT_TRUE(leveldb::DB::Open(options, dir, &raw_db).ok());
  const std::unique_ptr<leveldb::DB> db(raw_db);
  for (int i = 0; i < kTableKeys + kLogKeys; ++i) {
    if (i == kTableKeys) db->CompactRange(nullptr, nullptr);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), testing::NumberedKey(i), Value(i)).ok());
  }
}

std::string ReadCurrent(const std::string& dir) {
  std::ifstream in(dir + "/CURRENT");
  std::string manifest;
  std::getline(in, manifest);
  return manifest;
}

// The log format's header: 4 bytes checksum, 2 bytes length (little-endian), 1 byte type.
constexpr std::streamoff kRecordHeaderSize = 7;
constexpr std::streamoff kRecordLengthOffset = 4;

void FlipByteAt(const std::string& path, std::streamoff offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(offset);
  const char byte = static_cast<char>(file.get());
  file.seekp(offset);
  file.put(static_cast<char>(~byte));
}

void FlipByteInTheMiddle(const std::string& path) {
  FlipByteAt(path, static_cast<std::streamoff>(fs::file_size(path) / 2));
}

class FileCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CreateDb(dir_.path()));
    ASSERT_FALSE(testing::FilesEndingWith(dir_.path(), ".ldb").empty());
    ASSERT_FALSE(testing::FilesEndingWith(dir_.path(), ".log").empty());
  }

  std::string Path(const std::string& name) const { return dir_.path() + "/" + name; }
  std::optional<DamagedFile> Check() {
    return FindDamagedFile(leveldb::Env::Default(), dir_.path());
  }

  testing::TempDir dir_;
};

TEST_F(FileCheckTest, CleanDbHasNoDamagedFile) {
  const std::optional<DamagedFile> damaged = Check();
  EXPECT_FALSE(damaged) << damaged->file << ": " << damaged->error;
}

TEST_F(FileCheckTest, TableTruncatedToHalfIsNamed) {
  const std::string table = testing::FilesEndingWith(dir_.path(), ".ldb").front();
  fs::resize_file(Path(table), fs::file_size(Path(table)) / 2);

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, table);
  EXPECT_EQ(damaged->error, "Corruption: not an sstable (bad magic number)");
}

TEST_F(FileCheckTest, TableWithAFlippedByteIsNamedWithAChecksumError) {
  const std::string table = testing::FilesEndingWith(dir_.path(), ".ldb").front();
  FlipByteInTheMiddle(Path(table));

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, table);
  EXPECT_EQ(damaged->error, "Corruption: block checksum mismatch");
}

TEST_F(FileCheckTest, LogWithAFlippedByteIsNamed) {
  const std::string log = testing::FilesEndingWith(dir_.path(), ".log").back();
  ASSERT_GT(fs::file_size(Path(log)), 3 * 32768u);  // The middle is not in the last block.
  FlipByteInTheMiddle(Path(log));

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, log);
  EXPECT_TRUE(damaged->error.starts_with("corruption: ")) << damaged->error;
  EXPECT_TRUE(damaged->error.ends_with("bytes; Corruption: checksum mismatch")) << damaged->error;
}

TEST_F(FileCheckTest, ManifestWithAFlippedByteIsNamed) {
  const std::string manifest = ReadCurrent(dir_.path());
  ASSERT_TRUE(fs::exists(Path(manifest)));
  FlipByteAt(Path(manifest), kRecordHeaderSize + 3);  // Inside the first record's payload.

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, manifest);
  EXPECT_TRUE(damaged->error.starts_with("corruption: ")) << damaged->error;
  EXPECT_TRUE(damaged->error.ends_with("bytes; Corruption: checksum mismatch")) << damaged->error;
}

// Pins a limit of LevelDB's log reader, which FindDamagedFile inherits: a damaged length field in
// the last block of a log-format file makes its record seem to run past the end of the file,
// which the reader cannot tell from a torn write, so it drops the record without a report. A
// MANIFEST is usually all one block, so this hides the loss of its latest edit.
TEST_F(FileCheckTest, LengthDamageInTheLastBlockPassesForATornTail) {
  const std::string manifest = ReadCurrent(dir_.path());
  const std::uintmax_t size = fs::file_size(Path(manifest));
  ASSERT_LT(size, 32768u);  // One block, so records follow each other without block trailers.

  // Walk the headers to the last record, then break its length.
  std::ifstream in(Path(manifest), std::ios::binary);
  std::streamoff last_record = 0;
  for (std::streamoff record = 0;
       record + kRecordHeaderSize <= static_cast<std::streamoff>(size);) {
    last_record = record;
    in.seekg(record + kRecordLengthOffset);
    const int low = in.get();
    const int high = in.get();
    record += kRecordHeaderSize + (low | (high << 8));
  }
  in.close();
  ASSERT_GT(last_record, 0);
  FlipByteAt(Path(manifest), last_record + kRecordLengthOffset);

  EXPECT_FALSE(Check());
}

TEST_F(FileCheckTest, MissingCurrentIsNamed) {
  fs::remove(Path("CURRENT"));

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, "CURRENT");
  EXPECT_TRUE(damaged->error.starts_with("NotFound: ")) << damaged->error;
}

TEST_F(FileCheckTest, CurrentNamingAMissingManifestIsNamed) {
  const std::string manifest = ReadCurrent(dir_.path());
  fs::remove(Path(manifest));

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, "CURRENT");
  EXPECT_EQ(damaged->error, "names " + manifest + ", which is missing");
}

TEST_F(FileCheckTest, FirstDamagedFileInNameOrderIsNamed) {
  const std::string table = testing::FilesEndingWith(dir_.path(), ".ldb").front();
  const std::string log = testing::FilesEndingWith(dir_.path(), ".log").back();
  FlipByteInTheMiddle(Path(log));
  FlipByteAt(Path(ReadCurrent(dir_.path())), kRecordHeaderSize + 3);
  FlipByteInTheMiddle(Path(table));

  const std::optional<DamagedFile> damaged = Check();
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->file, std::min(table, log));  // Both sort before "MANIFEST-".
}

TEST_F(FileCheckTest, CheckChangesNoFile) {
  FlipByteInTheMiddle(Path(testing::FilesEndingWith(dir_.path(), ".log").back()));
  const auto read_all = [this] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir_.path())) {
      std::ifstream in(entry.path(), std::ios::binary);
      files.emplace_back(entry.path().filename(),
                         std::string(std::istreambuf_iterator<char>(in), {}));
    }
    std::sort(files.begin(), files.end());
    return files;
  };
  const auto before = read_all();
  ASSERT_TRUE(Check());
  EXPECT_TRUE(before == read_all());
}

}  // namespace
}  // namespace tl::ledger
