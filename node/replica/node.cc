// The Node interface over its Replica (replica.h): every call is the replica's own.
#include "trialledger/node/node.h"

#include "replica.h"

namespace tl::node {

absl::StatusOr<std::unique_ptr<Node>> Node::Open(const NodeConfig& config,
                                                 const ledger::StoreOptions& store_options) {
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(config, store_options);
  if (!replica.ok()) return replica.status();
  return std::unique_ptr<Node>(new Node(*std::move(replica)));
}

Node::Node(std::unique_ptr<Replica> replica) : replica_(std::move(replica)) {}
Node::~Node() = default;

void Node::Start() {
  replica_->Start();
}
void Node::Stop() {
  replica_->Stop();
}
grpc::Service* Node::raft_service() {
  return replica_->raft_service();
}
const TlsIdentity& Node::tls_identity() const {
  return replica_->tls_identity();
}
void Node::SubmitAsync(std::string transaction_bytes, bool wait_for_commit, Deadline deadline,
                       SubmitDone done) {
  replica_->SubmitAsync(std::move(transaction_bytes), wait_for_commit, deadline, std::move(done));
}
v1::SubmitTransactionResponse Node::Admit(std::string_view transaction_bytes) {
  return replica_->Admit(transaction_bytes);
}
v1::GetTransactionResponse Node::LookupTransaction(const std::string& tx_id) const {
  return replica_->LookupTransaction(tx_id);
}
v1::GetStatusResponse Node::Status() const {
  return replica_->Status();
}
v1::GetMemberResponse Node::Member(const std::string& public_key) const {
  return replica_->Member(public_key);
}
absl::StatusOr<v1::Block> Node::ReadBlock(uint64_t height) const {
  return replica_->ReadBlock(height);
}
ledger::ChainHead Node::head() const {
  return replica_->head();
}
std::unique_ptr<ledger::StateSnapshot> Node::Snapshot() const {
  return replica_->Snapshot();
}
bool Node::WaitForHeight(uint64_t height, Deadline deadline) {
  return replica_->WaitForHeight(height, deadline);
}
absl::Status Node::AwaitLinearizable(Deadline deadline) {
  return replica_->AwaitLinearizable(deadline);
}
const NodeConfig& Node::config() const {
  return replica_->config();
}
uint64_t Node::raft_id() const {
  return replica_->raft_id();
}
RaftView Node::raft_view() const {
  return replica_->raft_view();
}
bool Node::IsPeerNode(const std::vector<std::string>& identities) const {
  return replica_->IsPeerNode(identities);
}
std::string Node::MetricsText() const {
  return replica_->MetricsText();
}

}  // namespace tl::node
