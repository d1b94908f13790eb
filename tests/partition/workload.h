// The clients of a fault test and what they saw: each client sends notes and linearizable reads
// to one node (its own data centre's) and records every request with its answer or time-out as
// a history line for history_checker (tests/history/README.md). After the run, every node's
// chain is dumped in the checker's ledger format and the checker judges both.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "local_network.h"
#include "netns_lab.h"

namespace tl::testing {

struct WorkloadClient {
  int node = 0;        // the node it talks to
  std::string member;  // the member it signs as (one client per member: nonces are per key)
};

class Workload {
 public:
  Workload(const LocalNetwork& network, std::vector<WorkloadClient> clients);
  ~Workload();  // stops the clients
  void Start();
  // Stops the clients and waits for their last requests to be answered or time out.
  void Stop();

  // Each client's submissions acknowledged as committed so far.
  int64_t acknowledged() const { return acknowledged_; }
  int64_t unknown() const { return unknown_; }
  int64_t reads() const { return reads_; }
  void WriteHistory(const std::string& path) const;

 private:
  void Run(size_t client);
  void Record(nlohmann::json operation);

  const LocalNetwork& network_;
  const std::vector<WorkloadClient> clients_;
  std::string chain_id_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> acknowledged_{0}, unknown_{0}, reads_{0};
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::vector<std::string> history_;  // GUARDED_BY(mutex_), JSON lines
};

// The network of `lab`: one node per namespace at its address, all on `port` and port + 1 ... as
// `network init` numbers them (each node has an address of its own, so ports may repeat).
LocalNetworkOptions LabNetworkOptions(const NetnsLab& lab, int port = 7051);
// One client at every node of a five-node network, each signing as a member of its own.
std::vector<WorkloadClient> ClientAtEveryNode(int nodes);

// Node `index`'s chain from height 1 to its head, one JSON line per block, read through its
// client API (tests/history/README.md, "Ledger"). Returns the head height, or -1 on a failed read.
int64_t DumpLedger(const LocalNetwork& network, int index, const std::string& path);

// Runs history_checker on `history` and the nodes' dumps; returns its exit code and summary.
struct CheckerVerdict {
  int exit_code = -1;
  nlohmann::json summary;
  std::string output;  // stdout and stderr, for failure messages
};
CheckerVerdict CheckHistory(const std::string& history, const std::vector<std::string>& ledgers);

}  // namespace tl::testing
