// The VM benchmark workloads, each as VM assembly and as the matching Lua 5.4 program, shared
// by vm_bench (Google Benchmark) and vm_vs_lua (the side-by-side run behind bench/vm-vs-lua).
// Every VM workload has one entry point `run` taking the iteration count n and returning an
// int; every Lua program is a function body that reads n from the global N and returns its
// result.
#ifndef TRIALLEDGER_BENCH_VM_WORKLOADS_H_
#define TRIALLEDGER_BENCH_VM_WORKLOADS_H_

#include <string_view>
#include <vector>

namespace tl::vm::bench {

struct Workload {
  std::string_view name;
  std::string_view assembly;
  std::string_view lua;
  int64_t iterations;  // n for one timed run
  // Whether the Lua program computes the same thing. Money and maps have no Lua equivalent
  // with the VM's semantics (checked 128-bit amounts with currencies, ordered maps), so those
  // rows compare with Lua's closest idiom and are indicative only.
  bool matched;
};

const std::vector<Workload>& Workloads();

}  // namespace tl::vm::bench

#endif  // TRIALLEDGER_BENCH_VM_WORKLOADS_H_
