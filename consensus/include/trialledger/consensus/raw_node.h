// RawNode: the Raft core as a pure, deterministic state machine (modeled on etcd's RawNode).
//
// Inputs are ticks, peer messages and requests; output is a Ready describing what to persist,
// send and apply. There is no I/O, clock or thread inside, so the node drives it from one
// thread and the simulator drives a whole cluster from one seeded loop.
//
// Driving loop (one thread):
//
//   auto node = RawNode::Create(config, &storage);        // storage: a LogStorage
//   every tick (e.g. 100 ms):  node->Tick();
//   on a peer message:          node->Step(message);
//   on a client block:          node->Propose(bytes);      // returns the entry's index
//   while (node->HasReady()) {
//     Ready ready = node->GetReady();
//     0. send ready.early_messages: a leader's appends, which may travel while its own copy is
//        being written (Raft thesis 10.2.1); the leader counts itself only once persisted.
//     1. storage.Write(ready.write)  -- synced when ready.write.must_sync. Must succeed before
//        anything below happens: the messages may acknowledge these entries or this vote.
//     2. if ready.write.snapshot: restore the state machine from ready.write.snapshot->data.
//     3. send ready.messages (any order, may be dropped: Raft retries).
//     4. apply ready.committed_entries in order (kNormal: the block; kConfChange: decode with
//        DecodeConfChange to learn the new member; kEmpty: skip). Acknowledge a client only
//        after its entry was applied here.
//     5. serve reads in ready.read_states once applied index >= read_state.index.
//     6. node->Advance();   // membership changes in committed_entries take effect here
//   }
//
// Snapshots: when the application wants to compact, it calls
//   storage.CreateSnapshot(applied_index, node->conf_state(), state_machine_bytes)
// after Advance(); the core then sends that snapshot, in checksummed chunks, to any follower
// that needs compacted entries. On restart, pass the applied index in Config::applied_index.
//
// Membership: ProposeConfChange(kAddLearner), wait until it is applied, then
// ProposeConfChange(kAddVoter) once the learner has caught up (refused until then); kRemoveNode
// removes a voter or learner, and a removed leader steps down. One change at a time.
//
// Not thread-safe: one thread owns a RawNode and its Ready between GetReady and Advance.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trialledger/consensus/config.h"
#include "trialledger/consensus/log_storage.h"
#include "trialledger/consensus/types.h"

namespace tl::raft {

class Raft;

struct Ready {
  std::optional<SoftState> soft_state;   // set when the leader or this node's role changed
  std::vector<Message> early_messages;   // may be sent before or while `write` is persisted
  StorageWrite write;                    // persist before everything below
  std::vector<Message> messages;         // send only after `write` is durable
  std::vector<Entry> committed_entries;  // apply in order, after `write` is durable
  std::vector<ReadState> read_states;    // linearizable reads that may now be served
};

// The leader's view of one member, for operators and for deciding when to promote a learner.
struct PeerStatus {
  uint64_t node_id = 0;
  uint64_t match_index = 0;
  uint64_t next_index = 0;
  bool is_learner = false;
  bool recent_active = false;
};

class RawNode {
 public:
  // Recovers term, vote, commit, log and membership from storage. Fails if the config is
  // invalid or config.applied_index is beyond what storage holds.
  static absl::StatusOr<std::unique_ptr<RawNode>> Create(const Config& config,
                                                         const LogStorage* storage);
  ~RawNode();
  RawNode(const RawNode&) = delete;
  RawNode& operator=(const RawNode&) = delete;

  void Tick();
  // InvalidArgument if the message is addressed to another node. Messages from older terms,
  // duplicates and reordered messages are expected and handled.
  absl::Status Step(const Message& message);
  // Appends data at the leader. Returns the entry's index; the entry is committed when it shows
  // up in committed_entries with this index and the term that was current at proposal time.
  // FailedPrecondition on a non-leader (with the known leader), ResourceExhausted beyond
  // Config::max_uncommitted_entry_bytes, Unavailable during a leadership transfer.
  absl::StatusOr<uint64_t> Propose(std::string data);
  absl::StatusOr<uint64_t> ProposeConfChange(const ConfChange& change);
  // Requests a linearizable read: a ReadState with this context arrives in a later Ready (on a
  // follower, via the leader). Lost requests are not retried by the core.
  absl::Status ReadIndex(std::string request_context);
  absl::Status TransferLeadership(uint64_t transferee);
  // Starts an election now (tests, or a single-node cluster at boot).
  absl::Status Campaign();

  bool HasReady() const;
  // REQUIRES: HasReady(); the previous Ready was advanced.
  Ready GetReady();
  // REQUIRES: the last Ready was fully handled (persisted, sent, applied).
  void Advance();

  uint64_t id() const;
  SoftState soft_state() const;
  HardState hard_state() const;
  ConfState conf_state() const;  // membership as of the applied index
  uint64_t applied_index() const;
  uint64_t last_index() const;
  // True while the node's log is behind what it had acknowledged before its storage lost it
  // (Config::acknowledged): it neither votes nor campaigns until it has caught up.
  bool recovering() const;
  std::vector<PeerStatus> peer_status() const;  // empty unless leader

 private:
  RawNode(const Config& config, const LogStorage* storage);
  HardState HardStateToPersist() const;

  std::unique_ptr<Raft> raft_;
  SoftState previous_soft_state_;
  HardState persisted_hard_state_;
  bool ready_outstanding_ = false;
  // What the outstanding Ready handed out, to be acknowledged by Advance.
  std::optional<Entry> pending_last_entry_;
  std::optional<uint64_t> pending_snapshot_index_;
  std::vector<Entry> pending_committed_;
};

}  // namespace tl::raft
