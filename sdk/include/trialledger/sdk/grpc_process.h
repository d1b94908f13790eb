// Process-wide settings for a program that serves or calls gRPC (trialledgerd, trialledger,
// bench/etcd's etcd_put_bench); call first thing in main. Header-only, as the etcd benchmark also
// builds on its own.
#pragma once

#include "absl/synchronization/mutex.h"

namespace tl {

// Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detection on: every
// lock gRPC takes then records itself in a process-wide lock graph (GraphCycles, under a global
// lock). A node under load spent a few per cent of its CPU there (perf, issue 17). It is a
// debugging aid that aborts on a suspected lock-order cycle; it changes nothing a correct
// program does, and release builds of Abseil have it off.
inline void ConfigureGrpcProcess() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace tl
