// Child processes for multi-process and CLI tests: start a binary, signal it, wait for it, or run
// a command to completion and capture its output.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace tl::testing {

// The folder holding trialledgerd and trialledger (from TL_BIN_DIR, set by ctest).
std::string BinDir();

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();

class ChildProcess {
 public:
  // Starts `argv` with stdout and stderr appended to `log_path`.
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();  // SIGKILLs the child if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Signal(int signal);
  // Waits for exit; returns the exit status (128+signal if killed).
  int Wait();
  bool running();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion (environment inherited, plus `env` entries "K=V").
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

std::string ReadFile(const std::string& path);

}  // namespace tl::testing
