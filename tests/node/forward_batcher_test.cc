// The batcher hands every submission its own answer, sends at once when idle, gathers what
// arrives while a batch is on the wire into the next one, keeps one leader per batch and its
// limits, fails every submission of a failed batch, answers asynchronous submissions without
// holding their caller, and answers what is queued when it stops.
#include "trialledger/node/forward_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace tl::node {
namespace {

v1::NodeInfo Leader(const std::string& name) {
  v1::NodeInfo node;
  node.set_name(name);
  return node;
}

// A leader that answers each transaction with its own bytes as the id, and can hold a batch on
// the wire until the test lets it go. Each call runs on a thread of its own, as gRPC answers on
// its own threads.
class FakeLeader {
 public:
  ~FakeLeader() {
    // A call's answer may start the next call, and so another thread: join until none is left.
    while (true) {
      std::unique_lock<std::mutex> lock(threads_mutex_);
      if (threads_.empty()) return;
      std::thread next = std::move(threads_.back());
      threads_.pop_back();
      lock.unlock();
      next.join();
    }
  }
  ForwardBatcher::SendBatch Sender() {
    return [this](const v1::NodeInfo& leader, const std::vector<std::string_view>& transactions,
                  ForwardBatcher::Answered answered) {
      std::lock_guard<std::mutex> lock(threads_mutex_);
      threads_.emplace_back(
          [this, name = leader.name(),
           sent = std::vector<std::string>(transactions.begin(), transactions.end()),
           answered = std::move(answered)] { answered(Answer(name, sent)); });
    };
  }
  void WaitForBatches(size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return batches_.size() >= count; });
  }
  void Release(size_t count) {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = count;
    changed_.notify_all();
  }
  struct Batch {
    std::string leader;
    std::vector<std::string> transactions;
  };
  std::vector<Batch> batches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }
  bool fail_ = false;
  bool short_answer_ = false;

 private:
  ForwardBatcher::Answers Answer(const std::string& leader, const std::vector<std::string>& sent) {
    std::unique_lock<std::mutex> lock(mutex_);
    batches_.push_back({leader, sent});
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_ >= batches_.size(); });
    if (fail_) return absl::UnavailableError("connection refused");
    std::vector<v1::SubmitTransactionResponse> answers;
    for (const std::string& transaction : sent) {
      answers.emplace_back().set_tx_id(transaction);
      if (short_answer_) break;
    }
    return answers;
  }

  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;  // GUARDED_BY(threads_mutex_)
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Batch> batches_;
  size_t released_ = 0;
};

// Forwards one transaction and waits for its answer.
ForwardBatcher::Answer ForwardAndWait(ForwardBatcher& batcher, const v1::NodeInfo& leader,
                                      std::string transaction) {
  std::promise<ForwardBatcher::Answer> answered;
  std::future<ForwardBatcher::Answer> answer = answered.get_future();
  batcher.ForwardAsync(leader, std::move(transaction), [&answered](ForwardBatcher::Answer result) {
    answered.set_value(std::move(result));
  });
  return answer.get();
}

