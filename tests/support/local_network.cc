#include "local_network.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace tl::testing {

LocalNetwork::LocalNetwork(int nodes, const std::string& orgs)
    : LocalNetwork(LocalNetworkOptions{
          .nodes = nodes, .orgs = orgs, .hosts = {}, .base_port = 0, .launch_prefix = nullptr}) {}

LocalNetwork::LocalNetwork(const LocalNetworkOptions& options)
    : launch_prefix_(options.launch_prefix) {
  // Ports of consecutive nodes must be free; probe a base whose whole range binds.
  int base_port = options.base_port != 0 ? options.base_port : FreePort();
  std::vector<std::string> command = {BinDir() + "/trialledger",
                                      "network",
                                      "init",
                                      "--out",
                                      dir_.Sub("net"),
                                      "--nodes",
                                      std::to_string(options.nodes),
                                      "--base-port",
                                      std::to_string(base_port),
                                      "-o",
                                      "json"};
  if (!options.orgs.empty()) command.insert(command.end(), {"--orgs", options.orgs});
  if (!options.hosts.empty()) {
    std::string hosts;
    for (const std::string& host : options.hosts)
      hosts += (hosts.empty() ? "" : ",") + host;
    command.insert(command.end(), {"--hosts", hosts});
  }
  CommandResult init = RunCommand(command);
  if (init.exit_code != 0) {
    ADD_FAILURE() << "network init failed: " << init.err;
    return;
  }
  nlohmann::json layout = nlohmann::json::parse(init.out);
  genesis_ = layout["genesis"];
  ca_path_ = layout["tls_ca"];
  ca_pem_ = ReadFile(ca_path_);
  for (const auto& node : layout["nodes"]) {
    names_.push_back(node["name"]);
    configs_.push_back(node["config"]);
    addresses_.push_back(node["address"]);
    peer_addresses_.push_back(node["peer_address"]);
    data_dirs_.push_back(node["data_dir"]);
  }
  for (const auto& member : layout["members"])
    member_keys_[member["name"]] = member["key"];
  reader_ = member_key(kReaderMember).keys;
  processes_.resize(configs_.size());
  clients_.resize(configs_.size());
}

LocalNetwork::~LocalNetwork() {
  for (size_t i = 0; i < processes_.size(); ++i) {
    if (running(static_cast<int>(i))) Stop(static_cast<int>(i));
  }
}

