#include "trialledger/node/node.h"

#include <unistd.h>

#include <cstdio>

#include "trialledger/node/tx_rules.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/merkle.h"
#include "trialledger/sdk/strings.h"

namespace tl::node {
namespace {

constexpr std::string_view kVersion = "0.1.0";

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

v1::SubmitTransactionResponse Refused(std::string tx_id, v1::TxResult result) {
  v1::SubmitTransactionResponse response;
  response.set_tx_id(std::move(tx_id));
  response.set_status(v1::TX_STATUS_REJECTED);
  *response.mutable_result() = std::move(result);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> Node::Open(const NodeConfig& config) {
  absl::StatusOr<GenesisDocument> genesis = ReadGenesisFile(config.genesis_path);
  if (!genesis.ok()) return genesis.status();
  absl::StatusOr<KeyFile> key = ReadKeyFile(config.node_key_path);
  if (!key.ok()) return key.status();
  const v1::NodeInfo* self = nullptr;
  for (const v1::NodeInfo& node : genesis->genesis.nodes()) {
    if (node.name() == config.name) self = &node;
  }
  if (self == nullptr) {
    return absl::FailedPreconditionError(StrCat(
        "node '", config.name, "' is not among the genesis [[nodes]] of ", config.genesis_path));
  }
  if (self->public_key() != key->keys.public_key) {
    return absl::FailedPreconditionError(StrCat("node key ", config.node_key_path,
                                                " is not the key the genesis lists for node '",
                                                config.name, "'"));
  }
  absl::StatusOr<std::unique_ptr<LedgerStore>> store = LedgerStore::Open(config.data_dir, *genesis);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Node>(
      new Node(config, *std::move(genesis), *std::move(key), *std::move(store)));
}

Node::Node(NodeConfig config, GenesisDocument genesis, KeyFile node_key,
           std::unique_ptr<LedgerStore> store)
    : config_(std::move(config)),
      genesis_(std::move(genesis)),
      node_key_(std::move(node_key)),
      store_(std::move(store)) {}

Node::~Node() {
  Stop();
}

void Node::Start() {
  producer_ = std::thread([this] { ProduceBlocks(); });
}

void Node::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  committed_.notify_all();
  if (producer_.joinable()) producer_.join();
}

void Node::Fatal(const absl::Status& status) {
  std::fprintf(stderr, "trialledgerd %s: fatal: %s\n", config_.name.c_str(),
               std::string(status.message()).c_str());
  std::fflush(stderr);
  ::_exit(70);
}

v1::SubmitTransactionResponse Node::Submit(std::string_view transaction_bytes) {
  absl::StatusOr<DecodedTx> decoded = DecodeTransaction(transaction_bytes);
  if (!decoded.ok()) {
    bool too_large = transaction_bytes.size() > limits::kTxBytesMax;
    return Refused("", TxReject(too_large ? v1::TX_TOO_LARGE : v1::TX_MALFORMED,
                                std::string(decoded.status().message())));
  }
  // Submitting is idempotent: a transaction already in a block gets its recorded outcome, so a
  // client may safely retry after a lost answer.
  v1::GetTransactionResponse recorded = LookupTransaction(decoded->id);
  if (recorded.status() == v1::TX_STATUS_COMMITTED || recorded.status() == v1::TX_STATUS_REJECTED) {
    v1::SubmitTransactionResponse response;
    response.set_tx_id(decoded->id);
    response.set_status(recorded.status());
    response.set_height(recorded.height());
    *response.mutable_result() = recorded.result();
    return response;
  }
  ChainHead head = store_->head();
  SignerState signer;
  v1::TxResult envelope =
      CheckEnvelope(*decoded, genesis_.genesis.chain_id(), head.height + 1, *store_, &signer);
  if (envelope.code() != v1::TX_OK) return Refused(decoded->id, envelope);
  v1::TxResult permitted = CheckRolePermission(decoded->body, signer.record);
  if (permitted.code() != v1::TX_OK) {
    permitted.set_nonce_consumed(false);
    return Refused(decoded->id, permitted);
  }
  std::string tx_id = decoded->id;
  uint64_t nonce = decoded->body.nonce();
  uint64_t expected_nonce = 0;
  Mempool::AddOutcome outcome = mempool_.Add(*std::move(decoded), transaction_bytes.size(),
                                             signer.next_nonce, &expected_nonce);
  v1::SubmitTransactionResponse response;
  response.set_tx_id(tx_id);
  switch (outcome) {
    case Mempool::AddOutcome::kAdded:
    case Mempool::AddOutcome::kDuplicate:
      response.set_status(v1::TX_STATUS_PENDING);
      break;
    case Mempool::AddOutcome::kBadNonce:
      return Refused(tx_id, TxReject(v1::TX_BAD_NONCE, StrCat("nonce ", nonce, " is not the next (",
                                                              expected_nonce, ") for this key")));
    case Mempool::AddOutcome::kFull:
      return Refused(tx_id, TxReject(v1::TX_TOO_LARGE, "the node's mempool is full; retry later"));
    case Mempool::AddOutcome::kSignerFull:
      return Refused(tx_id, TxReject(v1::TX_TOO_LARGE,
                                     StrCat("this key already has ", limits::kMempoolPerSignerMax,
                                            " transactions pending; wait for commits")));
  }
  if (config_.block_interval_ms == 0 ||
      mempool_.waiting() >= static_cast<size_t>(config_.block_max_txs)) {
    // Taking the producer's mutex orders this wake-up after its predicate check: without it the
    // wake-up could fall between the check and the wait and be lost.
    { std::lock_guard<std::mutex> lock(mutex_); }
    work_ready_.notify_one();
  }
  return response;
}

v1::GetTransactionResponse Node::LookupTransaction(const std::string& tx_id) const {
  v1::GetTransactionResponse response;
  response.set_tx_id(tx_id);
  // The pool first: a transaction leaves it only after its block is durable, so reading the pool
  // and then the store never misses one that commits in between.
  if (mempool_.Contains(tx_id)) {
    response.set_status(v1::TX_STATUS_PENDING);
    return response;
  }
  std::optional<v1::TxLocation> location = store_->FindTx(tx_id);
  if (!location.has_value()) {
    response.set_status(v1::TX_STATUS_UNKNOWN);
    return response;
  }
  absl::StatusOr<v1::Block> block = store_->ReadBlock(location->height());
  if (!block.ok() || static_cast<int>(location->index()) >= block->results_size()) {
    response.set_status(v1::TX_STATUS_UNKNOWN);
    return response;
  }
  const v1::TxResult& result = block->results(location->index());
  response.set_status(result.code() == v1::TX_OK ? v1::TX_STATUS_COMMITTED
                                                 : v1::TX_STATUS_REJECTED);
  response.set_height(location->height());
  response.set_index(location->index());
  *response.mutable_result() = result;
  *response.mutable_transaction() = block->transactions(location->index());
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block->header());
  if (header.ok()) response.set_block_time_ms(header->time_ms());
  return response;
}

v1::GetTransactionResponse Node::WaitForTransaction(const std::string& tx_id, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    // Note the commit count before looking, so a commit between the look and the wait is seen.
    uint64_t commits_seen = commit_count_;
    lock.unlock();
    v1::GetTransactionResponse response = LookupTransaction(tx_id);
    lock.lock();
    if (response.status() != v1::TX_STATUS_PENDING || stopping_) return response;
    if (!committed_.wait_until(lock, deadline,
                               [&] { return stopping_ || commit_count_ != commits_seen; })) {
      return response;
    }
  }
}

