// A synchronous test network for unit tests: every node has in-memory storage, Readys are
// handled completely (persist, send, apply, advance), and messages are delivered in FIFO order
// unless a test drops or holds them. Faults beyond that belong to the simulator (sim/).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "trialledger/consensus/raw_node.h"

namespace tl::raft::testing {

struct TestNode {
  MemoryLogStorage storage;
  std::unique_ptr<RawNode> raw_node;
  std::vector<Entry> applied;  // every committed entry, in order
  std::vector<ReadState> read_states;
  std::string restored_snapshot_data;
};

class TestNetwork {
 public:
  // Voters 1..voter_count; `adjust` may change each node's config before it is created.
  explicit TestNetwork(
      uint64_t voter_count, std::function<void(Config&)> adjust = [](Config&) {});

  TestNode& node(uint64_t id) { return *nodes_.at(id); }
  RawNode& raw(uint64_t id) { return *nodes_.at(id)->raw_node; }
  // Adds a node with an empty log and no membership (it waits to be added as a learner).
  void AddBlankNode(uint64_t id);
  // Restarts a node from its durable storage (unsynced writes lost).
  void Restart(uint64_t id);
  // Restarts a founding node whose storage is gone: a fresh bootstrap, as a wiped data dir.
  void RestartEmpty(uint64_t id);
  // Restarts a founding node whose disk lost its whole Raft log and hard state but kept its
  // acknowledged mark (Config::acknowledged): what it had synced and answered before the loss.
  void RestartAfterDiskLoss(uint64_t id);

  // Handles Readys and delivers messages until nothing moves.
  void Stabilize();
  // Ticks every live node `ticks` times, stabilizing after each tick.
  void Tick(uint64_t ticks);
  void Campaign(uint64_t id);
  uint64_t Leader() const;

  // Messages between isolated nodes and the rest are dropped; `filter` can drop more.
  void Isolate(uint64_t id) { isolated_.insert(id); }
  void Heal() { isolated_.clear(); }
  std::function<bool(const Message&)> drop_filter;  // return true to drop
  std::function<void(Message&)> mutate;             // e.g. corrupt a snapshot chunk

  std::vector<Message> delivered;  // every message delivered, for assertions

 private:
  Config MakeConfig(uint64_t id) const;
  void HandleReady(uint64_t id);

  std::function<void(Config&)> adjust_;
  ConfState founding_;
  std::map<uint64_t, std::unique_ptr<TestNode>> nodes_;
  std::deque<Message> in_flight_;
  std::set<uint64_t> isolated_;
};

}  // namespace tl::raft::testing
