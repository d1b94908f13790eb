// Bringing the ledger up to the checkpoint a Raft snapshot carries: blocks are fetched from the
// peers and applied exactly as committed entries are, so a peer cannot make this node accept a
// block that does not verify and link.
#include "peer_clients.h"
#include "replica.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {

absl::Status Replica::CatchUpToSnapshot(const raft::Snapshot& snapshot) {
  v1::LedgerCheckpoint checkpoint;  // empty data: the bootstrap snapshot, at genesis
  if (!snapshot.data.empty() && !checkpoint.ParseFromString(snapshot.data)) {
    return absl::DataLossError(
        StrCat("the Raft snapshot at index ", snapshot.meta.index, " holds no ledger checkpoint"));
  }
  if (store_->head().height < checkpoint.height()) {
    logger_.Info("catching up", {{"from_height", store_->head().height},
                                 {"to_height", checkpoint.height()},
                                 {"snapshot_index", snapshot.meta.index}});
    absl::Status fetched = FetchBlocksUpTo(checkpoint.height(), soft_.leader);
    if (!fetched.ok()) return fetched;
  }
  if (checkpoint.height() > 0) {
    absl::StatusOr<v1::Block> block = store_->ReadBlock(checkpoint.height());
    if (!block.ok() || BlockHash(*block) != checkpoint.block_hash()) {
      return absl::DataLossError(StrCat("this ledger differs from the snapshot at height ",
                                        checkpoint.height(), " (snapshot block ",
                                        ToHex(checkpoint.block_hash()), ")"));
    }
  }
  absl::Status recorded = store_->RecordRaftApplied(snapshot.meta.index, /*sync=*/true);
  if (!recorded.ok()) Fatal(recorded);
  RefreshNodes();
  return absl::OkStatus();
}

// Fetches blocks from the peers (the leader first) and applies each one exactly as a committed
// entry would be: a peer cannot make this node accept a block that does not verify and link.
absl::Status Replica::FetchBlocksUpTo(uint64_t height, uint64_t preferred_peer) {
  std::string preferred = NodeName(preferred_peer);
  while (store_->head().height < height) {
    std::vector<v1::NodeInfo> candidates;
    for (const auto& [name, info] : nodes()) {
      if (name == config_.name || info.membership() == v1::NODE_MEMBERSHIP_REMOVED) continue;
      candidates.insert(name == preferred ? candidates.begin() : candidates.end(), info);
    }
    bool progressed = false;
    for (const v1::NodeInfo& peer : candidates) {
      ledger::ChainHead head = store_->head();
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(limits::kFetchBlocksDeadlineMs));
      v1::FetchBlocksRequest request;
      request.set_from_height(head.height + 1);
      request.set_to_height(height);
      std::unique_ptr<grpc::ClientReader<v1::Block>> reader =
          peer_clients_->For(peer).FetchBlocks(&context, request);
      v1::Block fetched;
      while (reader->Read(&fetched)) {
        absl::StatusOr<DecodedBlock> block = DecodeBlock(Encode(fetched));
        auto apply_start = std::chrono::steady_clock::now();
        absl::StatusOr<ledger::AppliedBlock> applied =
            block.ok() ? ledger::ApplyBlock(head, genesis_.genesis.chain_id(), *block, *store_)
                       : absl::StatusOr<ledger::AppliedBlock>(block.status());
        auto apply_end = std::chrono::steady_clock::now();
        if (block.ok() && !applied.ok() && !ledger::IsRefusedBlock(applied.status())) {
          Fatal(applied.status());  // this node's storage, not the peer's block
        }
        if (!applied.ok()) {
          logger_.Warn("peer sent a block that does not apply",
                       {{"peer", peer.name()}, {"error", applied.status().message()}});
          context.TryCancel();
          break;
        }
        absl::Status committed =
            store_->CommitBlock(*block, *applied, store_->raft_applied(), /*sync=*/false);
        if (!committed.ok()) Fatal(committed);
        metrics_.RecordBlock(TallyBlock(applied->results, applied->writes), apply_end - apply_start,
                             std::chrono::steady_clock::now() - apply_end);
        head = applied->head;
        progressed = true;
      }
      grpc::Status finished = reader->Finish();
      if (!finished.ok() && !progressed) {
        logger_.Warn("fetching blocks failed",
                     {{"peer", peer.name()}, {"error", finished.error_message()}});
      }
      if (store_->head().height >= height) break;
    }
    if (!progressed) {
      if (stop_raft_) return absl::CancelledError("stopping");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  return absl::OkStatus();
}

}  // namespace tl::node
