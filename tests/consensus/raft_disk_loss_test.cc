// A disk that loses what a node had synced and acknowledged is a fault, not a crash: the node
// restarts with a shorter log than the one its answers vouched for. These tests show why such a
// node must not vote until it has caught up (Config::acknowledged, protocol-aware recovery) and
// that the rule lets the cluster go on.
#include <gtest/gtest.h>

#include "test_network.h"

namespace tl::raft::testing {
namespace {

// The normal entries a node holds at `index` in its storage, or "" when it holds none there.
std::string DataAt(const TestNode& node, uint64_t index) {
  if (index > node.storage.LastIndex() || index < node.storage.FirstIndex()) return "";
  std::vector<Entry> entries = node.storage.Entries(index, index + 1, UINT64_MAX);
  return entries.empty() ? "" : entries[0].data;
}

// Node 1 leads; node 3 is cut off; "paid" commits on nodes 1 and 2 alone. Then node 2's disk
// loses everything and node 1 goes away. Returns the index of "paid".
uint64_t CommitWithNodeTwoThenLoseItsDisk(TestNetwork& net, bool keep_acknowledged_mark) {
  net.Campaign(1);
  EXPECT_EQ(net.Leader(), 1u);
  net.Isolate(3);
  EXPECT_TRUE(net.raw(1).Propose("paid").ok());
  net.Stabilize();
  const uint64_t index = net.node(1).storage.LastIndex();
  EXPECT_EQ(DataAt(net.node(1), index), "paid");
  EXPECT_EQ(net.node(1).applied.back().data, "paid");  // committed by the majority {1, 2}
  EXPECT_EQ(DataAt(net.node(3), index), "");
  if (keep_acknowledged_mark) {
    net.RestartAfterDiskLoss(2);
  } else {
    net.RestartEmpty(2);
  }
  net.Heal();
  net.Isolate(1);
  return index;
}

TEST(RaftDiskLoss, WithoutTheRuleACommittedEntryIsLost) {
  // The knob makes node 2 ignore its mark: it votes with the log it has left, as a node that
  // takes a damaged disk for a crash would.
  TestNetwork net(3, [](Config& config) { config.testing_knobs.vote_while_recovering = true; });
  const uint64_t index = CommitWithNodeTwoThenLoseItsDisk(net, /*keep_acknowledged_mark=*/true);
  net.Tick(40);
  ASSERT_EQ(net.Leader(), 3u) << "node 2 voted for node 3, which never had the entry";
  ASSERT_TRUE(net.raw(3).Propose("other").ok());
  net.Stabilize();
  // Nodes 2 and 3 committed another entry at the index where node 1 applied "paid" as
  // committed: two committed entries at one index, the safety property Raft exists for.
  EXPECT_GE(net.raw(3).hard_state().commit, index);
  EXPECT_NE(DataAt(net.node(3), index), "paid");
  EXPECT_NE(DataAt(net.node(2), index), "paid");
  EXPECT_EQ(DataAt(net.node(1), index), "paid");
}

TEST(RaftDiskLoss, ANodeThatLostAcknowledgedEntriesDoesNotVoteUntilItHasThemAgain) {
  TestNetwork net(3);
  const uint64_t index = CommitWithNodeTwoThenLoseItsDisk(net, /*keep_acknowledged_mark=*/true);
  EXPECT_TRUE(net.raw(2).recovering());
  net.Tick(40);
  EXPECT_NE(net.Leader(), 3u) << "node 2 must refuse node 3, which lacks what node 2 acknowledged";
  EXPECT_NE(net.Leader(), 2u) << "a recovering node must not campaign";
  net.Heal();
  net.Tick(60);
  const uint64_t leader = net.Leader();
  ASSERT_NE(leader, kNoNode);
  ASSERT_TRUE(net.raw(leader).Propose("after").ok());
  net.Stabilize();
  for (uint64_t id = 1; id <= 3; ++id) {
    EXPECT_EQ(DataAt(net.node(id), index), "paid") << "node " << id;
    EXPECT_EQ(net.node(id).applied.back().data, "after") << "node " << id;
  }
  EXPECT_FALSE(net.raw(2).recovering()) << "caught up from the leader, node 2 votes again";
}

TEST(RaftDiskLoss, TheVoteTheDiskLostIsTakenFromTheMarkSoNoTermGetsTwoVotes) {
  TestNetwork net(3);
  net.Campaign(1);
  const HardState before = net.node(2).storage.hard_state();
  ASSERT_EQ(before.vote, 1u);
  net.RestartAfterDiskLoss(2);
  EXPECT_EQ(net.raw(2).hard_state().term, before.term);
  EXPECT_EQ(net.raw(2).hard_state().vote, 1u);
  // Node 3 asks for node 2's vote in the same term: refused, it already voted for node 1.
  Message request;
  request.type = MessageType::kVote;
  request.from = 3;
  request.to = 2;
  request.term = before.term;
  request.index = net.node(1).storage.LastIndex();
  request.log_term = net.node(1).storage.Term(request.index);
  ASSERT_TRUE(net.raw(2).Step(request).ok());
  Ready ready = net.raw(2).GetReady();
  EXPECT_EQ(ready.write.hard_state->vote, 1u) << "the restored vote is persisted again";
  ASSERT_FALSE(ready.messages.empty());
  EXPECT_EQ(ready.messages.back().type, MessageType::kVoteResponse);
  EXPECT_TRUE(ready.messages.back().reject);
}

TEST(RaftDiskLoss, AnIntactNodeIsNeverRecovering) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  net.Restart(2);
  EXPECT_FALSE(net.raw(2).recovering());
}

}  // namespace
}  // namespace tl::raft::testing
