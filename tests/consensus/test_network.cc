#include "test_network.h"

#include <gtest/gtest.h>

namespace tl::raft::testing {

TestNetwork::TestNetwork(uint64_t voter_count, std::function<void(Config&)> adjust)
    : adjust_(std::move(adjust)) {
  ConfState conf_state;
  for (uint64_t id = 1; id <= voter_count; ++id)
    conf_state.voters.push_back(id);
  founding_ = conf_state;
  for (uint64_t id = 1; id <= voter_count; ++id) {
    auto node = std::make_unique<TestNode>();
    node->storage = MemoryLogStorage::Bootstrapped(conf_state);
    node->raw_node = *RawNode::Create(MakeConfig(id), &node->storage);
    nodes_[id] = std::move(node);
  }
}

Config TestNetwork::MakeConfig(uint64_t id) const {
  Config config;
  config.id = id;
  config.random_seed = 42;
  adjust_(config);
  return config;
}

void TestNetwork::AddBlankNode(uint64_t id) {
  auto node = std::make_unique<TestNode>();
  node->raw_node = *RawNode::Create(MakeConfig(id), &node->storage);
  nodes_[id] = std::move(node);
}

void TestNetwork::Restart(uint64_t id) {
  TestNode& test_node = *nodes_.at(id);
  test_node.storage.Crash();
  Config config = MakeConfig(id);
  config.applied_index = 0;
  test_node.applied.clear();
  test_node.raw_node = *RawNode::Create(config, &test_node.storage);
}

void TestNetwork::RestartEmpty(uint64_t id) {
  TestNode& test_node = *nodes_.at(id);
  test_node.storage = MemoryLogStorage::Bootstrapped(founding_);
  test_node.applied.clear();
  test_node.raw_node = *RawNode::Create(MakeConfig(id), &test_node.storage);
}

void TestNetwork::RestartAfterDiskLoss(uint64_t id) {
  TestNode& test_node = *nodes_.at(id);
  const HardState synced = test_node.storage.hard_state();
  Config config = MakeConfig(id);
  config.acknowledged =
      Acknowledged{.term = synced.term,
                   .vote = synced.vote,
                   .last_index = test_node.storage.LastIndex(),
                   .last_term = test_node.storage.Term(test_node.storage.LastIndex())};
  test_node.storage = MemoryLogStorage::Bootstrapped(founding_);
  test_node.applied.clear();
  test_node.raw_node = *RawNode::Create(config, &test_node.storage);
}

void TestNetwork::HandleReady(uint64_t id) {
  TestNode& test_node = *nodes_.at(id);
  while (test_node.raw_node->HasReady()) {
    Ready ready = test_node.raw_node->GetReady();
    for (Message& message : ready.early_messages)
      in_flight_.push_back(std::move(message));
    ASSERT_TRUE(test_node.storage.Write(ready.write).ok());
    if (ready.write.snapshot) {
      test_node.restored_snapshot_data = ready.write.snapshot->data;
      test_node.applied.clear();
    }
    for (Message& message : ready.messages)
      in_flight_.push_back(std::move(message));
    for (Entry& entry : ready.committed_entries)
      test_node.applied.push_back(std::move(entry));
    for (ReadState& read : ready.read_states)
      test_node.read_states.push_back(std::move(read));
    test_node.raw_node->Advance();
  }
}

void TestNetwork::Stabilize() {
  for (int round = 0; round < 100000; ++round) {
    for (const auto& [id, unused] : nodes_)
      HandleReady(id);
    if (in_flight_.empty()) return;
    Message message = std::move(in_flight_.front());
    in_flight_.pop_front();
    if (!nodes_.contains(message.to)) continue;
    if (isolated_.contains(message.from) != isolated_.contains(message.to)) continue;
    if (isolated_.contains(message.from) && isolated_.contains(message.to)) continue;
    if (drop_filter && drop_filter(message)) continue;
    if (mutate) mutate(message);
    delivered.push_back(message);
    ASSERT_TRUE(nodes_.at(message.to)->raw_node->Step(message).ok());
  }
  FAIL() << "network did not stabilize";
}

void TestNetwork::Tick(uint64_t ticks) {
  for (uint64_t i = 0; i < ticks; ++i) {
    for (const auto& [id, node] : nodes_)
      node->raw_node->Tick();
    Stabilize();
  }
}

void TestNetwork::Campaign(uint64_t id) {
  ASSERT_TRUE(raw(id).Campaign().ok());
  Stabilize();
}

uint64_t TestNetwork::Leader() const {
  for (const auto& [id, node] : nodes_) {
    if (node->raw_node->soft_state().role == Role::kLeader && !isolated_.contains(id)) return id;
  }
  return kNoNode;
}

}  // namespace tl::raft::testing
