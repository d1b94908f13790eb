// Transactions admitted but not yet in a block. Bounded in count, bytes and per-signer pending
// transactions; per signer, nonces are kept in order and without gaps so that a block cut from
// the pool applies them in sequence.
//
// Thread-safe. Not part of the deterministic pipeline: what a leader takes from its pool is fixed
// by the block it proposes, and every node applies that block.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "trialledger/sdk/codec.h"

namespace tl::node {

class Mempool {
 public:
  enum class AddOutcome { kAdded, kDuplicate, kFull, kSignerFull, kBadNonce };

  // Admits `tx` if its nonce follows the signer's pending ones (or `next_committed_nonce` when
  // none are pending); on kBadNonce, `*expected_nonce` tells which nonce would have been taken.
  // REQUIRES: the caller checked the transaction's envelope and permission against the state.
  AddOutcome Add(DecodedTx tx, size_t encoded_bytes, uint64_t next_committed_nonce,
                 uint64_t* expected_nonce);

  // The nonce the pool would take next from `signer`.
  uint64_t NextNonce(const std::string& signer, uint64_t next_committed_nonce) const;

  // Up to `max_txs` transactions in arrival order, staying under `max_bytes`. They stay counted
  // (for nonces) until Remove, RequeueTaken or Clear.
  std::vector<DecodedTx> TakeForBlock(size_t max_txs, size_t max_bytes);
  // Drops transactions that are now in a block.
  void Remove(const std::vector<std::string>& tx_ids);
  // Everything taken for a block that will not commit becomes waiting again, in arrival order.
  void RequeueTaken();
  // Drops every transaction: a node that stops leading holds no pool (its clients retry).
  void Clear();

  bool Contains(const std::string& tx_id) const;
  size_t size() const;
  size_t waiting() const;  // not yet taken for a block

 private:
  struct Entry {
    DecodedTx tx;
    size_t bytes;
    uint64_t arrival;
    bool taken = false;
  };

  uint64_t NextNonceLocked(const std::string& signer, uint64_t next_committed_nonce) const;

  mutable std::mutex mutex_;
  std::map<std::string, Entry> by_id_;                          // GUARDED_BY(mutex_)
  std::map<uint64_t, std::string> by_arrival_;                  // untaken only; GUARDED_BY(mutex_)
  std::map<std::string, std::set<uint64_t>> nonces_by_signer_;  // GUARDED_BY(mutex_)
  // The highest nonce per signer that Remove released as committed. A caller may have read the
  // committed nonce from the state just before that commit; this keeps its stale read from
  // refusing the next transaction. Dropped once the caller's state shows the commit.
  std::map<std::string, uint64_t> released_nonce_;  // GUARDED_BY(mutex_)
  size_t bytes_ = 0;
  uint64_t next_arrival_ = 0;
};

}  // namespace tl::node