void LocalNetwork::Start(int index, const std::vector<std::string>& extra_args,
                         const std::vector<std::string>& program) {
  std::vector<std::string> argv;
  if (launch_prefix_) argv = launch_prefix_(index);
  if (program.empty()) {
    argv.push_back(BinDir() + "/trialledgerd");
  } else {
    argv.insert(argv.end(), program.begin(), program.end());
  }
  argv.insert(argv.end(), {"--config", configs_[index]});
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  processes_[index] =
      std::make_unique<ChildProcess>(argv, dir_.Sub("node" + std::to_string(index + 1) + ".log"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    // A fresh channel per probe: a channel that failed to connect waits out its backoff.
    clients_[index] = LedgerClient::Connect(addresses_[index], client_options());
    if (clients_[index]->GetStatus().ok()) return;
    if (!processes_[index]->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "node " << index + 1 << " did not come up; log:\n" << log(index);
}

void LocalNetwork::StartAll() {
  for (int i = 0; i < size(); ++i)
    Start(i);
}

void LocalNetwork::SetConfig(int index, const std::string& key, const std::string& value) {
  std::string text = ReadFile(configs_[index]);
  std::string out;
  std::istringstream lines(text);
  bool replaced = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(key + " = ", 0) == 0) {
      line = key + " = " + value;
      replaced = true;
    }
    out += line + "\n";
  }
  if (!replaced) out += key + " = " + value + "\n";
  std::ofstream(configs_[index]) << out;
}

int LocalNetwork::AddNode(const std::string& name) {
  int port = FreePort();
  int peer_port = FreePort();
  while (peer_port == port)
    peer_port = FreePort();
  CommandResult added = RunCommand({BinDir() + "/trialledger", "network", "add-node", "--out",
                                    dir_.Sub("net"), "--name", name, "--port", std::to_string(port),
                                    "--peer-port", std::to_string(peer_port), "-o", "json"});
  if (added.exit_code != 0) {
    ADD_FAILURE() << "network add-node failed: " << added.err;
    return -1;
  }
  nlohmann::json node = nlohmann::json::parse(added.out);
  names_.push_back(node["name"]);
  configs_.push_back(node["config"]);
  addresses_.push_back(node["address"]);
  peer_addresses_.push_back(node["peer_address"]);
  data_dirs_.push_back(node["data_dir"]);
  node_keys_[name] = node["node_key"];
  processes_.emplace_back();
  clients_.emplace_back();
  return size() - 1;
}

int LocalNetwork::AwaitLeader(int except, int timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    int leader = -1;
    bool agreed = true;
    std::string leader_name;
    for (int i = 0; i < size(); ++i) {
      if (i == except || !running(i)) continue;
      absl::StatusOr<v1::GetStatusResponse> status = client(i).GetStatus();
      if (!status.ok()) continue;
      if (status->role() == "leader") leader = i;
      if (leader_name.empty()) leader_name = status->leader();
      if (status->leader().empty() || status->leader() != leader_name) agreed = false;
    }
    if (leader >= 0 && agreed && leader_name == names_[leader]) return leader;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

bool LocalNetwork::AwaitSameHead(const std::vector<int>& indices, int timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    std::set<std::string> heads;
    bool all = true;
    for (int i : indices) {
      absl::StatusOr<v1::GetStatusResponse> status = client(i).GetStatus();
      if (!status.ok()) {
        all = false;
        break;
      }
      heads.insert(status->head_block_hash());
    }
    if (all && heads.size() == 1) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int LocalNetwork::Stop(int index) {
  processes_[index]->Signal(SIGTERM);
  return processes_[index]->Wait();
}

void LocalNetwork::Kill(int index) {
  processes_[index]->Signal(SIGKILL);
  processes_[index]->Wait();
}

void LocalNetwork::Signal(int index, int signal) {
  processes_[index]->Signal(signal);
}

int LocalNetwork::AwaitExit(int index, int timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (processes_[index]->running()) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return processes_[index]->Wait();
}

void LocalNetwork::Pause(int index) {
  processes_[index]->Signal(SIGSTOP);
}

void LocalNetwork::Resume(int index) {
  processes_[index]->Signal(SIGCONT);
}

LedgerClient& LocalNetwork::client(int index) {
  return *clients_[index];
}

std::string LocalNetwork::member_key_path(const std::string& member) const {
  return member_keys_.at(member);
}

KeyFile LocalNetwork::member_key(const std::string& member) const {
  return ReadKeyFile(member_key_path(member)).value();
}

std::string LocalNetwork::log(int index) const {
  return ReadFile(dir_.Sub("node" + std::to_string(index + 1) + ".log"));
}

CommandResult LocalNetwork::Cli(int index, const std::vector<std::string>& args) const {
  std::vector<std::string> argv = CliArgs(index);
  // Reads are signed by a member too: without a --key of the test's own, a sponsor admin's.
  if (std::find(args.begin(), args.end(), "--key") == args.end()) {
    argv.insert(argv.end(), {"--key", member_key_path(kReaderMember)});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

CommandResult LocalNetwork::Verify(int index) const {
  return RunCommand({BinDir() + "/trialledger", "verify", "--data-dir", data_dirs_[index],
                     "--genesis", genesis_, "-o", "json"});
}

CommandResult LocalNetwork::WriteNotes(int index, const std::string& member, int count) const {
  CommandResult result{.exit_code = 0, .out = "", .err = ""};
  for (int i = 0; i < count; ++i) {
    result =
        Cli(index, {"--key", member_key_path(member), "tx", "note", "note " + std::to_string(i)});
    if (result.exit_code != 0) break;
  }
  return result;
}

std::vector<std::string> LocalNetwork::CliArgs(int index) const {
  return {BinDir() + "/trialledger", "--node", addresses_[index], "--ca", ca_path_};
}

}  // namespace tl::testing
