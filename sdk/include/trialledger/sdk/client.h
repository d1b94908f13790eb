// A client of one node's LedgerService, over TLS: the node's certificate must be issued by the
// network CA given and name the address dialled. Every call has a deadline; errors name the node.
//
//   ClientOptions options;
//   options.ca_certificate_pem = ca;           // tls/ca.crt of `network init`
//   options.member = key_file.keys;            // requests are signed as this member
//   auto client = LedgerClient::Connect("127.0.0.1:7051", options);
//   auto status = (*client)->GetStatus();
//   auto response = (*client)->Submit(tx, /*wait_for_commit=*/true);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/client_context.h>

#include "absl/status/statusor.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.grpc.pb.h"

namespace tl {

struct ClientOptions {
  std::string ca_certificate_pem;  // the network CA (network init's tls/ca.crt)
  int64_t deadline_ms = 30000;
  // The member every request is signed as (request_auth.h); without it only GetStatus is
  // answered.
  std::optional<KeyPair> member;
};

class LedgerClient {
 public:
  static std::unique_ptr<LedgerClient> Connect(const std::string& address,
                                               const ClientOptions& options);

  // While the cluster has no leader (an election, a leader just killed) the node answers
  // Unavailable; Submit retries the same signed transaction for up to kSubmitRetryMs, which is
  // safe because submitting a transaction twice is idempotent.
  static constexpr int64_t kSubmitRetryMs = 10000;
  absl::StatusOr<v1::SubmitTransactionResponse> Submit(const v1::Transaction& tx,
                                                       bool wait_for_commit);
  // Submits raw bytes as they are, once (tests use it to send garbage).
  absl::StatusOr<v1::SubmitTransactionResponse> SubmitBytes(std::string bytes,
                                                            bool wait_for_commit);
  // `linearizable`: the node answers once it has applied everything committed before the call
  // (GetStatusRequest.linearizable); without it, at once with what it has applied.
  absl::StatusOr<v1::GetStatusResponse> GetStatus(bool linearizable = false);
  absl::StatusOr<v1::GetTransactionResponse> GetTransaction(const std::string& tx_id);
  absl::StatusOr<v1::GetBlockResponse> GetBlock(uint64_t height);
  absl::StatusOr<v1::ListBlocksResponse> ListBlocks(uint64_t from_height, uint32_t limit);
  absl::StatusOr<v1::GetMemberResponse> GetMember(const std::string& public_key);
  absl::StatusOr<v1::ListContractsResponse> ListContracts();
  absl::StatusOr<v1::GetContractResponse> GetContract(const std::string& contract_id,
                                                      bool with_source);
  absl::StatusOr<v1::GetMilestonesResponse> GetMilestones(const std::string& contract_id);
  absl::StatusOr<v1::ListFactsResponse> ListFacts(const std::string& contract_id, uint64_t from_seq,
                                                  uint32_t limit);
  absl::StatusOr<v1::ListContractEventsResponse> ListContractEvents(const std::string& contract_id,
                                                                    uint64_t from_seq,
                                                                    uint32_t limit);

  // The books (docs/books.md): a book, its journal, an entry, the reports.
  absl::StatusOr<v1::GetBookResponse> GetBook(const v1::GetBookRequest& request);
  absl::StatusOr<v1::ListJournalResponse> ListJournal(const v1::ListJournalRequest& request);
  absl::StatusOr<v1::GetJournalEntryResponse> GetJournalEntry(
      const v1::GetJournalEntryRequest& request);
  absl::StatusOr<v1::GetTrialBalanceResponse> GetTrialBalance(
      const v1::GetTrialBalanceRequest& request);
  absl::StatusOr<v1::GetRollforwardResponse> GetRollforward(
      const v1::GetRollforwardRequest& request);
  absl::StatusOr<v1::GetDisclosuresResponse> GetDisclosures(
      const v1::GetDisclosuresRequest& request);
  absl::StatusOr<v1::GetMirrorResponse> GetMirror(const v1::GetMirrorRequest& request);
  absl::StatusOr<v1::GetAccrualsResponse> GetAccruals(const v1::GetAccrualsRequest& request);
  absl::StatusOr<v1::ListInvoicesResponse> ListInvoices(const v1::ListInvoicesRequest& request);
  absl::StatusOr<v1::GetInvoiceResponse> GetInvoice(const v1::GetInvoiceRequest& request);
  absl::StatusOr<v1::GetInvoiceMatchResponse> GetInvoiceMatch(
      const v1::GetInvoiceMatchRequest& request);
  absl::StatusOr<v1::ListGrantsResponse> ListGrants(const v1::ListGrantsRequest& request);

  // A book's journal after `request.after_cursor()`: history first, then the live tail
  // (docs/erp.md). Hands each entry to `on_entry` in order and returns OK when `on_entry` returns
  // false; otherwise the stream's error (a refused read, a bad cursor, a lost node). No deadline:
  // the stream lasts as long as it is read.
  absl::Status StreamJournal(const v1::StreamJournalRequest& request,
                             const std::function<bool(const v1::JournalStreamItem&)>& on_entry);

  v1::LedgerService::Stub& stub() { return *stub_; }
  // Signs `request` into `context` as the member, for calls made on stub() (streams).
  void Authenticate(grpc::ClientContext& context, const google::protobuf::Message& request) const;
  const std::string& address() const { return address_; }

 private:
  LedgerClient(std::string address, const ClientOptions& options);

  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(Method method, const Request& request);

  std::string address_;
  int64_t deadline_ms_;
  std::optional<KeyPair> member_;
  std::unique_ptr<v1::LedgerService::Stub> stub_;
};

}  // namespace tl
