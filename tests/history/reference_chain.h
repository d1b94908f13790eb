// The reference chain: the one chain the history is judged against, built from every node's dump.
//
// The reference node is the one with the highest head (the first given, on a tie). Its block is
// the reference at each height it holds; at a height it lacks (it started from a snapshot, or its
// dump has a gap) the first node given that holds the height supplies the block. So a long node
// that starts late does not make earlier commits look lost, and every height any node holds has
// exactly one block that all others are compared with (chain_checks.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "history.h"

namespace tl::history {

// A node's blocks by height; where a height repeats (itself an anomaly) the first block counts.
std::map<int64_t, const Block*> BlocksByHeight(const NodeLedger& node);

// The node's highest height; 0 for a node with no blocks.
int64_t HeadHeight(const NodeLedger& node);

struct ChainBlock {
  const Block* block = nullptr;
  size_t node_index = 0;  // who supplied it, an index into the nodes
};

class ReferenceChain {
 public:
  // REQUIRES: `nodes` outlives the chain and is not changed while it lives.
  explicit ReferenceChain(const std::vector<NodeLedger>& nodes);
  // The chain points into `nodes`, so a temporary would leave it dangling.
  explicit ReferenceChain(const std::vector<NodeLedger>&& nodes) = delete;

  // REQUIRES: at least one node was given.
  size_t reference_node() const { return reference_node_; }
  // The reference node's head; 0 when no node holds a block.
  int64_t head_height() const { return head_height_; }
  const std::map<int64_t, ChainBlock>& blocks() const { return blocks_; }
  // nullptr when no node holds `height`.
  const ChainBlock* At(int64_t height) const;

  // Every height `tx_id` is committed at, ascending, once per occurrence (so a duplicate shows
  // twice); empty when it is not in the chain.
  const std::vector<int64_t>& HeightsOf(const std::string& tx_id) const;
  // The first height `tx_id` is committed at.
  std::optional<int64_t> CommitHeight(const std::string& tx_id) const;

 private:
  size_t reference_node_ = 0;
  int64_t head_height_ = 0;
  std::map<int64_t, ChainBlock> blocks_;
  std::map<std::string, std::vector<int64_t>> heights_by_tx_;
};

}  // namespace tl::history
