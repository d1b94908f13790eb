#include "reference_chain.h"

#include <algorithm>

namespace tl::history {

std::map<int64_t, const Block*> BlocksByHeight(const NodeLedger& node) {
  std::map<int64_t, const Block*> by_height;
  for (const Block& block : node.blocks)
    by_height.try_emplace(block.height, &block);
  return by_height;
}

int64_t HeadHeight(const NodeLedger& node) {
  int64_t head = 0;
  for (const Block& block : node.blocks)
    head = std::max(head, block.height);
  return head;
}

ReferenceChain::ReferenceChain(const std::vector<NodeLedger>& nodes) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    int64_t head = HeadHeight(nodes[i]);
    if (head > head_height_) {
      head_height_ = head;
      reference_node_ = i;
    }
  }
  // The reference node first, then the others in the order given: try_emplace keeps the first.
  auto take_blocks = [&](size_t node_index) {
    for (const auto& [height, block] : BlocksByHeight(nodes[node_index]))
      blocks_.try_emplace(height, ChainBlock{block, node_index});
  };
  if (!nodes.empty()) take_blocks(reference_node_);
  for (size_t i = 0; i < nodes.size(); ++i)
    if (i != reference_node_) take_blocks(i);

  for (const auto& [height, chain_block] : blocks_)
    for (const std::string& tx_id : chain_block.block->tx_ids)
      heights_by_tx_[tx_id].push_back(height);
}

const ChainBlock* ReferenceChain::At(int64_t height) const {
  auto found = blocks_.find(height);
  return found == blocks_.end() ? nullptr : &found->second;
}

const std::vector<int64_t>& ReferenceChain::HeightsOf(const std::string& tx_id) const {
  static const std::vector<int64_t> kNone;
  auto found = heights_by_tx_.find(tx_id);
  return found == heights_by_tx_.end() ? kNone : found->second;
}

std::optional<int64_t> ReferenceChain::CommitHeight(const std::string& tx_id) const {
  const std::vector<int64_t>& heights = HeightsOf(tx_id);
  if (heights.empty()) return std::nullopt;
  return heights.front();
}

}  // namespace tl::history
