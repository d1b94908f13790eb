// faulty_trialledgerd: trialledgerd (node/daemon.h) on a disk that fails when the test says.
// TL_DISK_FAULT names the fault: `fsync` (every sync fails), `enospc` (every write finds the disk
// full) or `torn` (the next write reaches the disk half done, and the disk fails after it).
// SIGUSR1 turns it on. For tests/cluster/disk_fault_test.cc only.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "daemon.h"
#include "fault_env.h"

namespace {

std::atomic<bool> fault_wanted{false};

void OnFaultSignal(int) {
  fault_wanted = true;
}

}  // namespace

int main(int argc, char** argv) {
  const char* fault_name = std::getenv("TL_DISK_FAULT");
  const std::string fault = fault_name != nullptr ? fault_name : "";
  if (fault != "fsync" && fault != "enospc" && fault != "torn") {
    std::fprintf(stderr, "faulty_trialledgerd: set TL_DISK_FAULT to fsync, enospc or torn\n");
    return 2;
  }
  static tl::testing::FaultInjectionEnv disk(leveldb::Env::Default());
  std::signal(SIGUSR1, OnFaultSignal);
  std::thread([fault] {
    // The stop signals belong to the daemon's main thread (it waits for them with sigwait).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    while (!fault_wanted)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (fault == "fsync") disk.FailSyncs(true);
    if (fault == "enospc") disk.FailWritesWithNoSpace(true);
    if (fault == "torn") disk.TearNextWrite();
    std::fprintf(stderr, "faulty_trialledgerd: disk fault %s on\n", fault.c_str());
  }).detach();
  return tl::node::RunDaemon(argc, argv, tl::ledger::StoreOptions{&disk});
}
