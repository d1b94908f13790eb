// A node's acknowledged mark: what it had synced and answered for (its Raft vote, its log's last
// entry, its ledger head), kept in a small file beside the data dir and apart from LevelDB's log.
// A crash cannot lose synced data; a disk fault or a restored old copy can, and without the mark
// the node would not know. On start the node compares its store with the mark; a store behind it
// lost acknowledged data, and the node then rejoins without voting until it has caught up
// (docs/storage.md, "The acknowledged mark").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tl::ledger {

struct AcknowledgedMark {
  uint64_t term = 0;  // Raft hard state as synced
  uint64_t vote = 0;
  uint64_t last_index = 0;  // the Raft log's last entry as synced
  uint64_t last_term = 0;
  uint64_t head_height = 0;  // the ledger head made durable by that sync
  std::string head_hash;     // 32 bytes

  bool operator==(const AcknowledgedMark&) const = default;
};

// What `stored` (the store as found at start) lacks of what `acknowledged` (the mark) vouched
// for, one sentence per loss: a Raft log less up-to-date than the one acknowledged (by Raft's
// order: last term, then last index), an older term than the one voted in, a lower ledger head.
// Empty when nothing was lost. An ordinary crash never loses any of these: the mark is written
// only after the store's sync that made them durable.
std::vector<std::string> WhatWasLost(const AcknowledgedMark& acknowledged,
                                     const AcknowledgedMark& stored);

// What to record while catching up after a loss: `now`, but never less than `acknowledged`, so a
// restart during the catch-up still knows what is missing.
AcknowledgedMark Covering(const AcknowledgedMark& acknowledged, const AcknowledgedMark& now);

// Where the mark of the node with `data_dir` lives: beside it, so that losing or replacing the
// data dir does not take the mark with it.
std::string AcknowledgedMarkPath(const std::string& data_dir);

// `trialledgerd --resync-from-peers`: renames `data_dir` to `<data_dir>.damaged` (or .damaged.2,
// .3, ...) and returns that name, so the node starts empty and rebuilds from its peers while its
// mark keeps it from voting. Refused when there is no mark beside the data dir: a node that
// cannot know what it acknowledged must be replaced instead (docs/operations.md). A missing data
// dir is fine (nothing to set aside; returns "").
absl::StatusOr<std::string> SetDataDirAsideForResync(const std::string& data_dir);

// The mark file: two checksummed copies written in turn, so a write torn by a power cut leaves
// the previous copy (whose answers were the last ones sent) readable.
class AcknowledgedMarkFile {
 public:
  // Opens the file at `path`, creating it (synced, with its directory) when it does not exist.
  // A file whose copies are both damaged is refused with a message naming it.
  static absl::StatusOr<std::unique_ptr<AcknowledgedMarkFile>> Open(const std::string& path);
  ~AcknowledgedMarkFile();
  AcknowledgedMarkFile(const AcknowledgedMarkFile&) = delete;
  AcknowledgedMarkFile& operator=(const AcknowledgedMarkFile&) = delete;

  // The newest copy found at open, or none for a file that was just created.
  const std::optional<AcknowledgedMark>& at_open() const { return at_open_; }
  // Writes `mark` over the older copy and syncs it; a mark equal to the newest copy is not
  // written again. Nothing this node answered may depend on a sync that the mark does not yet
  // cover, so callers write it before sending those answers.
  absl::Status Write(const AcknowledgedMark& mark);
  const std::string& path() const { return path_; }

 private:
  AcknowledgedMarkFile(std::string path, int fd, uint64_t sequence,
                       std::optional<AcknowledgedMark> at_open);

  std::string path_;
  int fd_;
  uint64_t sequence_;  // of the newest copy on disk
  std::optional<AcknowledgedMark> at_open_;
  std::optional<AcknowledgedMark> newest_;  // the newest copy on disk
};

}  // namespace tl::ledger
