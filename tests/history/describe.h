// How messages name places in the inputs, in one home so every anomaly reads alike. Internal.
#pragma once

#include <string>

#include "history.h"

namespace tl::history {

// "node n1 (n1.jsonl:7)"
std::string BlockPlace(const NodeLedger& node, const Block& block);
// "history.jsonl:12 (client c1)"
std::string OperationPlace(const History& history, const Operation& operation);
// "'ab12'"
std::string Quoted(const std::string& text);

}  // namespace tl::history
