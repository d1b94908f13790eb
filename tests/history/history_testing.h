// Builders for the checker's unit tests: chains whose links hold unless a test breaks them, and
// histories whose lines are numbered in order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anomaly.h"
#include "history.h"

namespace tl::history::testing {

// A hash that names its fork and height, so a test's expectations read plainly: ("a", 3) ->
// "a0003". Forks are named with hex letters (a-f) so hashes stay hex.
inline std::string HashAt(const std::string& fork, int64_t height) {
  std::string digits = std::to_string(height);
  return fork + std::string(4 - std::min<size_t>(4, digits.size()), '0') + digits;
}

// A node whose block i holds tx_ids[i], heights from `first_height`, hashes from `fork`, each
// block linked to the one before; genesis's prev_hash is empty.
inline NodeLedger Chain(const std::string& name,
                        const std::vector<std::vector<std::string>>& tx_ids,
                        int64_t first_height = 1, const std::string& fork = "a") {
  NodeLedger node{name, name + ".jsonl", {}};
  for (size_t i = 0; i < tx_ids.size(); ++i) {
    int64_t height = first_height + static_cast<int64_t>(i);
    std::string prev_hash = height == 1 ? "" : HashAt(fork, height - 1);
    node.blocks.push_back(Block{height, HashAt(fork, height), prev_hash, tx_ids[i], std::nullopt,
                                static_cast<int64_t>(i) + 1});
  }
  return node;
}

// Makes `node` fork from height `from` on: its blocks there and above take hashes from `fork`
// (linked among themselves), as a node on the losing side of a split brain would hold.
inline void ForkFrom(NodeLedger& node, int64_t from, const std::string& fork) {
  for (Block& block : node.blocks) {
    if (block.height < from) continue;
    block.hash = HashAt(fork, block.height);
    if (block.height > from) block.prev_hash = HashAt(fork, block.height - 1);
  }
}

// An operation of `kind` by `client` between the two times, answered with `outcome`.
inline Operation Op(OperationKind kind, const std::string& client, int64_t start_us, int64_t end_us,
                    Outcome outcome) {
  Operation operation;
  operation.kind = kind;
  operation.client = client;
  operation.start_us = start_us;
  operation.end_us = end_us;
  operation.outcome = outcome;
  return operation;
}

inline Operation Submit(const std::string& client, int64_t start_us, int64_t end_us,
                        Outcome outcome, const std::string& tx_id,
                        std::optional<int64_t> height = std::nullopt) {
  Operation operation = Op(OperationKind::kSubmit, client, start_us, end_us, outcome);
  operation.tx_id = tx_id;
  operation.height = outcome == Outcome::kOk ? height : std::nullopt;
  return operation;
}

inline Operation Read(const std::string& client, int64_t start_us, int64_t end_us, Outcome outcome,
                      std::optional<int64_t> height = std::nullopt) {
  Operation operation = Op(OperationKind::kRead, client, start_us, end_us, outcome);
  operation.height = height;
  return operation;
}

// A get_tx that answered: found at `height`, or not found when `height` is nullopt.
inline Operation GetTx(const std::string& client, int64_t start_us, int64_t end_us,
                       const std::string& tx_id, std::optional<int64_t> height) {
  Operation operation = Op(OperationKind::kGetTx, client, start_us, end_us, Outcome::kOk);
  operation.tx_id = tx_id;
  operation.found = height.has_value();
  operation.height = height;
  return operation;
}

// Numbers the operations' lines 1, 2, ... as a file would.
inline History HistoryOf(std::vector<Operation> operations) {
  for (size_t i = 0; i < operations.size(); ++i)
    operations[i].line = static_cast<int64_t>(i) + 1;
  return History{"history.jsonl", std::move(operations)};
}

inline std::vector<std::string> KindsOf(const std::vector<Anomaly>& anomalies) {
  std::vector<std::string> kinds;
  for (const Anomaly& anomaly : anomalies)
    kinds.push_back(anomaly.kind);
  return kinds;
}

}  // namespace tl::history::testing