// Waits, without sleeping blindly, until `count` submissions queue behind the batch on the wire.
void WaitForQueued(const std::atomic<int>& started, int count) {
  while (started.load() < count)
    std::this_thread::yield();
  // Started means about to queue: give the threads time to reach the queue.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// Sends "tx-0" alone, queues `queued` more ("tx-1"...) while it is on the wire, lets both
// batches go and returns every submission's answer, in order.
std::vector<ForwardBatcher::Answer> ForwardOneThenQueued(ForwardBatcher& batcher, FakeLeader& fake,
                                                         const v1::NodeInfo& leader, int queued) {
  std::vector<ForwardBatcher::Answer> answers(static_cast<size_t>(queued) + 1,
                                              absl::UnknownError("no answer"));
  std::atomic<int> started = 0;
  std::vector<std::thread> threads;
  threads.emplace_back([&] { answers[0] = ForwardAndWait(batcher, leader, "tx-0"); });
  fake.WaitForBatches(1);  // tx-0 is on the wire
  std::vector<std::string> transactions;
  for (int i = 1; i <= queued; ++i)
    transactions.push_back("tx-" + std::to_string(i));
  for (int i = 1; i <= queued; ++i) {
    threads.emplace_back([&, i] {
      ++started;
      answers[i] = ForwardAndWait(batcher, leader, transactions[i - 1]);
    });
  }
  WaitForQueued(started, queued);
  fake.Release(2);
  for (std::thread& thread : threads)
    thread.join();
  return answers;
}

TEST(ForwardBatcherTest, AnIdleFollowerSendsAtOnceAlone) {
  FakeLeader fake;
  fake.Release(1);
  ForwardBatcher batcher(fake.Sender(), 10, 1000);
  v1::NodeInfo leader = Leader("sponsor-1");
  ForwardBatcher::Answer answer = ForwardAndWait(batcher, leader, "tx-a");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->tx_id(), "tx-a");
  ASSERT_EQ(fake.batches().size(), 1u);
  EXPECT_EQ(fake.batches()[0].transactions, std::vector<std::string>{"tx-a"});
}

TEST(ForwardBatcherTest, SubmissionsArrivingDuringASendTravelTogetherEachWithItsAnswer) {
  FakeLeader fake;
  ForwardBatcher batcher(fake.Sender(), 100, 100000);
  v1::NodeInfo leader = Leader("sponsor-1");
  std::vector<ForwardBatcher::Answer> answers = ForwardOneThenQueued(batcher, fake, leader, 5);
  std::vector<FakeLeader::Batch> batches = fake.batches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].transactions.size(), 1u);
  EXPECT_EQ(batches[1].transactions.size(), 5u);
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(answers[i].ok()) << answers[i].status();
    EXPECT_EQ(answers[i]->tx_id(), "tx-" + std::to_string(i));
  }
}

TEST(ForwardBatcherTest, ABatchKeepsItsLimitsAndOneLeader) {
  FakeLeader fake;
  ForwardBatcher batcher(fake.Sender(), /*max_txs=*/2, /*max_bytes=*/10);
  v1::NodeInfo old_leader = Leader("sponsor-1");
  v1::NodeInfo new_leader = Leader("cro-1");
  std::atomic<int> started = 0;
  std::vector<std::thread> threads;
  threads.emplace_back([&] { (void)ForwardAndWait(batcher, old_leader, "first"); });
  fake.WaitForBatches(1);
  // Queued in this order: two small ones, one over the byte budget's remainder, then a new leader.
  const std::vector<std::pair<const v1::NodeInfo*, std::string>> queued = {
      {&old_leader, "a"},
      {&old_leader, "b"},
      {&old_leader, "c"},
      {&old_leader, "dddddddddd"},
      {&new_leader, "e"}};
  for (const auto& [leader, transaction] : queued) {
    threads.emplace_back([&, leader, transaction] {
      ++started;
      (void)ForwardAndWait(batcher, *leader, transaction);
    });
    WaitForQueued(started, static_cast<int>(threads.size()) - 1);
  }
  fake.Release(10);
  for (std::thread& thread : threads)
    thread.join();
  std::vector<FakeLeader::Batch> batches = fake.batches();
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(batches[1].transactions, (std::vector<std::string>{"a", "b"}));  // two at most
  EXPECT_EQ(batches[2].transactions, (std::vector<std::string>{"c"}));       // "c" + 10 bytes > 10
  EXPECT_EQ(batches[3].transactions, (std::vector<std::string>{"dddddddddd"}));
  EXPECT_EQ(batches[4].leader, "cro-1");
  EXPECT_EQ(batches[4].transactions, (std::vector<std::string>{"e"}));
}

TEST(ForwardBatcherTest, AFailedBatchFailsEverySubmissionInIt) {
  FakeLeader fake;
  fake.fail_ = true;
  ForwardBatcher batcher(fake.Sender(), 100, 100000);
  v1::NodeInfo leader = Leader("sponsor-1");
  for (const ForwardBatcher::Answer& answer : ForwardOneThenQueued(batcher, fake, leader, 2)) {
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(answer.status().message().find("connection refused"), std::string::npos)
        << answer.status();
  }
}

