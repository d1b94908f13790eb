// Hands a follower's submissions to the leader in batches. While one batch is on the wire the
// submissions that arrive queue up and travel together in the next, so a busy follower makes one
// call to the leader per round trip instead of one per transaction (group commit, applied to
// forwarding), and an idle one sends each at once. The submission at the head of the queue sends
// the batch on its own thread: the batcher has no thread of its own.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/sdk/protocol.h"

namespace tl::node {

class ForwardBatcher {
 public:
  using Answer = absl::StatusOr<v1::SubmitTransactionResponse>;
  // Sends one batch to the leader; one answer per transaction in order, or one error for all.
  using SendBatch = std::function<absl::StatusOr<std::vector<v1::SubmitTransactionResponse>>(
      const v1::NodeInfo& leader, const std::vector<std::string_view>& transactions)>;

  ForwardBatcher(SendBatch send, size_t max_txs, size_t max_bytes);

  // Blocks until the leader answered this transaction (or its batch failed). `leader` and
  // `transaction` must stay valid until it returns.
  Answer Forward(const v1::NodeInfo& leader, std::string_view transaction);

 private:
  struct Pending {
    const v1::NodeInfo* leader = nullptr;
    std::string_view transaction;
    std::optional<Answer> answer;
    bool sends_next = false;  // this submission's thread sends the next batch
    std::condition_variable ready;
  };
  // Takes a batch from the head of the queue, sends it without the lock, hands out the answers
  // and passes the sending on to the new head. Called with `lock` held by the head's thread.
  void SendNextBatch(std::unique_lock<std::mutex>& lock);

  const SendBatch send_;
  const size_t max_txs_;
  const size_t max_bytes_;
  std::mutex mutex_;
  std::deque<Pending*> queue_;  // GUARDED_BY(mutex_); not empty => its head sends next
};

}  // namespace tl::node
