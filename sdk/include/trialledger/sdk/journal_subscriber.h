// Following a book's journal into another system (docs/erp.md): the subscriber reads the journal
// stream from the network, hands the entries to a sink in batches, and after any failure (a node
// killed, a leader change, the sink's database away) starts again from the sink's own checkpoint.
// What reaches the sink is therefore decided by the sink's checkpoint alone:
//
//  - A sink that stores its checkpoint in the same atomic write as the entries (PostgresGlSink of
//    `erp sync`) receives every entry exactly once in effect.
//  - CallbackSink hands each entry to a callback and saves the checkpoint file only after the
//    callback succeeded: every entry at least once, and a crash between the two hands the last
//    one over again, with the same idempotency_key to recognise it by.
//
//   FileCheckpoint checkpoint("/var/lib/gl-feed/northwind-cro.cursor");
//   CallbackSink sink(checkpoint, [&](const v1::JournalStreamItem& item) {
//     return PostToErp(item.entry());  // OK, or an error to try this entry again later
//   });
//   SubscriberOptions options;
//   options.book = "northwind-cro";
//   absl::Status ended = FollowJournal(*network, sink, options);  // runs until options.stop()
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trialledger/sdk/network_client.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl {

class JournalSink {
 public:
  virtual ~JournalSink() = default;
  // The cursor after the last entry the sink holds; "" when it holds none (start at the first).
  virtual absl::StatusOr<std::string> LoadCursor() = 0;
  // Takes `items`, in order. On success the sink's cursor is the last item's; on failure the
  // subscriber asks LoadCursor again and resends from there.
  virtual absl::Status Deliver(std::span<const v1::JournalStreamItem> items) = 0;
};

// A cursor kept in a file, replaced atomically (a new file written, synced, renamed over the old
// one, the folder synced), so that after a crash the file holds the old cursor or the new one.
class FileCheckpoint {
 public:
  explicit FileCheckpoint(std::string path) : path_(std::move(path)) {}
  // "" when the file does not exist yet.
  absl::StatusOr<std::string> Load() const;
  absl::Status Save(const std::string& cursor) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Hands each entry to `on_entry`, then saves its cursor; an error from `on_entry` stops the batch
// before that entry, so it is handed over again.
class CallbackSink : public JournalSink {
 public:
  using OnEntry = std::function<absl::Status(const v1::JournalStreamItem&)>;
  CallbackSink(const FileCheckpoint& checkpoint, OnEntry on_entry)
      : checkpoint_(checkpoint), on_entry_(std::move(on_entry)) {}
  absl::StatusOr<std::string> LoadCursor() override { return checkpoint_.Load(); }
  absl::Status Deliver(std::span<const v1::JournalStreamItem> items) override;

 private:
  const FileCheckpoint& checkpoint_;
  OnEntry on_entry_;
};

struct SubscriberOptions {
  std::string book;
  // Entries handed to the sink at once: a batch ends at this many, or when no entry came for
  // flush_after_ms (the stream caught up with the ledger).
  size_t batch_max = 1;
  int64_t flush_after_ms = 50;
  // Between attempts after a failure; give_up_after_ms = 0 (the default here) never gives up.
  RetryPolicy retry{.give_up_after_ms = 0};
  // Progress and every failure, a line each (default: none).
  std::function<void(const std::string&)> log;
  // Asked between batches and while waiting; true ends FollowJournal with OK.
  std::function<bool()> stop;
};

// Follows `options.book` into `sink` until `options.stop()` says so (OK), a failure that another
// try cannot cure (a refused read, a malformed cursor: that error), or the retry budget is spent
// (the last error). Streams from `network`'s current node and moves on when it fails.
absl::Status FollowJournal(NetworkClient& network, JournalSink& sink,
                           const SubscriberOptions& options);

}  // namespace tl
