// A waiting submission is answered exactly once: by its block, by the look at registration when
// the block came first, or at its deadline or the stop with a last look, which also finds a
// block that decided no waiter. Answers come off the caller's and the Raft thread.
#include "trialledger/node/commit_waiters.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

namespace tl::node {
namespace {

using Outcome = CommitWaiters::Outcome;
using Clock = CommitWaiters::Clock;

Outcome WithStatus(const std::string& tx_id, v1::TxStatus status, uint64_t height = 0) {
  Outcome outcome;
  outcome.set_tx_id(tx_id);
  outcome.set_status(status);
  outcome.set_height(height);
  return outcome;
}

// The store as the waiters see it: what is recorded for each transaction.
class FakeStore {
 public:
  CommitWaiters::Lookup Lookup() {
    return [this](const std::string& tx_id) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = recorded_.find(tx_id);
      return found == recorded_.end() ? WithStatus(tx_id, v1::TX_STATUS_PENDING) : found->second;
    };
  }
  void Record(const std::string& tx_id, uint64_t height) {
    std::lock_guard<std::mutex> lock(mutex_);
    recorded_[tx_id] = WithStatus(tx_id, v1::TX_STATUS_COMMITTED, height);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Outcome> recorded_;
};

// Collects one waiter's answers (there must be exactly one) and the thread that gave it.
struct Answers {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<Outcome> outcomes;
  std::thread::id thread;
  CommitWaiters::Done Done() {
    return [this](Outcome outcome) {
      std::lock_guard<std::mutex> lock(mutex);
      outcomes.push_back(std::move(outcome));
      thread = std::this_thread::get_id();
      arrived.notify_all();
    };
  }
  Outcome First() {
    std::unique_lock<std::mutex> lock(mutex);
    EXPECT_TRUE(arrived.wait_for(lock, std::chrono::seconds(5), [&] { return !outcomes.empty(); }));
    return outcomes.empty() ? Outcome() : outcomes.front();
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return outcomes.size();
  }
};

Clock::time_point Far() {
  return Clock::now() + std::chrono::minutes(5);
}

TEST(CommitWaitersTest, ABlockDecidesItsWaitersOnTheWaitersThread) {
  FakeStore store;
  CommitWaiters waiters(store.Lookup());
  Answers first, second, other;
  waiters.Wait("tx-1", Far(), first.Done());
  waiters.Wait("tx-1", Far(), second.Done());  // the same transaction submitted twice
  waiters.Wait("tx-9", Far(), other.Done());
  EXPECT_EQ(waiters.waiting(), 3u);
  std::vector<size_t> built;
  waiters.Decide({"tx-0", "tx-1"}, [&](size_t i) {
    built.push_back(i);
    return WithStatus("tx-1", v1::TX_STATUS_COMMITTED, 7);
  });
  EXPECT_EQ(built, std::vector<size_t>{1});  // built once, for the one waited for
  for (Answers* answers : {&first, &second}) {
    Outcome outcome = answers->First();
    EXPECT_EQ(outcome.status(), v1::TX_STATUS_COMMITTED);
    EXPECT_EQ(outcome.height(), 7u);
    EXPECT_NE(answers->thread, std::this_thread::get_id());
  }
  EXPECT_EQ(waiters.waiting(), 1u);
  EXPECT_EQ(other.count(), 0u);
}

TEST(CommitWaitersTest, ABlockAppliedBeforeTheWaitIsFoundByTheFirstLook) {
  FakeStore store;
  store.Record("tx-1", 3);
  CommitWaiters waiters(store.Lookup());
  Answers answers;
  waiters.Wait("tx-1", Far(), answers.Done());
  EXPECT_EQ(answers.count(), 1u);  // at once, on the caller's thread
  EXPECT_EQ(answers.thread, std::this_thread::get_id());
  EXPECT_EQ(answers.First().height(), 3u);
  EXPECT_EQ(waiters.waiting(), 0u);
}

TEST(CommitWaitersTest, APassedDeadlineAnswersWithALastLook) {
  FakeStore store;
  CommitWaiters waiters(store.Lookup());
  Answers open, caught_up;
  waiters.Wait("tx-open", Clock::now() + std::chrono::milliseconds(30), open.Done());
  waiters.Wait("tx-fetched", Clock::now() + std::chrono::milliseconds(60), caught_up.Done());
  // A block fetched by catch-up records the transaction without deciding any waiter.
  store.Record("tx-fetched", 5);
  EXPECT_EQ(open.First().status(), v1::TX_STATUS_PENDING);
  Outcome fetched = caught_up.First();
  EXPECT_EQ(fetched.status(), v1::TX_STATUS_COMMITTED);
  EXPECT_EQ(fetched.height(), 5u);
  EXPECT_EQ(waiters.waiting(), 0u);
}

TEST(CommitWaitersTest, AnEarlierDeadlineArrivingLaterIsStillKept) {
  FakeStore store;
  CommitWaiters waiters(store.Lookup());
  Answers late, early;
  waiters.Wait("tx-late", Far(), late.Done());
  const Clock::time_point start = Clock::now();
  waiters.Wait("tx-early", start + std::chrono::milliseconds(30), early.Done());
  EXPECT_EQ(early.First().status(), v1::TX_STATUS_PENDING);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  EXPECT_EQ(late.count(), 0u);
}

TEST(CommitWaitersTest, StoppingAnswersEveryWaiterOnceAndLaterWaitsAtOnce) {
  FakeStore store;
  store.Record("tx-2", 4);
  CommitWaiters waiters(store.Lookup());
  Answers one, two;
  waiters.Wait("tx-1", Far(), one.Done());
  waiters.Stop();
  EXPECT_EQ(one.count(), 1u);
  EXPECT_EQ(one.First().status(), v1::TX_STATUS_PENDING);
  waiters.Decide({"tx-1"}, [](size_t) { return WithStatus("tx-1", v1::TX_STATUS_COMMITTED); });
  EXPECT_EQ(one.count(), 1u);  // not twice
  waiters.Wait("tx-2", Far(), two.Done());
  EXPECT_EQ(two.count(), 1u);
  EXPECT_EQ(two.First().status(), v1::TX_STATUS_COMMITTED);
  waiters.Stop();  // again: nothing happens
}

// Blocks decide while deadlines pass and new waiters register: every waiter still gets exactly
// one answer.
TEST(CommitWaitersTest, RacingDecisionsAndDeadlinesAnswerEachWaiterOnce) {
  FakeStore store;
  CommitWaiters waiters(store.Lookup());
  constexpr int kWaiters = 400;
  std::vector<Answers> answers(kWaiters);
  std::atomic<int> registered = 0;
  std::thread deciding([&] {
    for (int round = 0; round < 200; ++round) {
      std::vector<std::string> ids;
      for (int i = round % 2; i < kWaiters; i += 2)
        ids.push_back("tx-" + std::to_string(i));
      waiters.Decide(ids, [&](size_t i) { return WithStatus(ids[i], v1::TX_STATUS_COMMITTED); });
      std::this_thread::yield();
    }
  });
  for (int i = 0; i < kWaiters; ++i) {
    // Some expire at once, some soon, the rest only at the stop.
    auto deadline = i % 3 == 0   ? Clock::now()
                    : i % 3 == 1 ? Clock::now() + std::chrono::milliseconds(i % 7)
                                 : Far();
    waiters.Wait("tx-" + std::to_string(i), deadline, answers[static_cast<size_t>(i)].Done());
    ++registered;
  }
  deciding.join();
  waiters.Stop();
  for (Answers& each : answers)
    EXPECT_EQ(each.count(), 1u);
}

}  // namespace
}  // namespace tl::node
