#include "trialledger/ledger/verify.h"

#include <leveldb/db.h>

#include <memory>
#include <set>

#include "copy_on_write_env.h"
#include "file_check.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/apply.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/crypto.h"

namespace tl::ledger {
namespace {

constexpr uint64_t kProgressEveryBlocks = 1000;

// A failed read of the store in LevelDB's own words (file checks have already passed, so this is
// damage LevelDB found in a record).
absl::Status ReadError(const leveldb::Status& status, std::string_view what) {
  return absl::DataLossError(StrCat(what, ": ", status.ToString()));
}

class Verifier {
 public:
  Verifier(const VerifyOptions& options, leveldb::DB& db) : options_(options), db_(db) {
    reads_.verify_checksums = true;
  }

  VerifyReport Run() {
    absl::Status genesis = LoadGenesis();
    if (!genesis.ok()) return Fail(0, genesis);
    absl::StatusOr<uint64_t> counted = CountBlocks();
    if (!counted.ok()) return Fail(0, counted.status());
    const uint64_t stored_blocks = *counted;
    for (uint64_t height = 1;; ++height) {
      std::string bytes;
      leveldb::Status read = db_.Get(reads_, store_keys::Block(height), &bytes);
      if (read.IsNotFound()) break;
      if (!read.ok()) return Fail(height, ReadError(read, "reading the block"));
      absl::Status block = VerifyBlock(height, bytes);
      if (!block.ok()) return Fail(height, block);
      if (options_.progress && height % kProgressEveryBlocks == 0) {
        options_.progress(height, stored_blocks);
      }
    }
    if (report_.blocks_verified != stored_blocks) {
      return Fail(report_.blocks_verified + 1,
                  absl::DataLossError(StrCat("the store holds ", stored_blocks,
                                             " blocks but they do not run without a gap from 1")));
    }
    absl::Status head = VerifyHead();
    if (!head.ok()) return Fail(0, head);
    absl::Status state = VerifyState();
    if (!state.ok()) return Fail(0, state);
    if (options_.progress) options_.progress(report_.blocks_verified, stored_blocks);
    report_.head_block_hash = head_.block_hash;
    report_.head_state_hash = head_.state_hash;
    return report_;
  }

 private:
  VerifyReport Fail(uint64_t height, const absl::Status& status) {
    report_.first_bad_height = height;
    report_.status = height == 0 ? status
                                 : absl::Status(status.code(),
                                                StrCat("height ", height, ": ", status.message()));
    return report_;
  }

  absl::Status LoadGenesis() {
    std::string text;
    leveldb::Status read = db_.Get(reads_, std::string(store_keys::kGenesis), &text);
    if (read.IsNotFound()) return absl::DataLossError("the data dir holds no genesis record");
    if (!read.ok()) return ReadError(read, "reading the genesis record");
    absl::StatusOr<GenesisDocument> genesis = ParseGenesis(text, "stored genesis");
    if (!genesis.ok()) return genesis.status();
    if (options_.genesis_path.has_value()) {
      absl::StatusOr<GenesisDocument> given = ReadGenesisFile(*options_.genesis_path);
      if (!given.ok()) return given.status();
      if (given->hash != genesis->hash) {
        return absl::DataLossError(StrCat("the stored genesis (", ToHex(genesis->hash), ") is not ",
                                          *options_.genesis_path, " (", ToHex(given->hash), ")"));
      }
    }
    AppliedBlock applied = ApplyGenesis(*genesis);
    state_.Apply(applied.writes);
    head_ = applied.head;
    chain_id_ = genesis->genesis.chain_id();
    report_.chain_id = chain_id_;
    report_.genesis_hash = genesis->hash;
    return absl::OkStatus();
  }

  absl::StatusOr<uint64_t> CountBlocks() {
    std::unique_ptr<leveldb::Iterator> it(db_.NewIterator(reads_));
    uint64_t count = 0;
    for (it->Seek("B"); it->Valid() && it->key().starts_with("B"); it->Next())
      ++count;
    if (!it->status().ok()) return ReadError(it->status(), "listing the blocks");
    return count;
  }

  absl::Status VerifyBlock(uint64_t height, const std::string& bytes) {
    absl::StatusOr<DecodedBlock> block = DecodeBlock(bytes);
    if (!block.ok()) return block.status();
    if (block->header.height() != height) {
      return absl::DataLossError(
          StrCat("the block stored here says it is block ", block->header.height()));
    }
    absl::StatusOr<AppliedBlock> applied = ApplyBlock(head_, chain_id_, *block, state_);
    if (!applied.ok()) return applied.status();
    if (static_cast<size_t>(block->block.results_size()) != applied->results.size()) {
      return absl::DataLossError(StrCat("stores ", block->block.results_size(), " results for ",
                                        applied->results.size(), " transactions"));
    }
    for (size_t i = 0; i < applied->results.size(); ++i) {
      if (Encode(block->block.results(static_cast<int>(i))) != Encode(applied->results[i])) {
        return absl::DataLossError(
            StrCat("the stored result of transaction ", i, " differs from re-applying it"));
      }
      report_.rejected_transactions += applied->results[i].code() != v1::TX_OK;
    }
    std::string writes;
    leveldb::Status read = db_.Get(reads_, store_keys::WriteSet(height), &writes);
    if (!read.ok() && !read.IsNotFound()) return ReadError(read, "reading the write set");
    if (!read.ok() || writes != Encode(ToRecord(applied->writes))) {
      return absl::DataLossError("the stored write set differs from re-applying the block");
    }
    absl::Status index = VerifyTxIndex(height, *block);
    if (!index.ok()) return index;
    state_.Apply(applied->writes);
    head_ = applied->head;
    report_.blocks_verified = height;
    report_.transactions_verified += applied->results.size();
    return absl::OkStatus();
  }

