#include "put_load.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "etcd_kv.grpc.pb.h"
#include "trialledger/sdk/cpu_usage.h"
#include "trialledger/sdk/latency_summary.h"

namespace tl::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kClientsMax = 1024;  // as `trialledger bench`

struct Client {
  std::unique_ptr<etcdserverpb::KV::Stub> stub;
  std::string key_prefix;
  uint64_t next_sequence = 0;
  std::vector<double> latencies_ms;
  uint64_t submitted = 0, committed = 0, errors = 0;
  int64_t last_revision = 0;
  std::string first_error;
};

// The same channel settings as TrialLedger's LedgerClient, so both sides reconnect alike.
std::unique_ptr<etcdserverpb::KV::Stub> Connect(const std::string& endpoint) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return etcdserverpb::KV::NewStub(
      grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args));
}

grpc::Status Put(etcdserverpb::KV::Stub& stub, std::string key, const std::string& value,
                 int64_t deadline_ms, etcdserverpb::PutResponse& response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
  etcdserverpb::PutRequest request;
  request.set_key(std::move(key));
  request.set_value(value);
  return stub.Put(&context, request, &response);
}

// Keeps one put in flight until `end`. Requests sent before `measure_from` are warm-up: sent,
// answered, not counted.
void RunClient(Client& client, const PutLoadOptions& options, Clock::time_point measure_from,
               Clock::time_point end) {
  std::string value(static_cast<size_t>(options.value_bytes), 'x');
  etcdserverpb::PutResponse response;
  while (true) {
    Clock::time_point sent = Clock::now();
    if (sent >= end) break;
    bool counted = sent >= measure_from;
    std::string key = absl::StrCat(client.key_prefix, client.next_sequence++);
    grpc::Status status = Put(*client.stub, std::move(key), value, options.deadline_ms, response);
    double latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
    if (!counted) continue;
    ++client.submitted;
    if (status.ok()) {
      ++client.committed;
      client.latencies_ms.push_back(latency_ms);
      client.last_revision = std::max(client.last_revision, response.header().revision());
    } else {
      ++client.errors;
      if (client.first_error.empty()) client.first_error = status.error_message();
    }
  }
}

}  // namespace

absl::StatusOr<PutLoadReport> RunPutLoad(const PutLoadOptions& options) {
  if (options.endpoints.empty()) return absl::InvalidArgumentError("give at least one endpoint");
  if (options.clients < 1 || options.clients > kClientsMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("--clients must be between 1 and ", kClientsMax));
  }
  if (options.duration_s < 1) return absl::InvalidArgumentError("--duration must be >= 1");
  if (options.warmup_s < 0) return absl::InvalidArgumentError("--warmup must be >= 0");
  if (options.value_bytes < 0) return absl::InvalidArgumentError("--value-bytes must be >= 0");

  // A run tag keeps keys of different runs against one cluster apart.
  std::string run =
      absl::StrCat(std::chrono::system_clock::now().time_since_epoch().count() % 1000000007, "/");
  for (const std::string& endpoint : options.endpoints) {
    std::unique_ptr<etcdserverpb::KV::Stub> stub = Connect(endpoint);
    etcdserverpb::PutResponse response;
    grpc::Status status =
        Put(*stub, absl::StrCat("bench/", run, "probe"), "", options.deadline_ms, response);
    if (!status.ok()) {
      return absl::UnavailableError(
          absl::StrCat("etcd at ", endpoint, " did not take a put: ", status.error_message()));
    }
  }

  std::vector<Client> clients(static_cast<size_t>(options.clients));
  for (size_t i = 0; i < clients.size(); ++i) {
    clients[i].stub = Connect(options.endpoints[i % options.endpoints.size()]);
    clients[i].key_prefix = absl::StrCat("bench/", run, i, "/");
  }
  Clock::time_point start = Clock::now();
  Clock::time_point measure_from = start + std::chrono::seconds(options.warmup_s);
  Clock::time_point end = measure_from + std::chrono::seconds(options.duration_s);
  std::vector<std::thread> threads;
  threads.reserve(clients.size());
  for (Client& client : clients) {
    threads.emplace_back(RunClient, std::ref(client), std::cref(options), measure_from, end);
  }
  // The CPU is read over the measured window only, as the rate is.
  std::this_thread::sleep_until(measure_from);
  const std::optional<tl::CpuUsage> cpu_before = tl::ReadCpuUsage();
  for (std::thread& thread : threads)
    thread.join();
  const std::optional<tl::CpuUsage> cpu_after = tl::ReadCpuUsage();

  PutLoadReport report;
  report.elapsed_s = std::chrono::duration<double>(Clock::now() - measure_from).count();
  std::vector<double> latencies;
  for (Client& client : clients) {
    report.submitted += client.submitted;
    report.committed += client.committed;
    report.errors += client.errors;
    report.last_revision = std::max(report.last_revision, client.last_revision);
    if (report.first_error.empty()) report.first_error = client.first_error;
    latencies.insert(latencies.end(), client.latencies_ms.begin(), client.latencies_ms.end());
  }
  FillRateAndLatencies(report, std::move(latencies));
  tl::FillCpuPerCommit(report, cpu_before, cpu_after);
  return report;
}

}  // namespace tl::bench
