#include "trialledger/sdk/journal_subscriber.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/file_util.h"

namespace tl {
namespace {

absl::Status Errno(std::string_view what, const std::string& path) {
  return absl::InternalError(StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status SyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return Errno("cannot open", path);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced ? absl::OkStatus() : Errno("cannot sync", path);
}

// One journal stream, read on its own thread into a queue, so that the subscriber can wait for
// the next entry with a timeout (to end a batch when the stream has caught up) and stop at once.
class StreamReader {
 public:
  // Entries read ahead of the sink before the reader waits (flow control back to the node).
  static constexpr size_t kReadAheadMax = 2000;

  StreamReader(LedgerClient& node, const v1::StreamJournalRequest& request) {
    node.Authenticate(context_, request);
    stream_ = node.stub().StreamJournal(&context_, request);
    address_ = node.address();
    thread_ = std::thread([this] { Read(); });
  }
  ~StreamReader() {
    context_.TryCancel();
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // Waits up to `wait` for an entry. nullopt when none came; `ended()` then says whether the
  // stream is over (and why).
  std::optional<v1::JournalStreamItem> Next(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, wait, [this] { return !queue_.empty() || ended_.has_value(); });
    if (queue_.empty()) return std::nullopt;
    v1::JournalStreamItem item = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return item;
  }
  std::optional<absl::Status> ended() {
    std::lock_guard lock(mutex_);
    if (!queue_.empty()) return std::nullopt;
    return ended_;
  }

 private:
  void Read() {
    v1::JournalStreamItem item;
    while (stream_->Read(&item)) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return queue_.size() < kReadAheadMax || cancelled_; });
      if (cancelled_) break;
      queue_.push_back(std::move(item));
      changed_.notify_all();
    }
    grpc::Status status = stream_->Finish();
    std::lock_guard lock(mutex_);
    ended_ = status.ok()
                 ? absl::UnavailableError(StrCat("node ", address_, ": the journal stream ended"))
                 : absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                                StrCat("node ", address_, ": ", status.error_message()));
    changed_.notify_all();
  }

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::JournalStreamItem>> stream_;
  std::string address_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<v1::JournalStreamItem> queue_;
  std::optional<absl::Status> ended_;
  bool cancelled_ = false;
  std::thread thread_;
};

// How often a subscriber with nothing to do looks at options.stop().
constexpr std::chrono::milliseconds kStopPollInterval(100);

bool Stopping(const SubscriberOptions& options) {
  return options.stop && options.stop();
}

void Log(const SubscriberOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

// One attempt: from the sink's cursor, stream and deliver until something fails or stop() is
// true (OK). `delivered` counts what reached the sink, so the caller knows progress was made.
absl::Status Attempt(NetworkClient& network, JournalSink& sink, const SubscriberOptions& options,
                     uint64_t& delivered) {
  absl::StatusOr<std::string> cursor = sink.LoadCursor();
  if (!cursor.ok()) return cursor.status();
  v1::StreamJournalRequest request;
  request.set_book(options.book);
  request.set_after_cursor(*cursor);
  StreamReader reader(network.current(), request);
  const auto flush_after = std::chrono::milliseconds(std::max<int64_t>(options.flush_after_ms, 0));
  std::vector<v1::JournalStreamItem> batch;
  const size_t batch_max = std::max<size_t>(options.batch_max, 1);
  while (!Stopping(options)) {
    std::optional<v1::JournalStreamItem> item =
        reader.Next(batch.empty() ? kStopPollInterval : flush_after);
    if (item.has_value()) batch.push_back(std::move(*item));
    const bool full = batch.size() >= batch_max;
    if (!batch.empty() && (full || !item.has_value())) {
      absl::Status taken = sink.Deliver(batch);
      if (!taken.ok()) return taken;
      delivered += batch.size();
      batch.clear();
    }
    if (!item.has_value()) {
      if (std::optional<absl::Status> ended = reader.ended()) return *ended;
    }
  }
  // Stopping: what was read but not delivered is read again by the next run, from the cursor.
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> FileCheckpoint::Load() const {
  std::error_code error;
  if (!std::filesystem::exists(path_, error)) return std::string();
  absl::StatusOr<std::string> text = ReadWholeFile(path_);
  if (!text.ok()) return text.status();
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r'))
    text->pop_back();
  return text;
}

absl::Status FileCheckpoint::Save(const std::string& cursor) const {
  const std::string next = path_ + ".next";
  std::error_code ignored;
  std::filesystem::remove(next, ignored);  // a leftover of a crash mid-save
  if (absl::Status written = WriteNewFile(next, cursor + "\n", 0600); !written.ok()) {
    return written;
  }
  if (::rename(next.c_str(), path_.c_str()) != 0) return Errno("cannot rename over", path_);
  std::string folder = std::filesystem::path(path_).parent_path().string();
  return SyncPath(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
}

absl::Status CallbackSink::Deliver(std::span<const v1::JournalStreamItem> items) {
  for (const v1::JournalStreamItem& item : items) {
    if (absl::Status handled = on_entry_(item); !handled.ok()) return handled;
    if (absl::Status saved = checkpoint_.Save(item.cursor()); !saved.ok()) return saved;
  }
  return absl::OkStatus();
}

absl::Status FollowJournal(NetworkClient& network, JournalSink& sink,
                           const SubscriberOptions& options) {
  Backoff backoff(options.retry);
  while (!Stopping(options)) {
    uint64_t delivered = 0;
    absl::Status ended = Attempt(network, sink, options, delivered);
    if (delivered > 0) backoff.Reset();
    if (ended.ok()) return ended;  // stopping
    if (!IsRetryable(ended)) {
      Log(options, StrCat("journal of ", options.book, ": giving up: ", ended.message()));
      return ended;
    }
    Log(options, StrCat("journal of ", options.book, ": ", ended.message(), "; trying again"));
    network.MoveOn();
    if (!backoff.Wait()) return ended;
  }
  return absl::OkStatus();
}

}  // namespace tl
