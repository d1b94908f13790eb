#include "trialledger/node/commit_waiters.h"

#include "trialledger/base/check.h"

namespace tl::node {

CommitWaiters::CommitWaiters(Lookup lookup) : lookup_(std::move(lookup)) {
  thread_ = std::thread([this] { Run(); });
}

CommitWaiters::~CommitWaiters() {
  Stop();
}

size_t CommitWaiters::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

void CommitWaiters::Wait(std::string tx_id, Clock::time_point deadline, Done done) {
  uint64_t serial = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      serial = ++next_serial_;
      by_tx_.emplace(tx_id, serial);
      by_deadline_.emplace(deadline, serial);
      waiters_.emplace(serial, Waiter{tx_id, deadline, std::move(done)});
      changed_.notify_one();
    }
  }
  if (serial == 0) {  // stopped: a last look now
    done(lookup_(tx_id));
    return;
  }
  // Registered before the look, so a block applied in between still decides this waiter; and
  // whichever of the two finds it first answers it.
  Outcome recorded = lookup_(tx_id);
  if (StillOpen(recorded)) return;
  Done answer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiters_.count(serial) == 0) return;  // decided, expired or stopped meanwhile
    answer = Remove(serial);
  }
  answer(std::move(recorded));
}

void CommitWaiters::Decide(const std::vector<std::string>& ids,
                           const std::function<Outcome(size_t)>& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (by_tx_.empty()) return;
  const size_t before = decided_.size();
  for (size_t i = 0; i < ids.size(); ++i) {
    auto [first, last] = by_tx_.equal_range(ids[i]);
    if (first == last) continue;
    std::vector<uint64_t> serials;
    for (auto it = first; it != last; ++it)
      serials.push_back(it->second);
    const Outcome decided = outcome(i);
    for (uint64_t serial : serials)
      decided_.emplace_back(Remove(serial), decided);
  }
  if (decided_.size() > before) changed_.notify_one();
}

CommitWaiters::Done CommitWaiters::Remove(uint64_t serial) {
  auto found = waiters_.find(serial);
  TL_CHECK(found != waiters_.end());
  Waiter& waiter = found->second;
  auto [first, last] = by_tx_.equal_range(waiter.tx_id);
  for (auto it = first; it != last; ++it) {
    if (it->second == serial) {
      by_tx_.erase(it);
      break;
    }
  }
  by_deadline_.erase({waiter.deadline, serial});
  Done done = std::move(waiter.done);
  waiters_.erase(found);
  return done;
}

void CommitWaiters::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    const bool stopping = stopping_;
    // Decided ones, then those whose deadline passed (or all, once stopping): answered without
    // the lock, the expired ones after a last look.
    std::vector<std::pair<Done, Outcome>> decided;
    decided.swap(decided_);
    std::vector<std::pair<Done, std::string>> expired;
    const Clock::time_point now = Clock::now();
    while (!by_deadline_.empty() && (stopping || by_deadline_.begin()->first <= now)) {
      const uint64_t serial = by_deadline_.begin()->second;
      std::string tx_id = waiters_.at(serial).tx_id;
      expired.emplace_back(Remove(serial), std::move(tx_id));
    }
    if (!decided.empty() || !expired.empty()) {
      lock.unlock();
      for (auto& [done, outcome] : decided)
        done(std::move(outcome));
      for (auto& [done, tx_id] : expired)
        done(lookup_(tx_id));
      lock.lock();
      continue;
    }
    if (stopping) return;
    // Woken by a decision, a new waiter (perhaps the earliest deadline now) or the stop; the
    // loop re-reads all of them under the lock they are changed under, so no wake-up is lost.
    if (by_deadline_.empty()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, by_deadline_.begin()->first);
    }
  }
}

void CommitWaiters::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tl::node
