// The simulated network: per-message drop, duplication and delay (which also reorders), and
// link-level partitions (symmetric, one-way, bridge). Driven only by the cluster's seeded RNG.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "trialledger/consensus/rng.h"
#include "trialledger/consensus/types.h"

namespace tl::raft::sim {

struct NetworkFaults {
  uint64_t drop_per_mille = 0;
  uint64_t duplicate_per_mille = 0;
  uint64_t min_delay_ticks = 1;
  uint64_t max_delay_ticks = 1;
  uint64_t delay_spike_per_mille = 0;  // occasionally a message is very late
  uint64_t delay_spike_ticks = 0;
};

class SimNetwork {
 public:
  explicit SimNetwork(DeterministicRng* rng) : rng_(rng) {}

  void set_faults(const NetworkFaults& faults) { faults_ = faults; }
  void Send(uint64_t now_tick, Message message);
  // Removes and returns the messages due at or before now_tick, in (due tick, send order).
  // A message on a link that is blocked at delivery time is lost.
  std::vector<Message> TakeDue(uint64_t now_tick);

  // Partitions. Each replaces the previous one.
  void PartitionSymmetric(const std::vector<uint64_t>& side_a, const std::vector<uint64_t>& side_b);
  void PartitionOneWay(uint64_t from, uint64_t to) { blocked_.insert({from, to}); }
  // side_a and side_b cannot talk to each other; bridge talks to both.
  void PartitionBridge(const std::vector<uint64_t>& side_a, const std::vector<uint64_t>& side_b);
  void Heal() { blocked_.clear(); }
  bool Blocked(uint64_t from, uint64_t to) const { return blocked_.contains({from, to}); }
  std::string Describe() const;

 private:
  struct Key {
    uint64_t due_tick;
    uint64_t sequence;
    auto operator<=>(const Key&) const = default;
  };

  DeterministicRng* rng_;
  NetworkFaults faults_;
  std::map<Key, Message> queue_;
  uint64_t next_sequence_ = 0;
  std::set<std::pair<uint64_t, uint64_t>> blocked_;
};

}  // namespace tl::raft::sim
