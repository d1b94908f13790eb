#include "file_check.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

#include "copy_on_write_env.h"
#include "leveldb/db.h"
#include "leveldb/dumpfile.h"
#include "leveldb/iterator.h"
#include "leveldb/options.h"
#include "leveldb/slice.h"
#include "leveldb/status.h"
#include "leveldb/table.h"

namespace tl::ledger {
namespace {

using leveldb::Status;

bool IsLog(const std::string& name) {
  return name.ends_with(".log");
}

// Keeps the first "corruption: N bytes; <status>" line that DumpFile writes. DumpFile makes one
// Append per item it finds, and escapes keys and values, so a record's own bytes can never pass
// for such a line.
class FirstCorruptionSink final : public leveldb::WritableFile {
 public:
  Status Append(const leveldb::Slice& item) override {
    if (first_corruption_.empty() && item.starts_with("corruption: ")) {
      first_corruption_ = item.ToString();
      if (first_corruption_.ends_with('\n')) first_corruption_.pop_back();
    }
    return Status::OK();
  }
  Status Close() override { return Status::OK(); }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }

  const std::string& first_corruption() const { return first_corruption_; }

 private:
  std::string first_corruption_;
};

std::optional<DamagedFile> CheckTable(leveldb::Env* env, const std::string& dir,
                                      const std::string& name) {
  const std::string path = dir + "/" + name;
  uint64_t size = 0;
  Status status = env->GetFileSize(path, &size);
  leveldb::RandomAccessFile* raw_file = nullptr;
  if (status.ok()) status = env->NewRandomAccessFile(path, &raw_file);
  const std::unique_ptr<leveldb::RandomAccessFile> file(raw_file);

  leveldb::Table* raw_table = nullptr;
  if (status.ok()) {
    // The default comparator is fine whatever the DB uses: a full scan never compares keys.
    leveldb::Options options;
    options.paranoid_checks = true;  // Also verifies the index block's checksum.
    status = leveldb::Table::Open(options, file.get(), size, &raw_table);
  }
  const std::unique_ptr<leveldb::Table> table(raw_table);  // Destroyed before `file`.

  if (status.ok()) {
    leveldb::ReadOptions read_options;
    read_options.verify_checksums = true;
    read_options.fill_cache = false;
    const std::unique_ptr<leveldb::Iterator> entries(table->NewIterator(read_options));
    // A block that fails its checksum is skipped, and the first failure is kept in status().
    for (entries->SeekToFirst(); entries->Valid(); entries->Next()) {
    }
    status = entries->status();
  }
  if (status.ok()) return std::nullopt;
  return DamagedFile{name, status.ToString()};
}

// Logs and MANIFESTs share the log format; DumpFile picks the record decoder from the name.
std::optional<DamagedFile> CheckLogFormatFile(leveldb::Env* env, const std::string& dir,
                                              const std::string& name) {
  FirstCorruptionSink sink;
  const Status status = leveldb::DumpFile(env, dir + "/" + name, &sink);
  if (!status.ok()) return DamagedFile{name, status.ToString()};
  if (!sink.first_corruption().empty()) return DamagedFile{name, sink.first_corruption()};
  return std::nullopt;
}

// Reads CURRENT as LevelDB's recovery does and stores the MANIFEST it names in `manifest`.
std::optional<DamagedFile> ReadCurrent(leveldb::Env* env, const std::string& dir,
                                       std::string* manifest) {
  std::string contents;
  const Status status = leveldb::ReadFileToString(env, dir + "/CURRENT", &contents);
  if (!status.ok()) return DamagedFile{"CURRENT", status.ToString()};
  // LevelDB's own words for this case, from VersionSet::Recover.
  if (!contents.ends_with('\n')) {
    return DamagedFile{"CURRENT", "Corruption: CURRENT file does not end with newline"};
  }
  contents.pop_back();
  if (!contents.starts_with("MANIFEST-") || contents.find('/') != std::string::npos) {
    return DamagedFile{"CURRENT", "names " + contents + ", which is not a MANIFEST"};
  }
  if (!env->FileExists(dir + "/" + contents)) {
    return DamagedFile{"CURRENT", "names " + contents + ", which is missing"};
  }
  *manifest = contents;
  return std::nullopt;
}

}  // namespace

std::vector<std::string> LiveTables(leveldb::DB& db) {
  // LevelDB's own list of the tables its current version uses, one per line as
  // " <number>:<size>[<smallest> .. <largest>]" under "--- level N ---" (db_impl.cc, 1.23).
  std::string description;
  if (!db.GetProperty("leveldb.sstables", &description)) return {};
  std::vector<std::string> tables;
  std::istringstream lines(description);
  for (std::string line; std::getline(lines, line);) {
    const size_t colon = line.find(':');
    if (line.starts_with("---") || colon == std::string::npos) continue;
    char name[32];
    std::snprintf(name, sizeof name, "%06llu.ldb",
                  static_cast<unsigned long long>(std::stoull(line.substr(0, colon))));
    tables.emplace_back(name);
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

std::optional<DamagedFile> FindDamagedLogOrManifest(leveldb::Env* env, const std::string& dir) {
  std::vector<std::string> children;
  const Status listed = env->GetChildren(dir, &children);
  if (!listed.ok()) return DamagedFile{".", listed.ToString()};
  std::string manifest;
  if (std::optional<DamagedFile> damage = ReadCurrent(env, dir, &manifest)) return damage;
  // std::set iterates in name order, which decides which damaged file is reported first.
  std::set<std::string> logs = {manifest};
  for (const std::string& child : children) {
    if (IsLog(child)) logs.insert(child);
  }
  for (const std::string& name : logs) {
    if (std::optional<DamagedFile> damage = CheckLogFormatFile(env, dir, name)) return damage;
  }
  return std::nullopt;
}

std::optional<DamagedFile> FindDamagedTable(leveldb::Env* env, const std::string& dir,
                                            const std::vector<std::string>& tables) {
  for (std::string name : tables) {
    // LevelDB before 1.14 named tables .sst, and still reads them.
    if (!env->FileExists(dir + "/" + name)) name.replace(name.size() - 3, 3, "sst");
    // A table that recovery has just made from the logs lives in memory, not in `env`.
    if (!env->FileExists(dir + "/" + name)) continue;
    if (std::optional<DamagedFile> damage = CheckTable(env, dir, name)) return damage;
  }
  return std::nullopt;
}

std::optional<DamagedFile> FindDamagedFile(leveldb::Env* env, const std::string& dir) {
  if (std::optional<DamagedFile> damage = FindDamagedLogOrManifest(env, dir)) return damage;
  CopyOnWriteEnv untouched(env);
  leveldb::Options options;
  options.env = &untouched;
  options.paranoid_checks = true;
  leveldb::DB* raw_db = nullptr;
  const Status opened = leveldb::DB::Open(options, dir, &raw_db);
  if (!opened.ok()) return DamagedFile{"CURRENT", opened.ToString()};
  std::vector<std::string> tables;
  {
    const std::unique_ptr<leveldb::DB> db(raw_db);
    tables = LiveTables(*db);
  }
  return FindDamagedTable(env, dir, tables);
}

}  // namespace tl::ledger
