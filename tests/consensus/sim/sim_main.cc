// raft_sim: runs the deterministic cluster simulator from the command line.
//
//   raft_sim --seeds 1000                 seeds 1..1000 (3 and 5 voters alternate)
//   raft_sim --seed 17 --nodes 5          replays one run exactly
//   raft_sim --seed 17 --nodes 5 --trace  ... printing every event
//   --steps K   ticks (steps) of faults per run (default 600); --first S  first seed of --seeds
//   --bug B     plant a bug: ack-before-sync, vote-not-persisted, commit-previous-term or
//               every-message-early
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cluster.h"

namespace {

int Usage() {
  std::cerr << "usage: raft_sim [--seed S | --seeds N [--first S]] [--nodes 3|5] [--steps K]"
               " [--bug NAME] [--trace]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  tl::raft::sim::SimOptions options;
  uint64_t first_seed = 1;
  uint64_t seed_count = 1;
  bool fixed_nodes = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--trace") {
      options.trace = true;
    } else if (!has_value) {
      return Usage();
    } else if (flag == "--seed") {
      first_seed = std::strtoull(argv[++i], nullptr, 10);
      seed_count = 1;
    } else if (flag == "--seeds") {
      seed_count = std::strtoull(argv[++i], nullptr, 10);
    } else if (flag == "--first") {
      first_seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (flag == "--nodes") {
      options.voter_count = std::strtoull(argv[++i], nullptr, 10);
      fixed_nodes = true;
    } else if (flag == "--steps" || flag == "--ticks") {
      options.fault_ticks = std::strtoull(argv[++i], nullptr, 10);
    } else if (flag == "--bug") {
      const std::string bug = argv[++i];
      if (bug == "ack-before-sync") {
        options.knobs.acknowledge_before_sync = true;
      } else if (bug == "vote-not-persisted") {
        options.knobs.vote_not_persisted = true;
      } else if (bug == "commit-previous-term") {
        options.knobs.commit_previous_term_by_count = true;
      } else if (bug == "every-message-early") {
        options.knobs.send_every_message_early = true;
      } else {
        return Usage();
      }
    } else {
      return Usage();
    }
  }
  const auto start = std::chrono::steady_clock::now();
  uint64_t failures = 0;
  uint64_t acked = 0;
  uint64_t ticks = 0;
  for (uint64_t seed = first_seed; seed < first_seed + seed_count; ++seed) {
    options.seed = seed;
    if (!fixed_nodes) options.voter_count = seed % 2 == 0 ? 5 : 3;
    const tl::raft::sim::SimResult result = tl::raft::sim::RunSimulation(options);
    acked += result.acked_proposals;
    ticks += result.ticks;
    if (!result.ok) {
      ++failures;
      std::cout << "seed " << seed << " FAILED: " << result.violation << "\n"
                << "last events:\n"
                << result.trace_tail << "replay: " << tl::raft::sim::ReplayCommand(options)
                << " --trace\n";
    } else if (seed_count == 1) {
      std::cout << "seed " << seed << " ok: " << result.ticks << " ticks, "
                << result.acked_proposals << " acknowledged proposals, " << result.committed_entries
                << " committed entries, " << result.leaders_elected << " leaders, "
                << result.crashes << " crashes, " << result.snapshots_installed
                << " snapshots installed, " << result.conf_changes_applied
                << " conf changes applied, " << result.reads_served << " reads\n";
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << seed_count << " seeds, " << failures << " failed, " << ticks << " ticks, " << acked
            << " acknowledged proposals, " << seconds << " s\n";
  return failures == 0 ? 0 : 1;
}
