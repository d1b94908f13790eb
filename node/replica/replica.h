// The replica behind a Node (trialledger/node/node.h): its state and the work of its threads.
// Private to tl_node; node.h is the interface. The files that implement it:
//   replica.cc     opening, the views other threads read (status, members, routing)
//   admission.cc   submit, forward to the leader, admit to the mempool, look up and wait
//   raft_loop.cc   the Raft thread: persist, send, apply, cut blocks, snapshots
//   catch_up.cc    bringing the ledger up to a Raft snapshot by fetching verified blocks
//   membership.cc  the node records, the peers, and moving Raft towards the recorded membership
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "node_metrics.h"
#include "trialledger/consensus/leveldb_storage.h"
#include "trialledger/consensus/peer_transport.h"
#include "trialledger/consensus/raw_node.h"
#include "trialledger/ledger/acknowledged_mark.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/node/commit_waiters.h"
#include "trialledger/node/config.h"
#include "trialledger/node/forward_batcher.h"
#include "trialledger/node/linearizable_reads.h"
#include "trialledger/node/log.h"
#include "trialledger/node/mempool.h"
#include "trialledger/node/node.h"
#include "trialledger/node/signature_memo.h"
#include "trialledger/node/signature_precheck.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/sdk/tls.h"

namespace tl::node {

class PeerClients;

class Replica {
 public:
  static absl::StatusOr<std::unique_ptr<Replica>> Open(const NodeConfig& config,
                                                       const ledger::StoreOptions& store_options);
  ~Replica();

  // The calls of node.h, which states their contracts.
  void Start();
  void Stop();
  grpc::Service* raft_service();
  const TlsIdentity& tls_identity() const { return tls_; }
  void SubmitAsync(std::string transaction_bytes, bool wait_for_commit, Deadline deadline,
                   Node::SubmitDone done);
  v1::SubmitTransactionResponse Admit(std::string_view transaction_bytes);
  v1::GetTransactionResponse LookupTransaction(const std::string& tx_id) const;
  v1::GetStatusResponse Status() const;
  v1::GetMemberResponse Member(const std::string& public_key) const;
  absl::StatusOr<v1::Block> ReadBlock(uint64_t height) const { return store_->ReadBlock(height); }
  ledger::ChainHead head() const { return store_->head(); }
  std::unique_ptr<ledger::StateSnapshot> Snapshot() const { return store_->Snapshot(); }
  bool WaitForHeight(uint64_t height, Deadline deadline);
  absl::Status AwaitLinearizable(Deadline deadline) { return reads_.Await(deadline); }
  const NodeConfig& config() const { return config_; }
  uint64_t raft_id() const { return raft_id_; }
  RaftView raft_view() const;
  bool IsPeerNode(const std::vector<std::string>& identities) const;
  std::string MetricsText() const;

 private:
  Replica(NodeConfig config, GenesisDocument genesis, KeyFile node_key, TlsIdentity tls,
          std::unique_ptr<ledger::LedgerStore> store);
  absl::Status OpenRaft();
  // The one way a replica stops on a fault of its own storage (stop.h).
  [[noreturn]] void Fatal(const absl::Status& status) const;
  // Stops on a read failure the store has recorded (StateReader::status()).
  void StopOnReadFault() const;
  // An admission refusal, counted (node_metrics.h).
  v1::SubmitTransactionResponse Refuse(std::string tx_id, v1::TxResult result) const;
  // Where a submission goes now: nullopt when this node leads and admits it itself, else the
  // leader's record to forward it to; Unavailable when neither is possible.
  absl::StatusOr<std::optional<v1::NodeInfo>> SubmissionRoute() const;
  // SubmitAsync's second half: answers `admitted` at once, or when its block is applied.
  void AwaitCommit(v1::SubmitTransactionResponse admitted, bool wait_for_commit, Deadline deadline,
                   Node::SubmitDone done);
  // Starts one ForwardBatch call to the leader (forward_batcher.h sends through it).
  void ForwardBatch(const v1::NodeInfo& leader, const std::vector<std::string_view>& transactions,
                    ForwardBatcher::Answered answered);

  // The Raft loop (raft_loop.cc); everything below runs on the Raft thread only.
  void RunRaft();
  void HandleReady();
  void OnSoftState(const raft::SoftState& soft);
  void ApplyEntry(const raft::Entry& entry);
  void ApplyBlockEntry(const raft::Entry& entry);
  void MaybeCutBlock(std::chrono::steady_clock::time_point now);
  void ReconcileMembership();
  void MaybeSnapshot();
  // Brings the ledger up to the checkpoint a Raft snapshot carries, fetching blocks from peers.
  absl::Status CatchUpToSnapshot(const raft::Snapshot& snapshot);
  absl::Status FetchBlocksUpTo(uint64_t height, uint64_t preferred_peer);
  void PublishView();
  void UpdatePeers();

