// etcd_put_bench: closed-loop etcd v3 KV.Put load with exactly N requests in flight; prints
// committed puts/s and commit latency p50/p99, measured as `trialledger bench` measures a
// TrialLedger network (see put_load.h). bench/etcd-compare runs it beside `trialledger bench`.
//
//   etcd_put_bench --endpoints 127.0.0.1:2379,127.0.0.1:2381 --clients 64 --duration 10 [--json]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "put_load.h"
#include "trialledger/sdk/grpc_process.h"

int main(int argc, char** argv) {
  tl::ConfigureGrpcProcess();
  tl::bench::PutLoadOptions options;
  bool json = false;
  CLI::App app("Closed-loop etcd v3 put load: committed puts/s and commit latency p50/p99");
  app.add_option("--endpoints", options.endpoints,
                 "etcd client endpoints, host:port, comma-separated")
      ->delimiter(',')
      ->required();
  app.add_option("--clients,--in-flight", options.clients, "requests in flight (one per client)")
      ->capture_default_str();
  app.add_option("--duration", options.duration_s, "measured seconds")->capture_default_str();
  app.add_option("--warmup", options.warmup_s, "seconds of uncounted load before the measurement")
      ->capture_default_str();
  app.add_option("--value-bytes", options.value_bytes, "size of each put's value")
      ->capture_default_str();
  app.add_flag("--json", json, "print one JSON object");
  CLI11_PARSE(app, argc, argv);

  absl::StatusOr<tl::bench::PutLoadReport> result = tl::bench::RunPutLoad(options);
  if (!result.ok()) {
    std::cerr << "etcd_put_bench: " << result.status().message() << "\n";
    return 1;
  }
  const tl::bench::PutLoadReport& report = *result;
  if (json) {
    nlohmann::json out{{"clients", options.clients},
                       {"mode", "closed-loop"},
                       {"endpoints", options.endpoints},
                       {"value_bytes", options.value_bytes},
                       {"warmup_s", options.warmup_s},
                       {"duration_s", report.elapsed_s},
                       {"submitted", report.submitted},
                       {"committed", report.committed},
                       {"errors", report.errors},
                       {"committed_per_s", report.committed_per_s},
                       {"latency_p50_ms", report.latency_p50_ms},
                       {"latency_p99_ms", report.latency_p99_ms},
                       {"latency_max_ms", report.latency_max_ms},
                       {"machine_cpu_us_per_commit", report.machine_cpu_us_per_commit},
                       {"generator_cpu_us_per_commit", report.generator_cpu_us_per_commit},
                       {"last_revision", report.last_revision},
                       {"first_error", report.first_error}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf(
        "%d in flight, %.1f s: %llu committed (%.0f puts/s), latency p50 %.2f ms, p99 %.2f ms, "
        "max %.2f ms, %llu errors\n",
        options.clients, report.elapsed_s, static_cast<unsigned long long>(report.committed),
        report.committed_per_s, report.latency_p50_ms, report.latency_p99_ms, report.latency_max_ms,
        static_cast<unsigned long long>(report.errors));
    if (!report.first_error.empty()) std::printf("first error: %s\n", report.first_error.c_str());
  }
  return report.committed > 0 ? 0 : 1;
}
