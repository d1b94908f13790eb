// How every load generator of this project summarises commit latencies, so `trialledger bench`
// and bench/etcd's etcd_put_bench report p50/p99 by the same definition (header-only: the etcd
// benchmark also builds on its own, without the SDK libraries).
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace tl {

struct LatencySummary {
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// The percentile is the element at floor(fraction * (n - 1)) of the sorted latencies: no
// interpolation, so every reported figure is a latency that was actually observed.
inline LatencySummary SummarizeLatencies(std::vector<double> latencies_ms) {
  LatencySummary summary;
  if (latencies_ms.empty()) return summary;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto at = [&](double fraction) {
    return latencies_ms[static_cast<size_t>(fraction *
                                            static_cast<double>(latencies_ms.size() - 1))];
  };
  summary.p50_ms = at(0.50);
  summary.p99_ms = at(0.99);
  summary.max_ms = latencies_ms.back();
  return summary;
}

// The figures every load report ends with: committed per second over `elapsed_s`, and the
// latency summary. `Report` has committed, elapsed_s, committed_per_s and latency_*_ms fields.
template <typename Report>
void FillRateAndLatencies(Report& report, std::vector<double> latencies_ms) {
  report.committed_per_s = static_cast<double>(report.committed) / report.elapsed_s;
  LatencySummary summary = SummarizeLatencies(std::move(latencies_ms));
  report.latency_p50_ms = summary.p50_ms;
  report.latency_p99_ms = summary.p99_ms;
  report.latency_max_ms = summary.max_ms;
}

}  // namespace tl
