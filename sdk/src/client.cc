#include "trialledger/sdk/client.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <type_traits>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/request_auth.h"
#include "trialledger/sdk/tls.h"

namespace tl {
namespace {

// A refused read says so in its text too ("node …: permission_denied: member 'x' of 'org' may
// not read book 'other-org'"), so whoever only prints the message still sees why.
absl::Status FromGrpc(const grpc::Status& status, const std::string& address) {
  const bool refused = status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
  return absl::Status(
      static_cast<absl::StatusCode>(status.error_code()),
      StrCat("node ", address, ": ", refused ? "permission_denied: " : "", status.error_message()));
}

}  // namespace

std::unique_ptr<LedgerClient> LedgerClient::Connect(const std::string& address,
                                                    const ClientOptions& options) {
  return std::unique_ptr<LedgerClient>(new LedgerClient(address, options));
}

LedgerClient::LedgerClient(std::string address, const ClientOptions& options)
    : address_(std::move(address)), deadline_ms_(options.deadline_ms), member_(options.member) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(limits::kGrpcMessageBytesMax));
  args.SetMaxSendMessageSize(static_cast<int>(limits::kGrpcMessageBytesMax));
  // Nodes restart and leaders move; reconnect quickly instead of gRPC's default 1 s-and-growing.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  auto channel =
      grpc::CreateCustomChannel(address_, ClientTlsCredentials(options.ca_certificate_pem), args);
  stub_ = v1::LedgerService::NewStub(channel);
}

void LedgerClient::Authenticate(grpc::ClientContext& context,
                                const google::protobuf::Message& request) const {
  if (!member_.has_value()) return;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  for (auto& [key, value] :
       SignRequest(*member_, request, now_ms, RandomBytes(kRequestNonceBytes))) {
    context.AddMetadata(key, value);
  }
}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> LedgerClient::Call(Method method, const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms_));
  // A transaction is authenticated by its own signature; the node asks no more of a submission.
  if constexpr (!std::is_same_v<Request, v1::SubmitTransactionRequest>) {
    Authenticate(context, request);
  }
  Response response;
  grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, address_);
  return response;
}

absl::StatusOr<v1::SubmitTransactionResponse> LedgerClient::SubmitBytes(std::string bytes,
                                                                        bool wait_for_commit) {
  v1::SubmitTransactionRequest request;
  request.set_transaction(std::move(bytes));
  request.set_wait_for_commit(wait_for_commit);
  return Call<v1::SubmitTransactionRequest, v1::SubmitTransactionResponse>(
      &v1::LedgerService::Stub::SubmitTransaction, request);
}

absl::StatusOr<v1::SubmitTransactionResponse> LedgerClient::Submit(const v1::Transaction& tx,
                                                                   bool wait_for_commit) {
  std::string bytes = Encode(tx);
  auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kSubmitRetryMs);
  auto backoff = std::chrono::milliseconds(20);
  while (true) {
    absl::StatusOr<v1::SubmitTransactionResponse> response = SubmitBytes(bytes, wait_for_commit);
    if (response.ok() || response.status().code() != absl::StatusCode::kUnavailable ||
        std::chrono::steady_clock::now() + backoff > give_up) {
      return response;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(500));
  }
}

absl::StatusOr<v1::GetStatusResponse> LedgerClient::GetStatus(bool linearizable) {
  v1::GetStatusRequest request;
  request.set_linearizable(linearizable);
  return Call<v1::GetStatusRequest, v1::GetStatusResponse>(&v1::LedgerService::Stub::GetStatus,
                                                           request);
}

absl::StatusOr<v1::GetTransactionResponse> LedgerClient::GetTransaction(const std::string& tx_id) {
  v1::GetTransactionRequest request;
  request.set_tx_id(tx_id);
  return Call<v1::GetTransactionRequest, v1::GetTransactionResponse>(
      &v1::LedgerService::Stub::GetTransaction, request);
}

absl::StatusOr<v1::GetBlockResponse> LedgerClient::GetBlock(uint64_t height) {
  v1::GetBlockRequest request;
  request.set_height(height);
  return Call<v1::GetBlockRequest, v1::GetBlockResponse>(&v1::LedgerService::Stub::GetBlock,
                                                         request);
}

absl::StatusOr<v1::ListBlocksResponse> LedgerClient::ListBlocks(uint64_t from_height,
                                                                uint32_t limit) {
  v1::ListBlocksRequest request;
  request.set_from_height(from_height);
  request.set_limit(limit);
  return Call<v1::ListBlocksRequest, v1::ListBlocksResponse>(&v1::LedgerService::Stub::ListBlocks,
                                                             request);
}

absl::StatusOr<v1::GetMemberResponse> LedgerClient::GetMember(const std::string& public_key) {
  v1::GetMemberRequest request;
  request.set_public_key(public_key);
  return Call<v1::GetMemberRequest, v1::GetMemberResponse>(&v1::LedgerService::Stub::GetMember,
                                                           request);
}

absl::StatusOr<v1::ListContractsResponse> LedgerClient::ListContracts() {
  return Call<v1::ListContractsRequest, v1::ListContractsResponse>(
      &v1::LedgerService::Stub::ListContracts, v1::ListContractsRequest());
}

absl::StatusOr<v1::GetContractResponse> LedgerClient::GetContract(const std::string& contract_id,
                                                                  bool with_source) {
  v1::GetContractRequest request;
  request.set_contract_id(contract_id);
  request.set_with_source(with_source);
  return Call<v1::GetContractRequest, v1::GetContractResponse>(
      &v1::LedgerService::Stub::GetContract, request);
}

