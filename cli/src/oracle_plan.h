// Deciding what an oracle import still has to submit (docs/feeds.md, "Submitting"): the facts a
// contract already holds, read from the ledger page by page; which of a file's facts they
// account for; and how the rest is cut into SubmitFacts transactions that fit the ledger's
// limits. Pure: nothing here talks to a node, so the rules can be read (and tested) alone.
//
//   LedgerFacts ledger;
//   for (const v1::FactRecord& record : page.facts()) ledger.Add(record);  // every page, in order
//   ImportPlan plan = PlanImport(result.facts, ledger);
//   for (const Batch& batch : SplitIntoBatches(result.facts, plan.to_submit, contract, per_batch))
//     Submit(MakeFactBatch(result.facts, plan.to_submit, batch, contract));
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "trialledger/contracts/limits.h"
#include "trialledger/feeds/import.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/contract_ledger.pb.h"

namespace tl::cli::oracle {

namespace limits {
// Facts in one SubmitFacts transaction, at most; a contract may allow fewer
// (ContractMetadata.facts_per_batch_max), and the batch must also fit kBatchBytesMax.
inline constexpr int64_t kFactsPerBatchMax = contracts::kFactsPerBatchMax;
// What a transaction holds besides its facts: TxBody's chain id, signer key, nonce, expiry and
// the contract id, the Transaction's signature and the field tags (a few hundred bytes; kept
// generous so a batch never misses kTxBytesMax by a byte).
inline constexpr size_t kTxEnvelopeBytesMax = 1024;
inline constexpr size_t kBatchBytesMax = tl::limits::kTxBytesMax - kTxEnvelopeBytesMax;
}  // namespace limits

// What two facts with one fact id are compared by: what the contract compares to call a fact a
// duplicate (kind, study, date, site, subject, visit type or category, amount), that is the fact
// without its audit details, source timestamp and correction flag, deterministically encoded.
std::string FactContent(const v1::Fact& fact);

// Every fact record a contract holds (applied, duplicate, corrected or rejected), by fact id.
class LedgerFacts {
 public:
  struct Record {
    uint64_t seq = 0;
    std::string content;  // FactContent
    v1::FactOutcomeCode outcome = v1::FACT_OUTCOME_UNSPECIFIED;
    std::string message;  // the contract's, for a rejected fact
    std::string tx_id;
  };

  // REQUIRES: records are added in sequence order, each once (record.seq() == next_seq()).
  void Add(const v1::FactRecord& record);
  // The sequence number the next read of the ledger starts at.
  uint64_t next_seq() const { return next_seq_; }
  uint64_t size() const { return next_seq_ - 1; }
  // The records of `fact_id` in sequence order; nullptr if it has none.
  const std::vector<Record>* Find(const std::string& fact_id) const;

 private:
  std::unordered_map<std::string, std::vector<Record>> by_fact_id_;
  uint64_t next_seq_ = 1;
};

enum class Disposition {
  kSubmit,    // not on the ledger yet
  kOnLedger,  // a record with the same content accounts for it
  // The ledger holds this fact id with other content and the fact is no correction: the
  // contract would reject it, so it is not submitted (a later export that changed a record).
  kConflict,
};

struct FactPlan {
  Disposition disposition = Disposition::kSubmit;
  // kOnLedger: the record that accounts for the fact; kConflict: the record it conflicts with.
  const LedgerFacts::Record* record = nullptr;
};

struct ImportPlan {
  std::vector<FactPlan> facts;    // one per fact of the file, in file order
  std::vector<size_t> to_submit;  // indices of the kSubmit facts, in file order
  int64_t on_ledger = 0;
  int64_t conflicts = 0;
};

struct PlanOptions {
  // A fact whose records are all `rejected` is submitted again (once per run: not if a record of
  // it came from `own_tx_ids`), e.g. enrolments rejected before their site was activated.
  bool resubmit_rejected = false;
  const std::set<std::string>* own_tx_ids = nullptr;  // the transactions of this run
};

// Each record accounts for one fact at most, in file order, so a file that holds a record and
// later its correction matches a ledger that holds both (or submits the correction alone if only
// the first got there). The plan points into `ledger`: it is valid while `ledger` is unchanged.
ImportPlan PlanImport(const std::vector<feeds::ImportedFact>& facts, const LedgerFacts& ledger,
                      const PlanOptions& options = {});

// Positions [begin, end) in the to_submit list.
struct Batch {
  size_t begin = 0;
  size_t end = 0;
};

// Consecutive runs of `to_submit`, in order, each with at most min(facts_per_batch_max,
// kFactsPerBatchMax) facts and at most kBatchBytesMax bytes of FactBatch.
// REQUIRES: facts_per_batch_max >= 1.
std::vector<Batch> SplitIntoBatches(const std::vector<feeds::ImportedFact>& facts,
                                    const std::vector<size_t>& to_submit,
                                    const std::string& contract_id, int64_t facts_per_batch_max);

v1::FactBatch MakeFactBatch(const std::vector<feeds::ImportedFact>& facts,
                            const std::vector<size_t>& to_submit, const Batch& batch,
                            const std::string& contract_id);

}  // namespace tl::cli::oracle
