// Partitions between five real nodes, each in a network namespace of its own: the leader cut
// off, a follower cut off, a majority and a minority, a bridge (one node sees both halves), loss
// one way, links that flap. Under each, a client at every node keeps sending notes and
// linearizable reads; afterwards the links heal and history_checker must find every
// acknowledged note committed exactly once, no read behind a write acknowledged before it
// began, and every node with the same chain and state, which `trialledger verify` re-applies.
//
// TL_PARTITION_SECONDS sets how long each fault lasts (tests/partition/run --minutes N).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "netns_lab.h"
#include "workload.h"

namespace tl::testing {
namespace {

constexpr int kNodes = 5;

std::chrono::seconds FaultSeconds() {
  const char* seconds = std::getenv("TL_PARTITION_SECONDS");
  return std::chrono::seconds(seconds != nullptr ? std::max(1, std::atoi(seconds)) : 8);
}

void Sleep(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

class PartitionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PrivateNetworkStatus().ok()) {
      GTEST_SKIP() << "partition tests need their own network namespaces: "
                   << PrivateNetworkStatus();
    }
    absl::StatusOr<std::unique_ptr<NetnsLab>> lab = NetnsLab::Create(kNodes);
    ASSERT_TRUE(lab.ok()) << lab.status();
    lab_ = *std::move(lab);
    network_ = std::make_unique<LocalNetwork>(LabNetworkOptions(*lab_));
    network_->StartAll();
    ASSERT_GE(network_->AwaitLeader(), 0);
    workload_ = std::make_unique<Workload>(*network_, ClientAtEveryNode(kNodes));
  }

  // Runs the load, lets `inject` put faults in place for FaultSeconds() (it may change them as it
  // goes: it is called with the leader and the time left), heals, and checks everything.
  void RunUnderFault(const std::function<void(int leader)>& inject) {
    workload_->Start();
    Sleep(std::chrono::seconds(2));
    const int leader = network_->AwaitLeader();
    ASSERT_GE(leader, 0);
    const int64_t before = workload_->acknowledged();
    ASSERT_GT(before, 0) << "no note was acknowledged before the fault";
    inject(leader);
    const int64_t during = workload_->acknowledged() - before;
    lab_->Heal();
    Sleep(std::chrono::seconds(3));
    workload_->Stop();
    // A majority kept a quorum through every fault here, so the cluster went on committing.
    EXPECT_GT(during, 0) << "nothing was acknowledged while the fault lasted";
    std::vector<int> all;
    for (int i = 0; i < kNodes; ++i)
      all.push_back(i);
    ASSERT_TRUE(network_->AwaitSameHead(all, 60)) << "the nodes did not converge after healing";
    CheckHistoryAndChains();
  }

  void CheckHistoryAndChains() {
    const std::string history = network_->dir() + "/history.jsonl";
    workload_->WriteHistory(history);
    std::vector<std::string> ledgers;
    std::string state_hash;
    for (int i = 0; i < kNodes; ++i) {
      ledgers.push_back(network_->dir() + "/" + network_->name(i) + ".jsonl");
      ASSERT_GT(DumpLedger(*network_, i, ledgers.back()), 0) << network_->name(i);
      // Books are part of the state: one state hash means the same books on every node.
      absl::StatusOr<v1::GetStatusResponse> status = network_->client(i).GetStatus();
      ASSERT_TRUE(status.ok()) << status.status();
      if (i == 0) state_hash = status->state_hash();
      EXPECT_EQ(status->state_hash(), state_hash) << network_->name(i) << "'s state differs";
    }
    CheckerVerdict verdict = CheckHistory(history, ledgers);
    ASSERT_EQ(verdict.exit_code, 0) << verdict.output;
    EXPECT_EQ(verdict.summary["anomalies"], 0) << verdict.output;
    EXPECT_GT(verdict.summary["transactions_acknowledged"].get<int64_t>(), 0);
    EXPECT_GT(verdict.summary["reads_checked"].get<int64_t>(), 0);
    std::cout << "[ summary  ] " << lab_faults_ << ": " << verdict.summary.dump() << "\n";
    for (int i = 0; i < kNodes; ++i)
      ASSERT_EQ(network_->Stop(i), 0) << network_->log(i);
    for (int i = 0; i < kNodes; ++i) {
      CommandResult verify = network_->Verify(i);
      EXPECT_EQ(verify.exit_code, 0) << network_->name(i) << ": " << verify.err << verify.out;
    }
  }

  // Holds the faults for FaultSeconds(), remembering them for the summary.
  void Hold() {
    lab_faults_ = lab_->faults();
    Sleep(FaultSeconds());
  }

  // A node other than `leader`, counted from it.
  static int Other(int leader, int offset) { return (leader + offset) % kNodes; }

  std::unique_ptr<NetnsLab> lab_;  // outlives the network: nodes stop before their namespaces go
  std::unique_ptr<LocalNetwork> network_;
  std::unique_ptr<Workload> workload_;
  std::string lab_faults_;
};

TEST_F(PartitionTest, TheLeaderCutOff) {
  RunUnderFault([&](int leader) {
    lab_->Isolate({leader});
    Hold();
  });
}

TEST_F(PartitionTest, AFollowerCutOff) {
  RunUnderFault([&](int leader) {
    lab_->Isolate({Other(leader, 1)});
    Hold();
  });
}

TEST_F(PartitionTest, TheLeaderInAMinorityOfTwo) {
  RunUnderFault([&](int leader) {
    lab_->Isolate({leader, Other(leader, 1)});
    Hold();
  });
}

TEST_F(PartitionTest, ABridgeNodeSeesBothHalves) {
  // {leader, a} and {b, c} cannot reach each other; the bridge reaches all four.
  RunUnderFault([&](int leader) {
    const int a = Other(leader, 1), bridge = Other(leader, 2), b = Other(leader, 3),
              c = Other(leader, 4);
    (void)bridge;
    for (int left : {leader, a}) {
      for (int right : {b, c})
        lab_->Cut(left, right);
    }
    Hold();
  });
}

TEST_F(PartitionTest, LossOneWayFromTheLeader) {
  RunUnderFault([&](int leader) {
    for (int offset = 1; offset < kNodes; ++offset)
      lab_->LoseOneWay(leader, Other(leader, offset), 40);
    Hold();
  });
}

TEST_F(PartitionTest, LinksThatFlap) {
  // Every second another node is cut off, then the links come back, for FaultSeconds().
  RunUnderFault([&](int leader) {
    const auto end = std::chrono::steady_clock::now() + FaultSeconds();
    int round = 0;
    lab_faults_ = "flapping: each node cut off in turn for 1 s, 1 s apart";
    while (std::chrono::steady_clock::now() < end) {
      lab_->Isolate({Other(leader, round++)});
      Sleep(std::chrono::seconds(1));
      lab_->Heal();
      Sleep(std::chrono::seconds(1));
    }
  });
}

}  // namespace
}  // namespace tl::testing
