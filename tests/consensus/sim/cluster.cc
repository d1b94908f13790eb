#include "cluster.h"

#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app_state.h"
#include "invariants.h"
#include "sim_network.h"
#include "trialledger/consensus/codec.h"
#include "trialledger/consensus/raw_node.h"
#include "trialledger/consensus/rng.h"

namespace tl::raft::sim {
namespace {

// Every rate of the fault schedule, per mille per tick unless named otherwise.
constexpr uint64_t kElectionTimeoutTicks = 10;
constexpr uint64_t kProposePerMille = 500;
constexpr uint64_t kReadPerMille = 60;
constexpr uint64_t kPartitionPerMille = 15;
constexpr uint64_t kHealPerMille = 25;
constexpr uint64_t kCrashPerMille = 12;
constexpr uint64_t kCrashLeaderPerMille = 8;  // leader failover is where Raft bugs hide
// Failpoint (as in etcd's robustness suite): a new leader dies a few ticks into its term, before
// its own entries are safely replicated: the Figure 8 window.
constexpr uint64_t kCrashNewLeaderPerMille = 300;
constexpr uint64_t kCrashDuringSyncPerMille = 10;  // per synced Ready
constexpr uint64_t kMinDownTicks = 2;
constexpr uint64_t kMaxDownTicks = 40;
constexpr uint64_t kSnapshotPerMille = 30;
constexpr uint64_t kSnapshotMinNewEntries = 4;
constexpr uint64_t kConfChangePerMille = 8;
constexpr uint64_t kTransferPerMille = 5;
constexpr uint64_t kMinVoters = 3;
constexpr uint64_t kTraceTailEvents = 60;
constexpr NetworkFaults kFaultyNetwork{50, 30, 1, 3, 10, 20};
constexpr NetworkFaults kHealthyNetwork{0, 0, 1, 1, 0, 0};

struct SimNode {
  uint64_t id = 0;
  MemoryLogStorage storage;
  std::unique_ptr<RawNode> raw;  // null while crashed
  AppState app;
  uint64_t restart_tick = 0;
  uint64_t crash_tick = 0;  // a scheduled crash (0: none)
  bool founding = false;
  bool ever_added = false;  // a membership change named it (so it is never re-added)
};

struct PendingProposal {
  uint64_t term;
  uint64_t id;
};

class Cluster {
 public:
  explicit Cluster(const SimOptions& options)
      : options_(options), rng_(options.seed), network_(&rng_), tuning_(ChooseTuning()) {}

  SimResult Run();

 private:
  bool Failed() const { return !result_.ok; }
  void Fail(const absl::Status& status) {
    if (status.ok() || Failed()) return;
    result_.ok = false;
    result_.violation = absl::StrCat("tick ", now_, ": ", status.message());
  }
  void Trace(const std::string& event) {
    std::string line = absl::StrCat("[", now_, "] ", event);
    if (options_.trace) std::cout << line << "\n";
    trace_.push_back(std::move(line));
    if (trace_.size() > kTraceTailEvents) trace_.pop_front();
  }

  Config MakeConfig(uint64_t id, uint64_t applied_index);
  Config ChooseTuning();
  void StartNode(SimNode& node);
  void Crash(SimNode& node, const char* why);
  void HandleReady(SimNode& node);
  void Apply(SimNode& node, const Entry& entry);
  void Step(bool faults, bool client);
  void InjectFaults();
  void Propose();
  void RequestRead();
  void ChangeMembership();
  void TakeSnapshot();
  SimNode* Leader();
  std::vector<uint64_t> LiveIds() const;
  void CheckEventualDelivery();
  std::string DescribeNodes() const;

