// An anomaly: something the ledgers or the history show that a correct cluster cannot produce.
// Every kind the checker reports is named here, so the README, the tests and the summary agree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

namespace tl::history {

namespace kind {
// One node's chain (chain_checks.h).
inline constexpr std::string_view kNonConsecutiveHeight = "non_consecutive_height";
inline constexpr std::string_view kBrokenLink = "broken_link";
// Nodes against each other (chain_checks.h).
inline constexpr std::string_view kDivergedBlock = "diverged_block";
inline constexpr std::string_view kDivergedState = "diverged_state";
inline constexpr std::string_view kHeadMismatch = "head_mismatch";
// The reference chain's transactions (chain_checks.h).
inline constexpr std::string_view kDuplicateCommit = "duplicate_commit";
// Submits against the reference chain (submit_checks.h).
inline constexpr std::string_view kLostAcknowledged = "lost_acknowledged";
inline constexpr std::string_view kWrongCommitHeight = "wrong_commit_height";
inline constexpr std::string_view kRefusedCommitted = "refused_committed";
// Linearizable reads (read_checks.h).
inline constexpr std::string_view kStaleRead = "stale_read";
inline constexpr std::string_view kReadBeyondChain = "read_beyond_chain";
inline constexpr std::string_view kStaleGetTx = "stale_get_tx";
inline constexpr std::string_view kGetTxWrongHeight = "get_tx_wrong_height";
}  // namespace kind

// Where an anomaly was seen, for ordering the report as the inputs are ordered: the ledgers in
// the order given (by line), then the history (by line).
struct Where {
  enum class Input { kLedger, kHistory };
  Input input = Input::kHistory;
  size_t node_index = 0;  // kLedger only: index into the nodes as given
  int64_t line = 0;

  static Where Ledger(size_t node_index, int64_t line) {
    return {Input::kLedger, node_index, line};
  }
  static Where HistoryLine(int64_t line) { return {Input::kHistory, 0, line}; }

  friend bool operator<(const Where& a, const Where& b) {
    return std::tie(a.input, a.node_index, a.line) < std::tie(b.input, b.node_index, b.line);
  }
};

struct Anomaly {
  std::string kind;  // one of kind::k*
  std::string message;
  Where where;
};

}  // namespace tl::history
