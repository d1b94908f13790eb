#include "checker.h"

#include <algorithm>

#include "chain_checks.h"
#include "read_checks.h"
#include "reference_chain.h"

namespace tl::history {
namespace {

void Append(std::vector<Anomaly>& to, std::vector<Anomaly> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

Report Check(const History& history, const std::vector<NodeLedger>& nodes,
             const CheckOptions& options) {
  ReferenceChain chain(nodes);
  Report report;
  report.nodes = static_cast<int64_t>(nodes.size());
  report.reference_height = chain.head_height();

  for (size_t i = 0; i < nodes.size(); ++i)
    Append(report.anomalies, CheckNodeChain(nodes[i], i));
  Append(report.anomalies, CheckReferenceSeams(nodes, chain));
  Append(report.anomalies, CheckPrefixConsistency(nodes, chain));
  if (options.require_same_head) Append(report.anomalies, CheckSameHead(nodes, chain));
  Append(report.anomalies, CheckDuplicateCommits(nodes, chain));

  SubmitReport submits = CheckSubmits(history, nodes, chain);
  report.submits = submits.counts;
  Append(report.anomalies, std::move(submits.anomalies));
  ReadReport reads = CheckReads(history, chain);
  report.reads_checked = reads.reads_checked;
  Append(report.anomalies, std::move(reads.anomalies));

  // Stable: two anomalies at one place keep the order of the checks above.
  std::stable_sort(report.anomalies.begin(), report.anomalies.end(),
                   [](const Anomaly& a, const Anomaly& b) { return a.where < b.where; });
  return report;
}

}  // namespace tl::history
