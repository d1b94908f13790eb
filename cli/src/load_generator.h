// `trialledger bench`: drives signed transactions at a network and measures committed
// transactions per second and commit latency. Each client has its own freshly registered member
// key, so clients never contend for nonces.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/sdk/client.h"
#include "trialledger/sdk/keyfile.h"

namespace tl::cli {

struct LoadOptions {
  std::vector<std::string> nodes;  // clients are spread over these, round robin
  ClientOptions connection;        // TLS: the network CA
  int clients = 16;
  int duration_s = 10;
  // 0: closed loop (each client waits for its commit before the next). Otherwise the total
  // submission rate, spread evenly over clients; latency counts from the scheduled send time so
  // that a slow ledger cannot hide its queueing (no coordinated omission).
  double open_loop_rate = 0;
  int note_bytes = 100;
  // When set, called from RunLoad's thread every kRedrawIntervalMs while the clients run: the
  // seconds since they started and the transactions committed so far (a progress bar).
  std::function<void(double elapsed_s, uint64_t committed)> on_progress;
};

struct LoadReport {
  uint64_t submitted = 0;
  uint64_t committed = 0;
  uint64_t rejected = 0;  // refused or rejected in a block
  uint64_t errors = 0;    // transport errors, timeouts
  double elapsed_s = 0;
  double committed_per_s = 0;
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  double latency_max_ms = 0;
  // CPU per committed transaction over the run (trialledger/sdk/cpu_usage.h); 0 if unknown.
  double machine_cpu_us_per_commit = 0;
  double generator_cpu_us_per_commit = 0;
  std::string first_error;
};

// Registers one member per client with `admin` (an admin of its organisation), then runs.
absl::StatusOr<LoadReport> RunLoad(const LoadOptions& options, const KeyFile& admin);

}  // namespace tl::cli
