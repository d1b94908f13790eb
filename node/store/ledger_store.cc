#include "trialledger/ledger/ledger_store.h"

#include <leveldb/write_batch.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "absl/strings/escaping.h"

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/crypto.h"

namespace tl::ledger {

namespace store_keys {
std::string Block(uint64_t height) {
  return StrCat("B", EncodeBigEndian64(height));
}
std::string WriteSet(uint64_t height) {
  return StrCat("W", EncodeBigEndian64(height));
}
std::string Tx(std::string_view tx_id) {
  return StrCat("T", tx_id);
}
std::string State(std::string_view state_key) {
  return StrCat("S", state_key);
}
}  // namespace store_keys

namespace {

leveldb::ReadOptions CheckedReads() {
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  return options;
}

leveldb::Slice AsSlice(std::string_view bytes) {
  return {bytes.data(), bytes.size()};
}

absl::string_view AsAbsl(std::string_view bytes) {
  return {bytes.data(), bytes.size()};
}

// A LevelDB failure as a Status: corruption is DataLoss; anything else (an I/O error, a full disk)
// is Unavailable.
absl::Status StoreFault(const leveldb::Status& status, std::string_view what) {
  std::string message = StrCat(what, ": ", status.ToString());
  return status.IsCorruption() ? absl::DataLossError(message) : absl::UnavailableError(message);
}

// A failed read of the state would make this node compute a different result than its peers: it
// answers nullopt and records the fault, which the caller must check (StateReader::status()).
std::optional<std::string> ReadStateKey(leveldb::DB* db, const leveldb::ReadOptions& options,
                                        std::string_view state_key, ReadFaults& faults) {
  std::string value;
  leveldb::Status status = db->Get(options, store_keys::State(state_key), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) {
    faults.Record(StoreFault(
        status, StrCat("reading state key '", absl::CHexEscape(AsAbsl(state_key)), "'")));
    return std::nullopt;
  }
  return value;
}

std::vector<std::pair<std::string, std::string>> ScanStateKeys(leveldb::DB* db,
                                                               const leveldb::ReadOptions& options,
                                                               std::string_view prefix,
                                                               std::string_view start, size_t limit,
                                                               ReadFaults& faults) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::string stored_prefix = store_keys::State(prefix);
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(options));
  for (it->Seek(store_keys::State(std::max(prefix, start)));
       it->Valid() && it->key().starts_with(stored_prefix) && entries.size() < limit; it->Next()) {
    entries.emplace_back(it->key().ToString().substr(1), it->value().ToString());
  }
  if (!it->status().ok()) {
    faults.Record(StoreFault(
        it->status(), StrCat("scanning state keys '", absl::CHexEscape(AsAbsl(prefix)), "...'")));
    return {};
  }
  return entries;
}

}  // namespace

void ReadFaults::Record(absl::Status fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (first_.ok()) first_ = std::move(fault);
}

absl::Status ReadFaults::first() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return first_;
}

absl::StatusOr<std::unique_ptr<leveldb::DB>> OpenLevelDb(const std::string& dir, bool create,
                                                         const StoreOptions& store_options) {
  leveldb::Options options;
  options.create_if_missing = create;
  options.paranoid_checks = true;
  if (store_options.env != nullptr) options.env = store_options.env;
  leveldb::DB* raw = nullptr;
  leveldb::Status status = leveldb::DB::Open(options, dir, &raw);
  if (!status.ok()) {
    const std::string reason = status.ToString();
    if (reason.find("/LOCK") != std::string::npos) {
      return absl::UnavailableError(StrCat("cannot open the ledger store in ", dir, ": ", reason,
                                           " (is a node still running on this data dir?)"));
    }
    // A damaged or missing file: LevelDB names it. Nothing is written to the data dir.
    return absl::DataLossError(StrCat(
        "data dir ", dir, " is damaged: ", reason, ". Run trialledger verify --data-dir ", dir,
        " to list the damaged files, then start this node with --resync-from-peers to rebuild "
        "it from its peers (docs/operations.md, \"A damaged store\")"));
  }
  return std::unique_ptr<leveldb::DB>(raw);
}

v1::WriteSetRecord ToRecord(const WriteSet& writes) {
  v1::WriteSetRecord record;
  for (const auto& [key, value] : writes) {
    v1::StateWrite* write = record.add_writes();
    write->set_key(key);
    if (value.has_value()) {
      write->set_value(*value);
    } else {
      write->set_deleted(true);
    }
  }
  return record;
}

WriteSet FromRecord(const v1::WriteSetRecord& record) {
  WriteSet writes;
  for (const v1::StateWrite& write : record.writes()) {
    writes[write.key()] =
        write.deleted() ? std::nullopt : std::optional<std::string>(write.value());
  }
  return writes;
}

