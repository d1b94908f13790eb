// Submissions waiting for their transaction's block without holding a thread each (the client
// API's asynchronous SubmitTransaction). The Raft thread decides them as it applies a block
// (Decide), in one step per block; this class's own thread then calls their answers, so neither
// the Raft thread nor gRPC's threads wait, or write to a client, for a waiting submission.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "trialledger/sdk/protocol.h"

namespace tl::node {

class CommitWaiters {
 public:
  using Clock = std::chrono::steady_clock;
  using Outcome = v1::GetTransactionResponse;
  using Done = std::function<void(Outcome)>;
  // Reads a transaction's recorded outcome (PENDING or UNKNOWN while it is not in a block).
  using Lookup = std::function<Outcome(const std::string& tx_id)>;

  // Not in a block yet, as far as this node knows (PENDING or UNKNOWN).
  static bool StillOpen(const Outcome& outcome) {
    return outcome.status() == v1::TX_STATUS_PENDING || outcome.status() == v1::TX_STATUS_UNKNOWN;
  }

  explicit CommitWaiters(Lookup lookup);
  ~CommitWaiters();  // Stop()

  // Calls `done` once with the transaction's outcome when its block is applied (Decide); or,
  // when `deadline` passes or the waiters stop first, with a last look (still open, or decided
  // by a block that decides no waiter, such as one fetched by catch-up). Looks once after
  // registering, so a block applied just before is not missed: then `done` runs here.
  void Wait(std::string tx_id, Clock::time_point deadline, Done done);
  // The Raft thread, for an applied block's transactions `ids` (in block order): each waiter of
  // ids[i] gets outcome(i), which is built only for transactions someone waits for (and need not
  // carry the transaction: the submitter has it).
  void Decide(const std::vector<std::string>& ids, const std::function<Outcome(size_t)>& outcome);
  // Answers every remaining waiter with a last look and ends the thread; later waits are
  // answered at once. Idempotent.
  void Stop();

  size_t waiting() const;

 private:
  struct Waiter {
    std::string tx_id;
    Clock::time_point deadline;
    Done done;
  };
  // Removes waiter `serial` from every index and returns its answer; mutex_ held.
  Done Remove(uint64_t serial);
  void Run();

  const Lookup lookup_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t next_serial_ = 0;                                      // GUARDED_BY(mutex_)
  std::map<uint64_t, Waiter> waiters_;                            // GUARDED_BY(mutex_)
  std::multimap<std::string, uint64_t> by_tx_;                    // GUARDED_BY(mutex_)
  std::set<std::pair<Clock::time_point, uint64_t>> by_deadline_;  // GUARDED_BY(mutex_)
  std::vector<std::pair<Done, Outcome>> decided_;  // to answer on the thread; GUARDED_BY(mutex_)
  bool stopping_ = false;                          // GUARDED_BY(mutex_)
  std::thread thread_;                             // last: it runs on the members above
};

}  // namespace tl::node
