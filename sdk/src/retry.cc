#include "trialledger/sdk/retry.h"

#include <algorithm>
#include <thread>

namespace tl {

bool IsRetryable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

Backoff::Backoff(const RetryPolicy& policy) : policy_(policy) {
  Reset();
}

void Backoff::Reset() {
  next_ = std::chrono::milliseconds(std::max<int64_t>(policy_.initial_backoff_ms, 1));
  since_ = std::chrono::steady_clock::now();
}

bool Backoff::Wait() {
  if (policy_.give_up_after_ms > 0 &&
      std::chrono::steady_clock::now() + next_ >
          since_ + std::chrono::milliseconds(policy_.give_up_after_ms)) {
    return false;
  }
  std::this_thread::sleep_for(next_);
  next_ = std::min(next_ * 2, std::chrono::milliseconds(std::max<int64_t>(
                                  policy_.max_backoff_ms, policy_.initial_backoff_ms)));
  return true;
}

}  // namespace tl