  // The index must point each transaction at its first appearance in the chain.
  absl::Status VerifyTxIndex(uint64_t height, const DecodedBlock& block) {
    for (int i = 0; i < block.block.transactions_size(); ++i) {
      std::string id = TxId(block.block.transactions(i));
      std::string bytes;
      v1::TxLocation location;
      leveldb::Status read = db_.Get(reads_, store_keys::Tx(id), &bytes);
      if (!read.ok() && !read.IsNotFound()) return ReadError(read, "reading the transaction index");
      if (!read.ok() || !location.ParseFromString(bytes)) {
        return absl::DataLossError(
            StrCat("transaction ", i, " (", ToHex(id), ") is missing from the transaction index"));
      }
      bool first = !first_seen_.contains(id);
      if (first) first_seen_.insert(id);
      if (first && (location.height() != height || location.index() != static_cast<uint32_t>(i))) {
        return absl::DataLossError(StrCat("the transaction index puts transaction ", i,
                                          " at height ", location.height(), " index ",
                                          location.index()));
      }
    }
    return absl::OkStatus();
  }

  absl::Status VerifyHead() {
    std::string bytes;
    v1::HeadRecord record;
    leveldb::Status read = db_.Get(reads_, std::string(store_keys::kHead), &bytes);
    if (!read.ok() && !read.IsNotFound()) return ReadError(read, "reading the chain head record");
    if (!read.ok() || !record.ParseFromString(bytes)) {
      return absl::DataLossError("the chain head record is unreadable");
    }
    if (Encode(record) != Encode(ToRecord(head_))) {
      return absl::DataLossError(StrCat("the head record (height ", record.height(),
                                        ") differs from the verified head (height ", head_.height,
                                        ")"));
    }
    return absl::OkStatus();
  }

  // Every stored state entry must equal the state rebuilt from genesis and the blocks.
  absl::Status VerifyState() {
    std::unique_ptr<leveldb::Iterator> it(db_.NewIterator(reads_));
    auto expected = state_.entries().begin();
    for (it->Seek("S"); it->Valid() && it->key().starts_with("S"); it->Next()) {
      std::string key = it->key().ToString().substr(1);
      if (expected == state_.entries().end() || expected->first != key) {
        return absl::DataLossError(StrCat("state entry '", key.substr(0, key.find('/')),
                                          "/…' is not what re-applying the chain gives"));
      }
      if (expected->second != it->value().ToString()) {
        return absl::DataLossError(StrCat("state entry '", key.substr(0, key.find('/')),
                                          "/…' has a value re-applying the chain does not give"));
      }
      ++expected;
    }
    if (!it->status().ok()) return ReadError(it->status(), "reading the state");
    if (expected != state_.entries().end()) {
      return absl::DataLossError("the stored state lacks entries that re-applying the chain gives");
    }
    return absl::OkStatus();
  }

  const VerifyOptions& options_;
  leveldb::DB& db_;
  leveldb::ReadOptions reads_;
  MemoryState state_;
  ChainHead head_;
  std::string chain_id_;
  std::set<std::string> first_seen_;
  VerifyReport report_;
};

}  // namespace

VerifyReport VerifyLedger(const VerifyOptions& options) {
  VerifyReport report;
  leveldb::Env* disk = leveldb::Env::Default();
  const std::string& dir = options.data_dir;
  if (!disk->FileExists(StrCat(dir, "/CURRENT"))) {
    report.status = absl::NotFoundError(StrCat("cannot open the ledger store in ", dir,
                                               ": there is none (no LevelDB CURRENT file)"));
    return report;
  }
  // Opening recovers the write-ahead log and may compact; through this env all of that happens
  // in memory, so the directory keeps every byte it had (docs/storage.md, "Verification").
  CopyOnWriteEnv untouched(disk);
  absl::StatusOr<std::unique_ptr<leveldb::DB>> db =
      OpenLevelDb(dir, /*create=*/false, StoreOptions{&untouched});
  // Each file on its own, so that damage is named by file and in LevelDB's words rather than by
  // whatever record first fails to read: what recovery read, and the tables the store uses.
  std::optional<DamagedFile> damaged = FindDamagedLogOrManifest(disk, dir);
  if (!damaged.has_value() && db.ok()) damaged = FindDamagedTable(disk, dir, LiveTables(**db));
  if (damaged.has_value()) {
    report.status = absl::DataLossError(
        StrCat("data dir ", dir, ": file ", damaged->file, " is damaged: ", damaged->error));
    return report;
  }
  if (!db.ok()) {
    report.status = db.status();
    return report;
  }
  report = Verifier(options, **db).Run();
  db->reset();  // before `untouched`, which the DB's files live in
  return report;
}

}  // namespace tl::ledger
