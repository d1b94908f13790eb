// The LedgerService gRPC service over a Node, and the server that hosts it.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/node/node.h"
#include "trialledger/v1/ledger_service.grpc.pb.h"

namespace tl::node {

// SubmitTransaction is served by gRPC's callback API: a submission waiting for its block holds
// no thread (Node::SubmitAsync). The other calls are quick reads and stay synchronous.
class LedgerServiceImpl final
    : public v1::LedgerService::WithCallbackMethod_SubmitTransaction<v1::LedgerService::Service> {
 public:
  explicit LedgerServiceImpl(Node& node);
  ~LedgerServiceImpl() override;

  grpc::ServerUnaryReactor* SubmitTransaction(grpc::CallbackServerContext* context,
                                              const v1::SubmitTransactionRequest* request,
                                              v1::SubmitTransactionResponse* response) override;
  grpc::Status GetTransaction(grpc::ServerContext* context,
                              const v1::GetTransactionRequest* request,
                              v1::GetTransactionResponse* response) override;
  grpc::Status GetBlock(grpc::ServerContext* context, const v1::GetBlockRequest* request,
                        v1::GetBlockResponse* response) override;
  grpc::Status ListBlocks(grpc::ServerContext* context, const v1::ListBlocksRequest* request,
                          v1::ListBlocksResponse* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                         v1::GetStatusResponse* response) override;
  grpc::Status StreamBlocks(grpc::ServerContext* context, const v1::StreamBlocksRequest* request,
                            grpc::ServerWriter<v1::Block>* writer) override;
  grpc::Status GetMember(grpc::ServerContext* context, const v1::GetMemberRequest* request,
                         v1::GetMemberResponse* response) override;
  grpc::Status ListContracts(grpc::ServerContext* context, const v1::ListContractsRequest* request,
                             v1::ListContractsResponse* response) override;
  grpc::Status GetContract(grpc::ServerContext* context, const v1::GetContractRequest* request,
                           v1::GetContractResponse* response) override;
  grpc::Status GetMilestones(grpc::ServerContext* context, const v1::GetMilestonesRequest* request,
                             v1::GetMilestonesResponse* response) override;
  grpc::Status ListFacts(grpc::ServerContext* context, const v1::ListFactsRequest* request,
                         v1::ListFactsResponse* response) override;
  grpc::Status ListContractEvents(grpc::ServerContext* context,
                                  const v1::ListContractEventsRequest* request,
                                  v1::ListContractEventsResponse* response) override;
  grpc::Status GetBook(grpc::ServerContext* context, const v1::GetBookRequest* request,
                       v1::GetBookResponse* response) override;
  grpc::Status ListJournal(grpc::ServerContext* context, const v1::ListJournalRequest* request,
                           v1::ListJournalResponse* response) override;
  grpc::Status GetJournalEntry(grpc::ServerContext* context,
                               const v1::GetJournalEntryRequest* request,
                               v1::GetJournalEntryResponse* response) override;
  grpc::Status GetTrialBalance(grpc::ServerContext* context,
                               const v1::GetTrialBalanceRequest* request,
                               v1::GetTrialBalanceResponse* response) override;
  grpc::Status GetRollforward(grpc::ServerContext* context,
                              const v1::GetRollforwardRequest* request,
                              v1::GetRollforwardResponse* response) override;
  grpc::Status GetDisclosures(grpc::ServerContext* context,
                              const v1::GetDisclosuresRequest* request,
                              v1::GetDisclosuresResponse* response) override;
  grpc::Status GetMirror(grpc::ServerContext* context, const v1::GetMirrorRequest* request,
                         v1::GetMirrorResponse* response) override;
  grpc::Status GetAccruals(grpc::ServerContext* context, const v1::GetAccrualsRequest* request,
                           v1::GetAccrualsResponse* response) override;
  grpc::Status ListInvoices(grpc::ServerContext* context, const v1::ListInvoicesRequest* request,
                            v1::ListInvoicesResponse* response) override;
  grpc::Status GetInvoice(grpc::ServerContext* context, const v1::GetInvoiceRequest* request,
                          v1::GetInvoiceResponse* response) override;
  grpc::Status GetInvoiceMatch(grpc::ServerContext* context,
                               const v1::GetInvoiceMatchRequest* request,
                               v1::GetInvoiceMatchResponse* response) override;
  grpc::Status ListGrants(grpc::ServerContext* context, const v1::ListGrantsRequest* request,
                          v1::ListGrantsResponse* response) override;
  grpc::Status StreamJournal(grpc::ServerContext* context, const v1::StreamJournalRequest* request,
                             grpc::ServerWriter<v1::JournalStreamItem>* writer) override;

 private:
  // Every call but GetStatus and SubmitTransaction (a transaction is authenticated by its own
  // signature) is signed by a member (sdk/request_auth.h) and checked against the permission
  // table (read_permissions.h) before it reads anything.
  template <typename Read>
  grpc::Status Guarded(const grpc::ServerContext& context, const google::protobuf::Message& request,
                       Read read);
  template <typename Response, typename Query>
  grpc::Status ReadSnapshot(const grpc::ServerContext& context,
                            const google::protobuf::Message& request, Response* response,
                            Query query);

  Node& node_;
  std::unique_ptr<class RequestAuthenticator> auth_;
};

// Binds `address` and serves `services` with `credentials` (TLS for clients, mutual TLS for the
// peer endpoint: there is no plaintext listener), at most `max_concurrent_streams` streams per
// connection (0: gRPC's default). `bound_port` receives the port actually bound (useful with
// port 0).
absl::StatusOr<std::unique_ptr<grpc::Server>> StartServer(
    const std::string& address, const std::vector<grpc::Service*>& services,
    std::shared_ptr<grpc::ServerCredentials> credentials, int max_concurrent_streams,
    int* bound_port);

}  // namespace tl::node