absl::StatusOr<std::unique_ptr<LedgerStore>> LedgerStore::Open(const std::string& dir,
                                                               const GenesisDocument& genesis,
                                                               const StoreOptions& options) {
  if (absl::Status books = ValidateGenesisBooks(genesis); !books.ok()) {
    return absl::InvalidArgumentError(StrCat("genesis: ", books.message()));
  }
  absl::StatusOr<std::unique_ptr<leveldb::DB>> db = OpenLevelDb(dir, /*create=*/true, options);
  if (!db.ok()) return db.status();
  std::unique_ptr<LedgerStore> store(new LedgerStore(*std::move(db)));
  std::string stored_genesis;
  leveldb::Status found =
      store->db_->Get(CheckedReads(), AsSlice(store_keys::kGenesis), &stored_genesis);
  if (found.IsNotFound()) {
    absl::Status initialized = store->Initialize(genesis);
    if (!initialized.ok()) return initialized;
    return store;
  }
  if (!found.ok()) return StoreFault(found, "reading the stored genesis");
  if (Blake2b256(stored_genesis) != genesis.hash) {
    return absl::FailedPreconditionError(
        StrCat("data dir ", dir, " belongs to the network with genesis hash ",
               ToHex(Blake2b256(stored_genesis)), ", but the genesis file given hashes to ",
               ToHex(genesis.hash)));
  }
  std::string head_bytes;
  leveldb::Status head = store->db_->Get(CheckedReads(), AsSlice(store_keys::kHead), &head_bytes);
  v1::HeadRecord record;
  if (!head.ok() || !record.ParseFromString(head_bytes)) {
    return absl::DataLossError(StrCat("data dir ", dir, ": the chain head record is unreadable"));
  }
  store->head_ = FromRecord(record);
  std::string applied_bytes;
  leveldb::Status applied =
      store->db_->Get(CheckedReads(), AsSlice(store_keys::kRaftApplied), &applied_bytes);
  if (applied.ok() && applied_bytes.size() == 8) {
    store->raft_applied_ = DecodeBigEndian64(applied_bytes);
  } else if (!applied.IsNotFound()) {
    return absl::DataLossError(StrCat("data dir ", dir, ": the applied Raft index is unreadable"));
  }
  absl::Status checked = store->CheckHead();
  if (!checked.ok()) return checked;
  return store;
}

absl::Status LedgerStore::Initialize(const GenesisDocument& genesis) {
  AppliedBlock applied = ApplyGenesis(genesis);
  leveldb::WriteBatch batch;
  for (const auto& [key, value] : applied.writes) {
    batch.Put(store_keys::State(key), *value);
  }
  batch.Put(AsSlice(store_keys::kGenesis), genesis.text);
  batch.Put(AsSlice(store_keys::kHead), Encode(ToRecord(applied.head)));
  leveldb::WriteOptions sync;
  sync.sync = true;
  leveldb::Status status = db_->Write(sync, &batch);
  if (!status.ok()) return StoreFault(status, "writing the genesis state");
  head_ = applied.head;
  return absl::OkStatus();
}

// Recomputes the head's state hash from the head block's header (which carries the state hash
// before it), its stored results and its stored write set.
absl::Status LedgerStore::CheckHead() {
  if (head_.height == 0) return absl::OkStatus();
  absl::StatusOr<v1::Block> block = ReadBlock(head_.height);
  if (!block.ok()) return block.status();
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block->header());
  std::string writes_bytes;
  v1::WriteSetRecord writes;
  leveldb::Status read =
      db_->Get(CheckedReads(), store_keys::WriteSet(head_.height), &writes_bytes);
  if (!header.ok() || !read.ok() || !writes.ParseFromString(writes_bytes)) {
    return absl::DataLossError(
        StrCat("head block ", head_.height, ": header or write set unreadable"));
  }
  std::vector<v1::TxResult> results(block->results().begin(), block->results().end());
  std::string recomputed =
      StateHash(header->state_hash(), head_.height, BlockHash(*block), results, FromRecord(writes));
  if (recomputed != head_.state_hash || BlockHash(*block) != head_.block_hash) {
    return absl::DataLossError(
        StrCat("state hash mismatch at height ", head_.height, ": stored ", ToHex(head_.state_hash),
               ", recomputed ", ToHex(recomputed),
               ". The store is damaged; run `trialledger verify --data-dir` to find where."));
  }
  return absl::OkStatus();
}

std::optional<std::string> LedgerStore::Get(std::string_view state_key) const {
  return ReadStateKey(db_.get(), CheckedReads(), state_key, faults_);
}

ChainHead LedgerStore::head() const {
  std::lock_guard<std::mutex> lock(head_mutex_);
  return head_;
}

