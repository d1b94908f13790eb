// The client side of the peer ledger service (peer.proto): forwarding to the leader and fetching
// blocks during catch-up, over mutual TLS.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "trialledger/sdk/protocol.h"
#include "trialledger/sdk/tls.h"
#include "trialledger/v1/peer.grpc.pb.h"

namespace tl::node {

// One mutual-TLS channel per peer node, made on first use and replaced if its address changes.
class PeerClients {
 public:
  explicit PeerClients(TlsIdentity identity) : identity_(std::move(identity)) {}

  v1::PeerLedgerService::Stub& For(const v1::NodeInfo& node);

 private:
  struct Client {
    std::string address;
    std::unique_ptr<v1::PeerLedgerService::Stub> stub;
  };
  const TlsIdentity identity_;
  std::mutex mutex_;
  std::map<std::string, Client> clients_;  // by node name; GUARDED_BY(mutex_)
};

}  // namespace tl::node
