// Hands a follower's submissions to the leader in batches. While one batch is on the wire the
// submissions that arrive queue up and travel together in the next, so a busy follower makes one
// call to the leader per round trip instead of one per transaction (group commit, applied to
// forwarding), and an idle one sends each at once. The batcher's own thread sends, so a
// submission need not hold a thread while it is forwarded (ForwardAsync, for the client API's
// callback handler); Forward blocks for callers that have a thread to spare.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
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
  using Done = std::function<void(Answer)>;

  ForwardBatcher(SendBatch send, size_t max_txs, size_t max_bytes);
  ~ForwardBatcher();  // Stop()

  // Queues `transaction` for `leader`; `done` is called once, on the batcher's thread, with the
  // leader's answer or the batch's error (UNAVAILABLE once stopped).
  void ForwardAsync(v1::NodeInfo leader, std::string transaction, Done done);
  // Blocks until the leader answered this transaction (or its batch failed).
  Answer Forward(const v1::NodeInfo& leader, std::string_view transaction);
  // Answers what is still queued with UNAVAILABLE, lets a batch on the wire finish, and ends the
  // thread; later submissions are answered at once. Idempotent.
  void Stop();

 private:
  struct Pending {
    v1::NodeInfo leader;
    std::string transaction;
    Done done;
  };
  void Run();
  // Takes the next batch off the head of the queue: at most max_txs_ and max_bytes_ (the head
  // always goes, so a transaction larger than the byte budget travels alone), one leader.
  std::vector<Pending> TakeBatch();  // with mutex_ held
  void Send(std::vector<Pending>& batch);

  const SendBatch send_;
  const size_t max_txs_;
  const size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Pending> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;      // GUARDED_BY(mutex_)
  std::thread thread_;         // last: it runs on the members above
};

}  // namespace tl::node
