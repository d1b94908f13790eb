// The import planner alone (cli/src/oracle_plan.h): which of a file's facts the ledger already
// accounts for, which conflict, which go again, and how the rest is cut into batches. The
// records are built here as a node would list them, so every rule is checked without a node.
#include "oracle_plan.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace tl::cli::oracle {
namespace {

feeds::ImportedFact Enrolment(const std::string& id, const std::string& subject,
                              bool correction = false) {
  feeds::ImportedFact imported;
  v1::Fact& fact = imported.fact;
  fact.set_source_system("rave-edc");
  fact.set_source_record_id(id);
  fact.set_source_timestamp_ms(1'700'000'000'000);
  fact.set_correction(correction);
  fact.mutable_subject_enrolled()->set_site("101");
  fact.mutable_subject_enrolled()->set_subject(subject);
  fact.mutable_subject_enrolled()->set_date_ms(1'699'920'000'000);
  return imported;
}

// The ledger's record of `fact`, judged `outcome` in transaction `tx`.
class Ledger {
 public:
  void Add(const feeds::ImportedFact& imported, v1::FactOutcomeCode outcome,
           const std::string& tx = "tx-earlier") {
    v1::FactRecord record;
    record.set_seq(facts.next_seq());
    *record.mutable_fact() = imported.fact;
    // What the ledger compares leaves out the audit details and the source time.
    record.mutable_fact()->mutable_audit()->set_user("someone else");
    record.mutable_fact()->set_source_timestamp_ms(1);
    record.mutable_outcome()->set_fact_id("rave-edc/" + imported.fact.source_record_id());
    record.mutable_outcome()->set_code(outcome);
    record.set_tx_id(tx);
    facts.Add(record);
  }
  LedgerFacts facts;
};

TEST(OraclePlan, WhatTheLedgerHoldsIsNotSubmittedAgainAndTheRestIs) {
  const std::vector<feeds::ImportedFact> file = {Enrolment("E1", "S-1"), Enrolment("E2", "S-2"),
                                                 Enrolment("E3", "S-3")};
  Ledger ledger;
  ledger.Add(file[1], v1::FACT_APPLIED);
  ImportPlan plan = PlanImport(file, ledger.facts);
  EXPECT_EQ(plan.to_submit, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(plan.on_ledger, 1);
  EXPECT_EQ(plan.conflicts, 0);
  EXPECT_EQ(plan.facts[1].disposition, Disposition::kOnLedger);
  ASSERT_NE(plan.facts[1].record, nullptr);
  EXPECT_EQ(plan.facts[1].record->seq, 1u);
}

TEST(OraclePlan, AChangedRecordThatIsNoCorrectionConflictsAndIsHeldBack) {
  Ledger ledger;
  ledger.Add(Enrolment("E1", "S-1"), v1::FACT_APPLIED);
  // A later export says another subject under the same record id, without correction: the
  // contract would reject it, so it is reported, not sent.
  ImportPlan plan = PlanImport({Enrolment("E1", "S-9")}, ledger.facts);
  EXPECT_TRUE(plan.to_submit.empty());
  EXPECT_EQ(plan.conflicts, 1);
  EXPECT_EQ(plan.facts[0].disposition, Disposition::kConflict);
  // As a correction it goes.
  plan = PlanImport({Enrolment("E1", "S-9", /*correction=*/true)}, ledger.facts);
  EXPECT_EQ(plan.to_submit, (std::vector<size_t>{0}));
}

TEST(OraclePlan, AFactHeldForItsSitesActivationIsOnTheLedger) {
  // Held (`else hold`) is the record's standing version, like applied: not sent again, and a
  // changed record without the correction flag conflicts with it.
  Ledger ledger;
  ledger.Add(Enrolment("E1", "S-1"), v1::FACT_HELD);
  ImportPlan plan = PlanImport({Enrolment("E1", "S-1")}, ledger.facts);
  EXPECT_TRUE(plan.to_submit.empty());
  EXPECT_EQ(plan.on_ledger, 1);
  plan = PlanImport({Enrolment("E1", "S-9")}, ledger.facts);
  EXPECT_TRUE(plan.to_submit.empty());
  EXPECT_EQ(plan.conflicts, 1);
}

TEST(OraclePlan, ARecordAndItsCorrectionMatchOneLedgerRecordEach) {
  const std::vector<feeds::ImportedFact> file = {Enrolment("E1", "S-1"),
                                                 Enrolment("E1", "S-2", /*correction=*/true)};
  // Both on the ledger: nothing to do.
  Ledger both;
  both.Add(file[0], v1::FACT_APPLIED);
  both.Add(file[1], v1::FACT_CORRECTED);
  EXPECT_TRUE(PlanImport(file, both.facts).to_submit.empty());
  // Killed after the first: only the correction goes.
  Ledger first;
  first.Add(file[0], v1::FACT_APPLIED);
  ImportPlan plan = PlanImport(file, first.facts);
  EXPECT_EQ(plan.to_submit, (std::vector<size_t>{1}));
  // The same record twice in one file: one ledger record accounts for the first; the repeat is
  // not sent (the contract would only call it a duplicate) and is reported against that record.
  const std::vector<feeds::ImportedFact> twice = {Enrolment("E1", "S-1"), Enrolment("E1", "S-1")};
  plan = PlanImport(twice, first.facts);
  EXPECT_EQ(plan.on_ledger, 1);
  EXPECT_TRUE(plan.to_submit.empty());
  EXPECT_EQ(plan.facts[1].disposition, Disposition::kConflict);
}

TEST(OraclePlan, RejectedFactsGoAgainOnlyWhenAskedAndOncePerRun) {
  const std::vector<feeds::ImportedFact> file = {Enrolment("E1", "S-1")};
  Ledger ledger;
  ledger.Add(file[0], v1::FACT_REJECTED, "tx-yesterday");
  // By default a rejected fact is accounted for: the ledger holds its record.
  EXPECT_TRUE(PlanImport(file, ledger.facts).to_submit.empty());
  const std::set<std::string> this_run = {"tx-today"};
  PlanOptions again{.resubmit_rejected = true, .own_tx_ids = &this_run};
  EXPECT_EQ(PlanImport(file, ledger.facts, again).to_submit, (std::vector<size_t>{0}));
  // Rejected again in this run: not sent a third time.
  ledger.Add(file[0], v1::FACT_REJECTED, "tx-today");
  EXPECT_TRUE(PlanImport(file, ledger.facts, again).to_submit.empty());
}

TEST(OraclePlan, BatchesRespectTheContractsFactLimitAndTheTransactionSize) {
  std::vector<feeds::ImportedFact> file;
  std::vector<size_t> all;
  for (int i = 0; i < 70; ++i) {
    file.push_back(Enrolment("E" + std::to_string(i), "S-" + std::to_string(i)));
    all.push_back(static_cast<size_t>(i));
  }
  // The contract allows 20 per batch: 20, 20, 20, 10, in order, every fact once.
  std::vector<Batch> batches = SplitIntoBatches(file, all, "c-1", 20);
  ASSERT_EQ(batches.size(), 4u);
  EXPECT_EQ(batches[0].begin, 0u);
  EXPECT_EQ(batches[3].begin, 60u);
  EXPECT_EQ(batches[3].end, 70u);
  // Above the ledger's own cap the cap holds.
  batches = SplitIntoBatches(file, all, "c-1", 1000);
  for (const Batch& batch : batches)
    EXPECT_LE(static_cast<int64_t>(batch.end - batch.begin), limits::kFactsPerBatchMax);
  // Large facts: the bytes decide. Each fact carries 3 kB of audit reason (the splitter only
  // measures), so about twenty fit under kBatchBytesMax.
  for (feeds::ImportedFact& imported : file)
    imported.fact.mutable_audit()->set_reason(std::string(3000, 'r'));
  batches = SplitIntoBatches(file, all, "c-1", 1000);
  size_t covered = 0;
  for (const Batch& batch : batches) {
    EXPECT_EQ(batch.begin, covered);
    covered = batch.end;
    v1::FactBatch made = MakeFactBatch(file, all, batch, "c-1");
    EXPECT_LE(made.ByteSizeLong(), limits::kBatchBytesMax);
    EXPECT_EQ(made.contract_id(), "c-1");
    EXPECT_EQ(made.facts(0).source_record_id(), file[batch.begin].fact.source_record_id());
  }
  EXPECT_EQ(covered, file.size());
  EXPECT_GT(batches.size(), 70u / static_cast<size_t>(limits::kFactsPerBatchMax) + 1);
}

}  // namespace
}  // namespace tl::cli::oracle
