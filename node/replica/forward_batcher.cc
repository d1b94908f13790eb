#include "trialledger/node/forward_batcher.h"

#include <future>

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::node {

ForwardBatcher::ForwardBatcher(SendBatch send, size_t max_txs, size_t max_bytes)
    : send_(std::move(send)), max_txs_(max_txs), max_bytes_(max_bytes) {
  TL_CHECK(max_txs_ > 0 && max_bytes_ > 0);
  thread_ = std::thread([this] { Run(); });
}

ForwardBatcher::~ForwardBatcher() {
  Stop();
}

void ForwardBatcher::Stop() {
  std::deque<Pending> unsent;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    unsent.swap(queue_);
  }
  queued_.notify_one();
  if (thread_.joinable()) thread_.join();
  for (Pending& pending : unsent)
    pending.done(absl::UnavailableError("the node is stopping; retry on another node"));
}

void ForwardBatcher::ForwardAsync(v1::NodeInfo leader, std::string transaction, Done done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(leader), std::move(transaction), std::move(done)});
      queued_.notify_one();
      return;
    }
  }
  done(absl::UnavailableError("the node is stopping; retry on another node"));
}

ForwardBatcher::Answer ForwardBatcher::Forward(const v1::NodeInfo& leader,
                                               std::string_view transaction) {
  std::promise<Answer> answered;
  std::future<Answer> answer = answered.get_future();
  ForwardAsync(leader, std::string(transaction),
               [&answered](Answer result) { answered.set_value(std::move(result)); });
  return answer.get();
}

void ForwardBatcher::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;  // Stop() answers what is queued
    // What queues while this batch is on the wire goes in the next one.
    std::vector<Pending> batch = TakeBatch();
    lock.unlock();
    Send(batch);
    lock.lock();
  }
}

std::vector<ForwardBatcher::Pending> ForwardBatcher::TakeBatch() {
  TL_CHECK(!queue_.empty());
  // One batch goes to one leader: a submission made after the leader changed starts the next.
  const std::string leader_name = queue_.front().leader.name();
  std::vector<Pending> batch;
  size_t bytes = 0;
  while (!queue_.empty() && batch.size() < max_txs_) {
    const Pending& next = queue_.front();
    if (next.leader.name() != leader_name) break;
    if (!batch.empty() && bytes + next.transaction.size() > max_bytes_) break;
    bytes += next.transaction.size();
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void ForwardBatcher::Send(std::vector<Pending>& batch) {
  std::vector<std::string_view> transactions;
  transactions.reserve(batch.size());
  for (const Pending& pending : batch)
    transactions.push_back(pending.transaction);
  const v1::NodeInfo& leader = batch.front().leader;
  absl::StatusOr<std::vector<v1::SubmitTransactionResponse>> answers = send_(leader, transactions);
  if (answers.ok() && answers->size() != batch.size()) {
    answers =
        absl::UnavailableError(StrCat("the leader '", leader.name(), "' answered ", answers->size(),
                                      " of ", batch.size(), " forwarded transactions; retry"));
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(answers.ok() ? Answer(std::move((*answers)[i])) : Answer(answers.status()));
  }
}

}  // namespace tl::node
