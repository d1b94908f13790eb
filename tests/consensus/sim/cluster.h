// The deterministic cluster simulator: a whole Raft cluster in one process, driven by one
// seeded RNG, with virtual time in ticks, a faulty network (sim_network.h), disks that lose
// unsynced writes and tear their tail on a crash (MemoryLogStorage), a client that proposes and
// records acknowledgements, ReadIndex reads, membership changes, leadership transfers and
// snapshots, all while faults happen. The invariants (invariants.h) are checked as every step
// happens; after the faults heal, commits must resume within a bound, and every acknowledged
// proposal must end up applied exactly once on every member.
//
// Same options (seed included) => the same run, bit for bit.
#pragma once

#include <cstdint>
#include <string>

#include "trialledger/consensus/config.h"

namespace tl::raft::sim {

struct SimOptions {
  uint64_t seed = 1;
  uint64_t voter_count = 3;             // founding voters: nodes 1..voter_count
  uint64_t spare_count = 1;             // blank nodes that membership changes may add
  uint64_t fault_ticks = 600;           // ticks of faults, after which everything heals
  uint64_t heal_bound_ticks = 200;      // a proposal must commit within this after healing
  uint64_t catch_up_bound_ticks = 400;  // every member must catch up within this after that
  TestingKnobs knobs;
  bool trace = false;  // print every event as it happens
};

struct SimResult {
  bool ok = true;
  std::string violation;   // what broke, with the tick
  std::string trace_tail;  // the last events before the violation
  uint64_t ticks = 0;
  uint64_t acked_proposals = 0;
  uint64_t committed_entries = 0;
  uint64_t leaders_elected = 0;
  uint64_t crashes = 0;
  uint64_t snapshots_installed = 0;
  uint64_t conf_changes_applied = 0;
  uint64_t reads_served = 0;
};

SimResult RunSimulation(const SimOptions& options);

// The command that replays one run, e.g. "raft_sim --seed 7 --nodes 5 --steps 600".
std::string ReplayCommand(const SimOptions& options);

}  // namespace tl::raft::sim
