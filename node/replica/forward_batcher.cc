#include "trialledger/node/forward_batcher.h"

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::node {
namespace {

absl::Status Stopping() {
  return absl::UnavailableError("the node is stopping; retry on another node");
}

}  // namespace

ForwardBatcher::ForwardBatcher(SendBatch send, size_t max_txs, size_t max_bytes)
    : send_(std::move(send)), max_txs_(max_txs), max_bytes_(max_bytes) {
  TL_CHECK(max_txs_ > 0 && max_bytes_ > 0);
}

ForwardBatcher::~ForwardBatcher() {
  Stop();
}

void ForwardBatcher::Stop() {
  std::deque<Pending> unsent;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    stopping_ = true;
    unsent.swap(queue_);
    idle_.wait(lock, [&] { return !sending_; });
  }
  for (Pending& pending : unsent)
    pending.done(Stopping());
}

void ForwardBatcher::ForwardAsync(v1::NodeInfo leader, std::string transaction, Done done) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) {
    lock.unlock();
    return done(Stopping());
  }
  queue_.push_back({std::move(leader), std::move(transaction), std::move(done)});
  // While a batch is on the wire this one waits for its answer, and goes in the next.
  if (sending_) return;
  sending_ = true;
  SendNext(lock);
}

void ForwardBatcher::SendNext(std::unique_lock<std::mutex>& lock) {
  TL_CHECK(sending_ && !queue_.empty());
  // One batch goes to one leader: a submission made after the leader changed starts the next.
  auto batch = std::make_shared<Batch>();
  const std::string leader_name = queue_.front().leader.name();
  size_t bytes = 0;
  while (!queue_.empty() && batch->size() < max_txs_) {
    const Pending& next = queue_.front();
    if (next.leader.name() != leader_name) break;
    if (!batch->empty() && bytes + next.transaction.size() > max_bytes_) break;
    bytes += next.transaction.size();
    batch->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  lock.unlock();
  std::vector<std::string_view> transactions;
  transactions.reserve(batch->size());
  for (const Pending& pending : *batch)
    transactions.push_back(pending.transaction);
  send_(batch->front().leader, transactions,
        [this, batch](Answers answers) { OnAnswered(batch, std::move(answers)); });
}

void ForwardBatcher::OnAnswered(const std::shared_ptr<Batch>& batch, Answers answers) {
  if (answers.ok() && answers->size() != batch->size()) {
    answers = absl::UnavailableError(StrCat("the leader '", batch->front().leader.name(),
                                            "' answered ", answers->size(), " of ", batch->size(),
                                            " forwarded transactions; retry"));
  }
  for (size_t i = 0; i < batch->size(); ++i) {
    (*batch)[i].done(answers.ok() ? Answer(std::move((*answers)[i])) : Answer(answers.status()));
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (!queue_.empty()) return SendNext(lock);  // empty once stopping: Stop took the queue
  sending_ = false;
  idle_.notify_all();
}

}  // namespace tl::node
