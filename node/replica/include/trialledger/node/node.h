// A running ledger node: one member of a Raft cluster that agrees on one block history.
//
//   auto node = Node::Open(config);     // opens the store and the Raft log, checks genesis and
//                                       // head
//   // host node->raft_service() and a PeerLedgerServiceImpl(*node) (service.h) on the mutual-TLS
//   // peer endpoint, and a LedgerServiceImpl(*node) on the client endpoint
//   (*node)->Start();                   // the Raft loop on its own thread
//   (*node)->SubmitAsync(bytes, /*wait_for_commit=*/true, deadline, done);
//   (*node)->Stop();
//
// The leader admits transactions to its mempool, cuts them into a signed block and proposes the
// block as one Raft entry; a follower forwards what it is given to the leader. Every node applies
// committed blocks with the same deterministic pipeline (trialledger/ledger/apply.h), so all
// stores hold the same bytes. docs/raft.md describes the loop, membership and snapshots.
//
// A storage fault (a failed write or sync, a failed or corrupt read) stops the process with exit
// code 70 (kStorageFaultExitCode) and the reason on stderr: a node that cannot trust its disk must
// not go on voting or acknowledging.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/consensus/raw_node.h"
#include "trialledger/ledger/apply.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/node/config.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/sdk/tls.h"

namespace grpc {
class Service;
}

namespace tl::node {

// The exit status of a node that stopped on a fault of its own storage (EX_SOFTWARE).
inline constexpr int kStorageFaultExitCode = 70;

using Deadline = std::chrono::steady_clock::time_point;

// What the Raft loop last published, for other threads (status, routing).
struct RaftView {
  raft::Role role = raft::Role::kFollower;
  uint64_t leader = raft::kNoNode;
  uint64_t term = 0;
  uint64_t commit = 0;
  uint64_t applied = 0;
  uint64_t last_index = 0;
  bool accepting = false;  // leader that has applied every entry of earlier terms
  raft::ConfState conf_state;
  std::vector<raft::PeerStatus> peers;
};

class Replica;

class Node {
 public:
  // `store_options` chooses where the store keeps its files (tests inject a faulty disk).
  static absl::StatusOr<std::unique_ptr<Node>> Open(const NodeConfig& config,
                                                    const ledger::StoreOptions& store_options = {});
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void Start();
  void Stop();

  // Raft messages between nodes, for the mutual-TLS peer endpoint.
  grpc::Service* raft_service();
  const TlsIdentity& tls_identity() const;

  // Leader-side admission; a forwarded transaction arrives here.
  v1::SubmitTransactionResponse Admit(std::string_view transaction_bytes);
  // Takes a transaction in and, when `wait_for_commit` and it is admitted (PENDING), waits for
  // its block, without holding the caller's thread (the client API's handler). On the leader:
  // admission (decode, envelope, role and nonce against the committed state and the pool, then
  // queue); on a follower: forwarded to the leader. A transaction this node has not seen yet may
  // still be on its way from the leader, so unknown counts as pending. `done` is called once, on
  // the caller's thread or one of the node's, with the response (the tx id and PENDING or the
  // refusal; as committed or rejected when waited for), Unavailable (no leader, forwarding
  // failed, stopping) or DeadlineExceeded (admitted, but not committed before `deadline`).
  using SubmitDone = std::function<void(absl::StatusOr<v1::SubmitTransactionResponse>)>;
  void SubmitAsync(std::string transaction_bytes, bool wait_for_commit, Deadline deadline,
                   SubmitDone done);
  v1::GetTransactionResponse LookupTransaction(const std::string& tx_id) const;

  v1::GetStatusResponse Status() const;
  v1::GetMemberResponse Member(const std::string& public_key) const;
  absl::StatusOr<v1::Block> ReadBlock(uint64_t height) const;
  ledger::ChainHead head() const;
  // The committed state as of now, for reads that span several keys.
  std::unique_ptr<ledger::StateSnapshot> Snapshot() const;
  // Waits until the head is at least `height`; false on deadline or stop.
  bool WaitForHeight(uint64_t height, Deadline deadline);
  // Returns once this node has applied every entry committed before the call began, as a quorum
  // confirmed (linearizable_reads.h); Unavailable or DeadlineExceeded otherwise. Thread-safe.
  absl::Status AwaitLinearizable(Deadline deadline);
  const NodeConfig& config() const;
  uint64_t raft_id() const;
  RaftView raft_view() const;
  // True if one of the certificate `identities` names a node of the ledger that is not removed.
  bool IsPeerNode(const std::vector<std::string>& identities) const;
  // This node's metrics in the Prometheus text format, read now (docs/operations.md lists them).
  // Thread-safe; for the metrics endpoint.
  std::string MetricsText() const;

 private:
  explicit Node(std::unique_ptr<Replica> replica);

  std::unique_ptr<Replica> replica_;
};

}  // namespace tl::node
