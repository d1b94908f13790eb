// Runs each workload in the VM (metered and unmetered) and the matching program in lua5.4 in
// the same run, and prints VM instructions per second and the speed ratio to Lua. Times are
// process CPU time, best of three, so other load on a shared machine disturbs them less.
//   vm_vs_lua [LUA_BINARY]        (default lua5.4)
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "trialledger/vm/assembler.h"
#include "trialledger/vm/memory_host.h"
#include "trialledger/vm/vm.h"
#include "workloads.h"

namespace {

using namespace tl::vm;

constexpr int kRepetitions = 3;

double CpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct VmRun {
  double seconds = 0;
  uint64_t instructions = 0;
  int64_t result = 0;
};

bool RunVm(const bench::Workload& workload, bool metering, VmRun* out) {
  absl::StatusOr<std::string> bytes = AssembleBytes(workload.assembly);
  if (!bytes.ok()) return false;
  absl::StatusOr<std::shared_ptr<const Program>> program =
      LoadProgram(*bytes, LoadOptions{.metering = true});
  absl::StatusOr<std::shared_ptr<const Program>> timed =
      LoadProgram(*bytes, LoadOptions{.metering = metering});
  if (!program.ok() || !timed.ok()) return false;
  MemoryHost host;
  const Value n = Value::MakeInt(workload.iterations);
  absl::StatusOr<ExecutionResult> counted =
      Execute(**program, "run", {&n, 1}, host,
              ExecuteOptions{.gas_limit = kGasPerRunMax, .count_instructions = true});
  if (!counted.ok() || !counted->ok()) return false;
  out->instructions = counted->instructions;
  out->result = counted->return_value.AsInt();
  out->seconds = 1e9;
  for (int rep = 0; rep < kRepetitions; ++rep) {
    const double start = CpuSeconds();
    absl::StatusOr<ExecutionResult> result =
        Execute(**timed, "run", {&n, 1}, host, ExecuteOptions{.gas_limit = kGasPerRunMax});
    const double seconds = CpuSeconds() - start;
    if (!result.ok() || !result->ok()) return false;
    out->seconds = std::min(out->seconds, seconds);
  }
  return true;
}

bool RunLua(const std::string& lua, const bench::Workload& workload, double* seconds,
            std::string* result) {
  const std::filesystem::path script = std::filesystem::temp_directory_path() /
                                       ("tl_vm_vs_lua_" + std::to_string(getpid()) + ".lua");
  {
    std::ofstream out(script);
    out << "N = " << workload.iterations << "\n"
        << "local function work()\n"
        << workload.lua << "\nend\n"
        << "local best, result = math.huge, nil\n"
        << "for rep = 1, " << kRepetitions << " do\n"
        << "  local t0 = os.clock()\n  result = work()\n"
        << "  best = math.min(best, os.clock() - t0)\nend\n"
        << "print(string.format('%.6f %d', best, result))\n";
  }
  FILE* pipe = popen((lua + " " + script.string() + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return false;
  char line[256] = {0};
  const bool read = fgets(line, sizeof(line), pipe) != nullptr;
  const int status = pclose(pipe);
  std::filesystem::remove(script);
  if (!read || status != 0) return false;
  char text[64] = {0};
  if (sscanf(line, "%lf %63s", seconds, text) != 2) return false;
  *result = text;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string lua = argc > 1 ? argv[1] : "lua5.4";
  std::printf("%-13s %9s | %-21s | %-21s | %-9s | %-15s | %s\n", "workload", "n",
              "VM metered ms Minstr/s", "VM unmetered ms Mi/s", "Lua ms", "Lua/VM speed m/u",
              "metering cost");
  for (const bench::Workload& workload : bench::Workloads()) {
    VmRun metered, unmetered;
    double lua_seconds = 0;
    std::string lua_result;
    if (!RunVm(workload, true, &metered) || !RunVm(workload, false, &unmetered)) {
      std::printf("%-13s VM run failed\n", std::string(workload.name).c_str());
      return 1;
    }
    if (!RunLua(lua, workload, &lua_seconds, &lua_result)) {
      std::printf("%-13s could not run '%s' (install Debian's lua5.4)\n",
                  std::string(workload.name).c_str(), lua.c_str());
      return 1;
    }
    const bool same = lua_result == std::to_string(metered.result);
    std::printf("%-13s %9lld | %8.1f %12.1f | %8.1f %12.1f | %9.1f | %6.2fx %6.2fx | %+5.1f%%%s\n",
                std::string(workload.name).c_str(), static_cast<long long>(workload.iterations),
                metered.seconds * 1e3, metered.instructions / metered.seconds / 1e6,
                unmetered.seconds * 1e3, unmetered.instructions / unmetered.seconds / 1e6,
                lua_seconds * 1e3, lua_seconds / metered.seconds, lua_seconds / unmetered.seconds,
                (metered.seconds / unmetered.seconds - 1) * 100,
                workload.matched ? (same ? "" : "  RESULT DIFFERS FROM LUA")
                                 : "  (not an exact match: see workloads.h)");
  }
  std::printf("Lua/VM speed: Lua time divided by VM time; above 1.00x the VM is faster.\n");
  return 0;
}
