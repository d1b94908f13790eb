#include "trialledger/consensus/leveldb_storage.h"

#include <algorithm>

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "trialledger/base/endian.h"
#include "trialledger/consensus/codec.h"

namespace tl::raft {
namespace {

constexpr char kEntryInfix[] = "entry/";

absl::Status FromLevelDb(const leveldb::Status& status, const std::string& what) {
  if (status.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("raft log: ", what, ": ", status.ToString()));
}

// Reads one checksummed record; NotFound if absent.
absl::StatusOr<std::string> ReadRecord(leveldb::DB* db, const std::string& key) {
  std::string value;
  const leveldb::Status status = db->Get(leveldb::ReadOptions(), key, &value);
  if (status.IsNotFound()) return absl::NotFoundError(key);
  if (!status.ok()) return FromLevelDb(status, "reading " + key);
  return DecodeRecord(value);
}

// A record whose declared payload runs past the end of its value was cut short mid-write.
bool IsTornRecord(std::string_view value) {
  if (value.size() < 8) return true;
  const uint32_t declared = DecodeLittleEndian<uint32_t>(value);
  return value.size() - 8 < declared;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> LevelDbLogStorage::OpenDirectory(
    const std::string& directory) {
  leveldb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  leveldb::DB* db = nullptr;
  if (absl::Status status =
          FromLevelDb(leveldb::DB::Open(options, directory, &db), "opening " + directory);
      !status.ok()) {
    return status;
  }
  std::unique_ptr<leveldb::DB> owned(db);
  std::unique_ptr<LevelDbLogStorage> storage(new LevelDbLogStorage(std::move(owned), db, ""));
  if (absl::Status status = storage->Load(); !status.ok()) return status;
  return storage;
}

absl::StatusOr<std::unique_ptr<LevelDbLogStorage>> LevelDbLogStorage::Open(leveldb::DB* db,
                                                                           std::string key_prefix) {
  std::unique_ptr<LevelDbLogStorage> storage(
      new LevelDbLogStorage(nullptr, db, std::move(key_prefix)));
  if (absl::Status status = storage->Load(); !status.ok()) return status;
  return storage;
}

LevelDbLogStorage::LevelDbLogStorage(std::unique_ptr<leveldb::DB> owned_db, leveldb::DB* db,
                                     std::string prefix)
    : owned_db_(std::move(owned_db)), db_(db), key_prefix_(std::move(prefix)) {}

LevelDbLogStorage::~LevelDbLogStorage() = default;

std::string LevelDbLogStorage::EntryKey(uint64_t index) const {
  // Big-endian, so LevelDB's key order is log order.
  return key_prefix_ + kEntryInfix + EncodeBigEndian64(index);
}

absl::Status LevelDbLogStorage::Load() {
  StorageWrite recovered;
  absl::StatusOr<std::string> snapshot_record = ReadRecord(db_, SnapshotKey());
  if (snapshot_record.ok()) {
    absl::StatusOr<Snapshot> snapshot = DecodeSnapshot(*snapshot_record);
    if (!snapshot.ok()) return snapshot.status();
    recovered.snapshot = std::move(*snapshot);
  } else if (!absl::IsNotFound(snapshot_record.status())) {
    return absl::DataLossError(
        absl::StrCat("raft log: snapshot record: ", snapshot_record.status().message()));
  }
  absl::StatusOr<std::string> hard_state_record = ReadRecord(db_, HardStateKey());
  if (hard_state_record.ok()) {
    absl::StatusOr<HardState> hard_state = DecodeHardState(*hard_state_record);
    if (!hard_state.ok()) return hard_state.status();
    recovered.hard_state = *hard_state;
  } else if (!absl::IsNotFound(hard_state_record.status())) {
    // The vote must not be guessed: a node that forgets it may vote twice in one term.
    return absl::DataLossError(
        absl::StrCat("raft log: hard state record: ", hard_state_record.status().message()));
  }

  const uint64_t snapshot_index = recovered.snapshot ? recovered.snapshot->meta.index : 0;
  const std::string entry_prefix = key_prefix_ + kEntryInfix;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  uint64_t expected_index = snapshot_index + 1;
  std::string torn_key;
  for (it->Seek(EntryKey(expected_index)); it->Valid() && it->key().starts_with(entry_prefix);
       it->Next()) {
    const std::string key = it->key().ToString();
    if (!torn_key.empty()) {
      return absl::DataLossError(absl::StrCat("raft log: entry ", expected_index - 1,
                                              " is cut short but more entries follow it"));
    }
    const std::string_view value(it->value().data(), it->value().size());
    absl::StatusOr<std::string> payload = DecodeRecord(value);
    if (!payload.ok() && IsTornRecord(value)) {
      torn_key = key;  // a torn tail, unless something follows it
      ++expected_index;
      continue;
    }
    if (!payload.ok()) {
      return absl::DataLossError(
          absl::StrCat("raft log: entry ", expected_index, ": ", payload.status().message()));
    }
    absl::StatusOr<Entry> entry = DecodeEntry(*payload);
    if (!entry.ok()) return entry.status();
    if (key != EntryKey(expected_index) || entry->index != expected_index) {
      return absl::DataLossError(
          absl::StrCat("raft log: expected entry ", expected_index, ", found ", entry->index));
    }
    recovered.entries.push_back(std::move(*entry));
    ++expected_index;
  }
  if (absl::Status status = FromLevelDb(it->status(), "scanning entries"); !status.ok()) {
    return status;
  }
  if (!torn_key.empty()) {
    // A torn last entry was never acknowledged (its write never completed): drop it durably.
    leveldb::WriteOptions sync;
    sync.sync = true;
    if (absl::Status status = FromLevelDb(db_->Delete(sync, torn_key), "dropping torn entry");
        !status.ok()) {
      return status;
    }
  }
  cache_.Apply(recovered);
  if (cache_.hard_state().commit > cache_.LastIndex()) {
    return absl::DataLossError(absl::StrCat("raft log: commit index ", cache_.hard_state().commit,
                                            " is beyond the last entry ", cache_.LastIndex()));
  }
  return absl::OkStatus();
}

absl::Status LevelDbLogStorage::Write(const StorageWrite& write) {
  // Deletes first, puts after: a WriteBatch applies in order, so a rewritten index ends up put.
  leveldb::WriteBatch batch;
  if (write.snapshot) {
    for (uint64_t index = cache_.FirstIndex(); index <= cache_.LastIndex(); ++index) {
      batch.Delete(EntryKey(index));
    }
    batch.Put(SnapshotKey(), EncodeRecord(EncodeSnapshot(*write.snapshot)));
  }
  if (!write.entries.empty()) {
    // A conflicting suffix beyond the new entries is truncated.
    for (uint64_t index = write.entries.back().index + 1; index <= cache_.LastIndex(); ++index) {
      batch.Delete(EntryKey(index));
    }
    for (const Entry& entry : write.entries) {
      batch.Put(EntryKey(entry.index), EncodeRecord(EncodeEntry(entry)));
    }
  }
  if (write.hard_state) batch.Put(HardStateKey(), EncodeRecord(EncodeHardState(*write.hard_state)));
  leveldb::WriteOptions options;
  options.sync = write.must_sync;
  if (absl::Status status = FromLevelDb(db_->Write(options, &batch), "writing"); !status.ok()) {
    return status;
  }
  cache_.Apply(write);
  return absl::OkStatus();
}

absl::Status LevelDbLogStorage::CreateSnapshot(uint64_t index, const ConfState& conf_state,
                                               std::string data) {
  if (index <= cache_.snapshot().meta.index || index > cache_.LastIndex() ||
      index > cache_.hard_state().commit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot snapshot at ", index, ": the log holds (", cache_.snapshot().meta.index, ", ",
        cache_.LastIndex(), "] with commit ", cache_.hard_state().commit));
  }
  const Snapshot snapshot{SnapshotMeta{index, cache_.Term(index), conf_state}, data};
  leveldb::WriteBatch batch;
  batch.Put(SnapshotKey(), EncodeRecord(EncodeSnapshot(snapshot)));
  for (uint64_t entry = cache_.FirstIndex(); entry <= index; ++entry)
    batch.Delete(EntryKey(entry));
  leveldb::WriteOptions options;
  options.sync = true;
  if (absl::Status status = FromLevelDb(db_->Write(options, &batch), "compacting"); !status.ok()) {
    return status;
  }
  cache_.Compact(index, conf_state, std::move(data));
  return absl::OkStatus();
}

}  // namespace tl::raft