  // The acknowledged mark (acknowledged.cc): opened and compared with the store at start,
  // written after every synced Raft write and before the answers it allows.
  absl::Status OpenAcknowledgedMark();
  absl::Status RecordAcknowledged();
  ledger::AcknowledgedMark StoredMark() const;
  // The store's block at the height `acknowledged` names must be the one it names.
  absl::Status CheckBlockTheMarkNamed(const ledger::AcknowledgedMark& acknowledged) const;
  // Ends the catch-up after a storage loss once Raft and the ledger hold what the mark named.
  void MaybeFinishCatchingUp();
  std::vector<raft::Peer> PeerList(const raft::ConfState& conf_state) const;
  void Wake();

  // Membership records from the state (node/<name>), refreshed after blocks that change them.
  void RefreshNodes();
  std::map<std::string, v1::NodeInfo> nodes() const;
  std::optional<std::string> NodePublicKey(const std::string& node_name) const;
  std::string NodeName(uint64_t raft_id) const;

  const NodeConfig config_;
  const GenesisDocument genesis_;
  const KeyFile node_key_;
  const TlsIdentity tls_;
  const uint64_t raft_id_;
  const log::Logger logger_;
  std::unique_ptr<ledger::LedgerStore> store_;
  Mempool mempool_;
  SignatureMemo signatures_;  // what admission verified, so that apply need not again
  // Thread-safe: the Raft thread and admission count, scrapes render.
  mutable NodeMetrics metrics_;

  std::unique_ptr<raft::LevelDbLogStorage> raft_storage_;
  std::unique_ptr<ledger::AcknowledgedMarkFile> mark_;
  // Set while catching up after the store was found behind the mark: what it had acknowledged.
  std::optional<ledger::AcknowledgedMark> catching_up_to_;
  std::unique_ptr<raft::RawNode> raft_;
  std::unique_ptr<raft::PeerTransport> transport_;
  std::unique_ptr<PeerClients> peer_clients_;
  // Asynchronous submissions waiting for their blocks. Before the forwarder, whose answers
  // register here, so that it outlives it.
  CommitWaiters commit_waiters_{
      [this](const std::string& tx_id) { return LookupTransaction(tx_id); }};
  ForwardBatcher forwarder_;  // a follower's submissions, to the leader
  LinearizableReads reads_{raft_id_, [this] { Wake(); }};

  // Raft thread only.
  raft::SoftState soft_;
  bool conf_changed_ = false;      // a membership change was applied in the current Ready
  uint64_t block_in_flight_ = 0;   // Raft index of this leader's block not yet applied
  uint64_t term_start_index_ = 0;  // this leader's first entry of its term
  uint64_t pending_transfer_ = raft::kNoNode;
  std::chrono::steady_clock::time_point last_cut_;

  // The Raft thread's inbox: peer messages and wake-ups.
  std::mutex inbox_mutex_;
  std::condition_variable inbox_ready_;
  std::deque<raft::Message> inbox_;  // GUARDED_BY(inbox_mutex_)
  bool woken_ = false;               // GUARDED_BY(inbox_mutex_)

  mutable std::mutex view_mutex_;
  RaftView view_;                              // GUARDED_BY(view_mutex_)
  std::map<std::string, v1::NodeInfo> nodes_;  // GUARDED_BY(view_mutex_)

  // Hands the submissions waiting for `block`'s transactions (`ids`, in block order) their
  // outcomes (commit_waiters.h): the Raft thread, once the block is committed to the store.
  void DecideWaiters(const std::vector<std::string>& ids, const DecodedBlock& block,
                     const ledger::AppliedBlock& applied);

  std::mutex mutex_;
  std::condition_variable committed_;  // WaitForHeight's waiters: a block applied, or stop
  bool stopping_ = false;              // GUARDED_BY(mutex_)
  std::atomic<bool> stop_raft_{false};
  std::thread raft_thread_;
  // A follower's checks while it syncs a block. Last: its thread reads the members above, so it
  // is stopped before any of them goes.
  SignaturePrecheck precheck_{
      signatures_, [this](const std::string& node_name) { return NodePublicKey(node_name); }};
};

}  // namespace tl::node
