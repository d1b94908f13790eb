// Configuration of one Raft node. Every limit of the core is named here, with its unit last.
#pragma once

#include <cstdint>

namespace tl::raft {

// Deliberately wrong behaviours that exist only so tests can prove the simulator catches them.
// Production code never sets these; every field defaults to the correct behaviour.
struct TestingKnobs {
  // Report must_sync = false for appended entries, so followers (and the leader itself)
  // acknowledge entries that a crash can still lose.
  bool acknowledge_before_sync = false;
  // Put every message in Ready::early_messages, not only a leader's appends: a follower's answer
  // then leaves before the entries it acknowledges are synced.
  bool send_every_message_early = false;
  // Leave a new vote out of the persisted HardState, so a restarted node can vote twice per term.
  bool vote_not_persisted = false;
  // Commit an entry of an earlier term once a majority stores it (the Figure 8 bug).
  bool commit_previous_term_by_count = false;
  // Ignore Config::acknowledged: a node whose disk lost acknowledged entries votes at once.
  bool vote_while_recovering = false;
};

// What a node had made durable and acknowledged (its vote and its log's last entry), as kept by
// the application apart from the Raft log (a node's acknowledged mark, docs/raft.md). A node
// whose storage lost part of that (a disk fault, not a crash) restores its term and vote from it
// and, until its log is again at least as up-to-date as last_term/last_index, neither votes nor
// campaigns: an election must never count on entries it no longer holds (protocol-aware
// recovery, Alagappan et al., FAST'18). All zero for a node whose storage is intact.
struct Acknowledged {
  uint64_t term = 0;
  uint64_t vote = 0;
  uint64_t last_index = 0;
  uint64_t last_term = 0;
};

struct Config {
  uint64_t id = 0;  // this node; nonzero

  // Followers start an election after a random timeout in [election, 2 * election) ticks.
  uint64_t election_timeout_ticks = 10;
  uint64_t heartbeat_interval_ticks = 1;
  // Seeds the randomized election timeout; the node picks it (e.g. from its id), never a clock.
  uint64_t random_seed = 1;

  bool pre_vote = true;
  // A leader that has not heard from a quorum for an election timeout steps down, and a follower
  // that heard from a leader within the election timeout ignores vote requests (leader lease).
  bool check_quorum = true;

  // Flow control. An append message carries at most max_append_bytes of entries (at least one
  // entry); at most max_inflight_appends unacknowledged appends (and max_inflight_bytes of
  // entries) go to one follower; a leader refuses proposals while the uncommitted tail of its log
  // holds more than max_uncommitted_entry_bytes.
  uint64_t max_append_bytes = 1 << 20;
  uint64_t max_inflight_appends = 64;
  uint64_t max_inflight_bytes = 16 << 20;
  uint64_t max_uncommitted_entry_bytes = 64 << 20;
  // Committed entries handed to the application by one Ready (at least one entry).
  uint64_t max_committed_bytes_per_ready = 16 << 20;

  // Snapshots are sent in chunks of this many bytes, at most this many unacknowledged at once.
  uint64_t snapshot_chunk_bytes = 1 << 20;
  uint64_t max_inflight_snapshot_chunks = 4;

  // The highest index the application has applied (0 for a new node). On restart the core hands
  // out committed entries after it and replays the membership changes up to it.
  uint64_t applied_index = 0;

  Acknowledged acknowledged;

  TestingKnobs testing_knobs;
};

}  // namespace tl::raft
