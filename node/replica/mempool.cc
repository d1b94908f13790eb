#include "trialledger/node/mempool.h"

#include "trialledger/sdk/limits.h"

namespace tl::node {

Mempool::AddOutcome Mempool::Add(DecodedTx tx, size_t encoded_bytes, uint64_t next_committed_nonce,
                                 uint64_t* expected_nonce) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (by_id_.contains(tx.id)) return AddOutcome::kDuplicate;
  auto released = released_nonce_.find(tx.body.signer_public_key());
  if (released != released_nonce_.end() && released->second < next_committed_nonce) {
    released_nonce_.erase(released);  // the state has caught up
  }
  *expected_nonce = NextNonceLocked(tx.body.signer_public_key(), next_committed_nonce);
  if (tx.body.nonce() != *expected_nonce) return AddOutcome::kBadNonce;
  if (by_id_.size() >= limits::kMempoolTxsMax ||
      bytes_ + encoded_bytes > limits::kMempoolBytesMax) {
    return AddOutcome::kFull;
  }
  std::set<uint64_t>& nonces = nonces_by_signer_[tx.body.signer_public_key()];
  if (nonces.size() >= limits::kMempoolPerSignerMax) return AddOutcome::kSignerFull;
  nonces.insert(tx.body.nonce());
  uint64_t arrival = next_arrival_++;
  by_arrival_[arrival] = tx.id;
  bytes_ += encoded_bytes;
  std::string id = tx.id;
  by_id_.emplace(std::move(id), Entry{std::move(tx), encoded_bytes, arrival});
  return AddOutcome::kAdded;
}

uint64_t Mempool::NextNonce(const std::string& signer, uint64_t next_committed_nonce) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return NextNonceLocked(signer, next_committed_nonce);
}

uint64_t Mempool::NextNonceLocked(const std::string& signer, uint64_t next_committed_nonce) const {
  uint64_t next = next_committed_nonce;
  auto released = released_nonce_.find(signer);
  if (released != released_nonce_.end()) next = std::max(next, released->second + 1);
  auto pending = nonces_by_signer_.find(signer);
  if (pending != nonces_by_signer_.end() && !pending->second.empty()) {
    next = std::max(next, *pending->second.rbegin() + 1);
  }
  return next;
}

std::vector<DecodedTx> Mempool::TakeForBlock(size_t max_txs, size_t max_bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<DecodedTx> taken;
  size_t taken_bytes = 0;
  for (auto it = by_arrival_.begin(); it != by_arrival_.end() && taken.size() < max_txs;) {
    Entry& entry = by_id_.at(it->second);
    if (taken_bytes + entry.bytes > max_bytes) break;
    taken_bytes += entry.bytes;
    entry.taken = true;
    taken.push_back(entry.tx);
    it = by_arrival_.erase(it);
  }
  return taken;
}

void Mempool::Remove(const std::vector<std::string>& tx_ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& id : tx_ids) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) continue;
    const Entry& entry = it->second;
    uint64_t& released = released_nonce_[entry.tx.body.signer_public_key()];
    released = std::max(released, entry.tx.body.nonce());
    auto signer = nonces_by_signer_.find(entry.tx.body.signer_public_key());
    signer->second.erase(entry.tx.body.nonce());
    if (signer->second.empty()) nonces_by_signer_.erase(signer);
    if (!entry.taken) by_arrival_.erase(entry.arrival);
    bytes_ -= entry.bytes;
    by_id_.erase(it);
  }
}

void Mempool::RequeueTaken() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [id, entry] : by_id_) {
    if (!entry.taken) continue;
    entry.taken = false;
    by_arrival_[entry.arrival] = id;
  }
}

void Mempool::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  by_id_.clear();
  by_arrival_.clear();
  nonces_by_signer_.clear();
  bytes_ = 0;
}

bool Mempool::Contains(const std::string& tx_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_id_.contains(tx_id);
}

size_t Mempool::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_id_.size();
}

size_t Mempool::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_arrival_.size();
}

}  // namespace tl::node
