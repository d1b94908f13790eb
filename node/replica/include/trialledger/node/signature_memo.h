// The transaction and block signatures this node has already verified, so that it verifies each
// one once: a transaction the leader admitted to its pool is applied a block later, over the same
// bytes, and so is a block a follower checked while syncing it.
//
// Admission verifies (ledger::CheckEnvelope) and Remember()s a transaction it takes in; applying
// a block asks Verifies(), which answers from the memo when it holds exactly that key, body and
// signature (and forgets it: a transaction applies once) and verifies otherwise. The memo only
// holds triples that verified, so its answer is VerifyTxSignature's and no block's outcome can
// depend on it. Bounded: past kSignatureMemoMax the oldest are forgotten, which costs only a
// second verification.
//
// Thread-safe: admission threads remember, the Raft thread asks.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "trialledger/ledger/tx_rules.h"

namespace tl::node {

inline constexpr size_t kSignatureMemoMax = 20000;  // as many as the pool holds (kMempoolTxsMax)

class SignatureMemo : public ledger::SignatureChecker {
 public:
  explicit SignatureMemo(size_t capacity = kSignatureMemoMax) : capacity_(capacity) {}

  // REQUIRES: `tx`'s signature verified for `signer_public_key`.
  void Remember(const v1::Transaction& tx, std::string_view signer_public_key);
  bool Verifies(const v1::Transaction& tx, std::string_view signer_public_key) const override;
  // The same for a block's proposer signature (the leader remembers the block it signed, a
  // follower the one it checked while syncing it). REQUIRES: it verified for the key.
  void RememberBlock(const v1::Block& block, std::string_view proposer_public_key);
  bool VerifiesBlock(const v1::Block& block, std::string_view proposer_public_key) const override;

  size_t size() const;
  uint64_t recalled() const;  // answers given from the memo, without verifying

 private:
  void RememberDigest(std::string digest);
  bool Recall(const std::string& digest) const;  // and forgets it

  const size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::set<std::string> digests_;   // GUARDED_BY(mutex_)
  mutable std::deque<std::string> by_age_;  // oldest first; GUARDED_BY(mutex_)
  mutable uint64_t recalled_ = 0;           // GUARDED_BY(mutex_)
};

}  // namespace tl::node
