// A follower's signature checks, moved off the path of a commit. A block reaches a follower in an
// append, is synced, acknowledged, and applied only once the leader's next message says it is
// committed. This checker verifies the block's proposer signature and its transaction signatures
// on a thread of its own while the Raft thread syncs the entry, and remembers those that verify
// in the node's memo (signature_memo.h), so that applying the block finds them there instead of
// verifying them on the Raft thread.
//
// It changes no outcome: the memo only answers what VerifyTxSignature answers, for exactly the
// bytes it verified, so whether a check finished before the block applied decides only who
// verifies, never the result; a block applied first verifies what is missing itself. Blocks
// already applied when their turn comes are skipped. Bounded: past limits::kPrecheckBlocksMax
// queued blocks or limits::kPrecheckBytesMax of them, further ones are left to the apply.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "trialledger/node/signature_memo.h"

namespace tl::node {

class SignaturePrecheck {
 public:
  // A node's public key by name, as this node knows it now (a stale answer only costs the apply
  // its own check: the memo is keyed by the key too).
  using NodeKey = std::function<std::optional<std::string>(const std::string& node_name)>;

  SignaturePrecheck(SignatureMemo& memo, NodeKey node_key);
  ~SignaturePrecheck();  // stops the thread; checks still queued are dropped
  SignaturePrecheck(const SignaturePrecheck&) = delete;
  SignaturePrecheck& operator=(const SignaturePrecheck&) = delete;

  // Queues the encoded v1::Block of Raft entry `raft_index` for checking.
  void Check(uint64_t raft_index, std::string block_bytes);
  // Everything up to `raft_index` is applied: its checks are no longer worth doing.
  void MarkApplied(uint64_t raft_index) { applied_.store(raft_index, std::memory_order_relaxed); }
  // Blocks until the queue is empty and no check runs (for tests).
  void WaitUntilIdle();
  uint64_t blocks_checked() const { return blocks_checked_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void CheckBlock(uint64_t raft_index, const std::string& block_bytes);

  SignatureMemo& memo_;
  const NodeKey node_key_;
  std::atomic<uint64_t> applied_ = 0;
  std::atomic<uint64_t> blocks_checked_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<uint64_t, std::string>> queue_;  // GUARDED_BY(mutex_)
  size_t queued_bytes_ = 0;                             // GUARDED_BY(mutex_)
  bool busy_ = false;                                   // GUARDED_BY(mutex_)
  bool stopping_ = false;                               // GUARDED_BY(mutex_)
  std::thread thread_;                                  // last: starts once the members above exist
};

}  // namespace tl::node
