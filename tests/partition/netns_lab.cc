#include "netns_lab.h"

#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "process.h"
#include "trialledger/base/str_cat.h"

namespace tl::testing {
namespace {

constexpr char kSubnet[] = "10.231.0.";
constexpr char kBridge[] = "tlbr0";
// Debian's iproute2 and iptables; RunCommand takes a path, not a name to look up.
constexpr char kIp[] = "/usr/sbin/ip";
constexpr char kIptables[] = "/usr/sbin/iptables";

absl::Status& MutablePrivateNetworkStatus() {
  static absl::Status status = absl::FailedPreconditionError("EnterPrivateNetwork was not called");
  return status;
}

std::string Joined(const std::vector<std::string>& command) {
  std::string text;
  for (const std::string& word : command)
    text += (text.empty() ? "" : " ") + word;
  return text;
}

absl::Status Run(const std::vector<std::string>& command) {
  CommandResult result = RunCommand(command);
  if (result.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(
      StrCat("`", Joined(command), "` failed (exit ", result.exit_code, "): ", result.err));
}

}  // namespace

absl::Status EnterPrivateNetwork() {
  absl::Status& status = MutablePrivateNetworkStatus();
  if (geteuid() != 0) {
    status = absl::PermissionDeniedError("network namespaces need root; this test runs as a user");
  } else if (::unshare(CLONE_NEWNET) != 0) {
    status = absl::UnavailableError(
        StrCat("cannot create a network namespace: unshare(CLONE_NEWNET): ", std::strerror(errno)));
  } else {
    status = Run({kIp, "link", "set", "lo", "up"});
  }
  return status;
}

const absl::Status& PrivateNetworkStatus() {
  return MutablePrivateNetworkStatus();
}

absl::StatusOr<std::unique_ptr<NetnsLab>> NetnsLab::Create(int nodes) {
  if (!PrivateNetworkStatus().ok()) return PrivateNetworkStatus();
  std::unique_ptr<NetnsLab> lab(new NetnsLab(StrCat("tl", getpid(), "n")));
  for (const auto& command : std::vector<std::vector<std::string>>{
           {kIp, "link", "add", kBridge, "type", "bridge"},
           {kIp, "addr", "add", StrCat(kSubnet, "254/24"), "dev", kBridge},
           {kIp, "link", "set", kBridge, "up"}}) {
    if (absl::Status done = Run(command); !done.ok()) return done;
  }
  for (int i = 0; i < nodes; ++i) {
    const std::string ns = StrCat(lab->prefix_, i + 1);
    const std::string veth = StrCat("tlv", i + 1);
    if (absl::Status added = Run({kIp, "netns", "add", ns}); !added.ok()) return added;
    lab->namespaces_.push_back(ns);
    for (const auto& command : std::vector<std::vector<std::string>>{
             {kIp, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns},
             {kIp, "link", "set", veth, "master", kBridge, "up"},
             {kIp, "-n", ns, "addr", "add", StrCat(kSubnet, i + 1, "/24"), "dev", "eth0"},
             {kIp, "-n", ns, "link", "set", "eth0", "up"},
             {kIp, "-n", ns, "link", "set", "lo", "up"},
             // The rule set is checked now, so a machine without iptables fails here.
             {kIp, "netns", "exec", ns, kIptables, "-F", "INPUT"}}) {
      if (absl::Status done = Run(command); !done.ok()) return done;
    }
  }
  return lab;
}

NetnsLab::~NetnsLab() {
  for (const std::string& ns : namespaces_)
    (void)Run({kIp, "netns", "del", ns});
  (void)Run({kIp, "link", "del", kBridge});
}

std::string NetnsLab::address(int node) const {
  return StrCat(kSubnet, node + 1);
}

std::vector<std::string> NetnsLab::LaunchPrefix(int node) const {
  return {kIp, "netns", "exec", namespaces_[node]};
}

void NetnsLab::InNamespace(int node, const std::vector<std::string>& command) {
  std::vector<std::string> full = LaunchPrefix(node);
  full.insert(full.end(), command.begin(), command.end());
  absl::Status done = Run(full);
  ASSERT_TRUE(done.ok()) << done;
}

void NetnsLab::Cut(int a, int b) {
  InNamespace(a, {kIptables, "-A", "INPUT", "-s", address(b), "-j", "DROP"});
  InNamespace(b, {kIptables, "-A", "INPUT", "-s", address(a), "-j", "DROP"});
  faults_ += StrCat(faults_.empty() ? "" : "; ", "cut ", a + 1, "-", b + 1);
}

void NetnsLab::Isolate(const std::set<int>& side) {
  for (int a : side) {
    for (int b = 0; b < size(); ++b) {
      if (!side.contains(b)) Cut(a, b);
    }
  }
}

void NetnsLab::LoseOneWay(int from, int to, int percent) {
  ASSERT_TRUE(percent >= 1 && percent <= 99) << "a loss is 1 to 99 %, not " << percent;
  InNamespace(to,
              {kIptables, "-A", "INPUT", "-s", address(from), "-m", "statistic", "--mode", "random",
               "--probability", StrCat("0.", percent < 10 ? "0" : "", percent), "-j", "DROP"});
  faults_ +=
      StrCat(faults_.empty() ? "" : "; ", "loss ", from + 1, "->", to + 1, " ", percent, "%");
}

void NetnsLab::Heal() {
  for (int i = 0; i < size(); ++i)
    InNamespace(i, {kIptables, "-F", "INPUT"});
  faults_.clear();
}

}  // namespace tl::testing
