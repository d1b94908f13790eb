// A network lab for fault tests with real processes: each node in a Linux network namespace of
// its own, joined by a veth pair to a bridge in the test process's own namespace, so that links
// between nodes can be cut (iptables DROP), made lossy one way (iptables statistic) or flapped,
// while the test's clients still reach every node over the bridge.
//
// Nothing touches the machine's own network: the test process moves itself into a fresh
// namespace first (EnterPrivateNetwork, before any thread starts), which holds the bridge; the
// node namespaces are named after the test's pid and removed at the end.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <memory>

#include "absl/status/statusor.h"

namespace tl::testing {

// Moves this process into a new network namespace. Call it from main() before anything starts
// a thread (a namespace is per thread). OK, or why not (not root, no namespaces).
absl::Status EnterPrivateNetwork();
// The outcome of EnterPrivateNetwork, for tests to skip with.
const absl::Status& PrivateNetworkStatus();

class NetnsLab {
 public:
  // A lab of `nodes` namespaces with addresses 10.231.0.1 .. 10.231.0.N and the bridge at
  // 10.231.0.254. Fails, naming the command, when a namespace, link or rule cannot be made.
  static absl::StatusOr<std::unique_ptr<NetnsLab>> Create(int nodes);
  ~NetnsLab();
  NetnsLab(const NetnsLab&) = delete;
  NetnsLab& operator=(const NetnsLab&) = delete;

  int size() const { return static_cast<int>(namespaces_.size()); }
  std::string address(int node) const;
  // `ip netns exec NS`: what runs node `node`'s process inside its namespace.
  std::vector<std::string> LaunchPrefix(int node) const;

  // Cuts the link between `a` and `b` both ways (peer traffic only: clients keep their node).
  void Cut(int a, int b);
  // Cuts every link between a node of `side` and one outside it.
  void Isolate(const std::set<int>& side);
  // Drops `percent` % of the packets from `from` to `to`, at random; the other way is intact.
  void LoseOneWay(int from, int to, int percent);
  // Removes every cut and every loss.
  void Heal();
  // The faults now in place, for logs ("cut 1-3; loss 2->1 30%").
  const std::string& faults() const { return faults_; }

 private:
  explicit NetnsLab(std::string prefix) : prefix_(std::move(prefix)) {}
  void InNamespace(int node, const std::vector<std::string>& command);

  const std::string prefix_;
  std::vector<std::string> namespaces_;
  std::string faults_;
};

}  // namespace tl::testing
