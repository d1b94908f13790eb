#include "trialledger/node/signature_precheck.h"

#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {

SignaturePrecheck::SignaturePrecheck(SignatureMemo& memo, NodeKey node_key)
    : memo_(memo), node_key_(std::move(node_key)), thread_([this] { Run(); }) {}

SignaturePrecheck::~SignaturePrecheck() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void SignaturePrecheck::Check(uint64_t raft_index, std::string block_bytes) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= limits::kPrecheckBlocksMax ||
        queued_bytes_ + block_bytes.size() > limits::kPrecheckBytesMax) {
      return;  // the apply verifies these itself
    }
    queued_bytes_ += block_bytes.size();
    queue_.emplace_back(raft_index, std::move(block_bytes));
  }
  changed_.notify_all();
}

void SignaturePrecheck::WaitUntilIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void SignaturePrecheck::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    auto [raft_index, block_bytes] = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= block_bytes.size();
    busy_ = true;
    lock.unlock();
    CheckBlock(raft_index, block_bytes);
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

void SignaturePrecheck::CheckBlock(uint64_t raft_index, const std::string& block_bytes) {
  // Once the apply has begun on this block it verifies what it misses itself: checking on would
  // verify the same signatures twice (a full block takes far longer than one round trip).
  auto applied = [&] { return raft_index <= applied_.load(std::memory_order_relaxed); };
  if (applied()) return;
  v1::Block block;
  if (!block.ParseFromString(block_bytes)) return;  // the apply refuses it, alike on every node
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block.header());
  std::optional<std::string> proposer_key =
      header.ok() ? node_key_(header->proposer()) : std::nullopt;
  if (proposer_key.has_value() && VerifyBlockSignature(block, *proposer_key)) {
    memo_.RememberBlock(block, *proposer_key);
  }
  for (const v1::Transaction& tx : block.transactions()) {
    if (applied()) return;
    v1::TxBody body;
    if (!body.ParseFromString(tx.body())) continue;
    if (VerifyTxSignature(tx, body.signer_public_key()))
      memo_.Remember(tx, body.signer_public_key());
  }
  blocks_checked_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace tl::node
