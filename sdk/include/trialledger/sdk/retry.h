// How the SDK waits and tries again when a node is away: which errors are worth another try, and
// an exponential backoff between tries with an optional overall budget.
#pragma once

#include <chrono>
#include <cstdint>

#include "absl/status/status.h"

namespace tl {

struct RetryPolicy {
  int64_t initial_backoff_ms = 50;
  int64_t max_backoff_ms = 2000;
  // Give up once this long has passed without a success; 0 tries for ever (a long-running
  // adapter that must outlive a node's restart).
  int64_t give_up_after_ms = 30000;
};

// Errors that another try, perhaps on another node, may cure: the node is down or restarting, no
// leader is elected yet, a deadline passed, the node is busy, or a lagging node has not yet
// applied up to a cursor (OutOfRange). Everything else (a refused read, a malformed request, a
// revoked key) fails the same way every time.
bool IsRetryable(const absl::Status& status);

class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy);
  // Sleeps before the next try and returns true, or returns false when the budget is spent.
  bool Wait();
  // After a success: the next failure starts from the initial backoff and a fresh budget.
  void Reset();

 private:
  RetryPolicy policy_;
  std::chrono::milliseconds next_;
  std::chrono::steady_clock::time_point since_;
};

}  // namespace tl