  SimOptions options_;
  DeterministicRng rng_;
  SimNetwork network_;
  Config tuning_;
  InvariantChecker checker_;
  std::map<uint64_t, SimNode> nodes_;
  uint64_t now_ = 0;
  bool faults_active_ = true;
  uint64_t next_proposal_id_ = 1;
  uint64_t next_read_id_ = 1;
  std::map<std::pair<uint64_t, uint64_t>, PendingProposal> pending_;  // (node, index) -> proposal
  std::set<uint64_t> acked_ids_;
  uint64_t max_acked_index_ = 0;
  uint64_t last_ack_tick_ = 0;
  std::map<std::string, uint64_t> reads_;  // context -> index a linearizable read must reach
  std::deque<std::string> trace_;
  SimResult result_;
};

Config Cluster::MakeConfig(uint64_t id, uint64_t applied_index) {
  Config config = tuning_;
  config.id = id;
  config.random_seed = rng_.Next();
  config.applied_index = applied_index;
  config.testing_knobs = options_.knobs;
  return config;
}

Config Cluster::ChooseTuning() {
  // Each seed picks its own flow-control limits, so tiny windows (one entry per append, one
  // append in flight) and large batches are both exercised across seeds.
  // (max_append_bytes, max_inflight_appends) pairs; each replicates at least ~2 entries per
  // tick, faster than the client proposes, so a healed cluster can always catch up in bounds.
  static constexpr std::pair<uint64_t, uint64_t> kFlowControl[] = {
      {1, 4}, {64, 2}, {64, 4}, {256, 2}, {4096, 32}};
  static constexpr uint64_t kChunkBytes[] = {64, 256, 1024};
  Config config;
  config.election_timeout_ticks = kElectionTimeoutTicks;
  config.heartbeat_interval_ticks = rng_.Between(1, 3);
  const auto [append_bytes, inflight_appends] = kFlowControl[rng_.Uniform(5)];
  config.max_append_bytes = append_bytes;
  config.max_inflight_appends = inflight_appends;
  config.max_uncommitted_entry_bytes = 4096;
  config.snapshot_chunk_bytes = kChunkBytes[rng_.Uniform(3)];
  config.max_inflight_snapshot_chunks = rng_.Between(2, 8);
  return config;
}

void Cluster::StartNode(SimNode& node) {
  Fail(checker_.OnStart(node.id, node.storage));
  const Snapshot& snapshot = node.storage.snapshot();
  if (snapshot.meta.index > node.app.applied_index) {
    // The crash hit after the snapshot was persisted but before the state machine restored it:
    // restore now, as trialledgerd must.
    node.app = AppState::Decode(snapshot.data, snapshot.meta.index);
    Fail(checker_.OnSnapshotState(node.id, snapshot.meta.index, node.app.state_hash));
  }
  absl::StatusOr<std::unique_ptr<RawNode>> raw =
      RawNode::Create(MakeConfig(node.id, node.app.applied_index), &node.storage);
  if (!raw.ok()) {
    Fail(absl::InternalError(absl::StrCat("INVARIANT VIOLATED: node ", node.id,
                                          " cannot restart: ", raw.status().message())));
    return;
  }
  node.raw = std::move(*raw);
  Trace(absl::StrCat("node ", node.id, " starts, term ", node.storage.hard_state().term, " commit ",
                     node.storage.hard_state().commit, " last index ", node.storage.LastIndex(),
                     " applied ", node.app.applied_index));
}

void Cluster::Crash(SimNode& node, const char* why) {
  const uint64_t unsynced = node.storage.unsynced_write_count();
  uint64_t surviving = 0;
  uint64_t torn = 0;
  if (unsynced > 0 && rng_.Chance(1, 2)) {
    surviving = rng_.Between(0, unsynced);
    torn = rng_.Between(0, 2);
  }
  node.storage.Crash(surviving, torn);
  node.raw.reset();
  node.crash_tick = 0;
  node.restart_tick = now_ + rng_.Between(kMinDownTicks, kMaxDownTicks);
  std::erase_if(pending_, [&](const auto& item) { return item.first.first == node.id; });
  ++result_.crashes;
  Trace(absl::StrCat("node ", node.id, " crashes (", why, "), ", unsynced, " unsynced writes, ",
                     surviving, " survive, torn ", torn));
}

void Cluster::HandleReady(SimNode& node) {
  while (!Failed() && node.raw && node.raw->HasReady()) {
    Ready ready = node.raw->GetReady();
    // Sent before the write, so a crash during the fsync below finds them already on the wire.
    for (Message& message : ready.early_messages)
      network_.Send(now_, std::move(message));
    StorageWrite unsynced = ready.write;
    unsynced.must_sync = false;
    Fail(node.storage.Write(unsynced));
    if (ready.write.must_sync) {
      if (faults_active_ && rng_.Chance(kCrashDuringSyncPerMille, 1000)) {
        Crash(node, "during fsync");
        return;
      }
      node.storage.Sync();
    }
    Fail(checker_.OnWrite(node.id, ready.write, node.storage, ready.write.must_sync));
    if (ready.soft_state) {
      Trace(absl::StrCat("node ", node.id, " is ", RoleName(ready.soft_state->role), " term ",
                         node.raw->hard_state().term, " leader ", ready.soft_state->leader));
      if (ready.soft_state->role == Role::kLeader) {
        ++result_.leaders_elected;
        if (faults_active_ && rng_.Chance(kCrashNewLeaderPerMille, 1000)) {
          node.crash_tick = now_ + rng_.Between(1, 4);
        }
        Fail(checker_.OnBecameLeader(node.id, node.raw->hard_state().term, node.storage));
      }
    }
    if (ready.write.snapshot) {
      const SnapshotMeta& meta = ready.write.snapshot->meta;
      node.app = AppState::Decode(ready.write.snapshot->data, meta.index);
      Fail(checker_.OnSnapshotState(node.id, meta.index, node.app.state_hash));
      ++result_.snapshots_installed;
      Trace(absl::StrCat("node ", node.id, " installs snapshot at ", meta.index));
    }
    for (Message& message : ready.messages)
      network_.Send(now_, std::move(message));
    for (const Entry& entry : ready.committed_entries)
      Apply(node, entry);
    for (const ReadState& read : ready.read_states) {
      auto it = reads_.find(read.request_context);
      if (it == reads_.end()) continue;
      if (read.index < it->second) {
        Fail(absl::InternalError(absl::StrCat("INVARIANT VIOLATED: linearizability: read ",
                                              read.request_context, " on node ", node.id,
                                              " got index ", read.index, " but index ", it->second,
                                              " was acknowledged before the read began")));
      }
      ++result_.reads_served;
      reads_.erase(it);
    }
    if (Failed()) return;
    node.raw->Advance();
  }
}

void Cluster::Apply(SimNode& node, const Entry& entry) {
  if (Failed()) return;
  if (entry.index != node.app.applied_index + 1) {
    Fail(absl::InternalError(absl::StrCat("INVARIANT VIOLATED: node ", node.id, " applies index ",
                                          entry.index, " after ", node.app.applied_index)));
    return;
  }
  node.app.applied_index = entry.index;
  node.app.state_hash = HashBytes(entry.data, node.app.state_hash ^ entry.index);
  if (const uint64_t id = ProposalId(entry); id != 0) {
    if (!node.app.proposal_ids.insert(id).second) {
      Fail(absl::InternalError(absl::StrCat("INVARIANT VIOLATED: exactly once: node ", node.id,
                                            " applies proposal ", id, " twice")));
      return;
    }
  }
  Fail(checker_.OnApply(node.id, entry, node.app.state_hash));
  if (entry.type == EntryType::kConfChange) {
    ++result_.conf_changes_applied;
    absl::StatusOr<ConfChange> change = DecodeConfChange(entry.data);
    Trace(absl::StrCat("node ", node.id, " applies conf change at ", entry.index, ": type ",
                       static_cast<int>(change->type), " node ", change->node_id));
  }
  auto it = pending_.find({node.id, entry.index});
  if (it == pending_.end()) return;
  if (it->second.term == entry.term && it->second.id == ProposalId(entry)) {
    acked_ids_.insert(it->second.id);  // the client is told: this proposal is durable
    max_acked_index_ = std::max(max_acked_index_, entry.index);
    last_ack_tick_ = now_;
    ++result_.acked_proposals;
  }
  pending_.erase(it);
}

std::vector<uint64_t> Cluster::LiveIds() const {
  std::vector<uint64_t> ids;
  for (const auto& [id, node] : nodes_) {
    if (node.raw) ids.push_back(id);
  }
  return ids;
}

SimNode* Cluster::Leader() {
  SimNode* leader = nullptr;
  for (auto& [id, node] : nodes_) {
    if (!node.raw || node.raw->soft_state().role != Role::kLeader) continue;
    if (!leader || node.raw->hard_state().term > leader->raw->hard_state().term) leader = &node;
  }
  return leader;
}

void Cluster::Propose() {
  // A client talks to any node that believes it leads, stale leaders included.
  std::vector<SimNode*> leaders;
  for (auto& [id, node] : nodes_) {
    if (node.raw && node.raw->soft_state().role == Role::kLeader) leaders.push_back(&node);
  }
  if (leaders.empty()) return;
  SimNode& node = *leaders[rng_.Uniform(leaders.size())];
  const uint64_t id = next_proposal_id_++;
  absl::StatusOr<uint64_t> index = node.raw->Propose(ProposalData(id, rng_.Between(0, 48)));
  if (!index.ok()) return;
  pending_[{node.id, *index}] = PendingProposal{node.raw->hard_state().term, id};
}

void Cluster::RequestRead() {
  std::vector<uint64_t> live = LiveIds();
  if (live.empty()) return;
  SimNode& node = nodes_.at(live[rng_.Uniform(live.size())]);
  const std::string context = absl::StrCat("read-", next_read_id_++);
  if (node.raw->ReadIndex(context).ok()) reads_[context] = max_acked_index_;
}

void Cluster::ChangeMembership() {
  SimNode* leader = Leader();
  if (!leader) return;
  const ConfState conf = leader->raw->conf_state();
  ConfChange change;
  if (!conf.learners.empty()) {
    change = {ConfChangeType::kAddVoter, conf.learners[rng_.Uniform(conf.learners.size())], ""};
  } else {
    std::vector<uint64_t> spares;
    for (const auto& [id, node] : nodes_) {
      if (!node.founding && !node.ever_added) spares.push_back(id);
    }
    if (!spares.empty() && rng_.Chance(1, 2)) {
      change = {ConfChangeType::kAddLearner, spares[rng_.Uniform(spares.size())], ""};
    } else if (conf.voters.size() > kMinVoters) {
      change = {ConfChangeType::kRemoveNode, conf.voters[rng_.Uniform(conf.voters.size())], ""};
    } else {
      return;
    }
  }
  if (leader->raw->ProposeConfChange(change).ok()) {
    if (change.type == ConfChangeType::kAddLearner) nodes_.at(change.node_id).ever_added = true;
    Trace(absl::StrCat("node ", leader->id, " proposes conf change type ",
                       static_cast<int>(change.type), " node ", change.node_id));
  }
}

void Cluster::TakeSnapshot() {
  std::vector<uint64_t> live = LiveIds();
  if (live.empty()) return;
  SimNode& node = nodes_.at(live[rng_.Uniform(live.size())]);
  const uint64_t index = node.app.applied_index;
  if (index < node.storage.snapshot().meta.index + kSnapshotMinNewEntries) return;
  Fail(node.storage.CreateSnapshot(index, node.raw->conf_state(), node.app.Encode()));
  Trace(absl::StrCat("node ", node.id, " snapshots and compacts at ", index));
}

void Cluster::InjectFaults() {
  if (rng_.Chance(kPartitionPerMille, 1000)) {
    std::vector<uint64_t> ids;
    for (const auto& [id, node] : nodes_)
      ids.push_back(id);
    for (size_t i = ids.size(); i > 1; --i)
      std::swap(ids[i - 1], ids[rng_.Uniform(i)]);
    const uint64_t kind = rng_.Uniform(3);
    if (kind == 0) {
      const size_t split = 1 + rng_.Uniform(ids.size() - 1);
      network_.PartitionSymmetric({ids.begin(), ids.begin() + split},
                                  {ids.begin() + split, ids.end()});
    } else if (kind == 1) {
      network_.Heal();
      network_.PartitionOneWay(ids[0], ids[1]);
      if (rng_.Chance(1, 2)) network_.PartitionOneWay(ids[0], ids[2]);
    } else {
      const size_t split = 1 + rng_.Uniform(ids.size() - 2);
      network_.PartitionBridge({ids.begin() + 1, ids.begin() + 1 + split},
                               {ids.begin() + 1 + split, ids.end()});
    }
    Trace(absl::StrCat("partition ", network_.Describe()));
  } else if (rng_.Chance(kHealPerMille, 1000)) {
    network_.Heal();
    Trace("network heals");
  }
  if (rng_.Chance(kCrashPerMille, 1000)) {
    std::vector<uint64_t> live = LiveIds();
    if (!live.empty()) Crash(nodes_.at(live[rng_.Uniform(live.size())]), "power loss");
  }
  if (rng_.Chance(kCrashLeaderPerMille, 1000)) {
    if (SimNode* leader = Leader()) Crash(*leader, "leader power loss");
  }
  if (rng_.Chance(kSnapshotPerMille, 1000)) TakeSnapshot();
  if (rng_.Chance(kConfChangePerMille, 1000)) ChangeMembership();
  if (rng_.Chance(kTransferPerMille, 1000)) {
    if (SimNode* leader = Leader()) {
      const std::vector<uint64_t> voters = leader->raw->conf_state().voters;
      const uint64_t target = voters[rng_.Uniform(voters.size())];
      if (leader->raw->TransferLeadership(target).ok()) {
        Trace(absl::StrCat("node ", leader->id, " transfers leadership to ", target));
      }
    }
  }
}

void Cluster::Step(bool faults, bool client) {
  ++now_;
  if (faults) InjectFaults();
  for (auto& [id, node] : nodes_) {
    if (node.raw && node.crash_tick != 0 && node.crash_tick <= now_ && faults_active_) {
      Crash(node, "failpoint: new leader");
    }
    if (!node.raw && node.restart_tick <= now_ && !Failed()) StartNode(node);
  }
  if (client && rng_.Chance(kProposePerMille, 1000)) Propose();
  if (client && rng_.Chance(kReadPerMille, 1000)) RequestRead();
  for (auto& [id, node] : nodes_) {
    if (node.raw) node.raw->Tick();
    HandleReady(node);
  }
  for (Message& message : network_.TakeDue(now_)) {
    if (Failed()) return;
    SimNode& node = nodes_.at(message.to);
    if (!node.raw) continue;  // a crashed node loses what arrives
    if (options_.trace) {
      Trace(absl::StrCat(MessageTypeName(message.type), " ", message.from, "->", message.to,
                         " term ", message.term, " index ", message.index, " log_term ",
                         message.log_term, " entries ", message.entries.size(), " commit ",
                         message.commit, " chunk ", message.snapshot.offset_bytes, "+",
                         message.snapshot.data.size(), "/", message.snapshot.total_size_bytes,
                         message.reject ? " reject hint " : "",
                         message.reject ? absl::StrCat(message.reject_hint) : ""));
    }
    Fail(node.raw->Step(message));
    HandleReady(node);
  }
}

void Cluster::CheckEventualDelivery() {
  SimNode* leader = Leader();
  if (!leader) return;
  const ConfState conf = leader->raw->conf_state();
  std::vector<uint64_t> members = conf.voters;
  members.insert(members.end(), conf.learners.begin(), conf.learners.end());
  for (uint64_t id : members) {
    const SimNode& node = nodes_.at(id);
    for (uint64_t acked : acked_ids_) {
      if (!node.app.proposal_ids.contains(acked)) {
        Fail(absl::InternalError(absl::StrCat("INVARIANT VIOLATED: acknowledged proposal ", acked,
                                              " is not applied on member node ", id)));
        return;
      }
    }
  }
}

std::string Cluster::DescribeNodes() const {
  std::string out;
  for (const auto& [id, node] : nodes_) {
    absl::StrAppend(&out, "\n  node ", id, ": applied ", node.app.applied_index, " log [",
                    node.storage.FirstIndex(), ", ", node.storage.LastIndex(), "]");
    if (!node.raw) {
      absl::StrAppend(&out, " down");
      continue;
    }
    const ConfState conf = node.raw->conf_state();
    absl::StrAppend(&out, " ", RoleName(node.raw->soft_state().role), " term ",
                    node.raw->hard_state().term, " commit ", node.raw->hard_state().commit,
                    " voters ", absl::StrJoin(conf.voters, ","), " learners ",
                    absl::StrJoin(conf.learners, ","));
    for (const PeerStatus& peer : node.raw->peer_status()) {
      absl::StrAppend(&out, " | peer ", peer.node_id, " match ", peer.match_index, " next ",
                      peer.next_index, peer.recent_active ? " active" : "");
    }
  }
  return out;
}

SimResult Cluster::Run() {
  ConfState conf;
  for (uint64_t id = 1; id <= options_.voter_count; ++id)
    conf.voters.push_back(id);
  for (uint64_t id = 1; id <= options_.voter_count + options_.spare_count; ++id) {
    SimNode& node = nodes_[id];
    node.id = id;
    node.founding = id <= options_.voter_count;
    if (node.founding) {
      Fail(node.storage.Write(BootstrapWrite(conf)));
      node.app.applied_index = 1;
      Fail(checker_.OnSnapshotState(id, 1, node.app.state_hash));
    }
    StartNode(node);
  }
  network_.set_faults(kFaultyNetwork);
  while (now_ < options_.fault_ticks && !Failed())
    Step(true, true);

  // Heal everything; from here on the cluster must make progress within bounded time.
  faults_active_ = false;
  network_.Heal();
  network_.set_faults(kHealthyNetwork);
  for (auto& [id, node] : nodes_)
    node.restart_tick = std::min(node.restart_tick, now_ + 1);
  Trace("all faults heal");
  const uint64_t heal_tick = now_;
  while (!Failed() && last_ack_tick_ <= heal_tick) {
    if (now_ - heal_tick > options_.heal_bound_ticks) {
      Fail(absl::InternalError(absl::StrCat("LIVENESS: no proposal committed within ",
                                            options_.heal_bound_ticks, " ticks of healing",
                                            DescribeNodes())));
      break;
    }
    Step(false, true);
  }
  // Stop the client and let every member catch up.
  const uint64_t catch_up_tick = now_;
  while (!Failed()) {
    SimNode* leader = Leader();
    // A new leader's commit index may lag until it commits in its term: wait for that too.
    bool caught_up = leader != nullptr && leader->raw->hard_state().commit >= max_acked_index_;
    if (caught_up) {
      const ConfState conf = leader->raw->conf_state();
      for (uint64_t id : conf.voters)
        caught_up &= nodes_.at(id).app.applied_index >= leader->raw->hard_state().commit;
      for (uint64_t id : conf.learners)
        caught_up &= nodes_.at(id).app.applied_index >= leader->raw->hard_state().commit;
    }
    if (caught_up) break;
    if (now_ - catch_up_tick > options_.catch_up_bound_ticks) {
      Fail(absl::InternalError(absl::StrCat("LIVENESS: members did not catch up within ",
                                            options_.catch_up_bound_ticks, " ticks",
                                            DescribeNodes())));
      break;
    }
    Step(false, false);
  }
  if (!Failed()) CheckEventualDelivery();

  result_.ticks = now_;
  result_.committed_entries = checker_.committed_entry_count();
  for (const std::string& line : trace_)
    absl::StrAppend(&result_.trace_tail, line, "\n");
  return result_;
}

}  // namespace

SimResult RunSimulation(const SimOptions& options) {
  return Cluster(options).Run();
}

std::string ReplayCommand(const SimOptions& options) {
  std::string command = absl::StrCat("raft_sim --seed ", options.seed, " --nodes ",
                                     options.voter_count, " --steps ", options.fault_ticks);
  if (options.knobs.acknowledge_before_sync) absl::StrAppend(&command, " --bug ack-before-sync");
  if (options.knobs.vote_not_persisted) absl::StrAppend(&command, " --bug vote-not-persisted");
  if (options.knobs.commit_previous_term_by_count) {
    absl::StrAppend(&command, " --bug commit-previous-term");
  }
  if (options.knobs.send_every_message_early) {
    absl::StrAppend(&command, " --bug every-message-early");
  }
  return command;
}

}  // namespace tl::raft::sim
