// Taking transactions in: a follower forwards to the leader, the leader admits to its mempool
// with the same envelope and role rules the apply pipeline runs (ledger/tx_rules.h); and looking
// a transaction up, or waiting for it to commit.
#include "peer_clients.h"
#include "replica.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/tx_rules.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {

v1::SubmitTransactionResponse Replica::Refuse(std::string tx_id, v1::TxResult result) const {
  metrics_.RecordAdmissionRefusal(result.code());
  v1::SubmitTransactionResponse response;
  response.set_tx_id(std::move(tx_id));
  response.set_status(v1::TX_STATUS_REJECTED);
  *response.mutable_result() = std::move(result);
  return response;
}

absl::StatusOr<std::optional<v1::NodeInfo>> Replica::SubmissionRoute() const {
  RaftView view = raft_view();
  if (view.leader == raft_id_) {
    if (!view.accepting) {
      return absl::UnavailableError(
          StrCat("node '", config_.name, "' was just elected and is still applying; retry"));
    }
    return std::nullopt;
  }
  if (view.leader == raft::kNoNode) {
    return absl::UnavailableError("no leader is elected at the moment; retry shortly");
  }
  const std::map<std::string, v1::NodeInfo> known = nodes();
  std::string leader_name = NodeName(view.leader);
  auto leader = known.find(leader_name);
  if (leader == known.end()) {
    return absl::UnavailableError(
        StrCat("the leader (Raft id ", view.leader, ") is not yet known to this node; retry"));
  }
  return leader->second;
}

void Replica::SubmitAsync(std::string transaction_bytes, bool wait_for_commit, Deadline deadline,
                          Node::SubmitDone done) {
  absl::StatusOr<std::optional<v1::NodeInfo>> route = SubmissionRoute();
  if (!route.ok()) return done(route.status());
  if (!route->has_value()) {
    return AwaitCommit(Admit(transaction_bytes), wait_for_commit, deadline, std::move(done));
  }
  forwarder_.ForwardAsync(
      **std::move(route), std::move(transaction_bytes),
      [this, wait_for_commit, deadline, done = std::move(done)](ForwardBatcher::Answer answer) {
        if (!answer.ok()) return done(answer.status());
        AwaitCommit(*std::move(answer), wait_for_commit, deadline, done);
      });
}

void Replica::AwaitCommit(v1::SubmitTransactionResponse admitted, bool wait_for_commit,
                          Deadline deadline, Node::SubmitDone done) {
  if (admitted.status() != v1::TX_STATUS_PENDING || !wait_for_commit) return done(admitted);
  std::string tx_id = admitted.tx_id();
  commit_waiters_.Wait(
      std::move(tx_id), deadline,
      [admitted = std::move(admitted), done = std::move(done)](v1::GetTransactionResponse outcome) {
        if (CommitWaiters::StillOpen(outcome)) {
          return done(absl::DeadlineExceededError(
              "transaction admitted but not committed before the deadline"));
        }
        v1::SubmitTransactionResponse response = admitted;
        response.set_status(outcome.status());
        response.set_height(outcome.height());
        *response.mutable_result() = outcome.result();
        done(std::move(response));
      });
}

void Replica::ForwardBatch(const v1::NodeInfo& leader,
                           const std::vector<std::string_view>& transactions,
                           ForwardBatcher::Answered answered) {
  // What the call needs until its answer, which gRPC gives on a thread of its own.
  struct Call {
    grpc::ClientContext context;
    v1::ForwardBatchRequest request;
    v1::ForwardBatchResponse response;
  };
  auto call = std::make_shared<Call>();
  for (std::string_view transaction : transactions)
    call->request.add_transactions(std::string(transaction));
  call->request.set_from_node(config_.name);
  call->context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::milliseconds(limits::kForwardDeadlineMs));
  peer_clients_->For(leader).async()->ForwardBatch(
      &call->context, &call->request, &call->response,
      [call, leader_name = leader.name(), answered = std::move(answered)](grpc::Status status) {
        if (!status.ok()) {
          return answered(
              absl::UnavailableError(StrCat("forwarding to the leader '", leader_name,
                                            "' failed: ", status.error_message(), "; retry")));
        }
        answered(std::vector<v1::SubmitTransactionResponse>(
            std::make_move_iterator(call->response.mutable_responses()->begin()),
            std::make_move_iterator(call->response.mutable_responses()->end())));
      });
}

