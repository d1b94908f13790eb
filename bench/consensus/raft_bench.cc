// Proposal-to-commit throughput of the Raft core: three RawNodes in one process, in-memory
// storage, messages delivered synchronously. Measures the core's own cost (no disk, no network).
#include <benchmark/benchmark.h>

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "trialledger/consensus/raw_node.h"

namespace tl::raft {
namespace {

class InProcessCluster {
 public:
  explicit InProcessCluster(uint64_t voter_count) {
    ConfState conf;
    for (uint64_t id = 1; id <= voter_count; ++id)
      conf.voters.push_back(id);
    for (uint64_t id = 1; id <= voter_count; ++id) {
      Node& node = nodes_[id];
      node.storage = MemoryLogStorage::Bootstrapped(conf);
      Config config;
      config.id = id;
      node.raw = std::move(*RawNode::Create(config, &node.storage));
    }
    (void)nodes_.at(1).raw->Campaign();
    Drain();
  }

  RawNode& leader() { return *nodes_.at(1).raw; }
  uint64_t applied(uint64_t id) const { return nodes_.at(id).applied; }

  void Drain() {
    bool moved = true;
    while (moved) {
      moved = false;
      for (auto& [id, node] : nodes_) {
        while (node.raw->HasReady()) {
          moved = true;
          Ready ready = node.raw->GetReady();
          for (Message& message : ready.early_messages)
            in_flight_.push_back(std::move(message));
          (void)node.storage.Write(ready.write);
          for (Message& message : ready.messages)
            in_flight_.push_back(std::move(message));
          if (!ready.committed_entries.empty()) node.applied = ready.committed_entries.back().index;
          node.raw->Advance();
        }
      }
      while (!in_flight_.empty()) {
        moved = true;
        Message message = std::move(in_flight_.front());
        in_flight_.pop_front();
        (void)nodes_.at(message.to).raw->Step(message);
      }
    }
  }

 private:
  struct Node {
    MemoryLogStorage storage;
    std::unique_ptr<RawNode> raw;
    uint64_t applied = 0;
  };
  std::map<uint64_t, Node> nodes_;
  std::deque<Message> in_flight_;
};

// Arguments: entry size in bytes, proposals per batch (proposed together, then committed).
void BM_ProposeToCommit(benchmark::State& state) {
  const std::string entry(static_cast<size_t>(state.range(0)), 'x');
  const int64_t batch = state.range(1);
  InProcessCluster cluster(3);
  uint64_t committed = 0;
  for (auto _ : state) {
    uint64_t last = 0;
    for (int64_t i = 0; i < batch; ++i)
      last = *cluster.leader().Propose(entry);
    cluster.Drain();
    if (cluster.applied(1) < last) state.SkipWithError("proposal did not commit");
    committed += static_cast<uint64_t>(batch);
  }
  state.SetItemsProcessed(static_cast<int64_t>(committed));
  state.SetBytesProcessed(static_cast<int64_t>(committed * entry.size()));
}
BENCHMARK(BM_ProposeToCommit)->Args({256, 1})->Args({256, 64})->Args({4096, 64});

}  // namespace
}  // namespace tl::raft

BENCHMARK_MAIN();
