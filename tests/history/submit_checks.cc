#include "submit_checks.h"

#include <map>
#include <string>

#include "describe.h"

namespace tl::history {
namespace {

// The strongest outcome learned for one tx_id, and the first submit that learned it.
struct SubmittedTx {
  Outcome outcome = Outcome::kRefused;
  const Operation* first = nullptr;
};

int Strength(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return 2;
    case Outcome::kUnknown:
      return 1;
    case Outcome::kRefused:
      return 0;
  }
  return 0;
}

std::map<std::string, SubmittedTx> SubmittedTxs(const History& history) {
  std::map<std::string, SubmittedTx> by_tx;
  for (const Operation& operation : history.operations) {
    if (operation.kind != OperationKind::kSubmit) continue;
    SubmittedTx& tx = by_tx[operation.tx_id];
    if (tx.first == nullptr || Strength(operation.outcome) > Strength(tx.outcome))
      tx = SubmittedTx{operation.outcome, &operation};
  }
  return by_tx;
}

std::string ChainPlace(const std::vector<NodeLedger>& nodes, const ReferenceChain& chain,
                       int64_t height) {
  const ChainBlock& block = *chain.At(height);
  return "height " + std::to_string(height) + " (" +
         BlockPlace(nodes[block.node_index], *block.block) + ")";
}

Anomaly AtOperation(std::string_view kind, std::string message, const Operation& operation) {
  return Anomaly{std::string(kind), std::move(message), Where::HistoryLine(operation.line)};
}

// Every ok submit that reported a height, against where the chain first holds its tx.
void CheckReportedHeights(const History& history, const std::vector<NodeLedger>& nodes,
                          const ReferenceChain& chain, std::vector<Anomaly>& anomalies) {
  for (const Operation& operation : history.operations) {
    if (operation.kind != OperationKind::kSubmit || operation.outcome != Outcome::kOk ||
        !operation.height)
      continue;
    std::optional<int64_t> committed = chain.CommitHeight(operation.tx_id);
    if (!committed || *committed == *operation.height) continue;  // lost is reported apart
    anomalies.push_back(AtOperation(
        kind::kWrongCommitHeight,
        "tx " + Quoted(operation.tx_id) + " submitted at " + OperationPlace(history, operation) +
            " was acknowledged at height " + std::to_string(*operation.height) +
            " but the reference chain has it at " + ChainPlace(nodes, chain, *committed),
        operation));
  }
}

}  // namespace

SubmitReport CheckSubmits(const History& history, const std::vector<NodeLedger>& nodes,
                          const ReferenceChain& chain) {
  SubmitReport report;
  for (const auto& [tx_id, tx] : SubmittedTxs(history)) {
    std::optional<int64_t> committed = chain.CommitHeight(tx_id);
    std::string submitted =
        "tx " + Quoted(tx_id) + " submitted at " + OperationPlace(history, *tx.first);
    switch (tx.outcome) {
      case Outcome::kOk:
        ++report.counts.acknowledged;
        if (!committed)
          report.anomalies.push_back(AtOperation(
              kind::kLostAcknowledged,
              submitted + " was acknowledged but is not in the reference chain (up to height " +
                  std::to_string(chain.head_height()) + ")",
              *tx.first));
        break;
      case Outcome::kUnknown:
        ++report.counts.unknown;
        if (committed) ++report.counts.unknown_committed;
        break;
      case Outcome::kRefused:
        ++report.counts.refused;
        if (committed)
          report.anomalies.push_back(AtOperation(
              kind::kRefusedCommitted,
              submitted + " was refused (by every submit of it) but the reference chain has it " +
                  "at " + ChainPlace(nodes, chain, *committed),
              *tx.first));
        break;
    }
  }
  CheckReportedHeights(history, nodes, chain, report.anomalies);
  return report;
}

}  // namespace tl::history