bool Node::WaitForHeight(uint64_t height, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return committed_.wait_until(lock, deadline, [&] {
    return stopping_ || store_->head().height >= height;
  }) && !stopping_;
}

v1::GetStatusResponse Node::Status() const {
  ChainHead head = store_->head();
  v1::GetStatusResponse status;
  status.set_chain_id(genesis_.genesis.chain_id());
  status.set_node_name(config_.name);
  status.set_height(head.height);
  status.set_head_block_hash(head.block_hash);
  status.set_state_hash(head.state_hash);
  status.set_head_time_ms(head.time_ms);
  status.set_mempool_size(static_cast<uint32_t>(mempool_.size()));
  status.set_genesis_hash(genesis_.hash);
  status.set_version(std::string(kVersion));
  status.set_leader(config_.name);
  status.set_term(head.term);
  return status;
}

v1::GetMemberResponse Node::Member(const std::string& public_key) const {
  v1::GetMemberResponse response;
  std::optional<std::string> bytes = store_->Get(state_keys::Member(public_key));
  v1::MemberRecord record;
  if (!bytes.has_value() || !record.ParseFromString(*bytes)) return response;
  *response.mutable_member() = record.member();
  response.set_revoked(record.revoked_from_height() != 0);
  response.set_revoked_from_height(record.revoked_from_height());
  std::optional<std::string> nonce = store_->Get(state_keys::Nonce(public_key));
  uint64_t next_committed = nonce.has_value() ? DecodeU64(*nonce) + 1 : 1;
  response.set_next_nonce(mempool_.NextNonce(public_key, next_committed));
  return response;
}

