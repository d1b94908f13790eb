#include "trialledger/node/node.h"

#include <unistd.h>

#include <cstdio>

#include <algorithm>

#include "peer_service.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/node/tx_rules.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/merkle.h"

namespace tl::node {
namespace {

constexpr std::string_view kVersion = "0.1.0";

std::string RoleLabel(raft::Role role) {
  switch (role) {
    case raft::Role::kLeader:
      return "leader";
    case raft::Role::kFollower:
      return "follower";
    case raft::Role::kCandidate:
      return "candidate";
    case raft::Role::kPreCandidate:
      return "pre-candidate";
  }
  return "unknown";
}

v1::SubmitTransactionResponse Refused(std::string tx_id, v1::TxResult result) {
  v1::SubmitTransactionResponse response;
  response.set_tx_id(std::move(tx_id));
  response.set_status(v1::TX_STATUS_REJECTED);
  *response.mutable_result() = std::move(result);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> Node::Open(const NodeConfig& config) {
  absl::StatusOr<GenesisDocument> genesis = ReadGenesisFile(config.genesis_path);
  if (!genesis.ok()) return genesis.status();
  absl::StatusOr<KeyFile> key = ReadKeyFile(config.node_key_path);
  if (!key.ok()) return key.status();
  TlsIdentity tls;
  for (auto [path, pem] : {std::pair{&config.tls_ca_path, &tls.ca_certificate_pem},
                           std::pair{&config.tls_cert_path, &tls.certificate_pem},
                           std::pair{&config.tls_key_path, &tls.private_key_pem}}) {
    absl::StatusOr<std::string> text = ReadWholeFile(*path);
    if (!text.ok()) return text.status();
    *pem = *std::move(text);
  }
  absl::Status certificate = VerifyCertificate(tls.ca_certificate_pem, tls.certificate_pem);
  if (!certificate.ok()) {
    return absl::FailedPreconditionError(
        StrCat("TLS certificate ", config.tls_cert_path, ": ", certificate.message()));
  }
  absl::StatusOr<std::unique_ptr<LedgerStore>> store = LedgerStore::Open(config.data_dir, *genesis);
  if (!store.ok()) return store.status();
  // A founding node is in the genesis; a node added later is in the state once the block that
  // added it is applied, which a new node has not seen yet: its key is then checked by the
  // cluster, whose leader only talks to the key the ledger recorded.
  for (const v1::NodeInfo& node : genesis->genesis.nodes()) {
    if (node.name() == config.name && node.public_key() != key->keys.public_key) {
      return absl::FailedPreconditionError(StrCat("node key ", config.node_key_path,
                                                  " is not the key the genesis lists for node '",
                                                  config.name, "'"));
    }
  }
  std::unique_ptr<Node> node(
      new Node(config, *std::move(genesis), *std::move(key), std::move(tls), *std::move(store)));
  absl::Status raft = node->OpenRaft();
  if (!raft.ok()) return raft;
  return node;
}

Node::Node(NodeConfig config, GenesisDocument genesis, KeyFile node_key, TlsIdentity tls,
           std::unique_ptr<LedgerStore> store)
    : config_(std::move(config)),
      genesis_(std::move(genesis)),
      node_key_(std::move(node_key)),
      tls_(std::move(tls)),
      raft_id_(RaftNodeId(node_key_.keys.public_key)),
      store_(std::move(store)),
      peer_clients_(std::make_unique<PeerClients>(tls_)),
      peer_service_(std::make_unique<PeerLedgerServiceImpl>(*this)) {}

Node::~Node() {
  Stop();
}

void Node::Start() {
  raft_thread_ = std::thread([this] { RunRaft(); });
}

void Node::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_raft_ = true;
  Wake();
  committed_.notify_all();
  if (raft_thread_.joinable()) raft_thread_.join();
}

std::vector<grpc::Service*> Node::peer_services() {
  return {transport_->service(), peer_service_.get()};
}

void Node::Fatal(const absl::Status& status) {
  std::fprintf(stderr, "trialledgerd %s: fatal: %s\n", config_.name.c_str(),
               std::string(status.message()).c_str());
  std::fflush(stderr);
  ::_exit(70);
}

void Node::Log(const std::string& line) const {
  std::fprintf(stderr, "trialledgerd %s: %s\n", config_.name.c_str(), line.c_str());
}

RaftView Node::raft_view() const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  return view_;
}

std::map<std::string, v1::NodeInfo> Node::nodes() const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  return nodes_;
}

