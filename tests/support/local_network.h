// A network of real trialledgerd processes on 127.0.0.1, created with `trialledger network init`
// on free ports, for multi-process tests.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"
#include "test_ledger.h"
#include "trialledger/sdk/client.h"
#include "trialledger/sdk/keyfile.h"

namespace tl::testing {

struct LocalNetworkOptions {
  int nodes = 3;
  // `network init --orgs` (kind:name,...), or "" for its default (a sponsor and a CRO).
  std::string orgs;
  // `network init --hosts`: one address per node; empty for 127.0.0.1.
  std::vector<std::string> hosts;
  int base_port = 0;  // 0: probe for free ports on 127.0.0.1
  // Put before node `index`'s trialledgerd command line (for example `ip netns exec NS`).
  std::function<std::vector<std::string>(int index)> launch_prefix;
};

class LocalNetwork {
 public:
  // The member whose key Cli() signs with when the command gives no --key.
  static constexpr char kReaderMember[] = "acme-bio-admin";

  // `orgs`: `network init --orgs` (kind:name,...), or its default (a sponsor and a CRO).
  explicit LocalNetwork(int nodes, const std::string& orgs = "");
  explicit LocalNetwork(const LocalNetworkOptions& options);
  ~LocalNetwork();

  // Starts node `index` (0-based), with `extra_args` after --config, and waits until it answers
  // GetStatus. `program` replaces trialledgerd (a test's own build of it, with its environment).
  void Start(int index, const std::vector<std::string>& extra_args = {},
             const std::vector<std::string>& program = {});
  void StartAll();
  // Rewrites `key = ...` in node `index`'s node.toml (before it starts).
  void SetConfig(int index, const std::string& key, const std::string& value);
  // A node created later with `network add-node` (not yet started); returns its index.
  int AddNode(const std::string& name);
  int size() const { return static_cast<int>(configs_.size()); }
  const std::string& name(int index) const { return names_[index]; }
  // Waits until a running node reports itself leader and the others agree; returns its index,
  // or -1 on timeout. `except` is skipped (a node known to be down or removed).
  int AwaitLeader(int except = -1, int timeout_s = 30);
  // Waits until every running node in `indices` applied up to the same height as node `of`.
  bool AwaitSameHead(const std::vector<int>& indices, int timeout_s = 60);
  // SIGTERM and wait; returns the exit status.
  int Stop(int index);
  void Kill(int index);
  // SIGSTOP and SIGCONT: a node that is alive but answers nobody (a hung machine).
  void Signal(int index, int signal);
  // Waits up to `timeout_s` for node `index` to exit on its own; its exit status, or -1.
  int AwaitExit(int index, int timeout_s);
  void Pause(int index);
  void Resume(int index);
  bool running(int index) { return processes_[index] && processes_[index]->running(); }

  LedgerClient& client(int index);
  KeyFile member_key(const std::string& member) const;
  std::string member_key_path(const std::string& member) const;
  std::string node_key_path(const std::string& node) const { return node_keys_.at(node); }
  const std::string& address(int index) const { return addresses_[index]; }
  const std::string& peer_address(int index) const { return peer_addresses_[index]; }
  const std::string& config_path(int index) const { return configs_[index]; }
  const std::string& data_dir(int index) const { return data_dirs_[index]; }
  const std::string& genesis_path() const { return genesis_; }
  const std::string& dir() const { return dir_.path(); }
  std::string log(int index) const;
  // Runs the CLI with --node set to node `index` (and --ca to the network's CA).
  CommandResult Cli(int index, const std::vector<std::string>& args) const;
  // `trialledger verify` of node `index`'s data dir (the node stopped) against the genesis.
  CommandResult Verify(int index) const;
  // Submits `count` notes signed by `member` through node `index` with the CLI, each waited for
  // until committed; returns the first failure, or the last success.
  CommandResult WriteNotes(int index, const std::string& member, int count) const;
  // The CLI and its connection flags for node `index`, to append a command to.
  std::vector<std::string> CliArgs(int index) const;
  // How a client reaches the nodes: TLS against the network CA, requests signed as kReaderMember.
  ClientOptions client_options(int64_t deadline_ms = 30000) const {
    return ClientOptions{
        .ca_certificate_pem = ca_pem_, .deadline_ms = deadline_ms, .member = reader_};
  }
  const std::string& ca_path() const { return ca_path_; }

 private:
  TempDir dir_;
  std::string genesis_;
  std::string ca_path_, ca_pem_;
  std::optional<KeyPair> reader_;
  std::vector<std::string> configs_, addresses_, data_dirs_, names_, peer_addresses_;
  std::map<std::string, std::string> member_keys_;
  std::map<std::string, std::string> node_keys_;  // of nodes added later
  std::vector<std::unique_ptr<ChildProcess>> processes_;
  std::vector<std::unique_ptr<LedgerClient>> clients_;
  std::function<std::vector<std::string>(int index)> launch_prefix_;
};

}  // namespace tl::testing
