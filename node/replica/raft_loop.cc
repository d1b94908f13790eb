// The node's Raft loop: one thread owns the RawNode, persists each Ready before sending its
// messages, applies committed blocks, and (as leader) cuts the next block once the previous one
// is applied. docs/raft.md explains the design; raw_node.h the Ready contract.
#include <algorithm>

#include "peer_clients.h"
#include "replica.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/merkle.h"

namespace tl::node {
namespace {

using Clock = std::chrono::steady_clock;

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool Contains(const std::vector<uint64_t>& ids, uint64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

raft::ConfState FoundingMembers(const v1::Genesis& genesis) {
  raft::ConfState founding;
  for (const v1::NodeInfo& node : genesis.nodes())
    founding.voters.push_back(RaftNodeId(node.public_key()));
  std::sort(founding.voters.begin(), founding.voters.end());
  return founding;
}

}  // namespace

absl::Status Replica::OpenRaft() {
  RefreshNodes();
  absl::StatusOr<std::unique_ptr<raft::LevelDbLogStorage>> storage =
      raft::LevelDbLogStorage::Open(store_->db(), std::string(ledger::store_keys::kRaftLogPrefix));
  if (!storage.ok()) return storage.status();
  raft_storage_ = *std::move(storage);
  bool fresh = raft_storage_->LastIndex() == 0 && raft_storage_->snapshot().meta.index == 0;
  raft::ConfState founding = FoundingMembers(genesis_.genesis);
  if (fresh && Contains(founding.voters, raft_id_)) {
    // A founding node starts from the genesis membership; a node added later starts empty and
    // is sent a snapshot by the leader once the ledger has admitted it.
    absl::Status bootstrapped = raft_storage_->Write(raft::BootstrapWrite(founding));
    if (!bootstrapped.ok()) return bootstrapped;
  }
  if (absl::Status mark = OpenAcknowledgedMark(); !mark.ok()) return mark;
  transport_ = std::make_unique<raft::PeerTransport>(
      raft_id_, PeerList(raft_storage_->snapshot().meta.conf_state), tls_,
      [this](raft::Message message) {
        {
          std::lock_guard<std::mutex> lock(inbox_mutex_);
          inbox_.push_back(std::move(message));
        }
        inbox_ready_.notify_one();
      });
  return absl::OkStatus();
}

void Replica::Wake() {
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    woken_ = true;
  }
  inbox_ready_.notify_one();
}

void Replica::RunRaft() {
  // A crash can fall between installing a snapshot and bringing the ledger up to it.
  if (store_->raft_applied() < raft_storage_->snapshot().meta.index) {
    absl::Status caught_up = CatchUpToSnapshot(raft_storage_->snapshot());
    if (!caught_up.ok()) {
      if (stop_raft_) return;
      Fatal(caught_up);
    }
  }
  raft::Config raft_config;
  raft_config.id = raft_id_;
  raft_config.election_timeout_ticks = static_cast<uint64_t>(config_.election_ticks);
  raft_config.heartbeat_interval_ticks = 1;
  raft_config.random_seed = raft_id_;
  raft_config.applied_index = store_->raft_applied();
  if (catching_up_to_.has_value()) {
    raft_config.acknowledged = raft::Acknowledged{.term = catching_up_to_->term,
                                                  .vote = catching_up_to_->vote,
                                                  .last_index = catching_up_to_->last_index,
                                                  .last_term = catching_up_to_->last_term};
  }
  absl::StatusOr<std::unique_ptr<raft::RawNode>> created =
      raft::RawNode::Create(raft_config, raft_storage_.get());
  if (!created.ok()) Fatal(created.status());
  raft_ = *std::move(created);
  UpdatePeers();
  raft::ConfState members = raft_->conf_state();
  if (members.voters.size() == 1 && members.voters[0] == raft_id_) {
    (void)raft_->Campaign();  // alone: no one to wait for
  }

  const auto tick = std::chrono::milliseconds(config_.raft_tick_ms);
  const auto block_interval = std::chrono::milliseconds(config_.block_interval_ms);
  auto next_tick = Clock::now() + tick;
  while (!stop_raft_) {
    PublishView();
    std::deque<raft::Message> messages;
    {
      std::unique_lock<std::mutex> lock(inbox_mutex_);
      auto wake_at = next_tick;
      if (config_.block_interval_ms > 0 && mempool_.waiting() > 0) {
        wake_at = std::min(wake_at, last_cut_ + block_interval);
      }
      inbox_ready_.wait_until(lock, wake_at,
                              [&] { return stop_raft_ || woken_ || !inbox_.empty(); });
      messages.swap(inbox_);
      woken_ = false;
    }
    if (stop_raft_) break;
    for (const raft::Message& message : messages) {
      (void)raft_->Step(message);  // stale and misaddressed messages are expected; Raft retries
    }
    reads_.SendRequests([&](std::string context) { return raft_->ReadIndex(std::move(context)); });
    auto now = Clock::now();
    if (now >= next_tick) {
      raft_->Tick();
      next_tick = now + tick;
      ReconcileMembership();
    }
    MaybeCutBlock(now);
    while (raft_->HasReady() && !stop_raft_) {
      HandleReady();
      // Applying this leader's block frees the way for the next one: cut it now rather than on
      // the next wake-up, so blocks follow each other back to back under load.
      MaybeCutBlock(Clock::now());
    }
    MaybeSnapshot();
  }
}

void Replica::HandleReady() {
  raft::Ready ready = raft_->GetReady();
  reads_.OnReadStates(ready.read_states);
  if (ready.soft_state.has_value()) OnSoftState(*ready.soft_state);
  // The leader's appends go out while its own copy is synced (raw_node.h, step 0).
  for (const raft::Message& message : ready.early_messages)
    transport_->Send(message);
  if (soft_.role != raft::Role::kLeader) {
    // The leader checked these at admission; a follower checks them while it syncs them.
    for (const raft::Entry& entry : ready.write.entries) {
      if (entry.type == raft::EntryType::kNormal) precheck_.Check(entry.index, entry.data);
    }
  }
  if (!ready.write.empty()) {
    auto write_start = Clock::now();
    absl::Status written = raft_storage_->Write(ready.write);
    if (!written.ok()) Fatal(written);
    if (ready.write.must_sync) {
      metrics_.RecordRaftLogSync(Clock::now() - write_start);
      // Before any answer this write allows (votes, append acknowledgements, the leader counting
      // itself), the mark records it: a disk that later loses it is then found out.
      absl::Status recorded = RecordAcknowledged();
      if (!recorded.ok()) Fatal(recorded);
    }
  }
  if (ready.write.snapshot.has_value()) {
    absl::Status caught_up = CatchUpToSnapshot(*ready.write.snapshot);
    if (!caught_up.ok()) {
      if (stop_raft_) return;  // the next start catches up again from the stored snapshot
      Fatal(caught_up);
    }
  }
  for (const raft::Message& message : ready.messages)
    transport_->Send(message);
  conf_changed_ = false;
  for (const raft::Entry& entry : ready.committed_entries)
    ApplyEntry(entry);
  raft_->Advance();
  reads_.OnApplied(raft_->applied_index());
  MaybeFinishCatchingUp();
  if (conf_changed_ || ready.write.snapshot.has_value()) UpdatePeers();
  if (pending_transfer_ != raft::kNoNode) {
    if (soft_.role == raft::Role::kLeader && pending_transfer_ != raft_id_) {
      absl::Status transferred = raft_->TransferLeadership(pending_transfer_);
      if (transferred.ok()) {
        logger_.Info("leadership transfer started", {{"to", NodeName(pending_transfer_)}});
      } else {
        logger_.Warn("leadership transfer not started",
                     {{"to", NodeName(pending_transfer_)}, {"error", transferred.message()}});
      }
    }
    pending_transfer_ = raft::kNoNode;
  }
}

void Replica::OnSoftState(const raft::SoftState& soft) {
  bool was_leader = soft_.role == raft::Role::kLeader;
  bool is_leader = soft.role == raft::Role::kLeader;
  if (is_leader && !was_leader) {
    // Blocks are cut on the applied head, so a new leader first applies everything its
    // predecessors committed: its own first entry of the term marks that point.
    term_start_index_ = raft_->last_index();
    logger_.Info("became leader", {{"term", raft_->hard_state().term}});
  }
  if (was_leader && !is_leader) {
    block_in_flight_ = 0;
    mempool_.Clear();
    logger_.Info("no longer leader", {{"term", raft_->hard_state().term}});
  }
  soft_ = soft;
}

void Replica::ApplyEntry(const raft::Entry& entry) {
  switch (entry.type) {
    case raft::EntryType::kNormal:
      ApplyBlockEntry(entry);
      return;
    case raft::EntryType::kConfChange:
      conf_changed_ = true;
      break;
    case raft::EntryType::kEmpty:
      break;
  }
  absl::Status recorded = store_->RecordRaftApplied(entry.index, /*sync=*/false);
  if (!recorded.ok()) Fatal(recorded);
}

void Replica::ApplyBlockEntry(const raft::Entry& entry) {
  precheck_.MarkApplied(entry.index);  // a check not begun by now would duplicate the apply's
  absl::StatusOr<DecodedBlock> block = DecodeBlock(entry.data);
  auto apply_start = Clock::now();
  absl::StatusOr<ledger::AppliedBlock> applied =
      block.ok() ? ledger::ApplyBlock(store_->head(), genesis_.genesis.chain_id(), *block, *store_,
                                      ledger::ApplyOptions{.signatures = &signatures_})
                 : absl::StatusOr<ledger::AppliedBlock>(block.status());
  auto apply_end = Clock::now();
  // A block that does not decode or does not extend the head is refused by every node alike, so
  // skipping it keeps them equal; it can only come from a deposed leader's late proposal.
  const bool refused = !block.ok() || (!applied.ok() && ledger::IsRefusedBlock(applied.status()));
  if (refused) {
    logger_.Warn("skipping committed Raft entry",
                 {{"index", entry.index}, {"error", applied.status().message()}});
    metrics_.RecordRefusedBlock();
    absl::Status recorded = store_->RecordRaftApplied(entry.index, /*sync=*/false);
    if (!recorded.ok()) Fatal(recorded);
    if (entry.index == block_in_flight_) {
      block_in_flight_ = 0;
      mempool_.RequeueTaken();
    }
    return;
  }
  // Anything else is this node's own storage failing it: its peers computed a result it cannot.
  if (!applied.ok()) Fatal(applied.status());
  absl::Status committed = store_->CommitBlock(*block, *applied, entry.index, /*sync=*/false);
  if (!committed.ok()) Fatal(committed);
  BlockTally tally = TallyBlock(applied->results, applied->writes);
  metrics_.RecordBlock(tally, apply_end - apply_start, Clock::now() - apply_end);
  if (logger_.Enabled(log::Level::kDebug)) {
    logger_.Debug("block applied", {{"height", applied->head.height},
                                    {"raft_index", entry.index},
                                    {"txs", block->block.transactions_size()},
                                    {"ok", tally.transactions_ok}});
  }
  if (entry.index == block_in_flight_) block_in_flight_ = 0;

  std::vector<std::string> ids;
  ids.reserve(block->block.transactions_size());
  bool nodes_changed = false;
  for (int i = 0; i < block->block.transactions_size(); ++i) {
    const v1::Transaction& tx = block->block.transactions(i);
    ids.push_back(TxId(tx));
    if (applied->results[i].code() != v1::TX_OK) continue;
    v1::TxBody body;
    if (!body.ParseFromString(tx.body())) continue;
    if (body.has_change_node()) nodes_changed = true;
    if (body.has_transfer_leadership()) {
      std::optional<std::string> bytes =
          store_->Get(ledger::state_keys::Node(body.transfer_leadership().node_name()));
      StopOnReadFault();
      v1::NodeInfo target;
      if (bytes.has_value() && target.ParseFromString(*bytes)) {
        pending_transfer_ = RaftNodeId(target.public_key());
      }
    }
  }
  mempool_.Remove(ids);
  if (nodes_changed) {
    RefreshNodes();
    UpdatePeers();
    std::map<std::string, v1::NodeInfo> known = nodes();
    auto self = known.find(config_.name);
    if (self != known.end() && self->second.membership() == v1::NODE_MEMBERSHIP_REMOVED) {
      logger_.Warn(
          "this node was removed from the cluster; it no longer takes part and can be "
          "stopped",
          {{"height", block->header.height()}});
    }
  }
  DecideWaiters(ids, *block, *applied);
  committed_.notify_all();
}

void Replica::MaybeCutBlock(Clock::time_point now) {
  if (soft_.role != raft::Role::kLeader || block_in_flight_ != 0) return;
  if (raft_->applied_index() < term_start_index_) return;
  size_t waiting = mempool_.waiting();
  if (waiting == 0) return;
  if (config_.block_interval_ms > 0 && waiting < static_cast<size_t>(config_.block_max_txs) &&
      now - last_cut_ < std::chrono::milliseconds(config_.block_interval_ms)) {
    return;
  }
  std::vector<DecodedTx> txs =
      mempool_.TakeForBlock(static_cast<size_t>(config_.block_max_txs), limits::kBlockBytesMax / 2);
  ledger::ChainHead head = store_->head();
  v1::BlockHeader header;
  header.set_chain_id(genesis_.genesis.chain_id());
  header.set_height(head.height + 1);
  header.set_prev_block_hash(head.block_hash);
  header.set_state_hash(head.state_hash);
  header.set_time_ms(std::max(WallClockMs(), head.time_ms + 1));
  header.set_proposer(config_.name);
  header.set_term(raft_->hard_state().term);
  header.set_tx_count(static_cast<uint32_t>(txs.size()));
  std::vector<std::string> ids;
  v1::Block block;
  for (DecodedTx& tx : txs) {
    ids.push_back(tx.id);
    *block.add_transactions() = std::move(tx.tx);
  }
  header.set_tx_merkle_root(MerkleRoot(ids));
  block.set_header(Encode(header));
  block.set_proposer_signature(
      SignInDomain(kBlockSigningDomain, node_key_.keys.secret_key, block.header()));
  // Signed just now with this node's key: its apply need not verify that signature.
  signatures_.RememberBlock(block, node_key_.keys.public_key);
  absl::StatusOr<uint64_t> index = raft_->Propose(Encode(block));
  if (!index.ok()) {
    mempool_.RequeueTaken();
    logger_.Warn("block not proposed",
                 {{"height", header.height()}, {"error", index.status().message()}});
    return;
  }
  if (logger_.Enabled(log::Level::kDebug)) {
    logger_.Debug("block proposed",
                  {{"height", header.height()}, {"raft_index", *index}, {"txs", txs.size()}});
  }
  block_in_flight_ = *index;
  last_cut_ = now;
}

void Replica::MaybeSnapshot() {
  uint64_t applied = raft_->applied_index();
  if (applied < raft_storage_->snapshot().meta.index + config_.snapshot_interval) return;
  ledger::ChainHead head = store_->head();
  v1::LedgerCheckpoint checkpoint;
  checkpoint.set_height(head.height);
  checkpoint.set_block_hash(head.block_hash);
  checkpoint.set_state_hash(head.state_hash);
  // Synced: it also makes every block batch applied so far durable, before the log that could
  // replay them is dropped.
  absl::Status created =
      raft_storage_->CreateSnapshot(applied, raft_->conf_state(), Encode(checkpoint));
  if (!created.ok()) Fatal(created);
}

void Replica::PublishView() {
  RaftView view;
  view.role = soft_.role;
  view.leader = soft_.leader;
  raft::HardState hard = raft_->hard_state();
  view.term = hard.term;
  view.commit = hard.commit;
  view.applied = raft_->applied_index();
  view.last_index = raft_->last_index();
  view.accepting = soft_.role == raft::Role::kLeader && view.applied >= term_start_index_;
  view.conf_state = raft_->conf_state();
  view.peers = raft_->peer_status();
  std::lock_guard<std::mutex> lock(view_mutex_);
  view_ = std::move(view);
}

}  // namespace tl::node
