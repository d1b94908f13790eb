#include "read_checks.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "describe.h"

namespace tl::history {
namespace {

// An operation that showed `height` committed by the time it ended.
struct Evidence {
  int64_t end_us = 0;
  int64_t height = 0;
  std::string what;  // "tx 'ab' acknowledged at history.jsonl:3 (client c1)"
};

std::vector<Evidence> EvidenceOf(const History& history, const ReferenceChain& chain) {
  std::vector<Evidence> evidence;
  for (const Operation& operation : history.operations) {
    if (operation.outcome != Outcome::kOk) continue;
    std::string place = OperationPlace(history, operation);
    std::optional<int64_t> committed;
    if (operation.kind != OperationKind::kRead) committed = chain.CommitHeight(operation.tx_id);
    switch (operation.kind) {
      case OperationKind::kSubmit:
        // A lost tx shows no height; lost_acknowledged reports it.
        if (committed)
          evidence.push_back({operation.end_us, *committed,
                              "tx " + Quoted(operation.tx_id) + " acknowledged at " + place});
        break;
      case OperationKind::kRead:
        // A height beyond the chain is read_beyond_chain; it proves nothing about later reads.
        if (*operation.height <= chain.head_height())
          evidence.push_back({operation.end_us, *operation.height, "read at " + place});
        break;
      case OperationKind::kGetTx:
        if (operation.found && committed)
          evidence.push_back({operation.end_us, *committed,
                              "get_tx of " + Quoted(operation.tx_id) + " at " + place});
        break;
    }
  }
  return evidence;
}

// The highest height known committed before a given start time, and who showed it.
class CommittedBefore {
 public:
  explicit CommittedBefore(std::vector<Evidence> evidence) : evidence_(std::move(evidence)) {
    std::stable_sort(evidence_.begin(), evidence_.end(),
                     [](const Evidence& a, const Evidence& b) { return a.end_us < b.end_us; });
    // highest_[i]: the index of the first evidence with the highest height among 0..i.
    for (size_t i = 0; i < evidence_.size(); ++i) {
      bool higher = i == 0 || evidence_[i].height > evidence_[highest_.back()].height;
      highest_.push_back(higher ? i : highest_.back());
    }
  }

  // nullptr when nothing ended before `start_us`.
  const Evidence* Highest(int64_t start_us) const {
    auto ended = std::lower_bound(
        evidence_.begin(), evidence_.end(), start_us,
        [](const Evidence& evidence, int64_t start) { return evidence.end_us < start; });
    size_t count = static_cast<size_t>(ended - evidence_.begin());
    return count == 0 ? nullptr : &evidence_[highest_[count - 1]];
  }

 private:
  std::vector<Evidence> evidence_;
  std::vector<size_t> highest_;
};

// The earliest acknowledgement of each tx_id.
std::map<std::string, const Operation*> FirstAcknowledgements(const History& history) {
  std::map<std::string, const Operation*> first;
  for (const Operation& operation : history.operations) {
    if (operation.kind != OperationKind::kSubmit || operation.outcome != Outcome::kOk) continue;
    auto [at, inserted] = first.try_emplace(operation.tx_id, &operation);
    if (!inserted && operation.end_us < at->second->end_us) at->second = &operation;
  }
  return first;
}

std::string Known(const Evidence& evidence) {
  return "height " + std::to_string(evidence.height) + " was known committed: " + evidence.what +
         " ended at end_us " + std::to_string(evidence.end_us);
}

class ReadChecker {
 public:
  ReadChecker(const History& history, const ReferenceChain& chain)
      : history_(history),
        chain_(chain),
        committed_before_(EvidenceOf(history, chain)),
        first_acknowledgements_(FirstAcknowledgements(history)) {}

  void CheckRead(const Operation& read) {
    int64_t height = *read.height;
    std::string said = "read at " + OperationPlace(history_, read) + " started at start_us " +
                       std::to_string(read.start_us) + " and returned height " +
                       std::to_string(height);
    if (height > chain_.head_height()) {
      Add(kind::kReadBeyondChain,
          said + ", beyond the reference chain's head " + std::to_string(chain_.head_height()),
          read);
      return;
    }
    const Evidence* known = committed_before_.Highest(read.start_us);
    if (known != nullptr && height < known->height)
      Add(kind::kStaleRead, said + ", but " + Known(*known), read);
  }

  void CheckGetTx(const Operation& get_tx) {
    std::optional<int64_t> committed = chain_.CommitHeight(get_tx.tx_id);
    std::string said = "get_tx of " + Quoted(get_tx.tx_id) + " at " +
                       OperationPlace(history_, get_tx) + " started at start_us " +
                       std::to_string(get_tx.start_us);
    if (get_tx.found) {
      if (!committed)
        Add(kind::kGetTxWrongHeight,
            said + " found it at height " + std::to_string(*get_tx.height) +
                ", but the reference chain does not hold it",
            get_tx);
      else if (*committed != *get_tx.height)
        Add(kind::kGetTxWrongHeight,
            said + " found it at height " + std::to_string(*get_tx.height) +
                ", but the reference chain has it at height " + std::to_string(*committed),
            get_tx);
      return;
    }
    auto acknowledged = first_acknowledgements_.find(get_tx.tx_id);
    if (acknowledged != first_acknowledgements_.end() &&
        acknowledged->second->end_us < get_tx.start_us) {
      Add(kind::kStaleGetTx,
          said + " and did not find it, but its submit at " +
              OperationPlace(history_, *acknowledged->second) + " was acknowledged at end_us " +
              std::to_string(acknowledged->second->end_us),
          get_tx);
      return;
    }
    const Evidence* known = committed_before_.Highest(get_tx.start_us);
    if (committed && known != nullptr && *committed <= known->height)
      Add(kind::kStaleGetTx,
          said + " and did not find it, but the reference chain has it at height " +
              std::to_string(*committed) + " and " + Known(*known),
          get_tx);
  }

  std::vector<Anomaly> TakeAnomalies() { return std::move(anomalies_); }

 private:
  void Add(std::string_view kind, std::string message, const Operation& operation) {
    anomalies_.push_back(
        Anomaly{std::string(kind), std::move(message), Where::HistoryLine(operation.line)});
  }

  const History& history_;
  const ReferenceChain& chain_;
  CommittedBefore committed_before_;
  std::map<std::string, const Operation*> first_acknowledgements_;
  std::vector<Anomaly> anomalies_;
};

}  // namespace

ReadReport CheckReads(const History& history, const ReferenceChain& chain) {
  ReadReport report;
  ReadChecker checker(history, chain);
  for (const Operation& operation : history.operations) {
    if (operation.outcome != Outcome::kOk || operation.kind == OperationKind::kSubmit) continue;
    ++report.reads_checked;
    if (operation.kind == OperationKind::kRead)
      checker.CheckRead(operation);
    else
      checker.CheckGetTx(operation);
  }
  report.anomalies = checker.TakeAnomalies();
  return report;
}

}  // namespace tl::history
