// trialledgerd: a TrialLedger node.
//   trialledgerd --config node.toml
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "trialledger/node/config.h"
#include "trialledger/node/node.h"
#include "trialledger/node/peer_service.h"
#include "trialledger/node/service.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/tls.h"

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "trialledgerd: %s\n", std::string(status.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trialledgerd: a TrialLedger ledger node"};
  std::string config_path;
  app.add_option("--config", config_path, "node configuration file (TOML)")->required();
  CLI11_PARSE(app, argc, argv);

  tl::InitCrypto();
  absl::StatusOr<tl::node::NodeConfig> config = tl::node::ReadNodeConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  absl::StatusOr<std::unique_ptr<tl::node::Node>> node = tl::node::Node::Open(*config);
  if (!node.ok()) return Fail(node.status());

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
  if (!peer_server.ok()) return Fail(peer_server.status());
  tl::node::LedgerServiceImpl service(**node);
  int port = 0;
  // The client endpoint speaks TLS only, with the node's certificate (no plaintext listener).
  absl::StatusOr<std::unique_ptr<grpc::Server>> server =
      tl::node::StartServer(config->listen_address, {&service},
                            tl::ServerTlsCredentials((*node)->tls_identity()), 0, &port);
  if (!server.ok()) return Fail(server.status());
  (*node)->Start();
  tl::ledger::ChainHead head = (*node)->head();
  std::fprintf(
      stderr,
      "trialledgerd %s: serving clients on %s (TLS), peers on %s (mutual TLS), Raft id %llu, "
      "head at height %llu\n",
      config->name.c_str(), config->listen_address.c_str(), config->peer_listen_address.c_str(),
      static_cast<unsigned long long>((*node)->raft_id()),
      static_cast<unsigned long long>(head.height));

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::fprintf(stderr, "trialledgerd %s: stopping on signal %d\n", config->name.c_str(), signal);
  // Calls still waiting for a commit are cancelled after this grace period (the commit itself is
  // durable or not independently of the waiter). gRPC also waits out idle client connections
  // until the deadline, so it is kept short.
  auto grace = std::chrono::system_clock::now() + std::chrono::milliseconds(300);
  (*server)->Shutdown(grace);
  (*node)->Stop();
  (*peer_server)->Shutdown(grace);
  return 0;
}
