// A closed-loop load of etcd v3 KV.Put requests, measured the way `trialledger bench` measures a
// TrialLedger network (cli/src/load_generator.cc), so that bench/etcd-compare compares like with
// like:
//   - N clients, each a thread with its own channel and a blocking call: exactly N requests in
//     flight; clients are spread over the endpoints round robin;
//   - latency runs from just before a request is sent to its committed answer;
//   - the rate is committed requests over the time from the start until every client has
//     finished its last request;
//   - percentiles are sorted[floor(fraction * (count - 1))] over every committed request.
// Before the clock starts, one put goes to each endpoint: it proves the endpoint answers and
// leaves its connection open, as `trialledger bench` does by registering its members first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tl::bench {

struct PutLoadOptions {
  std::vector<std::string> endpoints;  // host:port of etcd members' client URLs
  int clients = 16;
  int duration_s = 10;
  // Seconds of load whose requests are not counted, before the measured duration. 0 by default,
  // like `trialledger bench`, which has none.
  int warmup_s = 0;
  // 200 bytes of value and a ~27-byte key make a ~232-byte PutRequest, close to the ~238-byte
  // SubmitTransactionRequest of a signed TrialLedger note with the bench's default 100-byte text.
  int value_bytes = 200;
  int64_t deadline_ms = 30000;  // per request, as TrialLedger's client
};

struct PutLoadReport {
  uint64_t submitted = 0;
  uint64_t committed = 0;
  uint64_t errors = 0;  // any gRPC error, deadline included
  double elapsed_s = 0;
  double committed_per_s = 0;
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  double latency_max_ms = 0;
  // CPU per committed put over the measured window (trialledger/sdk/cpu_usage.h); 0 if unknown.
  double machine_cpu_us_per_commit = 0;
  double generator_cpu_us_per_commit = 0;
  int64_t last_revision = 0;  // etcd's store revision after the last committed put
  std::string first_error;
};

// Fails when the options are unusable or an endpoint does not answer the first put; errors during
// the run are counted in the report instead.
absl::StatusOr<PutLoadReport> RunPutLoad(const PutLoadOptions& options);

}  // namespace tl::bench