std::string Node::NodeName(uint64_t raft_id) const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  for (const auto& [name, info] : nodes_) {
    if (RaftNodeId(info.public_key()) == raft_id) return name;
  }
  return "";
}

bool Node::IsPeerNode(const std::vector<std::string>& identities) const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  for (const std::string& identity : identities) {
    auto node = nodes_.find(identity);
    if (node != nodes_.end() && node->second.membership() != v1::NODE_MEMBERSHIP_REMOVED) {
      return true;
    }
  }
  return false;
}

void Node::RefreshNodes() {
  std::map<std::string, v1::NodeInfo> fresh;
  for (const auto& [key, value] : store_->ScanState(state_keys::kNodePrefix)) {
    v1::NodeInfo info;
    if (info.ParseFromString(value)) fresh[info.name()] = info;
  }
  std::lock_guard<std::mutex> lock(view_mutex_);
  nodes_ = std::move(fresh);
}

absl::StatusOr<v1::SubmitTransactionResponse> Node::Submit(std::string_view transaction_bytes) {
  RaftView view = raft_view();
  if (view.leader == raft_id_) {
    if (!view.accepting) {
      return absl::UnavailableError(
          StrCat("node '", config_.name, "' was just elected and is still applying; retry"));
    }
    return Admit(transaction_bytes);
  }
  if (view.leader == raft::kNoNode) {
    return absl::UnavailableError("no leader is elected at the moment; retry shortly");
  }
  std::map<std::string, v1::NodeInfo> known = nodes();
  std::string leader_name = NodeName(view.leader);
  auto leader = known.find(leader_name);
  if (leader == known.end()) {
    return absl::UnavailableError(
        StrCat("the leader (Raft id ", view.leader, ") is not yet known to this node; retry"));
  }
  v1::ForwardRequest request;
  request.set_transaction(std::string(transaction_bytes));
  request.set_from_node(config_.name);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(limits::kForwardDeadlineMs));
  v1::SubmitTransactionResponse response;
  grpc::Status status = peer_clients_->For(leader->second).Forward(&context, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(StrCat("forwarding to the leader '", leader_name,
                                         "' failed: ", status.error_message(), "; retry"));
  }
  return response;
}

v1::SubmitTransactionResponse Node::Admit(std::string_view transaction_bytes) {
  absl::StatusOr<DecodedTx> decoded = DecodeTransaction(transaction_bytes);
  if (!decoded.ok()) {
    bool too_large = transaction_bytes.size() > limits::kTxBytesMax;
    return Refused("", TxReject(too_large ? v1::TX_TOO_LARGE : v1::TX_MALFORMED,
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
  ChainHead head = store_->head();
  SignerState signer;
  v1::TxResult envelope =
      CheckEnvelope(*decoded, genesis_.genesis.chain_id(), head.height + 1, *store_, &signer);
  if (envelope.code() != v1::TX_OK) return Refused(decoded->id, envelope);
  v1::TxResult permitted = CheckRolePermission(decoded->body, signer.record);
  if (permitted.code() != v1::TX_OK) {
    permitted.set_nonce_consumed(false);
    return Refused(decoded->id, permitted);
  }
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
      return Refused(tx_id, TxReject(v1::TX_BAD_NONCE, StrCat("nonce ", nonce, " is not the next (",
                                                              expected_nonce, ") for this key")));
    case Mempool::AddOutcome::kFull:
      return Refused(tx_id, TxReject(v1::TX_TOO_LARGE, "the node's mempool is full; retry later"));
    case Mempool::AddOutcome::kSignerFull:
      return Refused(tx_id, TxReject(v1::TX_TOO_LARGE,
                                     StrCat("this key already has ", limits::kMempoolPerSignerMax,
                                            " transactions pending; wait for commits")));
  }
  Wake();
  return response;
}

v1::GetTransactionResponse Node::LookupTransaction(const std::string& tx_id) const {
  v1::GetTransactionResponse response;
  response.set_tx_id(tx_id);
  // The pool first: a transaction leaves it only after its block is durable, so reading the pool
  // and then the store never misses one that commits in between.
  if (mempool_.Contains(tx_id)) {
    response.set_status(v1::TX_STATUS_PENDING);
    return response;
  }
  std::optional<v1::TxLocation> location = store_->FindTx(tx_id);
  if (!location.has_value()) {
    response.set_status(v1::TX_STATUS_UNKNOWN);
    return response;
  }
  absl::StatusOr<v1::Block> block = store_->ReadBlock(location->height());
  if (!block.ok() || static_cast<int>(location->index()) >= block->results_size()) {
    response.set_status(v1::TX_STATUS_UNKNOWN);
    return response;
  }
  const v1::TxResult& result = block->results(location->index());
  response.set_status(result.code() == v1::TX_OK ? v1::TX_STATUS_COMMITTED
                                                 : v1::TX_STATUS_REJECTED);
  response.set_height(location->height());
  response.set_index(location->index());
  *response.mutable_result() = result;
  *response.mutable_transaction() = block->transactions(location->index());
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block->header());
  if (header.ok()) response.set_block_time_ms(header->time_ms());
  return response;
}

v1::GetTransactionResponse Node::WaitForTransaction(const std::string& tx_id, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    // Note the commit count before looking, so a commit between the look and the wait is seen.
    uint64_t commits_seen = commit_count_;
    lock.unlock();
    v1::GetTransactionResponse response = LookupTransaction(tx_id);
    lock.lock();
    bool open =
        response.status() == v1::TX_STATUS_PENDING || response.status() == v1::TX_STATUS_UNKNOWN;
    if (!open || stopping_) return response;
    if (!committed_.wait_until(lock, deadline,
                               [&] { return stopping_ || commit_count_ != commits_seen; })) {
      return response;
    }
  }
}

