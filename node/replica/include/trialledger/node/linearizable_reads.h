// Linearizable reads on any node, by Raft's ReadIndex (Raft thesis, section 6.4): a read waits
// until this node has applied everything the leader had committed at a moment when a quorum of
// voters confirmed it still led, after the read began. Whatever any client saw acknowledged
// before the read began is then in what the read sees, on a follower as on the leader.
//
// Readers block on their own threads; the Raft thread hands their requests to Raft, passes on
// the read states Raft answers with, and says how far it has applied.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "trialledger/consensus/types.h"

namespace tl::node {

class LinearizableReads {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  // Raft drops a request it cannot serve (a leader change, a lost message) without an answer;
  // a read still unanswered after this long is asked again.
  static constexpr std::chrono::milliseconds kResendAfter{300};

  // `wake` wakes the Raft thread; `raft_id` makes request contexts unique across the cluster.
  LinearizableReads(uint64_t raft_id, std::function<void()> wake);

  // Any thread: returns once this node has applied up to a read index Raft confirmed for this
  // call, or Unavailable (no leader known, stopping), or DeadlineExceeded (no quorum confirmed a
  // leader in time, as in a minority partition).
  absl::Status Await(Deadline deadline);

  // Raft thread: asks Raft (`read_index`, RawNode::ReadIndex) for each read not yet asked.
  void SendRequests(const std::function<absl::Status(std::string)>& read_index);
  // Raft thread: the read states of a Ready.
  void OnReadStates(const std::vector<raft::ReadState>& states);
  // Raft thread: the node has applied every entry up to `applied_index`.
  void OnApplied(uint64_t applied_index);
  // Answers every waiting read with Unavailable, and every later one.
  void Stop();

 private:
  struct Read {
    std::optional<uint64_t> index;  // confirmed by a quorum
    bool served = false;
    absl::Status refused;
  };

  const std::string context_prefix_;
  const std::function<void()> wake_;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t next_id_ = 0;               // GUARDED_BY(mutex_)
  std::map<std::string, Read> reads_;  // GUARDED_BY(mutex_), by request context
  std::vector<std::string> unsent_;    // GUARDED_BY(mutex_)
  uint64_t applied_index_ = 0;         // GUARDED_BY(mutex_)
  bool stopping_ = false;              // GUARDED_BY(mutex_)
};

}  // namespace tl::node
