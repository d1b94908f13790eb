// Parses one node's chain dump: JSON Lines, one block per line (README.md has the format).
//
// Usage:
//   std::ifstream in(path);
//   Parsed<NodeLedger> ledger = ParseLedger(in, "node-1", path);
#pragma once

#include <istream>
#include <string>

#include "history.h"
#include "input_error.h"

namespace tl::history {

// Fails on the first line that is not valid JSON or lacks a field, has one of the wrong type, a
// non-hex hash or tx id, or a negative height. The order of heights and the hash links are not
// checked here: they are anomalies of the node, not errors of the file (chain_checks.h).
Parsed<NodeLedger> ParseLedger(std::istream& in, const std::string& name,
                               const std::string& source);

}  // namespace tl::history
