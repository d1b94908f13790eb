#include "trialledger/node/forward_batcher.h"

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::node {

ForwardBatcher::ForwardBatcher(SendBatch send, size_t max_txs, size_t max_bytes)
    : send_(std::move(send)), max_txs_(max_txs), max_bytes_(max_bytes) {
  TL_CHECK(max_txs_ > 0 && max_bytes_ > 0);
}

ForwardBatcher::Answer ForwardBatcher::Forward(const v1::NodeInfo& leader,
                                               std::string_view transaction) {
  Pending pending;
  pending.leader = &leader;
  pending.transaction = transaction;
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&pending);
  // An empty queue means no batch is on the wire: this submission sends at once.
  if (queue_.size() == 1) pending.sends_next = true;
  while (!pending.answer.has_value()) {
    pending.ready.wait(lock, [&] { return pending.answer.has_value() || pending.sends_next; });
    if (!pending.answer.has_value()) SendNextBatch(lock);
  }
  return *std::move(pending.answer);
}

void ForwardBatcher::SendNextBatch(std::unique_lock<std::mutex>& lock) {
  TL_CHECK(!queue_.empty() && queue_.front()->sends_next);
  // One batch goes to one leader: a submission made after the leader changed starts the next.
  const std::string& leader_name = queue_.front()->leader->name();
  std::vector<Pending*> batch;
  std::vector<std::string_view> transactions;
  size_t bytes = 0;
  for (Pending* pending : queue_) {
    if (batch.size() == max_txs_ || pending->leader->name() != leader_name) break;
    // The head always goes, so a transaction larger than the byte budget still travels alone.
    if (!batch.empty() && bytes + pending->transaction.size() > max_bytes_) break;
    bytes += pending->transaction.size();
    batch.push_back(pending);
    transactions.push_back(pending->transaction);
  }
  const v1::NodeInfo& leader = *batch.front()->leader;
  lock.unlock();
  absl::StatusOr<std::vector<v1::SubmitTransactionResponse>> answers = send_(leader, transactions);
  if (answers.ok() && answers->size() != batch.size()) {
    answers =
        absl::UnavailableError(StrCat("the leader '", leader.name(), "' answered ", answers->size(),
                                      " of ", batch.size(), " forwarded transactions; retry"));
  }
  lock.lock();
  // The batch is the head of the queue: nothing is removed from the queue but by its head.
  for (size_t i = 0; i < batch.size(); ++i) {
    TL_CHECK(queue_.front() == batch[i]);
    queue_.pop_front();
    batch[i]->answer = answers.ok() ? Answer(std::move((*answers)[i])) : Answer(answers.status());
    // The sender's own thread is the one running this; the others are woken.
    if (i > 0) batch[i]->ready.notify_one();
  }
  if (!queue_.empty()) {
    queue_.front()->sends_next = true;
    queue_.front()->ready.notify_one();
  }
}

}  // namespace tl::node
