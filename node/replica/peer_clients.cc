#include "peer_clients.h"

#include "trialledger/sdk/limits.h"

namespace tl::node {

v1::PeerLedgerService::Stub& PeerClients::For(const v1::NodeInfo& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  Client& client = clients_[node.name()];
  if (client.stub == nullptr || client.address != node.peer_address()) {
    grpc::ChannelArguments args = MutualTlsChannelArguments(node.name());
    args.SetMaxReceiveMessageSize(static_cast<int>(limits::kGrpcMessageBytesMax));
    args.SetMaxSendMessageSize(static_cast<int>(limits::kGrpcMessageBytesMax));
    client.address = node.peer_address();
    client.stub = v1::PeerLedgerService::NewStub(grpc::CreateCustomChannel(
        node.peer_address(), MutualTlsChannelCredentials(identity_), args));
  }
  return *client.stub;
}

}  // namespace tl::node
