// Google Benchmark workloads for the contract VM. Each reports VM instructions per second
// ("instr/s"); `_metered` runs charge gas as in production, `_unmetered` runs are linked without
// gas so the difference is the cost of metering.
#include <benchmark/benchmark.h>

#include "trialledger/vm/assembler.h"
#include "trialledger/vm/memory_host.h"
#include "trialledger/vm/vm.h"
#include "workloads.h"

namespace tl::vm::bench {
namespace {

std::shared_ptr<const Program> LoadWorkload(const Workload& workload, bool metering) {
  absl::StatusOr<std::string> bytes = AssembleBytes(workload.assembly);
  if (!bytes.ok()) return nullptr;
  absl::StatusOr<std::shared_ptr<const Program>> program =
      LoadProgram(*bytes, LoadOptions{.metering = metering});
  return program.ok() ? *program : nullptr;
}

void RunWorkload(::benchmark::State& state, const Workload& workload, bool metering) {
  std::shared_ptr<const Program> program = LoadWorkload(workload, metering);
  if (program == nullptr) {
    state.SkipWithError("workload failed to load");
    return;
  }
  MemoryHost host;
  const Value n = Value::MakeInt(workload.iterations);
  // The unit of work is the module instructions one run executes, counted on the metered form
  // (the count excludes gas charges, so it is the same for both forms).
  absl::StatusOr<ExecutionResult> counted =
      Execute(*LoadWorkload(workload, true), "run", {&n, 1}, host,
              ExecuteOptions{.gas_limit = kGasPerRunMax, .count_instructions = true});
  if (!counted.ok() || !counted->ok()) {
    state.SkipWithError("workload trapped");
    return;
  }
  const uint64_t instructions_per_run = counted->instructions;
  for (auto _ : state) {
    absl::StatusOr<ExecutionResult> result =
        Execute(*program, "run", {&n, 1}, host, ExecuteOptions{.gas_limit = kGasPerRunMax});
    ::benchmark::DoNotOptimize(result);
  }
  state.counters["instr/s"] =
      ::benchmark::Counter(static_cast<double>(instructions_per_run) * state.iterations(),
                           ::benchmark::Counter::kIsRate);
  state.counters["gas"] = static_cast<double>(counted->gas_used);
}

void RegisterAll() {
  for (const Workload& workload : Workloads()) {
    for (bool metering : {true, false}) {
      const std::string name = std::string(workload.name) + (metering ? "_metered" : "_unmetered");
      ::benchmark::RegisterBenchmark(name.c_str(), [&workload, metering](::benchmark::State& s) {
        RunWorkload(s, workload, metering);
      })->Unit(::benchmark::kMillisecond);
    }
  }
}

}  // namespace
}  // namespace tl::vm::bench

int main(int argc, char** argv) {
  ::benchmark::Initialize(&argc, argv);
  tl::vm::bench::RegisterAll();
  ::benchmark::RunSpecifiedBenchmarks();
  ::benchmark::Shutdown();
  return 0;
}
