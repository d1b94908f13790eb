// The leader's view of one peer's replication (etcd's Progress), with its flow-control window.
// Internal to the core.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>

#include "trialledger/consensus/types.h"

namespace tl::raft {

// Appends sent but not yet acknowledged, as (last index, bytes) in send order.
class Inflights {
 public:
  Inflights(uint64_t max_count, uint64_t max_bytes)
      : max_count_(max_count), max_bytes_(max_bytes) {}

  bool Full() const { return items_.size() >= max_count_ || bytes_ >= max_bytes_; }
  void Add(uint64_t last_index, uint64_t size_bytes) {
    items_.push_back({last_index, size_bytes});
    bytes_ += size_bytes;
  }
  // Frees every append whose last index is <= index (acknowledged by a cumulative response).
  void FreeLE(uint64_t index) {
    while (!items_.empty() && items_.front().last_index <= index) {
      bytes_ -= items_.front().size_bytes;
      items_.pop_front();
    }
  }
  // Frees the oldest append: on a heartbeat response from a follower whose window is full, so a
  // lost append cannot stall replication forever (the next append then exposes the gap).
  void FreeFirstOne() {
    if (items_.empty()) return;
    bytes_ -= items_.front().size_bytes;
    items_.pop_front();
  }
  void Reset() {
    items_.clear();
    bytes_ = 0;
  }
  uint64_t count() const { return items_.size(); }

 private:
  struct Item {
    uint64_t last_index;
    uint64_t size_bytes;
  };
  uint64_t max_count_;
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  std::deque<Item> items_;
};

// A snapshot being sent, shared by every follower receiving it, with its whole-image checksum.
struct OutgoingSnapshot {
  Snapshot snapshot;
  uint32_t crc32c = 0;
};

struct Progress {
  enum class State : uint8_t {
    kProbe,      // one append at a time until the follower's match is found
    kReplicate,  // pipelined appends, bounded by the inflights window
    kSnapshot,   // sending a snapshot in chunks; appends wait
  };

  Progress(uint64_t next_index, uint64_t max_inflight_appends, uint64_t max_inflight_bytes)
      : next(next_index), inflights(max_inflight_appends, max_inflight_bytes) {}

  bool Paused() const {
    switch (state) {
      case State::kProbe:
        return probe_sent;
      case State::kReplicate:
        return inflights.Full();
      case State::kSnapshot:
        return true;
    }
    return true;
  }
  void BecomeProbe() {
    // After a snapshot, resume right after it; otherwise retry from just past the match.
    next = state == State::kSnapshot ? std::max(match, snapshot_index) + 1 : match + 1;
    ResetState(State::kProbe);
  }
  void BecomeReplicate() {
    next = match + 1;
    ResetState(State::kReplicate);
  }
  // The follower gets `snapshot` whole even if the leader compacts again meanwhile.
  void BecomeSnapshot(std::shared_ptr<const OutgoingSnapshot> outgoing) {
    ResetState(State::kSnapshot);
    snapshot_index = outgoing->snapshot.meta.index;
    snapshot = std::move(outgoing);
  }
  // Records an acknowledged match; false if it is stale.
  bool MaybeUpdate(uint64_t index) {
    bool updated = false;
    if (match < index) {
      match = index;
      updated = true;
      probe_sent = false;
    }
    next = std::max(next, index + 1);
    return updated;
  }
  // Handles a rejected append; false if the rejection is stale.
  bool MaybeDecrease(uint64_t rejected_index, uint64_t match_hint) {
    if (state == State::kReplicate) {
      if (rejected_index <= match) return false;
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected_index) return false;
    next = std::max<uint64_t>(std::min(rejected_index, match_hint + 1), 1);
    probe_sent = false;
    return true;
  }

  uint64_t match = 0;
  uint64_t next = 1;
  State state = State::kProbe;
  bool probe_sent = false;
  bool recent_active = false;  // heard from since the last check-quorum round
  bool is_learner = false;
  Inflights inflights;
  uint64_t snapshot_index = 0;                       // kSnapshot: index of the snapshot being sent
  std::shared_ptr<const OutgoingSnapshot> snapshot;  // kSnapshot: what is being sent
  uint64_t snapshot_acked_bytes = 0;                 // kSnapshot: bytes the follower confirmed
  uint64_t snapshot_sent_bytes = 0;                  // kSnapshot: bytes sent (acked <= sent)
  uint64_t snapshot_acked_bytes_at_heartbeat =
      UINT64_MAX;  // kSnapshot: to detect a stalled transfer

 private:
  void ResetState(State new_state) {
    probe_sent = false;
    snapshot_index = 0;
    snapshot.reset();
    snapshot_acked_bytes = 0;
    snapshot_sent_bytes = 0;
    snapshot_acked_bytes_at_heartbeat = UINT64_MAX;
    state = new_state;
    inflights.Reset();
  }
};

}  // namespace tl::raft
