// The deterministic apply pipeline: a committed block and the state before it in; per-transaction
// results, the block's write set and the next chain head out. No clocks, threads, floats or
// unordered iteration: every node, build and compiler computes the same bytes.
//
// State hash chain (docs/storage.md):
//   state_hash(h) = H("trialledger/v1/state", state_hash(h-1), h, block_hash(h),
//                     H(results of block h), H(write set of block h))
// with state_hash(0) over the genesis write set, and block_hash(0) the genesis hash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/protocol.h"

namespace tl::ledger {

struct ChainHead {
  uint64_t height = 0;
  std::string block_hash;  // genesis hash at height 0
  std::string state_hash;  // after `height`
  int64_t time_ms = 0;
  uint64_t term = 0;
};

v1::HeadRecord ToRecord(const ChainHead& head);
ChainHead FromRecord(const v1::HeadRecord& record);

struct AppliedBlock {
  std::vector<v1::TxResult> results;
  WriteSet writes;
  ChainHead head;  // after the block
};

// The state a network starts from, and its head at height 0.
AppliedBlock ApplyGenesis(const GenesisDocument& genesis);

// Checks the header against `head` (chain id, height, links, Merkle root, time, proposer and
// signature) and applies each transaction. Transaction faults become rejected results. Two kinds
// of error:
//   - a refused block (InvalidArgument, IsRefusedBlock): the header does not extend `head`. Every
//     node refuses it alike; a replica skips such a Raft entry, verify reports it.
//   - a storage fault of `state` (DataLoss or Unavailable, StateReader::status()), or a corrupt
//     stored record: this node cannot compute the result; the replica stops.
//   - divergence (DataLoss, "state diverged"): the block extends `head` and is signed by its
//     proposer, but carries a state hash other than `head`'s: the replica stops.
// How a block is applied. The defaults are the protocol: every node applies every block with them.
struct ApplyOptions {
  // false: contract transactions post nothing to the books. For benchmarks only, which measure
  // the same block with and without the books; such a ledger is not the network's.
  bool post_books = true;
  // Null: every transaction signature and the block's are verified (tx_rules.h,
  // SignatureChecker).
  const SignatureChecker* signatures = nullptr;
};

absl::StatusOr<AppliedBlock> ApplyBlock(const ChainHead& head, std::string_view chain_id,
                                        const DecodedBlock& block, const StateReader& state,
                                        const ApplyOptions& options = {});

// The header fault of ApplyBlock, as opposed to a storage fault.
bool IsRefusedBlock(const absl::Status& status);

std::string StateHash(const std::string& previous_state_hash, uint64_t height,
                      const std::string& block_hash, const std::vector<v1::TxResult>& results,
                      const WriteSet& writes);

}  // namespace tl::ledger
