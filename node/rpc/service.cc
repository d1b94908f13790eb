#include "trialledger/node/service.h"

#include <memory>
#include <mutex>
#include <utility>

#include "request_auth.h"

#include "trialledger/ledger/access_queries.h"
#include "trialledger/ledger/book_queries.h"
#include "trialledger/ledger/contract_queries.h"
#include "trialledger/ledger/invoice_queries.h"
#include "trialledger/ledger/journal_stream.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/ledger/read_access.h"
#include "trialledger/node/read_permissions.h"

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {
namespace {

// How long one wait inside a streaming call lasts before it re-checks for cancellation.
constexpr auto kStreamPoll = std::chrono::milliseconds(500);

Deadline DeadlineOf(const grpc::ServerContextBase& context) {
  auto now = std::chrono::steady_clock::now();
  auto cap = now + std::chrono::milliseconds(limits::kRpcDeadlineMsDefault);
  auto remaining = context.deadline() - std::chrono::system_clock::now();
  if (remaining <= std::chrono::system_clock::duration::zero()) return now;
  return std::min(cap,
                  now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(remaining));
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  grpc::StatusCode code = absl::IsNotFound(status)            ? grpc::StatusCode::NOT_FOUND
                          : absl::IsInvalidArgument(status)   ? grpc::StatusCode::INVALID_ARGUMENT
                          : absl::IsUnauthenticated(status)   ? grpc::StatusCode::UNAUTHENTICATED
                          : absl::IsPermissionDenied(status)  ? grpc::StatusCode::PERMISSION_DENIED
                          : absl::IsOutOfRange(status)        ? grpc::StatusCode::OUT_OF_RANGE
                          : absl::IsResourceExhausted(status) ? grpc::StatusCode::RESOURCE_EXHAUSTED
                                                              : grpc::StatusCode::INTERNAL;
  return grpc::Status(code, std::string(MessageOf(status)));
}

// Leaves out of `block` the transactions `access` may not read: each becomes an empty
// transaction with an empty result, and its position is listed in `response.withheld`.
void WithholdUnreadable(const ledger::ReadAccess& access, v1::Block& block,
                        v1::GetBlockResponse* response) {
  for (int i = 0; i < block.transactions_size(); ++i) {
    absl::StatusOr<DecodedTx> decoded = DecodeTransaction(block.transactions(i));
    if (decoded.ok() && access.MayReadTransaction(decoded->body)) continue;
    block.mutable_transactions(i)->Clear();
    if (i < block.results_size()) block.mutable_results(i)->Clear();
    response->add_withheld(static_cast<uint32_t>(i));
  }
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Authenticates the member behind `request`, takes one snapshot of the committed state, checks the
// permission table's entry for the request over it (read_permissions.h), and only then runs
// `read` over that same snapshot. A failed read of the store fails the call however far it got.
template <typename Read>
grpc::Status LedgerServiceImpl::Guarded(const grpc::ServerContext& context,
                                        const google::protobuf::Message& request, Read read) {
  absl::StatusOr<v1::Member> member = auth_->Authenticate(context, request, NowMs());
  if (!member.ok()) return ToGrpc(member.status());
  std::unique_ptr<ledger::StateSnapshot> snapshot = node_.Snapshot();
  ledger::ReadAccess access(*snapshot, *std::move(member));
  absl::Status status = CheckReadPermission(access, request);
  if (status.ok()) status = read(*snapshot, access);
  if (absl::Status failed = snapshot->status(); !failed.ok()) status = failed;
  return ToGrpc(status);
}

// Guarded for a read of the state: the response carries the height it read at.
template <typename Response, typename Query>
grpc::Status LedgerServiceImpl::ReadSnapshot(const grpc::ServerContext& context,
                                             const google::protobuf::Message& request,
                                             Response* response, Query query) {
  return Guarded(context, request,
                 [&](const ledger::StateSnapshot& snapshot, const ledger::ReadAccess& access) {
                   absl::Status status = query(snapshot, access);
                   response->set_height(snapshot.height());
                   return status;
                 });
}

LedgerServiceImpl::LedgerServiceImpl(Node& node)
    : node_(node), auth_(std::make_unique<RequestAuthenticator>(node)) {}
LedgerServiceImpl::~LedgerServiceImpl() = default;

namespace {

// One asynchronous SubmitTransaction call. It is finished exactly once: by the node's answer or,
// first, by the client's cancellation (or the server's shutdown); the other then finds it done.
// gRPC deletes the reactor after OnDone, so nothing touches it after its Finish.
class SubmitCall final : public grpc::ServerUnaryReactor {
 public:
  struct State {
    std::mutex mutex;
    SubmitCall* call = nullptr;  // GUARDED_BY(mutex); taken by whoever finishes the call
    v1::SubmitTransactionResponse* response = nullptr;  // gRPC's; written by that one only
  };
  explicit SubmitCall(v1::SubmitTransactionResponse* response) : state_(std::make_shared<State>()) {
    state_->call = this;
    state_->response = response;
  }
  std::shared_ptr<State> state() const { return state_; }

  // The node's answer: Unavailable (no leader, forwarding failed) and DeadlineExceeded (admitted,
  // not committed in time) keep the codes the client retries by.
  static void Answer(State& state, absl::StatusOr<v1::SubmitTransactionResponse> answer) {
    SubmitCall* call = Take(state);
    if (call == nullptr) return;
    grpc::Status status = grpc::Status::OK;
    if (answer.ok()) {
      *state.response = *std::move(answer);
    } else {
      const grpc::StatusCode code = absl::IsDeadlineExceeded(answer.status())
                                        ? grpc::StatusCode::DEADLINE_EXCEEDED
                                        : grpc::StatusCode::UNAVAILABLE;
      status = grpc::Status(code, std::string(answer.status().message()));
    }
    call->Finish(status);
  }

  void OnCancel() override {
    if (Take(*state_) != nullptr) Finish(grpc::Status::CANCELLED);
  }
  void OnDone() override { delete this; }

 private:
  // The right to finish the call, once; Finish runs outside the lock, as gRPC may call back
  // into the reactor from it.
  static SubmitCall* Take(State& state) {
    std::lock_guard<std::mutex> lock(state.mutex);
    return std::exchange(state.call, nullptr);
  }

  const std::shared_ptr<State> state_;
};

}  // namespace

grpc::ServerUnaryReactor* LedgerServiceImpl::SubmitTransaction(
    grpc::CallbackServerContext* context, const v1::SubmitTransactionRequest* request,
    v1::SubmitTransactionResponse* response) {
  auto* call = new SubmitCall(response);
  node_.SubmitAsync(request->transaction(), request->wait_for_commit(), DeadlineOf(*context),
                    [state = call->state()](absl::StatusOr<v1::SubmitTransactionResponse> answer) {
                      SubmitCall::Answer(*state, std::move(answer));
                    });
  return call;
}

grpc::Status LedgerServiceImpl::GetTransaction(grpc::ServerContext* context,
                                               const v1::GetTransactionRequest* request,
                                               v1::GetTransactionResponse* response) {
  return Guarded(*context, *request, [&](const auto&, const ledger::ReadAccess& access) {
    *response = node_.LookupTransaction(request->tx_id());
    if (response->status() == v1::TX_STATUS_UNKNOWN) {
      return absl::NotFoundError("no such transaction on this node");
    }
    absl::StatusOr<DecodedTx> decoded = DecodeTransaction(response->transaction());
    if (!access.RawLedger().ok() && (!decoded.ok() || !access.MayReadTransaction(decoded->body))) {
      response->Clear();
      return access.Refusal(StrCat("transaction ", ToHex(request->tx_id())));
    }
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::GetBlock(grpc::ServerContext* context,
                                         const v1::GetBlockRequest* request,
                                         v1::GetBlockResponse* response) {
  return Guarded(*context, *request, [&](const auto&, const ledger::ReadAccess& access) {
    uint64_t height = request->height() == 0 ? node_.head().height : request->height();
    if (height == 0) return absl::NotFoundError("the ledger has no blocks yet");
    absl::StatusOr<v1::Block> block = node_.ReadBlock(height);
    if (!block.ok()) {
      return absl::NotFoundError(
          StrCat("no block at height ", height, " (head is ", node_.head().height, ")"));
    }
    response->set_block_hash(BlockHash(*block));
    if (!access.RawLedger().ok()) WithholdUnreadable(access, *block, response);
    *response->mutable_block() = *std::move(block);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::ListBlocks(grpc::ServerContext* context,
                                           const v1::ListBlocksRequest* request,
                                           v1::ListBlocksResponse* response) {
  return Guarded(*context, *request, [&](const auto&, const auto&) {
    uint64_t head = node_.head().height;
    uint32_t limit =
        request->limit() == 0 ? 20 : std::min(request->limit(), limits::kListBlocksMax);
    uint64_t from = request->from_height();
    if (from == 0) from = head >= limit ? head - limit + 1 : 1;
    for (uint64_t height = from;
         height <= head && response->blocks_size() < static_cast<int>(limit); ++height) {
      absl::StatusOr<v1::Block> block = node_.ReadBlock(height);
      if (!block.ok()) break;
      absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block->header());
      if (!header.ok()) break;
      v1::BlockSummary* summary = response->add_blocks();
      summary->set_height(height);
      summary->set_block_hash(BlockHash(*block));
      summary->set_time_ms(header->time_ms());
      summary->set_proposer(header->proposer());
      summary->set_tx_count(header->tx_count());
      uint32_t rejected = 0;
      for (const v1::TxResult& result : block->results())
        rejected += result.code() != v1::TX_OK;
      summary->set_rejected_count(rejected);
    }
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::GetStatus(grpc::ServerContext* context,
                                          const v1::GetStatusRequest* request,
                                          v1::GetStatusResponse* response) {
  if (request->linearizable()) {
    const Deadline longest = std::chrono::steady_clock::now() +
                             std::chrono::milliseconds(limits::kLinearizableReadWaitMsMax);
    const Deadline deadline = std::min(longest, DeadlineOf(*context));
    if (absl::Status confirmed = node_.AwaitLinearizable(deadline); !confirmed.ok()) {
      return grpc::Status(absl::IsDeadlineExceeded(confirmed) ? grpc::StatusCode::DEADLINE_EXCEEDED
                                                              : grpc::StatusCode::UNAVAILABLE,
                          std::string(confirmed.message()));
    }
  }
  *response = node_.Status();
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::StreamBlocks(grpc::ServerContext* context,
                                             const v1::StreamBlocksRequest* request,
                                             grpc::ServerWriter<v1::Block>* writer) {
  // The permission is checked once, when the stream opens; the snapshot is not held while the
  // stream waits for blocks.
  if (grpc::Status denied =
          Guarded(*context, *request, [](const auto&, const auto&) { return absl::OkStatus(); });
      !denied.ok()) {
    return denied;
  }
  uint64_t next = std::max<uint64_t>(request->from_height(), 1);
  while (!context->IsCancelled()) {
    if (next > node_.head().height) {
      if (!node_.WaitForHeight(next, std::chrono::steady_clock::now() + kStreamPoll) &&
          next > node_.head().height) {
        continue;
      }
    }
    absl::StatusOr<v1::Block> block = node_.ReadBlock(next);
    if (!block.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, "block store read failed");
    if (!writer->Write(*block)) break;
    ++next;
  }
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::GetMember(grpc::ServerContext* context,
                                          const v1::GetMemberRequest* request,
                                          v1::GetMemberResponse* response) {
  return Guarded(*context, *request, [&](const auto&, const auto&) {
    *response = node_.Member(request->public_key());
    if (!response->has_member()) return absl::NotFoundError("no member has that public key");
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::ListContracts(grpc::ServerContext* context,
                                              const v1::ListContractsRequest* request,
                                              v1::ListContractsResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto& access) {
    absl::Status status = ledger::ListContracts(state, response);
    // Only the contracts the member may read: the others are not its business, not even by id.
    auto* contracts = response->mutable_contracts();
    contracts->erase(std::remove_if(contracts->begin(), contracts->end(),
                                    [&](const v1::ContractSummary& contract) {
                                      return !access.Contract(contract.contract_id()).ok();
                                    }),
                     contracts->end());
    return status;
  });
}

grpc::Status LedgerServiceImpl::GetContract(grpc::ServerContext* context,
                                            const v1::GetContractRequest* request,
                                            v1::GetContractResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetContract(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetMilestones(grpc::ServerContext* context,
                                              const v1::GetMilestonesRequest* request,
                                              v1::GetMilestonesResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetMilestones(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::ListFacts(grpc::ServerContext* context,
                                          const v1::ListFactsRequest* request,
                                          v1::ListFactsResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::ListFacts(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::ListContractEvents(grpc::ServerContext* context,
                                                   const v1::ListContractEventsRequest* request,
                                                   v1::ListContractEventsResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::ListContractEvents(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetBook(grpc::ServerContext* context,
                                        const v1::GetBookRequest* request,
                                        v1::GetBookResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetBook(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::ListJournal(grpc::ServerContext* context,
                                            const v1::ListJournalRequest* request,
                                            v1::ListJournalResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::ListJournal(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetJournalEntry(grpc::ServerContext* context,
                                                const v1::GetJournalEntryRequest* request,
                                                v1::GetJournalEntryResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetJournalEntry(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetTrialBalance(grpc::ServerContext* context,
                                                const v1::GetTrialBalanceRequest* request,
                                                v1::GetTrialBalanceResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetTrialBalance(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetRollforward(grpc::ServerContext* context,
                                               const v1::GetRollforwardRequest* request,
                                               v1::GetRollforwardResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetRollforward(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetDisclosures(grpc::ServerContext* context,
                                               const v1::GetDisclosuresRequest* request,
                                               v1::GetDisclosuresResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetDisclosures(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetMirror(grpc::ServerContext* context,
                                          const v1::GetMirrorRequest* request,
                                          v1::GetMirrorResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetMirror(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetAccruals(grpc::ServerContext* context,
                                            const v1::GetAccrualsRequest* request,
                                            v1::GetAccrualsResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetAccruals(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::ListInvoices(grpc::ServerContext* context,
                                             const v1::ListInvoicesRequest* request,
                                             v1::ListInvoicesResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto& access) {
    absl::Status status = ledger::ListInvoices(state, *request, response);
    // A party reads the contract's invoices; an outside payee's are the sponsor's book's.
    auto* invoices = response->mutable_invoices();
    invoices->erase(
        std::remove_if(invoices->begin(), invoices->end(),
                       [&](const v1::Invoice& invoice) { return !access.MayReadInvoice(invoice); }),
        invoices->end());
    return status;
  });
}

grpc::Status LedgerServiceImpl::GetInvoice(grpc::ServerContext* context,
                                           const v1::GetInvoiceRequest* request,
                                           v1::GetInvoiceResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetInvoice(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::GetInvoiceMatch(grpc::ServerContext* context,
                                                const v1::GetInvoiceMatchRequest* request,
                                                v1::GetInvoiceMatchResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::GetInvoiceMatch(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::ListGrants(grpc::ServerContext* context,
                                           const v1::ListGrantsRequest* request,
                                           v1::ListGrantsResponse* response) {
  return ReadSnapshot(*context, *request, response, [&](const auto& state, const auto&) {
    return ledger::ListGrants(state, *request, response);
  });
}

grpc::Status LedgerServiceImpl::StreamJournal(grpc::ServerContext* context,
                                              const v1::StreamJournalRequest* request,
                                              grpc::ServerWriter<v1::JournalStreamItem>* writer) {
  v1::Member member;
  uint64_t after = 0;
  grpc::Status opened =
      Guarded(*context, *request, [&](const auto& snapshot, const ledger::ReadAccess& access) {
        member = access.member();
        absl::StatusOr<uint64_t> seq =
            ledger::ResolveJournalCursor(snapshot, request->book(), request->after_cursor());
        if (seq.ok()) after = *seq;
        return seq.status();
      });
  if (!opened.ok()) return opened;
  while (!context->IsCancelled()) {
    // Each batch is read from a fresh snapshot, and the member's key and permission are checked
    // again over it: a revoked key or grant ends the stream at the next block.
    std::unique_ptr<ledger::StateSnapshot> snapshot = node_.Snapshot();
    const uint64_t height = snapshot->height();
    absl::Status allowed = ledger::CheckMemberCurrent(*snapshot, member);
    if (allowed.ok())
      allowed = CheckReadPermission(ledger::ReadAccess(*snapshot, member), *request);
    absl::StatusOr<std::vector<v1::JournalStreamItem>> items =
        ledger::JournalAfter(*snapshot, request->book(), after, limits::kJournalStreamBatchMax);
    if (absl::Status read = snapshot->status(); !read.ok()) return ToGrpc(read);
    if (!allowed.ok()) return ToGrpc(allowed);
    if (!items.ok()) return ToGrpc(items.status());
    snapshot.reset();  // not held while the client reads or the stream waits
    for (const v1::JournalStreamItem& item : *items) {
      if (!writer->Write(item)) return grpc::Status::OK;
      after = item.entry().seq();
    }
    if (items->size() < limits::kJournalStreamBatchMax) {
      node_.WaitForHeight(height + 1, std::chrono::steady_clock::now() + kStreamPoll);
    }
  }
  return grpc::Status::OK;
}

namespace {
constexpr int kIdleServerThreadsKept = 1024;
}  // namespace

absl::StatusOr<std::unique_ptr<grpc::Server>> StartServer(
    const std::string& address, const std::vector<grpc::Service*>& services,
    std::shared_ptr<grpc::ServerCredentials> credentials, int max_concurrent_streams,
    int* bound_port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, std::move(credentials), bound_port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(limits::kGrpcMessageBytesMax));
  builder.SetMaxSendMessageSize(static_cast<int>(limits::kGrpcMessageBytesMax));
  // gRPC's synchronous server runs each call on a thread of its own and, by default, ends a
  // thread that finishes a call once two others are idle. A node waiting out commits has a call
  // open per submission, so under load it started and ended a thread per call (clone, exit,
  // the stack's unmapping: perf, issue 17). Finished threads now stay, up to this many idle;
  // the count is still bounded by the most calls that were ever open at once.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              kIdleServerThreadsKept);
  if (max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, max_concurrent_streams);
  }
  for (grpc::Service* service : services)
    builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *bound_port == 0) {
    return absl::UnavailableError(
        StrCat("cannot listen on ", address, " (address in use or not valid?)"));
  }
  return server;
}

}  // namespace tl::node