absl::Status LedgerStore::CommitBlock(const DecodedBlock& block, const AppliedBlock& applied,
                                      uint64_t raft_index, bool sync) {
  uint64_t height = applied.head.height;
  v1::Block stored = block.block;
  stored.clear_results();
  for (const v1::TxResult& result : applied.results)
    *stored.add_results() = result;
  leveldb::WriteBatch batch;
  batch.Put(store_keys::Block(height), Encode(stored));
  batch.Put(store_keys::WriteSet(height), Encode(ToRecord(applied.writes)));
  std::set<std::string> indexed;
  for (int i = 0; i < stored.transactions_size(); ++i) {
    // The first appearance of a transaction is its record; a later copy (a replay, rejected) is
    // in its block's history but does not move the index.
    std::string tx_id = TxId(stored.transactions(i));
    if (FindTx(tx_id).has_value() || !indexed.insert(tx_id).second) continue;
    v1::TxLocation location;
    location.set_height(height);
    location.set_index(static_cast<uint32_t>(i));
    batch.Put(store_keys::Tx(tx_id), Encode(location));
  }
  for (const auto& [key, value] : applied.writes) {
    if (value.has_value()) {
      batch.Put(store_keys::State(key), *value);
    } else {
      batch.Delete(store_keys::State(key));
    }
  }
  batch.Put(AsSlice(store_keys::kHead), Encode(ToRecord(applied.head)));
  batch.Put(AsSlice(store_keys::kRaftApplied), EncodeBigEndian64(raft_index));
  // The index entries above depend on reads of the index: after a failed one, write nothing.
  if (absl::Status read = status(); !read.ok()) return read;
  leveldb::WriteOptions options;
  options.sync = sync;
  leveldb::Status status = db_->Write(options, &batch);
  if (!status.ok()) return StoreFault(status, StrCat("writing block ", height));
  std::lock_guard<std::mutex> lock(head_mutex_);
  head_ = applied.head;
  raft_applied_ = raft_index;
  return absl::OkStatus();
}

absl::Status LedgerStore::RecordRaftApplied(uint64_t raft_index, bool sync) {
  leveldb::WriteOptions options;
  options.sync = sync;
  leveldb::Status status =
      db_->Put(options, AsSlice(store_keys::kRaftApplied), EncodeBigEndian64(raft_index));
  if (!status.ok()) return StoreFault(status, StrCat("recording applied Raft index ", raft_index));
  std::lock_guard<std::mutex> lock(head_mutex_);
  raft_applied_ = raft_index;
  return absl::OkStatus();
}

uint64_t LedgerStore::raft_applied() const {
  std::lock_guard<std::mutex> lock(head_mutex_);
  return raft_applied_;
}

std::vector<std::pair<std::string, std::string>> LedgerStore::ScanState(
    std::string_view prefix) const {
  return ScanStateKeys(db_.get(), CheckedReads(), prefix, prefix, SIZE_MAX, faults_);
}

StateSnapshot::StateSnapshot(leveldb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {
  std::string bytes;
  leveldb::ReadOptions options = CheckedReads();
  options.snapshot = snapshot_;
  v1::HeadRecord record;
  if (db_->Get(options, AsSlice(store_keys::kHead), &bytes).ok() && record.ParseFromString(bytes)) {
    height_ = record.height();
  }
}

StateSnapshot::~StateSnapshot() {
  db_->ReleaseSnapshot(snapshot_);
}

std::optional<std::string> StateSnapshot::Get(std::string_view state_key) const {
  leveldb::ReadOptions options = CheckedReads();
  options.snapshot = snapshot_;
  return ReadStateKey(db_, options, state_key, faults_);
}

std::vector<std::pair<std::string, std::string>> StateSnapshot::Scan(std::string_view prefix,
                                                                     std::string_view start,
                                                                     size_t limit) const {
  leveldb::ReadOptions options = CheckedReads();
  options.snapshot = snapshot_;
  return ScanStateKeys(db_, options, prefix, start, limit, faults_);
}

absl::StatusOr<v1::Block> LedgerStore::ReadBlock(uint64_t height) const {
  std::string bytes;
  leveldb::Status status = db_->Get(CheckedReads(), store_keys::Block(height), &bytes);
  if (status.IsNotFound()) return absl::NotFoundError(StrCat("no block at height ", height));
  if (!status.ok()) return StoreFault(status, StrCat("reading block ", height));
  v1::Block block;
  if (!block.ParseFromString(bytes)) {
    return absl::DataLossError(StrCat("block ", height, " is unreadable"));
  }
  return block;
}

std::optional<v1::TxLocation> LedgerStore::FindTx(std::string_view tx_id) const {
  std::string bytes;
  leveldb::Status status = db_->Get(CheckedReads(), store_keys::Tx(tx_id), &bytes);
  if (status.IsNotFound()) return std::nullopt;
  v1::TxLocation location;
  if (!status.ok() || !location.ParseFromString(bytes)) {
    faults_.Record(status.ok() ? absl::DataLossError(StrCat("the index entry of transaction ",
                                                            ToHex(tx_id), " does not decode"))
                               : StoreFault(status, "reading the transaction index"));
    return std::nullopt;
  }
  return location;
}

}  // namespace tl::ledger