TEST(ForwardBatcherTest, ALeaderAnsweringFewerThanItWasSentIsAnError) {
  FakeLeader fake;
  fake.short_answer_ = true;
  ForwardBatcher batcher(fake.Sender(), 100, 100000);
  v1::NodeInfo leader = Leader("sponsor-1");
  std::vector<ForwardBatcher::Answer> answers = ForwardOneThenQueued(batcher, fake, leader, 2);
  EXPECT_TRUE(answers[0].ok());  // a batch of one answered in full
  for (int i = 1; i < 3; ++i) {
    EXPECT_EQ(answers[i].status().code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(answers[i].status().message().find("answered 1 of 2"), std::string::npos)
        << answers[i].status();
  }
}

TEST(ForwardBatcherTest, AnAsynchronousSubmissionDoesNotHoldItsCaller) {
  FakeLeader fake;  // holds every batch until released
  ForwardBatcher batcher(fake.Sender(), 100, 100000);
  std::promise<ForwardBatcher::Answer> answered;
  batcher.ForwardAsync(Leader("sponsor-1"), "tx-a",
                       [&](ForwardBatcher::Answer answer) { answered.set_value(answer); });
  // Returned while the batch is still on the wire.
  fake.WaitForBatches(1);
  std::future<ForwardBatcher::Answer> answer = answered.get_future();
  EXPECT_EQ(answer.wait_for(std::chrono::milliseconds(20)), std::future_status::timeout);
  fake.Release(1);
  ForwardBatcher::Answer got = answer.get();
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->tx_id(), "tx-a");
}

TEST(ForwardBatcherTest, StoppingLetsTheBatchOnTheWireFinishAndRefusesTheRest) {
  FakeLeader fake;
  ForwardBatcher batcher(fake.Sender(), 100, 100000);
  v1::NodeInfo leader = Leader("sponsor-1");
  std::vector<std::promise<ForwardBatcher::Answer>> answered(3);
  batcher.ForwardAsync(leader, "on-the-wire", [&](auto answer) { answered[0].set_value(answer); });
  fake.WaitForBatches(1);
  batcher.ForwardAsync(leader, "queued-1", [&](auto answer) { answered[1].set_value(answer); });
  batcher.ForwardAsync(leader, "queued-2", [&](auto answer) { answered[2].set_value(answer); });
  std::thread stopping([&] { batcher.Stop(); });
  // Stop waits for the batch on the wire; the leader answers it only now.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  fake.Release(1);
  stopping.join();
  ForwardBatcher::Answer sent = answered[0].get_future().get();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->tx_id(), "on-the-wire");
  for (int i = 1; i < 3; ++i) {
    ForwardBatcher::Answer refused = answered[i].get_future().get();
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  }
  EXPECT_EQ(fake.batches().size(), 1u);  // the queued ones never left
  // After the stop a submission is answered at once.
  ForwardBatcher::Answer late = ForwardAndWait(batcher, leader, "late");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnavailable);
}

// A call that fails before it leaves (no connection) answers inside the send: what queued
// behind it is still sent, and every submission answered.
TEST(ForwardBatcherTest, ACallAnsweredAtOnceStillSendsWhatQueued) {
  std::atomic<int> calls = 0;
  ForwardBatcher batcher(
      [&](const v1::NodeInfo&, const std::vector<std::string_view>&,
          ForwardBatcher::Answered answered) {
        ++calls;
        answered(absl::UnavailableError("no connection"));
      },
      100, 100000);
  for (int i = 0; i < 5; ++i) {
    ForwardBatcher::Answer answer = ForwardAndWait(batcher, Leader("sponsor-1"), "tx");
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
  }
  EXPECT_EQ(calls.load(), 5);
}

}  // namespace
}  // namespace tl::node
