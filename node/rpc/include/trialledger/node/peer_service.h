// The node-to-node ledger service (peer.proto): a follower forwards transactions to the leader,
// and a node catching up from a snapshot fetches blocks. It runs on the mutual-TLS peer endpoint
// only; the client side is the replica's (node/replica/peer_clients.h).
#pragma once

#include "trialledger/node/node.h"
#include "trialledger/v1/peer.grpc.pb.h"

namespace tl::node {

class PeerLedgerServiceImpl final : public v1::PeerLedgerService::Service {
 public:
  explicit PeerLedgerServiceImpl(Node& node) : node_(node) {}

  grpc::Status Forward(grpc::ServerContext* context, const v1::ForwardRequest* request,
                       v1::SubmitTransactionResponse* response) override;
  grpc::Status ForwardBatch(grpc::ServerContext* context, const v1::ForwardBatchRequest* request,
                            v1::ForwardBatchResponse* response) override;
  grpc::Status FetchBlocks(grpc::ServerContext* context, const v1::FetchBlocksRequest* request,
                           grpc::ServerWriter<v1::Block>* writer) override;

 private:
  // PERMISSION_DENIED unless the caller's certificate names a node of the ledger.
  grpc::Status CheckPeer(const grpc::ServerContext& context) const;
  // UNAVAILABLE unless this node leads: the forwarding follower's view of the leader is stale,
  // it answers its client with Unavailable and the client retries once the cluster settles.
  grpc::Status CheckLeader() const;

  Node& node_;
};

}  // namespace tl::node
