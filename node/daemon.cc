// trialledgerd's life (daemon.h).
#include "daemon.h"

#include <csignal>
#include <cstdio>
#include <optional>

#include <CLI/CLI.hpp>

#include "trialledger/ledger/acknowledged_mark.h"
#include "trialledger/node/config.h"
#include "trialledger/node/log.h"
#include "trialledger/node/metrics_server.h"
#include "trialledger/node/node.h"
#include "trialledger/node/peer_service.h"
#include "trialledger/node/service.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/grpc_process.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/tls.h"

namespace {

using tl::node::log::Logger;

int Fail(const Logger& logger, const absl::Status& status) {
  logger.Error("cannot start", {{"error", status.message()}});
  return 1;
}

}  // namespace

namespace tl::node {

int RunDaemon(int argc, char** argv, const tl::ledger::StoreOptions& store_options) {
  tl::ConfigureGrpcProcess();
  CLI::App app{"trialledgerd: a TrialLedger ledger node"};
  std::string config_path;
  std::string log_level;
  app.add_option("--config", config_path, "node configuration file (TOML)")->required();
  app.add_option("--log-level", log_level,
                 "debug, info, warn or error (default: the config's log_level, or info)")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  bool resync_from_peers = false;
  app.add_flag("--resync-from-peers", resync_from_peers,
               "move a damaged data dir aside (to DATA_DIR.damaged) and rebuild it from the peers; "
               "the node does not vote until it holds again what it had acknowledged "
               "(docs/operations.md)");
  CLI11_PARSE(app, argc, argv);

  tl::InitCrypto();
  // A bad value in the config (an address, a level, a range) is refused here, before anything
  // is created.
  absl::StatusOr<tl::node::NodeConfig> config = tl::node::ReadNodeConfig(config_path);
  if (!config.ok()) return Fail(Logger(), config.status());
  tl::node::log::SetMinLevel(
      *tl::node::log::ParseLevel(log_level.empty() ? config->log_level : log_level));
  const Logger logger(config->name);
  std::optional<tl::node::HostPort> metrics_address;
  if (!config->metrics_listen_address.empty()) {
    metrics_address = *tl::node::ParseHostPort(config->metrics_listen_address);  // checked above
  }

  if (resync_from_peers) {
    absl::StatusOr<std::string> aside = tl::ledger::SetDataDirAsideForResync(config->data_dir);
    if (!aside.ok()) return Fail(logger, aside.status());
    logger.Warn("resyncing from peers", {{"data_dir", config->data_dir},
                                         {"moved_aside_to", aside->empty() ? "none" : *aside}});
  }
  absl::StatusOr<std::unique_ptr<tl::node::Node>> node =
      tl::node::Node::Open(*config, store_options);
  if (!node.ok()) return Fail(logger, node.status());

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // The peer endpoint (Raft, forwarding, catch-up) accepts only certificates of the network CA.
  int peer_port = 0;
  tl::node::PeerLedgerServiceImpl peer_service(**node);
  absl::StatusOr<std::unique_ptr<grpc::Server>> peer_server =
      tl::node::StartServer(config->peer_listen_address, {(*node)->raft_service(), &peer_service},
                            tl::MutualTlsServerCredentials((*node)->tls_identity()),
                            static_cast<int>(tl::limits::kPeerStreamsMax), &peer_port);
  if (!peer_server.ok()) return Fail(logger, peer_server.status());
  tl::node::LedgerServiceImpl service(**node);
  int port = 0;
  // The client endpoint speaks TLS only, with the node's certificate (no plaintext listener).
  absl::StatusOr<std::unique_ptr<grpc::Server>> server =
      tl::node::StartServer(config->listen_address, {&service},
                            tl::ServerTlsCredentials((*node)->tls_identity()), 0, &port);
  if (!server.ok()) return Fail(logger, server.status());
  // Bound before the node starts, so a taken port stops the start here; it serves from below.
  std::unique_ptr<tl::node::MetricsServer> metrics_server;
  if (metrics_address.has_value()) {
    const tl::node::Node* serving = node->get();
    absl::StatusOr<std::unique_ptr<tl::node::MetricsServer>> bound = tl::node::MetricsServer::Bind(
        metrics_address->host, metrics_address->port, [serving] { return serving->MetricsText(); });
    if (!bound.ok()) return Fail(logger, bound.status());
    metrics_server = *std::move(bound);
  }
  (*node)->Start();
  if (metrics_server != nullptr) metrics_server->Start();
  tl::ledger::ChainHead head = (*node)->head();
  logger.Info("serving", {{"clients", config->listen_address},
                          {"peers", config->peer_listen_address},
                          {"metrics", metrics_server != nullptr ? config->metrics_listen_address
                                                                : std::string("off")},
                          {"raft_id", (*node)->raft_id()},
                          {"height", head.height}});

  int signal = 0;
  sigwait(&stop_signals, &signal);
  logger.Info("stopping", {{"signal", signal}});
  // Calls still waiting for a commit are cancelled after this grace period (the commit itself is
  // durable or not independently of the waiter). gRPC also waits out idle client connections
  // until the deadline, so it is kept short.
  auto grace = std::chrono::system_clock::now() + std::chrono::milliseconds(300);
  if (metrics_server != nullptr) metrics_server->Stop();
  (*server)->Shutdown(grace);
  (*node)->Stop();
  (*peer_server)->Shutdown(grace);
  return 0;
}

}  // namespace tl::node
