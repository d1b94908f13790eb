// Posting a contract run to the books: after a contract transaction's events are recorded, the
// CRO's book receives the journal entries the accounting library (contracts/books/) derives from
// them, in the same write set as the block. This file finds what caused each event and keeps the
// records; every booking rule is the library's.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"
#include "trialledger/v1/contract.pb.h"
#include "trialledger/v1/contract_ledger.pb.h"

namespace tl::ledger {

// One contract run, as contract_payloads.cc has recorded it.
struct ContractRun {
  const v1::ContractRecord& record;
  const v1::ContractMetadata& terms;    // of the version that ran
  std::vector<v1::EventRecord> events;  // as stored, with their seqs
  std::string tx_id;
  TxContext context;
};

// The first run of a version (AcceptContract: instantiation, or AcceptAmendment: migration),
// effective from `effective_date_ms` (already the day's start): the CRO book's figures for the
// contract start, or carry on under the new terms. FailedPrecondition when a change order would
// take effect before a fact already applied.
absl::Status PostVersionRun(const ContractRun& run, int64_t effective_date_ms, StateOverlay& state);

// A SubmitFacts run: each event is posted on the date of the fact that caused it; under the
// sponsor's grid, the facts the contract applied (`outcome`) are the sponsor's accruals.
absl::Status PostFactsRun(const ContractRun& run, const v1::FactBatch& batch,
                          const v1::ContractOutcome& outcome, StateOverlay& state);

// Returns OK, a refusal of the transaction (InvalidArgument, FailedPrecondition: nothing is
// written) or a fault of the books or the store (DataLoss, Unavailable: the node stops). Tell them
// apart with IsBooksRefusal.
bool IsBooksRefusal(const absl::Status& status);

}  // namespace tl::ledger
