// The checker's inputs in memory: what clients saw (Operation) and what each node holds (Block).
// The parsers (history_parser.h, ledger_parser.h) build these from JSON Lines; tests build them
// directly. Every record remembers its 1-based line so anomalies can name it.
//
// Identifiers (tx ids, hashes) are stored as lower-case hex, so that "AB" in a client's history
// and "ab" in a node's dump name the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tl::history {

enum class OperationKind { kSubmit, kRead, kGetTx };

// What the client learned. kUnknown is a time-out or a lost connection: the operation may or may
// not have taken effect.
enum class Outcome { kOk, kRefused, kUnknown };

struct Operation {
  OperationKind kind = OperationKind::kSubmit;
  std::string client;
  int64_t start_us = 0;  // wall clock at invocation
  int64_t end_us = 0;    // wall clock at the answer or the time-out; end_us >= start_us
  Outcome outcome = Outcome::kUnknown;
  std::string tx_id;  // submit and get_tx only
  // submit ok: the height the node reported (optional); read ok: the committed height returned;
  // get_tx ok and found: the height the transaction is in.
  std::optional<int64_t> height;
  bool found = false;  // get_tx ok only
  int64_t line = 0;
};

struct History {
  std::string source;  // the file name, for messages
  std::vector<Operation> operations;
};

struct Block {
  int64_t height = 0;
  std::string hash;
  std::string prev_hash;  // may be empty or all zeros at genesis
  std::vector<std::string> tx_ids;
  std::optional<std::string> state_hash;
  int64_t line = 0;
};

// One node's chain in file order, as dumped after the test.
struct NodeLedger {
  std::string name;    // the NAME of --ledger NAME=FILE
  std::string source;  // the FILE
  std::vector<Block> blocks;
};

}  // namespace tl::history
