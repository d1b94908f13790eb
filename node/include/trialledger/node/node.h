// A running ledger node: admits signed transactions to its mempool, cuts them into signed blocks,
// applies each block with the deterministic pipeline and commits it in one synced write.
//
//   auto node = Node::Open(config);     // opens the store, checks genesis and head
//   (*node)->Start();                   // block production on its own thread
//   auto submitted = (*node)->Submit(bytes);
//   (*node)->Stop();
//
// A failure to write or sync the store stops the process (exit code 70) with the reason on
// stderr: a node that cannot trust its disk must not go on acknowledging.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "trialledger/node/config.h"
#include "trialledger/node/ledger_store.h"
#include "trialledger/node/mempool.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/protocol.h"

namespace tl::node {

using Deadline = std::chrono::steady_clock::time_point;

class Node {
 public:
  static absl::StatusOr<std::unique_ptr<Node>> Open(const NodeConfig& config);
  ~Node();

  void Start();
  void Stop();

  // Admission: decode, check the envelope, role and nonce against the committed state and the
  // pool, then queue. The response carries the tx id and either PENDING or the refusal.
  v1::SubmitTransactionResponse Submit(std::string_view transaction_bytes);
  // Waits until the transaction is in a committed block or `deadline` passes.
  v1::GetTransactionResponse WaitForTransaction(const std::string& tx_id, Deadline deadline);
  v1::GetTransactionResponse LookupTransaction(const std::string& tx_id) const;

  v1::GetStatusResponse Status() const;
  v1::GetMemberResponse Member(const std::string& public_key) const;
  absl::StatusOr<v1::Block> ReadBlock(uint64_t height) const { return store_->ReadBlock(height); }
  ChainHead head() const { return store_->head(); }
  // Waits until the head is at least `height`; false on deadline or stop.
  bool WaitForHeight(uint64_t height, Deadline deadline);
  const NodeConfig& config() const { return config_; }

 private:
  Node(NodeConfig config, GenesisDocument genesis, KeyFile node_key,
       std::unique_ptr<LedgerStore> store);
  void ProduceBlocks();
  void CutBlock();
  [[noreturn]] void Fatal(const absl::Status& status);

  const NodeConfig config_;
  const GenesisDocument genesis_;
  const KeyFile node_key_;
  std::unique_ptr<LedgerStore> store_;
  Mempool mempool_;

  std::mutex mutex_;
  std::condition_variable work_ready_;  // producer: enough waiting, or stop
  std::condition_variable committed_;   // waiters: a block committed, or stop
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  uint64_t commit_count_ = 0;           // blocks committed since start; GUARDED_BY(mutex_)
  std::thread producer_;
};

}  // namespace tl::node