bool Node::WaitForHeight(uint64_t height, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return committed_.wait_until(lock, deadline, [&] {
    return stopping_ || store_->head().height >= height;
  }) && !stopping_;
}

v1::GetStatusResponse Node::Status() const {
  ChainHead head = store_->head();
  RaftView view = raft_view();
  v1::GetStatusResponse status;
  status.set_chain_id(genesis_.genesis.chain_id());
  status.set_node_name(config_.name);
  status.set_height(head.height);
  status.set_head_block_hash(head.block_hash);
  status.set_state_hash(head.state_hash);
  status.set_head_time_ms(head.time_ms);
  status.set_mempool_size(static_cast<uint32_t>(mempool_.size()));
  status.set_genesis_hash(genesis_.hash);
  status.set_version(std::string(kVersion));
  status.set_leader(NodeName(view.leader));
  status.set_term(view.term);
  status.set_role(RoleLabel(view.role));
  status.set_commit_index(view.commit);
  status.set_applied_index(view.applied);
  status.set_last_index(view.last_index);
  status.set_raft_id(raft_id_);
  for (const auto& [name, info] : nodes()) {
    uint64_t id = RaftNodeId(info.public_key());
    v1::ClusterMember* member = status.add_members();
    member->set_name(name);
    member->set_raft_id(id);
    member->set_address(info.address());
    member->set_peer_address(info.peer_address());
    member->set_desired(info.membership());
    const auto& voters = view.conf_state.voters;
    const auto& learners = view.conf_state.learners;
    if (std::find(voters.begin(), voters.end(), id) != voters.end()) {
      member->set_raft_role("voter");
    } else if (std::find(learners.begin(), learners.end(), id) != learners.end()) {
      member->set_raft_role("learner");
    }
    for (const raft::PeerStatus& peer : view.peers) {
      if (peer.node_id != id) continue;
      member->set_match_index(peer.match_index);
      member->set_recently_active(peer.recent_active);
    }
  }
  return status;
}

v1::GetMemberResponse Node::Member(const std::string& public_key) const {
  v1::GetMemberResponse response;
  std::optional<std::string> bytes = store_->Get(state_keys::Member(public_key));
  v1::MemberRecord record;
  if (!bytes.has_value() || !record.ParseFromString(*bytes)) return response;
  *response.mutable_member() = record.member();
  response.set_revoked(record.revoked_from_height() != 0);
  response.set_revoked_from_height(record.revoked_from_height());
  std::optional<std::string> nonce = store_->Get(state_keys::Nonce(public_key));
  uint64_t next_committed = nonce.has_value() ? DecodeBigEndian64(*nonce) + 1 : 1;
  response.set_next_nonce(mempool_.NextNonce(public_key, next_committed));
  return response;
}

}  // namespace tl::node
