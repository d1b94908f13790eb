// The node-to-node ledger service (peer.proto) and the client side of it: a follower forwards
// transactions to the leader, and a node catching up from a snapshot fetches blocks. Both run
// over the mutual-TLS peer endpoint only.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "trialledger/sdk/protocol.h"
#include "trialledger/sdk/tls.h"
#include "trialledger/v1/peer.grpc.pb.h"

namespace tl::node {

class Node;

class PeerLedgerServiceImpl final : public v1::PeerLedgerService::Service {
 public:
  explicit PeerLedgerServiceImpl(Node& node) : node_(node) {}

  grpc::Status Forward(grpc::ServerContext* context, const v1::ForwardRequest* request,
                       v1::SubmitTransactionResponse* response) override;
  grpc::Status FetchBlocks(grpc::ServerContext* context, const v1::FetchBlocksRequest* request,
                           grpc::ServerWriter<v1::Block>* writer) override;

 private:
  // PERMISSION_DENIED unless the caller's certificate names a node of the ledger.
  grpc::Status CheckPeer(const grpc::ServerContext& context) const;

  Node& node_;
};

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
