#include "trialledger/node/peer_service.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/node/node.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {

grpc::Status PeerLedgerServiceImpl::CheckPeer(const grpc::ServerContext& context) const {
  std::vector<std::string> identities;
  for (const grpc::string_ref& name : context.auth_context()->GetPeerIdentity()) {
    identities.emplace_back(name.data(), name.size());
  }
  if (!node_.IsPeerNode(identities)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "the certificate does not name a node of this ledger");
  }
  return grpc::Status::OK;
}

grpc::Status PeerLedgerServiceImpl::CheckLeader() const {
  if (node_.raft_view().role == raft::Role::kLeader) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      StrCat("node '", node_.config().name, "' is no longer the leader"));
}

grpc::Status PeerLedgerServiceImpl::Forward(grpc::ServerContext* context,
                                            const v1::ForwardRequest* request,
                                            v1::SubmitTransactionResponse* response) {
  grpc::Status allowed = CheckPeer(*context);
  if (!allowed.ok()) return allowed;
  grpc::Status leads = CheckLeader();
  if (!leads.ok()) return leads;
  *response = node_.Admit(request->transaction());
  return grpc::Status::OK;
}

grpc::Status PeerLedgerServiceImpl::ForwardBatch(grpc::ServerContext* context,
                                                 const v1::ForwardBatchRequest* request,
                                                 v1::ForwardBatchResponse* response) {
  grpc::Status allowed = CheckPeer(*context);
  if (!allowed.ok()) return allowed;
  if (static_cast<size_t>(request->transactions_size()) > limits::kForwardBatchTxsMax) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        StrCat("a forwarded batch holds ", request->transactions_size(),
                               " transactions; at most ", limits::kForwardBatchTxsMax));
  }
  grpc::Status leads = CheckLeader();
  if (!leads.ok()) return leads;
  // In order: a signer's transactions in one batch keep their nonce order.
  for (const std::string& transaction : request->transactions())
    *response->add_responses() = node_.Admit(transaction);
  return grpc::Status::OK;
}

grpc::Status PeerLedgerServiceImpl::FetchBlocks(grpc::ServerContext* context,
                                                const v1::FetchBlocksRequest* request,
                                                grpc::ServerWriter<v1::Block>* writer) {
  grpc::Status allowed = CheckPeer(*context);
  if (!allowed.ok()) return allowed;
  uint64_t from = std::max<uint64_t>(request->from_height(), 1);
  uint64_t to = std::min(request->to_height(), node_.head().height);
  to = std::min(to, from + limits::kFetchBlocksPerCallMax - 1);
  for (uint64_t height = from; height <= to && !context->IsCancelled(); ++height) {
    absl::StatusOr<v1::Block> block = node_.ReadBlock(height);
    if (!block.ok()) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          StrCat("reading block ", height, ": ", block.status().message()));
    }
    if (!writer->Write(*block)) break;
  }
  return grpc::Status::OK;
}

}  // namespace tl::node
