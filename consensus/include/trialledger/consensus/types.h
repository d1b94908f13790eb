// Plain value types shared by the Raft core, its storage and its transport.
//
// Everything here is a copyable struct with no behaviour: the core consumes and produces these,
// the node encodes Messages on the wire (its own protobuf codec) and LogStorage persists Entries
// and HardState with the byte encoding in codec.h. Node ids are nonzero uint64; 0 means "none".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tl::raft {

inline constexpr uint64_t kNoNode = 0;

enum class EntryType : uint8_t {
  kNormal = 0,      // application data (one signed block); opaque to the core
  kConfChange = 1,  // data is an encoded ConfChange (codec.h)
  kEmpty = 2,       // appended by every new leader so it can commit entries of earlier terms
};

struct Entry {
  uint64_t term = 0;
  uint64_t index = 0;
  EntryType type = EntryType::kNormal;
  std::string data;

  bool operator==(const Entry&) const = default;
};

// What must be durable before a node votes or acknowledges anything.
struct HardState {
  uint64_t term = 0;
  uint64_t vote = kNoNode;
  uint64_t commit = 0;

  bool operator==(const HardState&) const = default;
};

// The membership in force. Both vectors are sorted, disjoint and free of duplicates.
struct ConfState {
  std::vector<uint64_t> voters;
  std::vector<uint64_t> learners;

  bool operator==(const ConfState&) const = default;
};

enum class ConfChangeType : uint8_t {
  kAddLearner = 0,  // a new node that receives the log but neither votes nor counts for commit
  kAddVoter = 1,    // promote a learner (or add a voter directly)
  kRemoveNode = 2,  // remove a voter or learner; a removed leader steps down
};

// One membership change at a time: the leader refuses a second one until the first is applied.
struct ConfChange {
  ConfChangeType type = ConfChangeType::kAddLearner;
  uint64_t node_id = kNoNode;
  std::string context;  // opaque to the core (e.g. the new node's address)

  bool operator==(const ConfChange&) const = default;
};

struct SnapshotMeta {
  uint64_t index = 0;  // last log index the snapshot covers
  uint64_t term = 0;   // term of that entry
  ConfState conf_state;

  bool operator==(const SnapshotMeta&) const = default;
};

// data is the application's state machine image at meta.index, opaque to the core.
struct Snapshot {
  SnapshotMeta meta;
  std::string data;

  bool operator==(const Snapshot&) const = default;
};

enum class MessageType : uint8_t {
  kAppend = 0,          // entries after (index, log_term), plus leader commit
  kAppendResponse = 1,  // index = last matching index, or reject with reject_hint
  kVote = 2,            // index/log_term = candidate's last entry
  kVoteResponse = 3,
  kPreVote = 4,  // like kVote for term + 1, without the candidate raising its term
  kPreVoteResponse = 5,
  kHeartbeat = 6,  // commit = min(leader commit, follower match); context = ReadIndex ctx
  kHeartbeatResponse = 7,
  kSnapshotChunk = 8,     // one checksummed slice of the leader's snapshot
  kSnapshotResponse = 9,  // index = bytes received so far; reject = restart from reject_hint
  kTimeoutNow = 10,       // leadership transfer: campaign now, ignoring the leader lease
  kReadIndex = 11,        // follower forwards a ReadIndex request to the leader
  kReadIndexResponse = 12,
};

const char* MessageTypeName(MessageType type);

// One slice of a snapshot. Per-chunk CRC32C catches a corrupt chunk; snapshot_crc32c over the
// whole image is verified after reassembly, before the follower hands it to the application.
struct SnapshotChunk {
  SnapshotMeta meta;
  uint64_t offset_bytes = 0;
  uint64_t total_size_bytes = 0;
  std::string data;
  uint32_t chunk_crc32c = 0;
  uint32_t snapshot_crc32c = 0;

  bool operator==(const SnapshotChunk&) const = default;
};

// Every field is meaningful only for some types; unused fields stay zero/empty.
struct Message {
  MessageType type = MessageType::kAppend;
  uint64_t from = kNoNode;
  uint64_t to = kNoNode;
  uint64_t term = 0;
  uint64_t log_term = 0;
  uint64_t index = 0;
  std::vector<Entry> entries;
  uint64_t commit = 0;
  bool reject = false;
  uint64_t reject_hint = 0;
  std::string context;
  SnapshotChunk snapshot;

  bool operator==(const Message&) const = default;
};

enum class Role : uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };

const char* RoleName(Role role);

// Volatile state the application may show or use for routing (e.g. redirect clients to leader).
struct SoftState {
  uint64_t leader = kNoNode;
  Role role = Role::kFollower;

  bool operator==(const SoftState&) const = default;
};

// A linearizable read may be served once the application has applied up to index.
struct ReadState {
  uint64_t index = 0;
  std::string request_context;

  bool operator==(const ReadState&) const = default;
};

}  // namespace tl::raft
