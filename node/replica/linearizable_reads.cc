#include "trialledger/node/linearizable_reads.h"

#include <random>

#include "trialledger/base/endian.h"

namespace tl::node {
namespace {

// A request context is unique in the cluster and across this node's restarts: a late answer to
// a request of an earlier process must not serve a read of this one with an older index.
std::string ContextPrefix(uint64_t raft_id) {
  std::random_device random;
  const uint64_t process = (static_cast<uint64_t>(random()) << 32) ^ random();
  return EncodeBigEndian64(raft_id) + EncodeBigEndian64(process);
}

}  // namespace

LinearizableReads::LinearizableReads(uint64_t raft_id, std::function<void()> wake)
    : context_prefix_(ContextPrefix(raft_id)), wake_(std::move(wake)) {}

absl::Status LinearizableReads::Await(Deadline deadline) {
  std::string context;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return absl::UnavailableError("the node is stopping");
    context = context_prefix_ + EncodeBigEndian64(++next_id_);
    reads_.emplace(context, Read{});
    unsent_.push_back(context);
  }
  wake_();
  std::unique_lock<std::mutex> lock(mutex_);
  absl::Status outcome = absl::OkStatus();
  // Kept across wake-ups: other reads' answers wake this one too, and must not put off its resend.
  auto resend_at = std::chrono::steady_clock::now() + kResendAfter;
  while (true) {
    const Read& read = reads_.at(context);
    if (read.served) break;
    if (!read.refused.ok()) {
      outcome = read.refused;
      break;
    }
    if (stopping_) {
      outcome = absl::UnavailableError("the node is stopping");
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      outcome = absl::DeadlineExceededError(
          "no quorum confirmed a leader for this read before the deadline (is this node cut off "
          "from most of the cluster?)");
      break;
    }
    if (now >= resend_at && !read.index.has_value()) {
      unsent_.push_back(context);
      resend_at = now + kResendAfter;
      lock.unlock();
      wake_();
      lock.lock();
      continue;
    }
    changed_.wait_until(lock, std::min(deadline, resend_at));
  }
  reads_.erase(context);
  return outcome;
}

void LinearizableReads::SendRequests(const std::function<absl::Status(std::string)>& read_index) {
  std::vector<std::string> unsent;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    unsent.swap(unsent_);
  }
  std::vector<std::pair<std::string, absl::Status>> refused;
  for (std::string& context : unsent) {
    absl::Status asked = read_index(context);
    // A new leader that has not committed in its term yet is asked again at the next resend.
    if (!asked.ok() && !absl::IsUnavailable(asked)) refused.emplace_back(context, asked);
  }
  if (refused.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [context, status] : refused) {
    auto read = reads_.find(context);
    if (read != reads_.end()) read->second.refused = status;
  }
  changed_.notify_all();
}

void LinearizableReads::OnReadStates(const std::vector<raft::ReadState>& states) {
  if (states.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const raft::ReadState& state : states) {
    auto read = reads_.find(state.request_context);
    if (read == reads_.end() || read->second.index.has_value()) continue;
    read->second.index = state.index;
    read->second.served = state.index <= applied_index_;
  }
  changed_.notify_all();
}

void LinearizableReads::OnApplied(uint64_t applied_index) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (applied_index <= applied_index_) return;
  applied_index_ = applied_index;
  bool served = false;
  for (auto& [context, read] : reads_) {
    if (read.served || !read.index.has_value() || *read.index > applied_index) continue;
    read.served = true;
    served = true;
  }
  if (served) changed_.notify_all();
}

void LinearizableReads::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = true;
  changed_.notify_all();
}

}  // namespace tl::node
