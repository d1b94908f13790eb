#include "sim_network.h"

#include "absl/strings/str_cat.h"

namespace tl::raft::sim {

void SimNetwork::Send(uint64_t now_tick, Message message) {
  if (rng_->Chance(faults_.drop_per_mille, 1000)) return;
  const uint64_t copies = rng_->Chance(faults_.duplicate_per_mille, 1000) ? 2 : 1;
  for (uint64_t copy = 0; copy < copies; ++copy) {
    uint64_t delay_ticks = rng_->Between(faults_.min_delay_ticks, faults_.max_delay_ticks);
    if (rng_->Chance(faults_.delay_spike_per_mille, 1000)) delay_ticks += faults_.delay_spike_ticks;
    queue_.emplace(Key{now_tick + delay_ticks, next_sequence_++}, message);
  }
}

std::vector<Message> SimNetwork::TakeDue(uint64_t now_tick) {
  std::vector<Message> due;
  while (!queue_.empty() && queue_.begin()->first.due_tick <= now_tick) {
    Message message = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    if (!Blocked(message.from, message.to)) due.push_back(std::move(message));
  }
  return due;
}

void SimNetwork::PartitionSymmetric(const std::vector<uint64_t>& side_a,
                                    const std::vector<uint64_t>& side_b) {
  blocked_.clear();
  for (uint64_t a : side_a) {
    for (uint64_t b : side_b) {
      blocked_.insert({a, b});
      blocked_.insert({b, a});
    }
  }
}

void SimNetwork::PartitionBridge(const std::vector<uint64_t>& side_a,
                                 const std::vector<uint64_t>& side_b) {
  PartitionSymmetric(side_a, side_b);  // the bridge is in neither side, so it reaches both
}

std::string SimNetwork::Describe() const {
  std::string out = "blocked:";
  for (const auto& [from, to] : blocked_)
    absl::StrAppend(&out, " ", from, "->", to);
  return out;
}

}  // namespace tl::raft::sim
