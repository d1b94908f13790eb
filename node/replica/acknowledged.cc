// The acknowledged mark (trialledger/ledger/acknowledged_mark.h) on the Raft thread: compared
// with the store at start, written after every synced Raft write and before the answers that
// write allows, and, after a loss, held up until the node has caught up again.
#include <algorithm>

#include "replica.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"

namespace tl::node {
namespace {

std::string Join(const std::vector<std::string>& sentences) {
  std::string joined;
  for (const std::string& sentence : sentences) {
    if (!joined.empty()) joined += "; ";
    joined += sentence;
  }
  return joined;
}

}  // namespace

ledger::AcknowledgedMark Replica::StoredMark() const {
  const raft::HardState hard_state = raft_storage_->hard_state();
  const uint64_t last_index = raft_storage_->LastIndex();
  const ledger::ChainHead head = store_->head();
  return ledger::AcknowledgedMark{.term = hard_state.term,
                                  .vote = hard_state.vote,
                                  .last_index = last_index,
                                  .last_term = raft_storage_->Term(last_index),
                                  .head_height = head.height,
                                  .head_hash = head.block_hash};
}

absl::Status Replica::OpenAcknowledgedMark() {
  absl::StatusOr<std::unique_ptr<ledger::AcknowledgedMarkFile>> mark =
      ledger::AcknowledgedMarkFile::Open(ledger::AcknowledgedMarkPath(config_.data_dir));
  if (!mark.ok()) return mark.status();
  mark_ = *std::move(mark);
  const ledger::AcknowledgedMark stored = StoredMark();
  if (!mark_->at_open().has_value()) {
    logger_.Info("acknowledged mark started", {{"path", mark_->path()}});
  } else {
    std::vector<std::string> lost = ledger::WhatWasLost(*mark_->at_open(), stored);
    if (!lost.empty()) {
      catching_up_to_ = *mark_->at_open();
      logger_.Error("storage lost acknowledged data",
                    {{"data_dir", config_.data_dir},
                     {"mark", mark_->path()},
                     {"lost", Join(lost)},
                     {"recovery",
                      StrCat("catching up from peers; no vote until the Raft log holds index ",
                             catching_up_to_->last_index, " of term ", catching_up_to_->last_term,
                             " and the ledger height ", catching_up_to_->head_height, " again")}});
    } else if (absl::Status same = CheckBlockTheMarkNamed(*mark_->at_open()); !same.ok()) {
      return same;
    }
  }
  return RecordAcknowledged();
}

absl::Status Replica::RecordAcknowledged() {
  ledger::AcknowledgedMark mark = StoredMark();
  if (catching_up_to_.has_value()) mark = ledger::Covering(*catching_up_to_, mark);
  return mark_->Write(mark);
}

absl::Status Replica::CheckBlockTheMarkNamed(const ledger::AcknowledgedMark& acknowledged) const {
  if (acknowledged.head_height == 0 || store_->head().height < acknowledged.head_height) {
    return absl::OkStatus();
  }
  absl::StatusOr<v1::Block> block = store_->ReadBlock(acknowledged.head_height);
  if (!block.ok()) return block.status();
  const std::string hash = BlockHash(*block);
  if (hash == acknowledged.head_hash) return absl::OkStatus();
  return absl::DataLossError(
      StrCat("block ", acknowledged.head_height, " is ", ToHex(hash), " but this node had applied ",
             ToHex(acknowledged.head_hash), " at that height (acknowledged mark ", mark_->path(),
             "): its chain differs from the one it vouched for. Stop this node and run trialledger "
             "verify (docs/operations.md, \"A damaged store\")"));
}

void Replica::MaybeFinishCatchingUp() {
  if (!catching_up_to_.has_value() || raft_->recovering() ||
      store_->head().height < catching_up_to_->head_height) {
    return;
  }
  if (absl::Status same = CheckBlockTheMarkNamed(*catching_up_to_); !same.ok()) Fatal(same);
  logger_.Info("caught up after storage loss: voting again",
               {{"raft_index", raft_->last_index()}, {"height", store_->head().height}});
  catching_up_to_.reset();
}

}  // namespace tl::node
