// Opening a replica, and the views its other threads read: status, members, the chain head.
#include <algorithm>

#include "peer_clients.h"
#include "replica.h"
#include "stop.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {
namespace {

constexpr std::string_view kVersion = "0.1.0";

}  // namespace

absl::StatusOr<std::unique_ptr<Replica>> Replica::Open(const NodeConfig& config,
                                                       const ledger::StoreOptions& store_options) {
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
  absl::StatusOr<std::unique_ptr<ledger::LedgerStore>> store =
      ledger::LedgerStore::Open(config.data_dir, *genesis, store_options);
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
  std::unique_ptr<Replica> node(
      new Replica(config, *std::move(genesis), *std::move(key), std::move(tls), *std::move(store)));
  absl::Status raft = node->OpenRaft();
  if (!raft.ok()) return raft;
  return node;
}

Replica::Replica(NodeConfig config, GenesisDocument genesis, KeyFile node_key, TlsIdentity tls,
                 std::unique_ptr<ledger::LedgerStore> store)
    : config_(std::move(config)),
      genesis_(std::move(genesis)),
      node_key_(std::move(node_key)),
      tls_(std::move(tls)),
      raft_id_(RaftNodeId(node_key_.keys.public_key)),
      logger_(config_.name),
      store_(std::move(store)),
      peer_clients_(std::make_unique<PeerClients>(tls_)),
      forwarder_(
          [this](const v1::NodeInfo& leader, const std::vector<std::string_view>& transactions,
                 ForwardBatcher::Answered answered) {
            ForwardBatch(leader, transactions, std::move(answered));
          },
          limits::kForwardBatchTxsMax, limits::kForwardBatchBytesMax) {}

Replica::~Replica() {
  Stop();
}

void Replica::Start() {
  raft_thread_ = std::thread([this] { RunRaft(); });
}

void Replica::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_raft_ = true;
  Wake();
  committed_.notify_all();
  reads_.Stop();
  if (raft_thread_.joinable()) raft_thread_.join();
  // The forwarder first: the answers it gives may still register waiters.
  forwarder_.Stop();
  commit_waiters_.Stop();
}

grpc::Service* Replica::raft_service() {
  return transport_->service();
}

void Replica::Fatal(const absl::Status& status) const {
  StopOnStorageFault(config_.name, status);
}

void Replica::StopOnReadFault() const {
  if (absl::Status read = store_->status(); !read.ok()) Fatal(read);
}

RaftView Replica::raft_view() const {
  std::lock_guard<std::mutex> lock(view_mutex_);
  return view_;
}

std::string Replica::MetricsText() const {
  RaftView view = raft_view();
  NodeGauges gauges;
  gauges.role = view.role;
  gauges.term = view.term;
  gauges.commit_index = view.commit;
  gauges.applied_index = view.applied;
  gauges.last_index = view.last_index;
  gauges.height = store_->head().height;
  gauges.mempool_transactions = mempool_.size();
  gauges.submissions_waiting = commit_waiters_.waiting();
  for (const raft::PeerStatus& peer : view.peers) {
    if (peer.node_id == raft_id_) continue;
    std::string name = NodeName(peer.node_id);  // a node the ledger does not know yet: its id
    gauges.peers.push_back({name.empty() ? StrCat(peer.node_id) : name, peer.match_index});
  }
  return metrics_.Render(gauges);
}

v1::GetStatusResponse Replica::Status() const {
  ledger::ChainHead head = store_->head();
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
  status.set_role(raft::RoleName(view.role));
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

v1::GetMemberResponse Replica::Member(const std::string& public_key) const {
  v1::GetMemberResponse response;
  std::optional<std::string> bytes = store_->Get(ledger::state_keys::Member(public_key));
  v1::MemberRecord record;
  if (!bytes.has_value() || !record.ParseFromString(*bytes)) return response;
  *response.mutable_member() = record.member();
  response.set_revoked(record.revoked_from_height() != 0);
  response.set_revoked_from_height(record.revoked_from_height());
  std::optional<std::string> nonce = store_->Get(ledger::state_keys::Nonce(public_key));
  StopOnReadFault();
  uint64_t next_committed = nonce.has_value() ? DecodeBigEndian64(*nonce) + 1 : 1;
  response.set_next_nonce(mempool_.NextNonce(public_key, next_committed));
  return response;
}

}  // namespace tl::node
