// Checks of the ledgers alone, before any history is consulted: each node's chain is well formed,
// the nodes agree wherever they overlap, and the reference chain commits no transaction twice.
// Each returns its anomalies in input order (by node as given, then by line).
#pragma once

#include <vector>

#include "anomaly.h"
#include "history.h"
#include "reference_chain.h"

namespace tl::history {

// One node: in file order, each block's height is the previous block's plus one
// (non_consecutive_height), and its prev_hash is the previous block's hash (broken_link). The
// first block's prev_hash is not checked: it is genesis's parent or a snapshot's.
std::vector<Anomaly> CheckNodeChain(const NodeLedger& node, size_t node_index);

// Where the reference chain joins blocks from two nodes (the reference node started late or has
// a gap), the later block's prev_hash is the earlier block's hash (broken_link). Links within
// one node are CheckNodeChain's.
std::vector<Anomaly> CheckReferenceSeams(const std::vector<NodeLedger>& nodes,
                                         const ReferenceChain& chain);

// Prefix consistency: at every height a node holds, its block has the reference block's hash
// (diverged_block) and, when both give one, its state_hash (diverged_state). Once two chains
// fork every later hash differs, so each node gets one anomaly per kind: at the first height
// that differs, with the count of the rest.
std::vector<Anomaly> CheckPrefixConsistency(const std::vector<NodeLedger>& nodes,
                                            const ReferenceChain& chain);

// --require-same-head: every node ends at the reference chain's head (head_mismatch). Without it
// a shorter node is fine, since CheckPrefixConsistency already holds it to being a prefix.
std::vector<Anomaly> CheckSameHead(const std::vector<NodeLedger>& nodes,
                                   const ReferenceChain& chain);

// No transaction id appears twice in the reference chain, within a block or across blocks
// (duplicate_commit): one anomaly per id, at its second occurrence.
std::vector<Anomaly> CheckDuplicateCommits(const std::vector<NodeLedger>& nodes,
                                           const ReferenceChain& chain);

}  // namespace tl::history
