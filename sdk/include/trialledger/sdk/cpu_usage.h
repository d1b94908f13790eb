// The CPU a load run costs, per committed request, so that `trialledger bench` and bench/etcd's
// etcd_put_bench say what each committed request took of the machine and of the generator itself
// (header-only, like latency_summary.h: the etcd benchmark also builds on its own).
//
// Both figures are taken over the same window as the rate: from the start of the measured load
// until every client has finished. The machine's share comes from /proc/stat (every CPU's busy
// time: everything but idle and iowait), the generator's from getrusage(RUSAGE_SELF); the servers'
// share is the difference, on a machine that runs nothing else.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

namespace tl {

struct CpuUsage {
  double machine_busy_s = 0;  // all CPUs together
  double process_s = 0;       // this process, user and system
};

// Linux only; nullopt when /proc/stat cannot be read.
inline std::optional<CpuUsage> ReadCpuUsage() {
  std::ifstream stat("/proc/stat");
  std::string label;
  if (!(stat >> label) || label != "cpu") return std::nullopt;
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  uint64_t ticks[8] = {};
  for (uint64_t& field : ticks) {
    if (!(stat >> field)) return std::nullopt;
  }
  const uint64_t busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
  const long ticks_per_s = sysconf(_SC_CLK_TCK);
  if (ticks_per_s <= 0) return std::nullopt;
  rusage self{};
  if (getrusage(RUSAGE_SELF, &self) != 0) return std::nullopt;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return CpuUsage{.machine_busy_s = static_cast<double>(busy) / static_cast<double>(ticks_per_s),
                  .process_s = seconds(self.ru_utime) + seconds(self.ru_stime)};
}

// Fills machine_cpu_us_per_commit and generator_cpu_us_per_commit of `report` (which has
// `committed`) from two readings; leaves them 0 when either reading or the count is missing.
template <typename Report>
void FillCpuPerCommit(Report& report, const std::optional<CpuUsage>& before,
                      const std::optional<CpuUsage>& after) {
  if (!before || !after || report.committed == 0) return;
  const double committed = static_cast<double>(report.committed);
  report.machine_cpu_us_per_commit =
      (after->machine_busy_s - before->machine_busy_s) * 1e6 / committed;
  report.generator_cpu_us_per_commit = (after->process_s - before->process_s) * 1e6 / committed;
}

}  // namespace tl
