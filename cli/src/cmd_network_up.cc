// `network up|down|status DIR`: the nodes of a `network init` folder as background processes on
// this machine, each with its log (nodes/<node>/node.log) and pid file (nodes/<node>/node.pid).
// `up` waits until every node answers and a leader is elected, then submits the spec's auditor
// grants the ledger does not hold yet (grants.toml); `down` stops each node with SIGTERM and says
// which did not stop.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "commands.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/node/config.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/network_client.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How long `up` waits for a node to answer and for a leader, and `down` for a node to exit.
constexpr std::chrono::seconds kNodeStartWait(20);
constexpr std::chrono::seconds kLeaderWait(30);
constexpr std::chrono::seconds kNodeStopWait(20);

struct LocalNode {
  std::string name, config, address, log, pid_file;
};

std::vector<LocalNode> NodesOf(const std::string& dir) {
  std::vector<LocalNode> nodes;
  std::error_code error;
  const fs::path root = fs::path(dir) / "nodes";
  if (!fs::is_directory(root, error)) {
    throw CommandError{StrCat(dir,
                              " holds no nodes/ folder: give a folder `network init --out` "
                              "wrote")};
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(root, error)) {
    const fs::path config = entry.path() / "node.toml";
    if (!fs::exists(config)) continue;
    node::NodeConfig read = Context::Check(node::ReadNodeConfig(config.string()));
    nodes.push_back({read.name, fs::absolute(config).string(), read.listen_address,
                     (entry.path() / "node.log").string(), (entry.path() / "node.pid").string()});
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const LocalNode& a, const LocalNode& b) { return a.name < b.name; });
  if (nodes.empty()) throw CommandError{StrCat(root.string(), " holds no node.toml")};
  return nodes;
}

// The pid in the node's pid file if that process is alive and is this node's trialledgerd.
pid_t RunningPid(const LocalNode& node) {
  std::ifstream in(node.pid_file);
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0 || ::kill(pid, 0) != 0) return 0;
  std::ifstream cmdline(StrCat("/proc/", pid, "/cmdline"));
  std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  return args.find(node.config) != std::string::npos ? pid : 0;
}

// trialledgerd beside this binary (a build or an install puts them together).
std::string DaemonPath() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  const fs::path beside = self.parent_path() / "trialledgerd";
  if (!error && fs::exists(beside)) return beside.string();
  throw CommandError{StrCat("trialledgerd is not beside ", self.string(), "; build it first")};
}

