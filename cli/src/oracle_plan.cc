#include "oracle_plan.h"

#include <algorithm>

#include <google/protobuf/io/coded_stream.h>

#include "trialledger/base/check.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/sdk/codec.h"

namespace tl::cli::oracle {
namespace {

// The bytes a fact adds to an encoded FactBatch: its field tag, its length and itself.
size_t EncodedFactBytes(const v1::Fact& fact) {
  const size_t bytes = fact.ByteSizeLong();
  return 1 + google::protobuf::io::CodedOutputStream::VarintSize64(bytes) + bytes;
}

bool Changed(v1::FactOutcomeCode outcome) {
  return contracts::FactOutcomeTakesEffect(outcome);
}

}  // namespace

std::string FactContent(const v1::Fact& fact) {
  v1::Fact content = fact;
  content.clear_audit();
  content.clear_source_timestamp_ms();
  content.clear_correction();
  return Encode(content);
}

void LedgerFacts::Add(const v1::FactRecord& record) {
  TL_CHECK(record.seq() == next_seq_);
  Record kept;
  kept.seq = record.seq();
  kept.content = FactContent(record.fact());
  kept.outcome = record.outcome().code();
  kept.message = record.outcome().message();
  kept.tx_id = record.tx_id();
  by_fact_id_[contracts::FactId(record.fact())].push_back(std::move(kept));
  ++next_seq_;
}

const std::vector<LedgerFacts::Record>* LedgerFacts::Find(const std::string& fact_id) const {
  auto found = by_fact_id_.find(fact_id);
  return found == by_fact_id_.end() ? nullptr : &found->second;
}

ImportPlan PlanImport(const std::vector<feeds::ImportedFact>& facts, const LedgerFacts& ledger,
                      const PlanOptions& options) {
  auto ours = [&](const LedgerFacts::Record& record) {
    return options.own_tx_ids != nullptr && options.own_tx_ids->contains(record.tx_id);
  };
  // Among records of the same content: one that changed something, so that a fact the contract
  // applied and later saw again (a duplicate record) is matched by what it did; then one of this
  // run's, so that a fact resubmitted and rejected again is not resubmitted once more.
  auto better = [&](const LedgerFacts::Record& record, const LedgerFacts::Record& than) {
    if (Changed(record.outcome) != Changed(than.outcome)) return Changed(record.outcome);
    return ours(record) && !ours(than);
  };
  ImportPlan plan;
  plan.facts.resize(facts.size());
  std::vector<bool> used(ledger.next_seq(), false);  // by seq: the record accounts for a fact
  for (size_t i = 0; i < facts.size(); ++i) {
    const v1::Fact& fact = facts[i].fact;
    FactPlan& planned = plan.facts[i];
    const std::vector<LedgerFacts::Record>* records = ledger.Find(contracts::FactId(fact));
    if (records == nullptr) {
      plan.to_submit.push_back(i);
      continue;
    }
    const std::string content = FactContent(fact);
    const LedgerFacts::Record* match = nullptr;
    for (const LedgerFacts::Record& record : *records) {
      if (used[record.seq] || record.content != content) continue;
      if (match == nullptr || better(record, *match)) match = &record;
    }
    if (match != nullptr && match->outcome == v1::FACT_REJECTED && options.resubmit_rejected &&
        !ours(*match)) {
      used[match->seq] = true;
      plan.to_submit.push_back(i);
      continue;
    }
    if (match != nullptr) {
      used[match->seq] = true;
      planned = {Disposition::kOnLedger, match};
      ++plan.on_ledger;
      continue;
    }
    // A fact only ever rejected left no content in the contract: the id is free again.
    const LedgerFacts::Record* standing = nullptr;
    for (const LedgerFacts::Record& record : *records) {
      if (Changed(record.outcome)) standing = &record;
    }
    if (standing != nullptr && !fact.correction()) {
      planned = {Disposition::kConflict, standing};
      ++plan.conflicts;
      continue;
    }
    plan.to_submit.push_back(i);
  }
  return plan;
}

std::vector<Batch> SplitIntoBatches(const std::vector<feeds::ImportedFact>& facts,
                                    const std::vector<size_t>& to_submit,
                                    const std::string& contract_id, int64_t facts_per_batch_max) {
  TL_CHECK(facts_per_batch_max >= 1);
  const size_t per_batch =
      static_cast<size_t>(std::min<int64_t>(facts_per_batch_max, limits::kFactsPerBatchMax));
  v1::FactBatch empty;
  empty.set_contract_id(contract_id);
  const size_t base_bytes = empty.ByteSizeLong();
  std::vector<Batch> batches;
  Batch current{0, 0};
  size_t bytes = base_bytes;
  for (size_t position = 0; position < to_submit.size(); ++position) {
    const size_t fact_bytes = EncodedFactBytes(facts[to_submit[position]].fact);
    // One fact is at most a few hundred bytes (feeds check every field against the ledger's
    // limits), so every batch holds at least one.
    TL_CHECK(base_bytes + fact_bytes <= limits::kBatchBytesMax);
    const bool full =
        current.end - current.begin == per_batch || bytes + fact_bytes > limits::kBatchBytesMax;
    if (full) {
      batches.push_back(current);
      current = {position, position};
      bytes = base_bytes;
    }
    current.end = position + 1;
    bytes += fact_bytes;
  }
  if (current.end > current.begin) batches.push_back(current);
  return batches;
}

v1::FactBatch MakeFactBatch(const std::vector<feeds::ImportedFact>& facts,
                            const std::vector<size_t>& to_submit, const Batch& batch,
                            const std::string& contract_id) {
  v1::FactBatch out;
  out.set_contract_id(contract_id);
  for (size_t position = batch.begin; position < batch.end; ++position) {
    *out.add_facts() = facts[to_submit[position]].fact;
  }
  TL_CHECK(out.ByteSizeLong() <= limits::kBatchBytesMax);
  return out;
}

}  // namespace tl::cli::oracle
