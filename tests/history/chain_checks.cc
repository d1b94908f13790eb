#include "chain_checks.h"

#include <map>
#include <set>
#include <string>

#include "describe.h"

namespace tl::history {
namespace {

Anomaly AtBlock(std::string_view kind, std::string message, size_t node_index, const Block& block) {
  return Anomaly{std::string(kind), std::move(message), Where::Ledger(node_index, block.line)};
}

// "; 3 later heights differ too" when a fork carries on past its first height.
std::string LaterCount(size_t later) {
  if (later == 0) return "";
  if (later == 1) return "; 1 later height differs too";
  return "; " + std::to_string(later) + " later heights differ too";
}

// The heights where one node's blocks differ from the reference, by what differs.
struct Differences {
  std::vector<const Block*> hash;   // block hash differs
  std::vector<const Block*> state;  // hash agrees, state_hash differs
};

Differences DifferencesOf(const NodeLedger& node, size_t node_index, const ReferenceChain& chain) {
  Differences differences;
  for (const auto& [height, block] : BlocksByHeight(node)) {
    const ChainBlock* reference = chain.At(height);
    if (reference->node_index == node_index) continue;  // it is the reference block
    const Block& expected = *reference->block;
    if (block->hash != expected.hash)
      differences.hash.push_back(block);
    else if (block->state_hash && expected.state_hash && *block->state_hash != *expected.state_hash)
      differences.state.push_back(block);
  }
  return differences;
}

}  // namespace

std::vector<Anomaly> CheckNodeChain(const NodeLedger& node, size_t node_index) {
  std::vector<Anomaly> anomalies;
  for (size_t i = 1; i < node.blocks.size(); ++i) {
    const Block& previous = node.blocks[i - 1];
    const Block& block = node.blocks[i];
    if (block.height != previous.height + 1) {
      anomalies.push_back(AtBlock(kind::kNonConsecutiveHeight,
                                  BlockPlace(node, block) + ": height " +
                                      std::to_string(block.height) + " follows height " +
                                      std::to_string(previous.height) +
                                      "; heights must be consecutive",
                                  node_index, block));
      continue;  // the link of blocks that are not neighbours says nothing
    }
    if (block.prev_hash != previous.hash)
      anomalies.push_back(
          AtBlock(kind::kBrokenLink,
                  BlockPlace(node, block) + ": block " + std::to_string(block.height) +
                      " has prev_hash " + Quoted(block.prev_hash) + " but block " +
                      std::to_string(previous.height) + " has hash " + Quoted(previous.hash),
                  node_index, block));
  }
  return anomalies;
}

std::vector<Anomaly> CheckReferenceSeams(const std::vector<NodeLedger>& nodes,
                                         const ReferenceChain& chain) {
  std::vector<Anomaly> anomalies;
  const ChainBlock* previous = nullptr;
  for (const auto& [height, chain_block] : chain.blocks()) {
    bool seam = previous != nullptr && previous->block->height + 1 == height &&
                previous->node_index != chain_block.node_index;
    if (seam && chain_block.block->prev_hash != previous->block->hash) {
      const NodeLedger& node = nodes[chain_block.node_index];
      anomalies.push_back(AtBlock(kind::kBrokenLink,
                                  "reference chain at height " + std::to_string(height) + ": " +
                                      BlockPlace(node, *chain_block.block) + " has prev_hash " +
                                      Quoted(chain_block.block->prev_hash) + " but block " +
                                      std::to_string(height - 1) + " of " +
                                      BlockPlace(nodes[previous->node_index], *previous->block) +
                                      " has hash " + Quoted(previous->block->hash),
                                  chain_block.node_index, *chain_block.block));
    }
    previous = &chain_block;
  }
  return anomalies;
}

std::vector<Anomaly> CheckPrefixConsistency(const std::vector<NodeLedger>& nodes,
                                            const ReferenceChain& chain) {
  std::vector<Anomaly> anomalies;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const NodeLedger& node = nodes[i];
    Differences differences = DifferencesOf(node, i, chain);
    if (!differences.hash.empty()) {
      const Block& block = *differences.hash.front();
      const ChainBlock& reference = *chain.At(block.height);
      anomalies.push_back(AtBlock(kind::kDivergedBlock,
                                  BlockPlace(node, block) + " diverges from " +
                                      BlockPlace(nodes[reference.node_index], *reference.block) +
                                      " at height " + std::to_string(block.height) + ": hash " +
                                      Quoted(block.hash) + " vs " + Quoted(reference.block->hash) +
                                      LaterCount(differences.hash.size() - 1),
                                  i, block));
    }
    if (!differences.state.empty()) {
      const Block& block = *differences.state.front();
      const ChainBlock& reference = *chain.At(block.height);
      anomalies.push_back(AtBlock(kind::kDivergedState,
                                  BlockPlace(node, block) + " has the same block hash as " +
                                      BlockPlace(nodes[reference.node_index], *reference.block) +
                                      " at height " + std::to_string(block.height) +
                                      " but state_hash " + Quoted(*block.state_hash) + " vs " +
                                      Quoted(*reference.block->state_hash) +
                                      LaterCount(differences.state.size() - 1),
                                  i, block));
    }
  }
  return anomalies;
}

std::vector<Anomaly> CheckSameHead(const std::vector<NodeLedger>& nodes,
                                   const ReferenceChain& chain) {
  std::vector<Anomaly> anomalies;
  for (size_t i = 0; i < nodes.size(); ++i) {
    int64_t head = HeadHeight(nodes[i]);
    if (head == chain.head_height()) continue;
    int64_t last_line = nodes[i].blocks.empty() ? 0 : nodes[i].blocks.back().line;
    anomalies.push_back(Anomaly{
        std::string(kind::kHeadMismatch),
        "node " + nodes[i].name + " (" + nodes[i].source + ") ends at height " +
            std::to_string(head) + " but the reference node " + nodes[chain.reference_node()].name +
            " ends at height " + std::to_string(chain.head_height()) + " (--require-same-head)",
        Where::Ledger(i, last_line)});
  }
  return anomalies;
}

std::vector<Anomaly> CheckDuplicateCommits(const std::vector<NodeLedger>& nodes,
                                           const ReferenceChain& chain) {
  std::vector<Anomaly> anomalies;
  std::map<std::string, const ChainBlock*> first_seen;
  std::set<std::string> reported;
  for (const auto& [height, chain_block] : chain.blocks()) {
    for (const std::string& tx_id : chain_block.block->tx_ids) {
      auto [first, inserted] = first_seen.try_emplace(tx_id, &chain_block);
      if (inserted || !reported.insert(tx_id).second) continue;
      std::string heights_text;
      for (int64_t at : chain.HeightsOf(tx_id))
        heights_text += (heights_text.empty() ? "" : ", ") + std::to_string(at);
      anomalies.push_back(AtBlock(
          kind::kDuplicateCommit,
          "tx " + Quoted(tx_id) + " is committed " + std::to_string(chain.HeightsOf(tx_id).size()) +
              " times in the reference chain, at heights " + heights_text + " (first in " +
              BlockPlace(nodes[first->second->node_index], *first->second->block) + ", again in " +
              BlockPlace(nodes[chain_block.node_index], *chain_block.block) + ")",
          chain_block.node_index, *chain_block.block));
    }
  }
  return anomalies;
}

}  // namespace tl::history
