// The history checker: judges a fault test's client history against every node's ledger and
// reports each anomaly found (README.md describes the inputs, the rules and the output).
//
// Usage:
//   Report report = Check(history, nodes, CheckOptions{.require_same_head = true});
//   std::cout << SummaryJson(report).dump(2) << "\n";   // summary_json.h
//   return report.anomalies.empty() ? 0 : 1;
//
// Pure: no I/O, and the same inputs give the same report, anomalies in input order.
#pragma once

#include <cstdint>
#include <vector>

#include "anomaly.h"
#include "history.h"
#include "submit_checks.h"

namespace tl::history {

struct CheckOptions {
  bool require_same_head = false;  // every node must end at the reference chain's head
};

struct Report {
  SubmitCounts submits;
  int64_t reads_checked = 0;
  int64_t nodes = 0;
  int64_t reference_height = 0;
  // The ledgers' anomalies (nodes in the order given, by line), then the history's (by line).
  std::vector<Anomaly> anomalies;
};

// With no nodes the reference chain is empty (height 0); history_checker insists on one.
Report Check(const History& history, const std::vector<NodeLedger>& nodes,
             const CheckOptions& options);

}  // namespace tl::history
