#include "trialledger/ledger/apply.h"

#include "cluster_payloads.h"
#include "identity_payloads.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/tx_rules.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/merkle.h"

namespace tl::ledger {
namespace {

absl::Status HeaderFault(uint64_t height, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("block ", height, ": ", what));
}

absl::Status CheckHeader(const ChainHead& head, std::string_view chain_id,
                         const DecodedBlock& block, const StateReader& state,
                         const SignatureChecker* signatures) {
  const v1::BlockHeader& header = block.header;
  uint64_t height = header.height();
  if (header.chain_id() != chain_id) {
    return HeaderFault(height,
                       StrCat("chain id '", header.chain_id(), "' is not '", chain_id, "'"));
  }
  if (height != head.height + 1) {
    return HeaderFault(height, StrCat("expected height ", head.height + 1));
  }
  if (header.prev_block_hash() != head.block_hash) {
    return HeaderFault(
        height, StrCat("previous-block hash ", ToHex(header.prev_block_hash()),
                       " does not match block ", head.height, " (", ToHex(head.block_hash), ")"));
  }
  if (header.time_ms() <= head.time_ms) {
    return HeaderFault(height, StrCat("time ", header.time_ms(),
                                      " ms is not after the previous block's ", head.time_ms));
  }
  if (header.term() < head.term) {
    return HeaderFault(height,
                       StrCat("term ", header.term(), " is below the previous term ", head.term));
  }
  if (static_cast<size_t>(block.block.transactions_size()) != header.tx_count() ||
      header.tx_count() > limits::kBlockTxsMax) {
    return HeaderFault(height, StrCat("carries ", block.block.transactions_size(),
                                      " transactions; the header says ", header.tx_count(),
                                      " (limit ", limits::kBlockTxsMax, ")"));
  }
  std::vector<std::string> ids;
  ids.reserve(block.block.transactions_size());
  for (const v1::Transaction& tx : block.block.transactions())
    ids.push_back(TxId(tx));
  if (MerkleRoot(ids) != header.tx_merkle_root()) {
    return HeaderFault(height, "the Merkle root does not match its transactions");
  }
  std::optional<std::string> node_bytes = state.Get(state_keys::Node(header.proposer()));
  v1::NodeInfo proposer;
  if (!node_bytes.has_value() || !proposer.ParseFromString(*node_bytes)) {
    return HeaderFault(height, StrCat("proposer '", header.proposer(), "' is not a known node"));
  }
  if (proposer.membership() == v1::NODE_MEMBERSHIP_REMOVED && proposer.changed_height() < height) {
    return HeaderFault(height, StrCat("proposer '", proposer.name(), "' was removed at height ",
                                      proposer.changed_height()));
  }
  const bool signed_by_proposer =
      signatures != nullptr ? signatures->VerifiesBlock(block.block, proposer.public_key())
                            : VerifyBlockSignature(block.block, proposer.public_key());
  if (!signed_by_proposer) {
    return HeaderFault(
        height, StrCat("proposer signature does not verify for node '", proposer.name(), "'"));
  }
  // Checked last: a block that extends this node's head, signed by its proposer, carrying another
  // state after the same blocks is no stale proposal to skip. The proposer and this node computed
  // different results from identical history, so one of them is wrong and neither may go on as
  // if the books agreed.
  if (header.state_hash() != head.state_hash) {
    return absl::DataLossError(StrCat(
        "block ", height, ": state diverged: proposer '", header.proposer(),
        "' computed state hash ", ToHex(header.state_hash()), " after block ", head.height,
        ", this node computed ", ToHex(head.state_hash),
        ". Stop this node and run trialledger verify on its data dir and on a healthy node's "
        "(docs/operations.md, A node whose state diverged)"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsRefusedBlock(const absl::Status& status) {
  return absl::IsInvalidArgument(status);
}

v1::HeadRecord ToRecord(const ChainHead& head) {
  v1::HeadRecord record;
  record.set_height(head.height);
  record.set_block_hash(head.block_hash);
  record.set_state_hash(head.state_hash);
  record.set_time_ms(head.time_ms);
  record.set_term(head.term);
  return record;
}

ChainHead FromRecord(const v1::HeadRecord& record) {
  return ChainHead{record.height(), record.block_hash(), record.state_hash(), record.time_ms(),
                   record.term()};
}

std::string StateHash(const std::string& previous_state_hash, uint64_t height,
                      const std::string& block_hash, const std::vector<v1::TxResult>& results,
                      const WriteSet& writes) {
  Blake2b256Hasher results_hasher;
  for (const v1::TxResult& result : results)
    results_hasher.UpdateField(Encode(result));
  Blake2b256Hasher writes_hasher;
  for (const auto& [key, value] : writes) {
    writes_hasher.UpdateField(key);
    writes_hasher.UpdateU64(value.has_value() ? 1 : 0);
    writes_hasher.UpdateField(value.value_or(""));
  }
  return Blake2b256Hasher()
      .UpdateField("trialledger/v1/state")
      .UpdateField(previous_state_hash)
      .UpdateU64(height)
      .UpdateField(block_hash)
      .UpdateField(results_hasher.Final())
      .UpdateField(writes_hasher.Final())
      .Final();
}

AppliedBlock ApplyGenesis(const GenesisDocument& genesis) {
  MemoryState empty;
  StateOverlay overlay(empty);
  for (const v1::Organization& org : genesis.genesis.organizations()) {
    overlay.Put(state_keys::Org(org.name()), Encode(org));
  }
  for (const v1::Member& member : genesis.genesis.members())
    PutNewMember(member, 0, overlay);
  for (const v1::NodeInfo& node : genesis.genesis.nodes())
    PutGenesisNode(node, overlay);
  PutGenesisBooks(genesis.genesis, overlay);
  AppliedBlock applied;
  applied.writes = overlay.writes();
  applied.head.height = 0;
  applied.head.block_hash = genesis.hash;
  applied.head.time_ms = genesis.genesis.genesis_time_ms();
  applied.head.state_hash =
      StateHash(std::string(kHashBytes, '\0'), 0, genesis.hash, {}, applied.writes);
  return applied;
}

absl::StatusOr<AppliedBlock> ApplyBlock(const ChainHead& head, std::string_view chain_id,
                                        const DecodedBlock& block, const StateReader& state,
                                        const ApplyOptions& options) {
  absl::Status header_ok = CheckHeader(head, chain_id, block, state, options.signatures);
  if (absl::Status read = state.status(); !read.ok()) return read;
  if (!header_ok.ok()) return header_ok;
  uint64_t height = block.header.height();
  StateOverlay overlay(state);
  AppliedBlock applied;
  applied.results.reserve(block.block.transactions_size());
  for (const v1::Transaction& tx : block.block.transactions()) {
    absl::StatusOr<v1::TxResult> result = ApplyTransaction(
        tx, chain_id,
        TxContext{height, block.header.time_ms(), options.post_books, options.signatures}, overlay);
    if (!result.ok()) return result.status();
    applied.results.push_back(*std::move(result));
  }
  applied.writes = overlay.writes();
  applied.head.height = height;
  applied.head.block_hash = block.hash;
  applied.head.time_ms = block.header.time_ms();
  applied.head.term = block.header.term();
  applied.head.state_hash =
      StateHash(head.state_hash, height, block.hash, applied.results, applied.writes);
  return applied;
}

}  // namespace tl::ledger
