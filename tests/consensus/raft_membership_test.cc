// Membership (learner, promotion, removal), leadership transfer and ReadIndex.
#include <gtest/gtest.h>

#include "test_network.h"

namespace tl::raft::testing {
namespace {

TEST(RaftMembership, LearnerIsAddedCatchesUpAndIsPromoted) {
  TestNetwork net(3);
  net.Campaign(1);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.AddBlankNode(4);
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kAddLearner, 4, "addr"}).ok());
  // One change at a time: a second one is refused until the first is applied.
  EXPECT_FALSE(net.raw(1).ProposeConfChange({ConfChangeType::kRemoveNode, 3, ""}).ok());
  net.Stabilize();
  EXPECT_EQ(net.raw(1).conf_state().learners, std::vector<uint64_t>{4});
  net.Tick(2);
  EXPECT_EQ(net.raw(4).applied_index(), net.raw(1).applied_index());
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kAddVoter, 4, ""}).ok());
  net.Stabilize();
  EXPECT_EQ(net.raw(1).conf_state().voters, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(net.raw(4).conf_state().voters, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_TRUE(net.raw(4).conf_state().learners.empty());
}

TEST(RaftMembership, LaggingLearnerIsNotPromoted) {
  TestNetwork net(3);
  net.Campaign(1);
  net.AddBlankNode(4);
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kAddLearner, 4, ""}).ok());
  net.Stabilize();
  net.Isolate(4);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  absl::StatusOr<uint64_t> promoted =
      net.raw(1).ProposeConfChange({ConfChangeType::kAddVoter, 4, ""});
  ASSERT_FALSE(promoted.ok());
  EXPECT_EQ(promoted.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RaftMembership, AddingAVoterDirectlyIsRefused) {
  TestNetwork net(3);
  net.Campaign(1);
  EXPECT_FALSE(net.raw(1).ProposeConfChange({ConfChangeType::kAddVoter, 9, ""}).ok());
}

TEST(RaftMembership, RemovedLeaderStepsDownAndAnotherTakesOver) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kRemoveNode, 1, ""}).ok());
  net.Stabilize();
  EXPECT_NE(net.raw(1).soft_state().role, Role::kLeader);
  net.Tick(30);
  const uint64_t leader = net.Leader();
  ASSERT_TRUE(leader == 2 || leader == 3);
  EXPECT_EQ(net.raw(leader).conf_state().voters, (std::vector<uint64_t>{2, 3}));
  ASSERT_TRUE(net.raw(leader).Propose("after removal").ok());
  net.Stabilize();
  EXPECT_EQ(net.node(2).applied.back().data, "after removal");
}

TEST(RaftMembership, RemovedFollowerStopsCountingTowardQuorum) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kRemoveNode, 3, ""}).ok());
  net.Stabilize();
  net.Isolate(3);
  ASSERT_TRUE(net.raw(1).Propose("two voters").ok());
  net.Stabilize();
  EXPECT_EQ(net.node(2).applied.back().data, "two voters");
}

TEST(RaftTransfer, LeadershipMovesToTheTransferee) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  ASSERT_TRUE(net.raw(1).TransferLeadership(3).ok());
  net.Stabilize();
  EXPECT_EQ(net.Leader(), 3u);
  EXPECT_EQ(net.raw(1).soft_state().leader, 3u);
}

TEST(RaftTransfer, TransferToALaggingNodeWaitsForItToCatchUp) {
  TestNetwork net(3);
  net.Campaign(1);
  net.Isolate(3);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  ASSERT_TRUE(net.raw(1).TransferLeadership(3).ok());
  EXPECT_EQ(net.raw(1).Propose("blocked").status().code(), absl::StatusCode::kUnavailable);
  net.Heal();
  net.Tick(3);
  EXPECT_EQ(net.Leader(), 3u);
}

TEST(RaftTransfer, TransferToALearnerIsRefused) {
  TestNetwork net(3);
  net.Campaign(1);
  net.AddBlankNode(4);
  ASSERT_TRUE(net.raw(1).ProposeConfChange({ConfChangeType::kAddLearner, 4, ""}).ok());
  net.Stabilize();
  EXPECT_FALSE(net.raw(1).TransferLeadership(4).ok());
}

TEST(RaftReadIndex, LeaderServesAReadAfterAQuorumHeartbeat) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  ASSERT_TRUE(net.raw(1).ReadIndex("read-1").ok());
  net.Stabilize();
  ASSERT_EQ(net.node(1).read_states.size(), 1u);
  EXPECT_EQ(net.node(1).read_states[0].index, net.raw(1).hard_state().commit);
  EXPECT_EQ(net.node(1).read_states[0].request_context, "read-1");
}

TEST(RaftReadIndex, FollowerReadIsForwardedToTheLeader) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  ASSERT_TRUE(net.raw(2).ReadIndex("read-2").ok());
  net.Stabilize();
  ASSERT_EQ(net.node(2).read_states.size(), 1u);
  EXPECT_EQ(net.node(2).read_states[0].index, net.raw(1).hard_state().commit);
}

TEST(RaftReadIndex, IsolatedLeaderCannotServeReads) {
  TestNetwork net(3);
  net.Campaign(1);
  net.Isolate(1);
  ASSERT_TRUE(net.raw(1).ReadIndex("stale-read").ok());
  net.Stabilize();
  EXPECT_TRUE(net.node(1).read_states.empty());  // no quorum confirmed its leadership
}

}  // namespace
}  // namespace tl::raft::testing