pid_t StartNode(const LocalNode& node, const std::string& daemon) {
  const int log = ::open(node.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw CommandError{StrCat("cannot open ", node.log, ": ", std::strerror(errno))};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();  // out of this terminal's process group: Ctrl-C here does not stop the node
    ::dup2(log, 1);
    ::dup2(log, 2);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::execl(daemon.c_str(), daemon.c_str(), "--config", node.config.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(log);
  if (pid < 0) throw CommandError{StrCat("cannot start ", node.name, ": fork failed")};
  const std::string pid_text = StrCat(pid, "\n");
  std::error_code ignored;
  fs::remove(node.pid_file, ignored);
  Context::Check(WriteNewFile(node.pid_file, pid_text, 0644));
  return pid;
}

std::string LogTail(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return "";
  return text->size() > 2000 ? text->substr(text->size() - 2000) : *text;
}

ClientOptions ClientFor(const std::string& dir, const std::optional<KeyPair>& member) {
  ClientOptions options;
  options.ca_certificate_pem =
      Context::Check(ReadWholeFile((fs::path(dir) / "tls" / "ca.crt").string()));
  options.deadline_ms = 2000;
  options.member = member;
  return options;
}

// Submits each grant of DIR/grants.toml the ledger does not hold yet; returns how many it made.
int ApplyGrants(const std::string& dir, const std::vector<LocalNode>& nodes) {
  const std::string path = (fs::path(dir) / "grants.toml").string();
  if (!fs::exists(path)) return 0;
  toml::table root = Context::Check(ParseToml(Context::Check(ReadWholeFile(path)), path));
  int made = 0;
  std::vector<std::string> addresses;
  for (const LocalNode& node : nodes)
    addresses.push_back(node.address);
  Context::Check(ForEachTable(root, "grants", path, [&](const toml::table& t, size_t i) {
    TableReader reader(t, path, StrCat("grants[", i, "]"));
    const std::string auditor = reader.String("auditor"), book = reader.String("book"),
                      signer_key = reader.String("signer_key");
    if (!reader.status().ok()) return reader.status();
    KeyFile key = Context::Check(ReadKeyFile((fs::path(dir) / signer_key).string()));
    NetworkOptions options;
    options.client = ClientFor(dir, key.keys);
    options.client.deadline_ms = 30000;
    std::unique_ptr<NetworkClient> network =
        Context::Check(NetworkClient::Connect(addresses, options));
    v1::ListGrantsRequest request;
    request.set_book(book);
    v1::ListGrantsResponse held = Context::Check(network->Call<v1::ListGrantsResponse>(
        [&](LedgerClient& node) { return node.ListGrants(request); }));
    for (const v1::AccessGrantRecord& grant : held.grants()) {
      if (grant.auditor_org() == auditor) return absl::OkStatus();
    }
    v1::SubmitTransactionResponse response =
        Context::Check(network->SignAndSubmit(key.keys, [&](v1::TxBody& body) {
          body.mutable_grant_access()->set_auditor_org(auditor);
        }));
    if (response.status() != v1::TX_STATUS_COMMITTED) {
      return absl::FailedPreconditionError(StrCat(path, ": grants[", i, "]: ", auditor, " on book ",
                                                  book,
                                                  " was rejected: ", response.result().message()));
    }
    ++made;
    return absl::OkStatus();
  }));
  return made;
}

void Up(Context& context, const std::string& dir) {
  const std::vector<LocalNode> nodes = NodesOf(dir);
  const std::string daemon = DaemonPath();
  std::map<std::string, pid_t> started;
  Json rows = Json::array();
  for (const LocalNode& node : nodes) {
    pid_t pid = RunningPid(node);
    const bool already = pid != 0;
    if (!already) pid = StartNode(node, daemon);
    started[node.name] = already ? 0 : pid;
    rows.push_back(Json{{"node", node.name},
                        {"pid", pid},
                        {"address", node.address},
                        {"state", already ? "already running" : "started"},
                        {"log", node.log}});
  }
  // Every node answers, or the first that died says why.
  for (const LocalNode& node : nodes) {
    const Clock::time_point give_up = Clock::now() + kNodeStartWait;
    absl::Status answer;
    // A new channel each try: one made before the node listened can stay failed past its start.
    while (!(answer = LedgerClient::Connect(node.address, ClientFor(dir, std::nullopt))
                          ->GetStatus()
                          .status())
                .ok()) {
      int status = 0;
      if (started[node.name] != 0 && ::waitpid(started[node.name], &status, WNOHANG) > 0) {
        throw CommandError{StrCat("node ", node.name, " exited at start; the end of ", node.log,
                                  ":\n", LogTail(node.log))};
      }
      if (Clock::now() > give_up) {
        throw CommandError{StrCat("node ", node.name, " does not answer on ", node.address,
                                  " after ", kNodeStartWait.count(), " s (", answer.message(),
                                  "); see ", node.log)};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  std::unique_ptr<LedgerClient> first =
      LedgerClient::Connect(nodes[0].address, ClientFor(dir, std::nullopt));
  std::string leader;
  const Clock::time_point give_up = Clock::now() + kLeaderWait;
  while (leader.empty()) {
    absl::StatusOr<v1::GetStatusResponse> status = first->GetStatus();
    if (status.ok()) leader = status->leader();
    if (!leader.empty()) break;
    if (Clock::now() > give_up) {
      throw CommandError{StrCat("the nodes elected no leader within ", kLeaderWait.count(),
                                " s; see the node logs")};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const int grants = ApplyGrants(dir, nodes);
  if (context.format() == OutputFormat::kJson) {
    Print(Json{{"nodes", rows}, {"leader", leader}, {"grants_made", grants}}, context.format());
    return;
  }
  Print(rows, context.format());
  std::printf("network up: %zu nodes answer; %s leads%s\n", nodes.size(), leader.c_str(),
              grants > 0 ? StrCat("; ", grants, " auditor grant(s) submitted").c_str() : "");
}

void Down(Context& context, const std::string& dir) {
  Json rows = Json::array();
  std::vector<std::string> stuck;
  std::vector<std::pair<LocalNode, pid_t>> stopping;
  for (const LocalNode& node : NodesOf(dir)) {
    const pid_t pid = RunningPid(node);
    if (pid == 0) {
      rows.push_back(Json{{"node", node.name}, {"state", "not running"}});
      continue;
    }
    ::kill(pid, SIGTERM);
    stopping.emplace_back(node, pid);
  }
  for (const auto& [node, pid] : stopping) {
    const Clock::time_point give_up = Clock::now() + kNodeStopWait;
    while (::kill(pid, 0) == 0 && Clock::now() < give_up) {
      ::waitpid(pid, nullptr, WNOHANG);  // reaps it if `up` ran in this process
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const bool stopped = ::kill(pid, 0) != 0;
    if (stopped) {
      std::error_code ignored;
      fs::remove(node.pid_file, ignored);
    } else {
      stuck.push_back(StrCat(node.name, " (pid ", pid, ")"));
    }
    rows.push_back(
        Json{{"node", node.name}, {"pid", pid}, {"state", stopped ? "stopped" : "still running"}});
  }
  Print(rows, context.format());
  if (!stuck.empty()) {
    std::string list;
    for (const std::string& name : stuck)
      list += StrCat(list.empty() ? "" : ", ", name);
    throw CommandError{StrCat("did not stop within ", kNodeStopWait.count(),
                              " s of SIGTERM: ", list, "; see their node.log")};
  }
}

void Status(Context& context, const std::string& dir) {
  Json rows = Json::array();
  for (const LocalNode& node : NodesOf(dir)) {
    const pid_t pid = RunningPid(node);
    Json row{{"node", node.name}, {"pid", pid}, {"address", node.address}};
    absl::StatusOr<v1::GetStatusResponse> status =
        LedgerClient::Connect(node.address, ClientFor(dir, std::nullopt))->GetStatus();
    row["process"] = pid != 0 ? "running" : "not running";
    row["role"] = status.ok() ? status->role() : "";
    row["height"] = status.ok() ? status->height() : 0;
    row["leader"] = status.ok() ? status->leader() : "";
    row["answer"] = status.ok() ? "ok" : std::string(status.status().message());
    rows.push_back(std::move(row));
  }
  Print(rows, context.format());
}

}  // namespace

void AddNetworkProcessCommands(CLI::App& network, Context& context) {
  auto dir = std::make_shared<std::string>();
  CLI::App* up = network.add_subcommand(
      "up", "Start the nodes of a `network init` folder in the background and wait for a leader");
  up->add_option("dir", *dir, "the folder `network init --out` wrote")->required();
  up->footer("Example:\n  trialledger network up net    # logs in net/nodes/<node>/node.log");
  up->callback([&context, dir] { Up(context, *dir); });

  CLI::App* down =
      network.add_subcommand("down", "Stop the nodes `network up` started (SIGTERM, then wait)");
  down->add_option("dir", *dir, "the folder `network init --out` wrote")->required();
  down->footer("Example:\n  trialledger network down net");
  down->callback([&context, dir] { Down(context, *dir); });

  CLI::App* status = network.add_subcommand(
      "status", "Each local node: its process, Raft role, height and the leader it sees");
  status->add_option("dir", *dir, "the folder `network init --out` wrote")->required();
  status->footer("Example:\n  trialledger network status net -o json");
  status->callback([&context, dir] { Status(context, *dir); });
}

}  // namespace tl::cli