absl::StatusOr<v1::GetMilestonesResponse> LedgerClient::GetMilestones(
    const std::string& contract_id) {
  v1::GetMilestonesRequest request;
  request.set_contract_id(contract_id);
  return Call<v1::GetMilestonesRequest, v1::GetMilestonesResponse>(
      &v1::LedgerService::Stub::GetMilestones, request);
}

absl::StatusOr<v1::ListFactsResponse> LedgerClient::ListFacts(const std::string& contract_id,
                                                              uint64_t from_seq, uint32_t limit) {
  v1::ListFactsRequest request;
  request.set_contract_id(contract_id);
  request.set_from_seq(from_seq);
  request.set_limit(limit);
  return Call<v1::ListFactsRequest, v1::ListFactsResponse>(&v1::LedgerService::Stub::ListFacts,
                                                           request);
}

absl::StatusOr<v1::ListContractEventsResponse> LedgerClient::ListContractEvents(
    const std::string& contract_id, uint64_t from_seq, uint32_t limit) {
  v1::ListContractEventsRequest request;
  request.set_contract_id(contract_id);
  request.set_from_seq(from_seq);
  request.set_limit(limit);
  return Call<v1::ListContractEventsRequest, v1::ListContractEventsResponse>(
      &v1::LedgerService::Stub::ListContractEvents, request);
}

absl::StatusOr<v1::GetBookResponse> LedgerClient::GetBook(const v1::GetBookRequest& request) {
  return Call<v1::GetBookRequest, v1::GetBookResponse>(&v1::LedgerService::Stub::GetBook, request);
}

absl::StatusOr<v1::ListJournalResponse> LedgerClient::ListJournal(
    const v1::ListJournalRequest& request) {
  return Call<v1::ListJournalRequest, v1::ListJournalResponse>(
      &v1::LedgerService::Stub::ListJournal, request);
}

absl::StatusOr<v1::GetJournalEntryResponse> LedgerClient::GetJournalEntry(
    const v1::GetJournalEntryRequest& request) {
  return Call<v1::GetJournalEntryRequest, v1::GetJournalEntryResponse>(
      &v1::LedgerService::Stub::GetJournalEntry, request);
}

absl::StatusOr<v1::GetTrialBalanceResponse> LedgerClient::GetTrialBalance(
    const v1::GetTrialBalanceRequest& request) {
  return Call<v1::GetTrialBalanceRequest, v1::GetTrialBalanceResponse>(
      &v1::LedgerService::Stub::GetTrialBalance, request);
}

absl::StatusOr<v1::GetRollforwardResponse> LedgerClient::GetRollforward(
    const v1::GetRollforwardRequest& request) {
  return Call<v1::GetRollforwardRequest, v1::GetRollforwardResponse>(
      &v1::LedgerService::Stub::GetRollforward, request);
}

absl::StatusOr<v1::GetDisclosuresResponse> LedgerClient::GetDisclosures(
    const v1::GetDisclosuresRequest& request) {
  return Call<v1::GetDisclosuresRequest, v1::GetDisclosuresResponse>(
      &v1::LedgerService::Stub::GetDisclosures, request);
}

absl::StatusOr<v1::GetMirrorResponse> LedgerClient::GetMirror(const v1::GetMirrorRequest& request) {
  return Call<v1::GetMirrorRequest, v1::GetMirrorResponse>(&v1::LedgerService::Stub::GetMirror,
                                                           request);
}

absl::StatusOr<v1::GetAccrualsResponse> LedgerClient::GetAccruals(
    const v1::GetAccrualsRequest& request) {
  return Call<v1::GetAccrualsRequest, v1::GetAccrualsResponse>(
      &v1::LedgerService::Stub::GetAccruals, request);
}

absl::StatusOr<v1::ListInvoicesResponse> LedgerClient::ListInvoices(
    const v1::ListInvoicesRequest& request) {
  return Call<v1::ListInvoicesRequest, v1::ListInvoicesResponse>(
      &v1::LedgerService::Stub::ListInvoices, request);
}

absl::StatusOr<v1::GetInvoiceResponse> LedgerClient::GetInvoice(
    const v1::GetInvoiceRequest& request) {
  return Call<v1::GetInvoiceRequest, v1::GetInvoiceResponse>(&v1::LedgerService::Stub::GetInvoice,
                                                             request);
}

absl::StatusOr<v1::GetInvoiceMatchResponse> LedgerClient::GetInvoiceMatch(
    const v1::GetInvoiceMatchRequest& request) {
  return Call<v1::GetInvoiceMatchRequest, v1::GetInvoiceMatchResponse>(
      &v1::LedgerService::Stub::GetInvoiceMatch, request);
}

absl::Status LedgerClient::StreamJournal(
    const v1::StreamJournalRequest& request,
    const std::function<bool(const v1::JournalStreamItem&)>& on_entry) {
  grpc::ClientContext context;
  Authenticate(context, request);
  std::unique_ptr<grpc::ClientReader<v1::JournalStreamItem>> stream =
      stub_->StreamJournal(&context, request);
  v1::JournalStreamItem item;
  while (stream->Read(&item)) {
    if (!on_entry(item)) {
      context.TryCancel();
      stream->Finish();
      return absl::OkStatus();
    }
  }
  grpc::Status status = stream->Finish();
  if (!status.ok()) return FromGrpc(status, address_);
  return absl::UnavailableError(StrCat("node ", address_, ": the journal stream ended"));
}

absl::StatusOr<v1::ListGrantsResponse> LedgerClient::ListGrants(
    const v1::ListGrantsRequest& request) {
  return Call<v1::ListGrantsRequest, v1::ListGrantsResponse>(&v1::LedgerService::Stub::ListGrants,
                                                             request);
}

}  // namespace tl