v1::SubmitTransactionResponse Replica::Admit(std::string_view transaction_bytes) {
  absl::StatusOr<DecodedTx> decoded = DecodeTransaction(transaction_bytes);
  if (!decoded.ok()) {
    bool too_large = transaction_bytes.size() > limits::kTxBytesMax;
    return Refuse("", ledger::TxReject(too_large ? v1::TX_TOO_LARGE : v1::TX_MALFORMED,
                                       std::string(decoded.status().message())));
  }
  // Submitting is idempotent: a transaction already in a block gets its recorded outcome, so a
  // client may safely retry after a lost answer.
  v1::GetTransactionResponse recorded = LookupTransaction(decoded->id);
  if (recorded.status() == v1::TX_STATUS_COMMITTED || recorded.status() == v1::TX_STATUS_REJECTED) {
    v1::SubmitTransactionResponse response;
    response.set_tx_id(decoded->id);
    response.set_status(recorded.status());
    response.set_height(recorded.height());
    *response.mutable_result() = recorded.result();
    return response;
  }
  ledger::ChainHead head = store_->head();
  ledger::SignerState signer;
  v1::TxResult envelope = ledger::CheckEnvelope(*decoded, genesis_.genesis.chain_id(),
                                                head.height + 1, *store_, &signer);
  StopOnReadFault();
  if (envelope.code() != v1::TX_OK) return Refuse(decoded->id, envelope);
  v1::TxResult permitted = ledger::CheckRolePermission(decoded->body, signer.record);
  if (permitted.code() != v1::TX_OK) {
    permitted.set_nonce_consumed(false);
    return Refuse(decoded->id, permitted);
  }
  // Verified just now: the block that carries it need not verify it again on this node. (Kept
  // even if the pool refuses it below: the memo's bound forgets such entries.)
  signatures_.Remember(decoded->tx, decoded->body.signer_public_key());
  std::string tx_id = decoded->id;
  uint64_t nonce = decoded->body.nonce();
  uint64_t expected_nonce = 0;
  Mempool::AddOutcome outcome = mempool_.Add(*std::move(decoded), transaction_bytes.size(),
                                             signer.next_nonce, &expected_nonce);
  v1::SubmitTransactionResponse response;
  response.set_tx_id(tx_id);
  switch (outcome) {
    case Mempool::AddOutcome::kAdded:
    case Mempool::AddOutcome::kDuplicate:
      response.set_status(v1::TX_STATUS_PENDING);
      break;
    case Mempool::AddOutcome::kBadNonce:
      return Refuse(tx_id,
                    ledger::TxReject(v1::TX_BAD_NONCE, StrCat("nonce ", nonce, " is not the next (",
                                                              expected_nonce, ") for this key")));
    case Mempool::AddOutcome::kFull:
      return Refuse(tx_id,
                    ledger::TxReject(v1::TX_TOO_LARGE, "the node's mempool is full; retry later"));
    case Mempool::AddOutcome::kSignerFull:
      return Refuse(tx_id,
                    ledger::TxReject(v1::TX_TOO_LARGE,
                                     StrCat("this key already has ", limits::kMempoolPerSignerMax,
                                            " transactions pending; wait for commits")));
  }
  Wake();
  return response;
}

namespace {

// The outcome of a transaction in an applied block: committed or rejected, with where. Without
// the transaction itself, which a look-up adds and a waiting submission does not need.
v1::GetTransactionResponse AppliedTxOutcome(const std::string& tx_id, uint64_t height,
                                            uint32_t index, const v1::TxResult& result,
                                            int64_t block_time_ms) {
  v1::GetTransactionResponse response;
  response.set_tx_id(tx_id);
  response.set_status(result.code() == v1::TX_OK ? v1::TX_STATUS_COMMITTED
                                                 : v1::TX_STATUS_REJECTED);
  response.set_height(height);
  response.set_index(index);
  *response.mutable_result() = result;
  response.set_block_time_ms(block_time_ms);
  return response;
}

}  // namespace

v1::GetTransactionResponse Replica::LookupTransaction(const std::string& tx_id) const {
  v1::GetTransactionResponse response;
  response.set_tx_id(tx_id);
  // The pool first: a transaction leaves it only after its block is durable, so reading the pool
  // and then the store never misses one that commits in between.
  if (mempool_.Contains(tx_id)) {
    response.set_status(v1::TX_STATUS_PENDING);
    return response;
  }
  std::optional<v1::TxLocation> location = store_->FindTx(tx_id);
  StopOnReadFault();
  if (!location.has_value()) {
    response.set_status(v1::TX_STATUS_UNKNOWN);
    return response;
  }
  absl::StatusOr<v1::Block> block = store_->ReadBlock(location->height());
  if (!block.ok() || static_cast<int>(location->index()) >= block->results_size()) {
    response.set_status(v1::TX_STATUS_UNKNOWN);
    return response;
  }
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block->header());
  response =
      AppliedTxOutcome(tx_id, location->height(), location->index(),
                       block->results(location->index()), header.ok() ? header->time_ms() : 0);
  *response.mutable_transaction() = block->transactions(location->index());
  return response;
}

void Replica::DecideWaiters(const std::vector<std::string>& ids, const DecodedBlock& block,
                            const ledger::AppliedBlock& applied) {
  auto outcome = [&](size_t i) {
    return AppliedTxOutcome(ids[i], applied.head.height, static_cast<uint32_t>(i),
                            applied.results[i], block.header.time_ms());
  };
  commit_waiters_.Decide(ids, outcome);
}

bool Replica::WaitForHeight(uint64_t height, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return committed_.wait_until(lock, deadline, [&] {
    return stopping_ || store_->head().height >= height;
  }) && !stopping_;
}

}  // namespace tl::node
