// Hands a follower's submissions to the leader in batches. While one batch is on the wire the
// submissions that arrive queue up and travel together in the next, so a busy follower makes one
// call to the leader per round trip instead of one per transaction (group commit, applied to
// forwarding), and an idle one sends each at once. Nothing waits on a thread: the submission that
// finds the batcher idle starts the call, and the call's answer starts the next batch.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/sdk/protocol.h"

namespace tl::node {

class ForwardBatcher {
 public:
  using Answer = absl::StatusOr<v1::SubmitTransactionResponse>;
  using Done = std::function<void(Answer)>;
  // One answer per transaction in order, or one error for all.
  using Answers = absl::StatusOr<std::vector<v1::SubmitTransactionResponse>>;
  using Answered = std::function<void(Answers)>;
  // Starts one batch's call to the leader and returns; `answered` is called exactly once, on any
  // thread, perhaps before this returns. `transactions` are valid during the call only.
  using SendBatch =
      std::function<void(const v1::NodeInfo& leader,
                         const std::vector<std::string_view>& transactions, Answered answered)>;

  ForwardBatcher(SendBatch send, size_t max_txs, size_t max_bytes);
  ~ForwardBatcher();  // Stop()

  // Queues `transaction` for `leader`; `done` is called once with the leader's answer, or the
  // batch's error (UNAVAILABLE once stopped): on the thread of the call's answer, or this one.
  void ForwardAsync(v1::NodeInfo leader, std::string transaction, Done done);
  // Answers what is still queued with UNAVAILABLE and waits for the batch on the wire to be
  // answered; later submissions are answered at once. Idempotent; not from a `done`.
  void Stop();

 private:
  struct Pending {
    v1::NodeInfo leader;
    std::string transaction;
    Done done;
  };
  using Batch = std::vector<Pending>;
  // Takes the next batch off the queue (at most max_txs_ and max_bytes_, the head always, so a
  // transaction larger than the byte budget travels alone; one leader), releases `lock` and
  // starts its call.
  void SendNext(std::unique_lock<std::mutex>& lock);
  // The call's answer: hands it out, then sends what queued meanwhile.
  void OnAnswered(const std::shared_ptr<Batch>& batch, Answers answers);

  const SendBatch send_;
  const size_t max_txs_;
  const size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<Pending> queue_;  // GUARDED_BY(mutex_)
  bool sending_ = false;       // a batch is on the wire; GUARDED_BY(mutex_)
  bool stopping_ = false;      // GUARDED_BY(mutex_)
};

}  // namespace tl::node
