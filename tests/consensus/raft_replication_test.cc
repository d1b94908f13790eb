// Replication: log matching and conflict resolution, the commit rule, flow control, snapshots.
#include <gtest/gtest.h>

#include "test_network.h"
#include "trialledger/consensus/codec.h"

namespace tl::raft::testing {
namespace {

std::vector<std::string> AppliedData(const TestNode& node) {
  std::vector<std::string> data;
  for (const Entry& entry : node.applied) {
    if (entry.type == EntryType::kNormal) data.push_back(entry.data);
  }
  return data;
}

TEST(RaftReplication, ProposalsCommitOnEveryNodeInOrder) {
  TestNetwork net(3);
  net.Campaign(1);
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(net.raw(1).Propose("x" + std::to_string(i)).ok());
  net.Stabilize();
  for (uint64_t id = 1; id <= 3; ++id) {
    ASSERT_EQ(AppliedData(net.node(id)).size(), 20u);
    EXPECT_EQ(AppliedData(net.node(id))[19], "x19");
  }
}

TEST(RaftReplication, FollowerProposalIsRefusedWithTheLeader) {
  TestNetwork net(3);
  net.Campaign(1);
  absl::StatusOr<uint64_t> index = net.raw(2).Propose("x");
  ASSERT_FALSE(index.ok());
  EXPECT_NE(index.status().message().find("leader is node 1"), std::string::npos);
}

TEST(RaftReplication, ConflictingUncommittedEntriesAreOverwritten) {
  TestNetwork net(3);
  net.Campaign(1);
  net.Isolate(1);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(net.raw(1).Propose("stale").ok());
  net.Stabilize();  // only the isolated old leader holds these
  net.Tick(30);     // 2 or 3 becomes leader
  const uint64_t leader = net.Leader();
  ASSERT_TRUE(leader == 2 || leader == 3);
  ASSERT_TRUE(net.raw(leader).Propose("fresh").ok());
  net.Heal();
  net.Tick(5);
  for (uint64_t id = 1; id <= 3; ++id) {
    EXPECT_EQ(AppliedData(net.node(id)), std::vector<std::string>{"fresh"}) << "node " << id;
  }
  EXPECT_EQ(net.node(1).storage.LastIndex(), net.node(leader).storage.LastIndex());
}

// Raft section 5.4.2: a leader never commits an entry of an earlier term by counting replicas.
// Returns the leader's commit index relative to the index of the earlier-term entry.
void RunCommitRuleScenario(bool planted_bug, int64_t* commit_minus_old_entry) {
  TestNetwork net(3, [&](Config& config) {
    config.check_quorum = false;
    config.testing_knobs.commit_previous_term_by_count = planted_bug;
  });
  net.Campaign(1);
  net.Isolate(1);
  absl::StatusOr<uint64_t> old_index = net.raw(1).Propose("old-term");  // only on node 1
  ASSERT_TRUE(old_index.ok());
  net.Stabilize();
  net.Restart(1);  // a follower again, with the old entry durable
  net.Heal();
  // Node 1 wins the next term; its new empty entry is stripped from every append, so the
  // followers acknowledge the old-term entry and nothing of the new term.
  const uint64_t old_entry = *old_index;
  net.mutate = [old_entry](Message& message) {
    if (message.type != MessageType::kAppend) return;
    std::erase_if(message.entries, [&](const Entry& entry) { return entry.index > old_entry; });
  };
  const uint64_t term_before = net.raw(1).hard_state().term;
  ASSERT_TRUE(net.raw(1).Campaign().ok());
  net.Stabilize();
  ASSERT_EQ(net.Leader(), 1u);
  ASSERT_GT(net.raw(1).hard_state().term, term_before);
  *commit_minus_old_entry =
      static_cast<int64_t>(net.raw(1).hard_state().commit) - static_cast<int64_t>(old_entry);
}

TEST(RaftReplication, CommitRuleCountsOnlyCurrentTermEntries) {
  int64_t commit_minus_old_entry = 0;
  RunCommitRuleScenario(false, &commit_minus_old_entry);
  EXPECT_EQ(commit_minus_old_entry, -1);  // replicated on all three, still not committed
}

TEST(RaftReplication, PlantedBugCommitsPreviousTermEntryByCount) {
  int64_t commit_minus_old_entry = 0;
  RunCommitRuleScenario(true, &commit_minus_old_entry);
  EXPECT_EQ(commit_minus_old_entry, 0);
}

TEST(RaftReplication, InflightAppendsAreCappedPerFollower) {
  TestNetwork net(3, [](Config& config) {
    config.max_inflight_appends = 2;
    config.max_append_bytes = 1;  // one entry per append
  });
  net.Campaign(1);
  std::map<uint64_t, uint64_t> appends_to;
  net.drop_filter = [&](const Message& message) {
    if (message.type == MessageType::kAppend && !message.entries.empty()) {
      ++appends_to[message.to];
      return true;  // hold every append: nothing is ever acknowledged
    }
    return false;
  };
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(net.raw(1).Propose("data").ok());
  net.Stabilize();
  EXPECT_EQ(appends_to[2], 2u);
  EXPECT_EQ(appends_to[3], 2u);
}

TEST(RaftReplication, AppendMessagesRespectTheByteCap) {
  TestNetwork net(3, [](Config& config) { config.max_append_bytes = 100; });
  net.Campaign(1);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(net.raw(1).Propose(std::string(40, 'x')).ok());
  net.Stabilize();
  for (const Message& message : net.delivered) {
    uint64_t size_bytes = 0;
    for (const Entry& entry : message.entries)
      size_bytes += entry.data.size();
    EXPECT_LE(size_bytes, 100u);
  }
  EXPECT_EQ(AppliedData(net.node(3)).size(), 10u);
}

TEST(RaftReplication, UncommittedBytesCapRefusesProposals) {
  TestNetwork net(3, [](Config& config) { config.max_uncommitted_entry_bytes = 100; });
  net.Campaign(1);
  net.Isolate(1);
  ASSERT_TRUE(net.raw(1).Propose(std::string(60, 'a')).ok());
  absl::StatusOr<uint64_t> refused = net.raw(1).Propose(std::string(60, 'b'));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  net.Heal();
  net.Stabilize();
  net.Tick(2);  // commit frees the budget
  EXPECT_TRUE(net.raw(1).Propose(std::string(60, 'b')).ok());
}

TEST(RaftReplication, LaggingFollowerGetsAChunkedSnapshotAndRetriesACorruptChunk) {
  TestNetwork net(3, [](Config& config) { config.snapshot_chunk_bytes = 8; });
  net.Campaign(1);
  net.Isolate(3);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(net.raw(1).Propose("e" + std::to_string(i)).ok());
  net.Stabilize();
  const std::string image = "state-machine-image-0123456789-abcdefghij";
  const uint64_t applied = net.raw(1).applied_index();
  ASSERT_TRUE(net.node(1).storage.CreateSnapshot(applied, net.raw(1).conf_state(), image).ok());
  bool corrupted = false;
  net.mutate = [&](Message& message) {
    if (message.type == MessageType::kSnapshotChunk && message.snapshot.offset_bytes == 16 &&
        !corrupted) {
      message.snapshot.data[0] ^= 0x1;  // the checksum no longer matches
      corrupted = true;
    }
  };
  net.Heal();
  net.Tick(5);
  ASSERT_TRUE(corrupted);
  EXPECT_EQ(net.node(3).restored_snapshot_data, image);
  EXPECT_EQ(net.node(3).storage.snapshot().meta.index, applied);
  bool saw_reject = false;
  for (const Message& message : net.delivered) {
    saw_reject |= message.type == MessageType::kSnapshotResponse && message.reject;
  }
  EXPECT_TRUE(saw_reject);
  ASSERT_TRUE(net.raw(1).Propose("after").ok());
  net.Stabilize();
  EXPECT_EQ(AppliedData(net.node(3)), std::vector<std::string>{"after"});
}

TEST(RaftReplication, RestartedNodeReappliesFromItsAppliedIndex) {
  TestNetwork net(3);
  net.Campaign(1);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(net.raw(1).Propose("x").ok());
  net.Stabilize();
  net.Restart(2);  // applied index 0: everything committed is handed out again
  net.Tick(2);
  EXPECT_EQ(AppliedData(net.node(2)).size(), 3u);
}

// A new commit index alone is not worth an fsync: a restart that lost it resumes from what the
// application applied (committed by definition) and hands out nothing twice.
TEST(RaftReplication, ACommitAloneIsNotSyncedAndARestartResumesFromTheAppliedIndex) {
  MemoryLogStorage storage = MemoryLogStorage::Bootstrapped(ConfState{{1}, {}});
  Config config;
  config.id = 1;
  std::unique_ptr<RawNode> node = *RawNode::Create(config, &storage);
  ASSERT_TRUE(node->Campaign().ok());
  uint64_t applied = 0;
  bool saw_commit_only_write = false;
  auto drain = [&] {
    while (node->HasReady()) {
      Ready ready = node->GetReady();
      if (ready.write.entries.empty() && ready.write.hard_state.has_value() &&
          !ready.write.snapshot.has_value() &&
          ready.write.hard_state->term == storage.hard_state().term &&
          ready.write.hard_state->vote == storage.hard_state().vote) {
        EXPECT_FALSE(ready.write.must_sync) << "commit " << ready.write.hard_state->commit;
        saw_commit_only_write = true;
      }
      ASSERT_TRUE(storage.Write(ready.write).ok());
      for (const Entry& entry : ready.committed_entries)
        applied = entry.index;
      node->Advance();
    }
  };
  drain();
  ASSERT_TRUE(node->Propose("block").ok());
  drain();
  ASSERT_TRUE(saw_commit_only_write);
  storage.Crash();  // the unsynced commit index is lost
  ASSERT_LT(storage.hard_state().commit, applied);
  config.applied_index = applied;
  absl::StatusOr<std::unique_ptr<RawNode>> restarted = RawNode::Create(config, &storage);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ((*restarted)->applied_index(), applied);
  EXPECT_GE((*restarted)->hard_state().commit, applied);
  // Claiming more than the log holds is still refused.
  config.applied_index = storage.LastIndex() + 1;
  EXPECT_FALSE(RawNode::Create(config, &storage).ok());
}

// Raft thesis 10.2.1: the leader's appends leave before its own copy is written; a follower's
// answer waits for its write, since it acknowledges the entries.
TEST(RaftReplication, TheLeadersAppendsMaySendEarlyAndAFollowersAnswerMayNot) {
  TestNetwork net(3);
  net.Campaign(1);
  ASSERT_TRUE(net.raw(1).Propose("x").ok());
  Ready leader_ready = net.raw(1).GetReady();
  EXPECT_FALSE(leader_ready.write.entries.empty());
  ASSERT_EQ(leader_ready.early_messages.size(), 2u);
  for (const Message& message : leader_ready.early_messages)
    EXPECT_EQ(message.type, MessageType::kAppend);
  for (const Message& message : leader_ready.messages)
    EXPECT_NE(message.type, MessageType::kAppend);
  ASSERT_TRUE(net.node(1).storage.Write(leader_ready.write).ok());
  net.raw(1).Advance();
  ASSERT_TRUE(net.raw(2)
                  .Step(leader_ready.early_messages[0].to == 2 ? leader_ready.early_messages[0]
                                                               : leader_ready.early_messages[1])
                  .ok());
  Ready follower_ready = net.raw(2).GetReady();
  EXPECT_TRUE(follower_ready.early_messages.empty());
  ASSERT_FALSE(follower_ready.messages.empty());
  EXPECT_EQ(follower_ready.messages[0].type, MessageType::kAppendResponse);
  ASSERT_TRUE(net.node(2).storage.Write(follower_ready.write).ok());
  net.raw(2).Advance();
}

// A founding follower back with an empty log (its data dir was lost) on an idle cluster: the
// leader still believes its old match, so only heartbeats can reveal the gap, and they must.
TEST(RaftReplication, AFollowerBackEmptyCatchesUpFromHeartbeatsWithoutNewProposals) {
  TestNetwork net(3);
  net.Campaign(1);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(net.raw(1).Propose("x" + std::to_string(i)).ok());
  net.Stabilize();
  const uint64_t leader_last = net.node(1).storage.LastIndex();
  ASSERT_EQ(net.node(3).storage.LastIndex(), leader_last);
  net.RestartEmpty(3);
  ASSERT_LT(net.node(3).storage.LastIndex(), leader_last);
  net.Tick(3);  // heartbeats only: nothing is proposed
  EXPECT_EQ(net.node(3).storage.LastIndex(), leader_last);
  std::vector<std::string> applied = AppliedData(net.node(3));
  ASSERT_EQ(applied.size(), 5u);
  EXPECT_EQ(applied[4], "x4");
}

// The heartbeat names the leader's term at the commit index it sends; a follower holding a
// different entry there (a log restored from an old copy) must not commit it on the leader's
// word, and answers where its log ends instead.
TEST(RaftReplication, AHeartbeatCommitsOnlyWhatTheFollowerHoldsAsTheLeaderDoes) {
  MemoryLogStorage storage = MemoryLogStorage::Bootstrapped(ConfState{{1, 2, 3}, {}});
  StorageWrite old_copy;
  old_copy.entries.push_back(Entry{.term = 1, .index = 2, .type = EntryType::kNormal, .data = "a"});
  old_copy.hard_state = HardState{2, kNoNode, 1};
  old_copy.must_sync = true;
  ASSERT_TRUE(storage.Write(old_copy).ok());
  Config config;
  config.id = 2;
  std::unique_ptr<RawNode> follower = *RawNode::Create(config, &storage);
  Message heartbeat;
  heartbeat.type = MessageType::kHeartbeat;
  heartbeat.from = 1;
  heartbeat.to = 2;
  heartbeat.term = 2;
  heartbeat.commit = 2;
  heartbeat.log_term = 2;  // the leader's entry 2 is of term 2, not the follower's term 1
  ASSERT_TRUE(follower->Step(heartbeat).ok());
  Ready ready = follower->GetReady();
  EXPECT_TRUE(ready.committed_entries.empty());
  ASSERT_EQ(ready.messages.size(), 1u);
  EXPECT_EQ(ready.messages[0].type, MessageType::kHeartbeatResponse);
  EXPECT_TRUE(ready.messages[0].reject);
  EXPECT_EQ(ready.messages[0].index, 1u);
  ASSERT_TRUE(storage.Write(ready.write).ok());
  follower->Advance();
  EXPECT_EQ(follower->hard_state().commit, 1u);

  heartbeat.log_term = 1;  // the same entry as the leader's: committed
  ASSERT_TRUE(follower->Step(heartbeat).ok());
  ready = follower->GetReady();
  ASSERT_EQ(ready.committed_entries.size(), 1u);
  EXPECT_EQ(ready.committed_entries[0].data, "a");
  ASSERT_EQ(ready.messages.size(), 1u);
  EXPECT_FALSE(ready.messages[0].reject);
}

}  // namespace
}  // namespace tl::raft::testing
