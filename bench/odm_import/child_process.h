// Running a program as a child process and waiting for it: how bench/odm_import gives each
// measured pass an address space, and so a peak memory, of its own.
//
//   absl::StatusOr<ChildRun> run = RunChild({SelfPath(), "--pass", "bare", path}, false);
//   if (run.ok() && run->exit_code == 0) Parse(run->out);
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tl::bench {

struct ChildRun {
  int exit_code = 0;  // 128 + the signal when a signal ended it
  std::string out;    // its stdout; its stderr is ours
  double wall_s = 0;  // from spawn to exit
  double cpu_s = 0;   // its user + system time
};

// `args[0]` is the program: a path, or with `search_path` a name looked up on PATH.
// NotFound when it cannot be started.
absl::StatusOr<ChildRun> RunChild(const std::vector<std::string>& args, bool search_path);

// This executable, to run it again as a child.
std::string SelfPath();

}  // namespace tl::bench
