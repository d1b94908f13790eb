#include "describe.h"

namespace tl::history {

std::string BlockPlace(const NodeLedger& node, const Block& block) {
  return "node " + node.name + " (" + node.source + ":" + std::to_string(block.line) + ")";
}

std::string OperationPlace(const History& history, const Operation& operation) {
  return history.source + ":" + std::to_string(operation.line) + " (client " + operation.client +
         ")";
}

std::string Quoted(const std::string& text) {
  return "'" + text + "'";
}

}  // namespace tl::history