// With block_interval_ms = 0 (group commit) a block is cut as soon as work waits and the previous
// block is durable, so transactions that arrive during one block's sync form the next block.
// Otherwise the producer waits up to the interval for more work to batch.
void Node::ProduceBlocks() {
  const auto interval = std::chrono::milliseconds(config_.block_interval_ms);
  const size_t batch_full = static_cast<size_t>(config_.block_max_txs);
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (config_.block_interval_ms == 0) {
      work_ready_.wait(lock, [&] { return stopping_ || mempool_.waiting() > 0; });
    } else {
      work_ready_.wait_for(lock, interval,
                           [&] { return stopping_ || mempool_.waiting() >= batch_full; });
    }
    if (stopping_) break;
    if (mempool_.waiting() == 0) continue;
    lock.unlock();
    CutBlock();
    lock.lock();
    ++commit_count_;
    committed_.notify_all();
  }
}

void Node::CutBlock() {
  std::vector<DecodedTx> txs =
      mempool_.TakeForBlock(static_cast<size_t>(config_.block_max_txs), limits::kBlockBytesMax / 2);
  ChainHead head = store_->head();
  v1::BlockHeader header;
  header.set_chain_id(genesis_.genesis.chain_id());
  header.set_height(head.height + 1);
  header.set_prev_block_hash(head.block_hash);
  header.set_state_hash(head.state_hash);
  header.set_time_ms(std::max(WallClockMs(), head.time_ms + 1));
  header.set_proposer(config_.name);
  header.set_term(head.term);
  header.set_tx_count(static_cast<uint32_t>(txs.size()));
  std::vector<std::string> ids;
  DecodedBlock block;
  for (DecodedTx& tx : txs) {
    ids.push_back(tx.id);
    *block.block.add_transactions() = std::move(tx.tx);
  }
  header.set_tx_merkle_root(MerkleRoot(ids));
  block.block.set_header(Encode(header));
  block.block.set_proposer_signature(
      SignInDomain(kBlockSigningDomain, node_key_.keys.secret_key, block.block.header()));
  block.header = header;
  block.hash = BlockHash(block.block);
  absl::StatusOr<AppliedBlock> applied =
      ApplyBlock(head, genesis_.genesis.chain_id(), block, *store_);
  if (!applied.ok()) Fatal(applied.status());
  absl::Status committed = store_->CommitBlock(block, *applied);
  if (!committed.ok()) Fatal(committed);
  mempool_.Remove(ids);
}

}  // namespace tl::node
