// The soak: five real nodes in network namespaces under a client at every node (notes and
// linearizable reads), with a seeded random schedule of faults for TL_SOAK_SECONDS: kill -9 of a
// node and its restart, a node or a minority of two cut off and healed, and halfway through one
// membership change (node5 removed). At the end every link heals, every node still a member
// runs, and history_checker judges what the clients saw against every member's chain. The
// summary line gives transactions acknowledged, faults injected and anomalies (must be 0).
//
// tests/soak/run --minutes N runs it for N minutes; TL_SOAK_SEED picks the schedule.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "netns_lab.h"
#include "workload.h"

namespace tl::testing {
namespace {

constexpr int kNodes = 5;
constexpr int kRemoved = 4;  // node5, an acme-bio node, removed halfway

int64_t EnvOr(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoll(value) : fallback;
}

TEST(Soak, FaultsAtRandomLoseNothingAndLeaveEveryNodeTheSame) {
  if (!PrivateNetworkStatus().ok()) {
    GTEST_SKIP() << "the soak needs its own network namespaces: " << PrivateNetworkStatus();
  }
  const auto duration = std::chrono::seconds(EnvOr("TL_SOAK_SECONDS", 60));
  const uint64_t seed = static_cast<uint64_t>(EnvOr("TL_SOAK_SEED", 1));
  std::mt19937_64 random(seed);
  absl::StatusOr<std::unique_ptr<NetnsLab>> made = NetnsLab::Create(kNodes);
  ASSERT_TRUE(made.ok()) << made.status();
  std::unique_ptr<NetnsLab> lab = *std::move(made);
  LocalNetwork network(LabNetworkOptions(*lab));
  network.StartAll();
  ASSERT_GE(network.AwaitLeader(), 0);
  Workload workload(network, ClientAtEveryNode(kNodes));
  workload.Start();

  std::map<std::string, int> faults;
  bool removed = false;
  const auto start = std::chrono::steady_clock::now();
  auto pick = [&](int below) { return static_cast<int>(random() % static_cast<uint64_t>(below)); };
  auto members_now = [&] {
    std::vector<int> nodes;
    for (int i = 0; i < kNodes; ++i) {
      if (!(removed && i == kRemoved)) nodes.push_back(i);
    }
    return nodes;
  };
  while (std::chrono::steady_clock::now() - start < duration) {
    if (!removed && std::chrono::steady_clock::now() - start > duration / 2) {
      const int via = network.AwaitLeader(-1, 30);
      ASSERT_GE(via, 0);
      CommandResult removal = network.Cli(
          via, {"--key", network.member_key_path("acme-bio-admin"), "cluster", "remove", "node5"});
      ASSERT_EQ(removal.exit_code, 0) << removal.err << removal.out;
      removed = true;
      ++faults["membership_change"];
      std::this_thread::sleep_for(std::chrono::seconds(2));
      continue;
    }
    const std::vector<int> nodes = members_now();
    const int victim = nodes[pick(static_cast<int>(nodes.size()))];
    const auto hold = std::chrono::milliseconds(1000 + pick(3000));
    switch (pick(3)) {
      case 0:
        network.Kill(victim);
        ++faults["kill_9"];
        std::this_thread::sleep_for(hold);
        network.Start(victim);
        ++faults["restart"];
        break;
      case 1:
        lab->Isolate({victim});
        ++faults["node_cut_off"];
        std::this_thread::sleep_for(hold);
        lab->Heal();
        break;
      default: {
        const int other = nodes[(std::find(nodes.begin(), nodes.end(), victim) - nodes.begin() + 1 +
                                 pick(static_cast<int>(nodes.size()) - 1)) %
                                nodes.size()];
        lab->Isolate({victim, other});
        ++faults["minority_cut_off"];
        std::this_thread::sleep_for(hold);
        lab->Heal();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500 + pick(1500)));
  }
  lab->Heal();
  const std::vector<int> nodes = members_now();
  ASSERT_TRUE(network.AwaitSameHead(nodes, 90)) << "the members did not converge";
  std::this_thread::sleep_for(std::chrono::seconds(2));
  workload.Stop();
  ASSERT_TRUE(network.AwaitSameHead(nodes, 60));

  const std::string history = network.dir() + "/history.jsonl";
  workload.WriteHistory(history);
  std::vector<std::string> ledgers;
  for (int i : nodes) {
    ledgers.push_back(network.dir() + "/" + network.name(i) + ".jsonl");
    ASSERT_GT(DumpLedger(network, i, ledgers.back()), 0) << network.name(i);
  }
  CheckerVerdict verdict = CheckHistory(history, ledgers);
  int64_t injected = 0;
  nlohmann::json fault_counts = nlohmann::json::object();
  for (const auto& [kind, count] : faults) {
    fault_counts[kind] = count;
    if (kind != "restart") injected += count;
  }
  nlohmann::json summary = {
      {"seed", seed},
      {"seconds", duration.count()},
      {"transactions_acknowledged", verdict.summary.value("transactions_acknowledged", -1)},
      {"transactions_unknown", verdict.summary.value("transactions_unknown", -1)},
      {"transactions_refused", verdict.summary.value("transactions_refused", -1)},
      {"reads_checked", verdict.summary.value("reads_checked", -1)},
      {"height", verdict.summary.value("reference_height", -1)},
      {"faults_injected", injected},
      {"faults", fault_counts},
      {"anomalies", verdict.summary.value("anomalies", -1)}};
  std::cout << "[ soak     ] " << summary.dump() << "\n";
  ASSERT_EQ(verdict.exit_code, 0) << verdict.output;
  EXPECT_EQ(verdict.summary["anomalies"], 0) << verdict.output;
  EXPECT_GT(verdict.summary["transactions_acknowledged"].get<int64_t>(), 0);
  EXPECT_EQ(faults["membership_change"], 1);
  for (int i = 0; i < kNodes; ++i) {
    if (network.running(i)) {
      ASSERT_EQ(network.Stop(i), 0) << network.log(i);
    }
  }
  for (int i : nodes) {
    CommandResult verify = network.Verify(i);
    EXPECT_EQ(verify.exit_code, 0) << network.name(i) << ": " << verify.err << verify.out;
  }
}

}  // namespace
}  // namespace tl::testing
