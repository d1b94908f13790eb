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
// the wire until the test lets it go.
class FakeLeader {
 public:
  ForwardBatcher::SendBatch Sender() {
    return [this](const v1::NodeInfo& leader, const std::vector<std::string_view>& transactions)
               -> absl::StatusOr<std::vector<v1::SubmitTransactionResponse>> {
      std::unique_lock<std::mutex> lock(mutex_);
      batches_.push_back({leader.name(), {transactions.begin(), transactions.end()}});
      changed_.notify_all();
      changed_.wait(lock, [&] { return released_ >= batches_.size(); });
      if (fail_) return absl::UnavailableError("connection refused");
      std::vector<v1::SubmitTransactionResponse> answers;
      for (std::string_view transaction : transactions) {
        answers.emplace_back().set_tx_id(std::string(transaction));
        if (short_answer_) break;
      }
      return answers;
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
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Batch> batches_;
  size_t released_ = 0;
};

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
  threads.emplace_back([&] { answers[0] = batcher.Forward(leader, "tx-0"); });
  fake.WaitForBatches(1);  // tx-0 is on the wire
  std::vector<std::string> transactions;
  for (int i = 1; i <= queued; ++i)
    transactions.push_back("tx-" + std::to_string(i));
  for (int i = 1; i <= queued; ++i) {
    threads.emplace_back([&, i] {
      ++started;
      answers[i] = batcher.Forward(leader, transactions[i - 1]);
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
  ForwardBatcher::Answer answer = batcher.Forward(leader, "tx-a");
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
  threads.emplace_back([&] { (void)batcher.Forward(old_leader, "first"); });
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
      (void)batcher.Forward(*leader, transaction);
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
  // After the stop a submission is answered at once, on the caller's thread.
  ForwardBatcher::Answer late = batcher.Forward(leader, "late");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tl::node
