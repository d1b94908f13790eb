// Elections: pre-vote, check-quorum, leader lease, restart with durable term and vote.
#include <gtest/gtest.h>

#include "test_network.h"

namespace tl::raft::testing {
namespace {

TEST(RaftElection, TicksElectExactlyOneLeader) {
  TestNetwork net(3);
  net.Tick(40);
  const uint64_t leader = net.Leader();
  ASSERT_NE(leader, kNoNode);
  for (uint64_t id = 1; id <= 3; ++id) {
    EXPECT_EQ(net.raw(id).soft_state().leader, leader);
    EXPECT_EQ(net.raw(id).hard_state().term, net.raw(leader).hard_state().term);
  }
}

TEST(RaftElection, NewLeaderCommitsAnEmptyEntryOfItsTerm) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_EQ(net.Leader(), 1u);
  for (uint64_t id = 1; id <= 3; ++id) {
    ASSERT_EQ(net.node(id).applied.size(), 1u);
    EXPECT_EQ(net.node(id).applied[0].type, EntryType::kEmpty);
  }
}

TEST(RaftElection, PreVoteKeepsAnIsolatedNodesTermFromRising) {
  TestNetwork net(3);
  net.Campaign(1);
  const uint64_t term = net.raw(1).hard_state().term;
  net.Isolate(3);
  net.Tick(100);  // node 3 keeps timing out but never wins a pre-vote
  EXPECT_EQ(net.raw(3).hard_state().term, term);
  net.Heal();
  net.Tick(5);
  EXPECT_EQ(net.Leader(), 1u);  // the rejoining node did not depose the leader
  EXPECT_EQ(net.raw(1).hard_state().term, term);
}

TEST(RaftElection, WithoutPreVoteAnIsolatedNodeRaisesItsTerm) {
  TestNetwork net(3, [](Config& config) { config.pre_vote = false; });
  net.Campaign(1);
  const uint64_t term = net.raw(1).hard_state().term;
  net.Isolate(3);
  net.Tick(100);
  EXPECT_GT(net.raw(3).hard_state().term, term);  // the problem pre-vote exists to solve
}

TEST(RaftElection, CheckQuorumMakesAnIsolatedLeaderStepDown) {
  TestNetwork net(3);
  net.Campaign(1);
  net.Isolate(1);
  net.Tick(25);
  EXPECT_NE(net.raw(1).soft_state().role, Role::kLeader);
  EXPECT_NE(net.Leader(), kNoNode);  // 2 or 3 took over
  EXPECT_NE(net.Leader(), 1u);
}

TEST(RaftElection, LeaseMakesFollowersIgnoreADisruptiveVote) {
  TestNetwork net(3, [](Config& config) { config.pre_vote = false; });
  net.Campaign(1);
  const uint64_t term = net.raw(1).hard_state().term;
  // Node 3 campaigns while 1 and 2 still hear from leader 1: they ignore its vote request.
  ASSERT_TRUE(net.raw(3).Campaign().ok());
  net.Stabilize();
  EXPECT_EQ(net.raw(1).soft_state().role, Role::kLeader);
  EXPECT_EQ(net.raw(2).hard_state().term, term);
}

TEST(RaftElection, VoteIsDurableAcrossRestart) {
  TestNetwork net(3);
  net.Campaign(1);
  net.Restart(2);
  EXPECT_EQ(net.raw(2).hard_state().term, net.raw(1).hard_state().term);
  EXPECT_EQ(net.node(2).storage.hard_state().vote, 1u);
}

TEST(RaftElection, LearnersNeverCampaign) {
  TestNetwork net(1);
  net.Campaign(1);
  net.AddBlankNode(2);
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kAddLearner, 2, ""}).ok());
  net.Stabilize();
  net.Isolate(1);
  net.Tick(100);
  EXPECT_EQ(net.raw(2).soft_state().role, Role::kFollower);
  EXPECT_FALSE(net.raw(2).Campaign().ok());
}

}  // namespace
}  // namespace tl::raft::testing
