// The full-service template end to end: sites, enrolment, the incentive and its constraint,
// the sequencing rule, costs measured cost-to-cost, the pass-through, and the holdback released
// at database lock; then resubmission, an unbound feed, and the gas bound.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"
#include "trialledger/base/civil_date.h"

namespace tl::contracts::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Site(const std::string& id, const std::string& date, const std::string& site) {
  return Fact("site_activated", id, date, "\"site\": \"" + site + "\"");
}
std::string Enrolled(const std::string& id, const std::string& date, const std::string& site,
                     const std::string& subject) {
  return Fact("subject_enrolled", id, date,
              "\"site\": \"" + site + "\", \"subject\": \"" + subject + "\"");
}
std::string Cost(const std::string& id, const std::string& date, const std::string& category,
                 const std::string& amount) {
  return Fact("cost_incurred", id, date,
              "\"category\": \"" + category + "\", \"amount\": \"" + amount + "\"");
}

class FullServiceTest : public ::testing::Test {
 protected:
  FullServiceTest() : compiled(CompileTemplate("full_service.sow")), fx(compiled) {
    EXPECT_TRUE(fx.Instantiate({{"target_enrolment", "4"}}).accepted) << fx.last.message;
  }
  CompiledContract compiled;
  ContractFixture fx;
  const Signer edc = CroOracle("oracle:edc");
  const Signer ctms = CroOracle("oracle:ctms");
  const Signer cost = CroOracle("oracle:cost");
};

TEST_F(FullServiceTest, MilestonesInOrderWithEvidenceHoldbackAndRelease) {
  // Four sites: not yet five.
  fx.Submit(ctms, {Site("SA-101", "2026-02-02", "101"), Site("SA-102", "2026-02-03", "102"),
                   Site("SA-103", "2026-02-04", "103"), Site("SA-104", "2026-02-05", "104")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_THAT(fx.Events("milestone_achieved"), IsEmpty());
  // The fifth site completes sites_ready: 10 % is withheld from its invoice.
  fx.Submit(ctms, {Site("SA-105", "2026-02-06", "105")});
  EXPECT_THAT(fx.Events("milestone_achieved"),
              ElementsAre("milestone_achieved{milestone=sites_ready, kind=milestone, "
                          "amount=USD 150,000.00, evidence=[ctms/SA-105], fact=ctms/SA-105, "
                          "fact_date=2026-02-06}"));
  EXPECT_THAT(fx.Events("holdback_withheld"),
              ElementsAre("holdback_withheld{holdback=retainage, item=sites_ready, "
                          "amount=USD 15,000.00, total_withheld=USD 15,000.00}"));
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre("invoice_due{item=sites_ready, gross=USD 150,000.00, "
                          "holdback=USD 15,000.00, net=USD 135,000.00, "
                          "due_at=2027-02-18}"));
  const MilestoneStatus ready = fx.Milestone("sites_ready");
  EXPECT_EQ(ready.state, MilestoneState::kAchieved);
  EXPECT_EQ(ready.achieved_height, fx.height);
  EXPECT_EQ(ready.achieved_time_ms, fx.time_ms);

  // First patient in needs both the FPI fact and an enrolment; evidence names both facts.
  fx.Submit(edc, {Enrolled("ENR-1", "2026-03-01", "101", "101-001"),
                  Fact("first_patient_in", "FPI", "2026-03-01")});
  EXPECT_THAT(fx.Events("milestone_achieved"),
              ElementsAre("milestone_achieved{milestone=fpi, kind=milestone, "
                          "amount=USD 100,000.00, evidence=[rave-edc/FPI, rave-edc/ENR-1], "
                          "fact=rave-edc/FPI, fact_date=2026-03-01}"));

  // Half of the target (2 of 4).
  fx.Submit(edc, {Enrolled("ENR-2", "2026-03-05", "102", "102-001")});
  EXPECT_EQ(fx.Milestone("half_enrolled").state, MilestoneState::kAchieved);
  EXPECT_EQ(fx.Milestone("half_enrolled").evidence, std::vector<std::string>{"rave-edc/ENR-2"});
  EXPECT_FALSE(fx.Milestone("fast_enrolment").constraint_released);

  // Three of four: the incentive's constraint is released (it enters the transaction price).
  fx.Submit(edc, {Enrolled("ENR-3", "2026-03-09", "103", "103-001")});
  EXPECT_THAT(fx.Events("constraint_released"),
              ElementsAre("constraint_released{item=fast_enrolment, amount=USD 250,000.00, "
                          "fact=rave-edc/ENR-3}"));
  EXPECT_EQ(fx.Milestone("fast_enrolment").state, MilestoneState::kPending);

  // Full enrolment before the deadline earns the incentive.
  fx.Submit(edc, {Enrolled("ENR-4", "2026-03-12", "104", "104-001")});
  EXPECT_THAT(fx.Events("milestone_achieved"),
              ElementsAre("milestone_achieved{milestone=fast_enrolment, kind=incentive, "
                          "amount=USD 250,000.00, evidence=[rave-edc/ENR-4], "
                          "fact=rave-edc/ENR-4, fact_date=2026-03-12}"));

  // Sequencing: database lock before last patient last visit is rejected, and changes nothing.
  const MemoryContractState before = fx.state;
  fx.Submit(edc, {Fact("database_lock", "DBL-early", "2026-09-01")});
  ASSERT_TRUE(fx.last.accepted);
  ASSERT_EQ(fx.last.facts.size(), 1u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message,
            "rule lock_after_lplv: database lock reported before last patient last visit");
  EXPECT_EQ(fx.state.entries, before.entries);
  EXPECT_THAT(fx.last.events, IsEmpty());

  fx.Submit(edc, {Fact("last_patient_last_visit", "LPLV", "2026-09-10")});
  EXPECT_EQ(fx.Milestone("lplv").state, MilestoneState::kAchieved);

  // Database lock: its own fee is not withheld, and the holdback is released in full:
  // 10 % of 150,000 + 100,000 + 250,000 + 250,000 + 200,000.
  fx.Submit(edc, {Fact("database_lock", "DBL", "2026-10-01")});
  EXPECT_THAT(fx.Events("holdback_released"),
              ElementsAre("holdback_released{holdback=retainage, milestone=database_lock_fee, "
                          "amount=USD 95,000.00}"));
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre("invoice_due{item=database_lock_fee, gross=USD 300,000.00, "
                          "holdback=USD 0.00, net=USD 300,000.00, due_at=2027-02-25}",
                          "invoice_due{item=retainage, gross=USD 95,000.00, holdback=USD 0.00, "
                          "net=USD 95,000.00, due_at=2027-02-25}"));

  absl::StatusOr<std::vector<MilestoneStatus>> all = fx.runtime.Milestones(fx.state);
  ASSERT_TRUE(all.ok());
  std::vector<std::pair<std::string, int64_t>> heights;
  for (const MilestoneStatus& m : *all)
    heights.emplace_back(m.name, m.achieved_height);
  // Achieved in the order the facts arrived (block 1 instantiated the contract).
  EXPECT_THAT(heights, ElementsAre(std::pair<std::string, int64_t>{"sites_ready", 3},
                                   std::pair<std::string, int64_t>{"fpi", 4},
                                   std::pair<std::string, int64_t>{"half_enrolled", 5},
                                   std::pair<std::string, int64_t>{"lplv", 9},
                                   std::pair<std::string, int64_t>{"database_lock_fee", 10},
                                   std::pair<std::string, int64_t>{"fast_enrolment", 7}));
}

TEST_F(FullServiceTest, CostToCostProgressAndPassThroughGross) {
  fx.Submit(cost, {Fact("estimate_at_completion", "EAC-1", "2026-02-01",
                        "\"amount\": \"USD 2,000,000.00\"")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  fx.Submit(cost, {Cost("C-1", "2026-02-28", "labour", "USD 500,000.00"),
                   Cost("G-1", "2026-02-28", "investigator_grant", "USD 90,000.00")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_THAT(fx.Events("cost_incurred"),
              ElementsAre("cost_incurred{category=labour, amount=USD 500,000.00, "
                          "pass_through=, fact=erp-costs/C-1}",
                          "cost_incurred{category=investigator_grant, amount=USD 90,000.00, "
                          "pass_through=grants, fact=erp-costs/G-1}"));
  // After the grant: services 500,000 / 2,000,000 = 1/4; grants 90,000 / 900,000 = 1/10.
  const std::vector<std::string> progress = fx.Events("progress_updated");
  ASSERT_EQ(progress.size(), 4u);
  EXPECT_EQ(progress[2],
            "progress_updated{obligation=clinical_services, cost_to_date=USD 500,000.00, "
            "estimate_at_completion=USD 2,000,000.00, progress=1/4}");
  EXPECT_EQ(progress[3],
            "progress_updated{obligation=grants_service, cost_to_date=USD 90,000.00, "
            "estimate_at_completion=USD 900,000.00, progress=1/10}");

  // A grant beyond the pass-through budget is rejected until a change order raises it.
  fx.Submit(cost, {Cost("G-2", "2026-03-31", "site_fee", "USD 810,000.01")});
  ASSERT_EQ(fx.last.facts.size(), 1u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message,
            "pass-through grants would exceed its budget of USD 900,000.00; a change order must "
            "raise it first");

  // Correcting a cost reverses it and books the corrected amount.
  fx.Submit(cost, {Fact("cost_incurred", "C-1", "2026-02-28",
                        "\"category\": \"labour\", \"amount\": \"USD 400,000.00\"", true)});
  ASSERT_EQ(fx.last.facts.size(), 1u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected);
  EXPECT_THAT(fx.Events("cost_incurred"),
              ElementsAre("cost_incurred{category=labour, amount=USD -500,000.00, "
                          "pass_through=, fact=erp-costs/C-1}",
                          "cost_incurred{category=labour, amount=USD 400,000.00, "
                          "pass_through=, fact=erp-costs/C-1}"));
  absl::StatusOr<ContractPosition> position = fx.runtime.Position(fx.state);
  ASSERT_TRUE(position.ok());
  EXPECT_EQ(position->cost_incurred_minor, 40'000'000);
  EXPECT_EQ(position->estimate_at_completion_minor, 200'000'000);
}

TEST_F(FullServiceTest, SameFactsTwiceChangeNothing) {
  const std::vector<std::string> facts = {Site("SA-101", "2026-02-02", "101"),
                                          Enrolled("ENR-1", "2026-03-01", "101", "101-001"),
                                          Fact("first_patient_in", "FPI", "2026-03-01")};
  fx.Submit(ctms, {facts[0]});
  fx.Submit(edc, {facts[1], facts[2]});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kAchieved);
  const MemoryContractState before = fx.state;
  fx.Submit(ctms, {facts[0]});
  ASSERT_TRUE(fx.last.accepted);
  fx.Submit(edc, {facts[1], facts[2]});
  ASSERT_TRUE(fx.last.accepted);
  ASSERT_EQ(fx.last.facts.size(), 2u);
  for (const FactResult& result : fx.last.facts) {
    EXPECT_EQ(result.outcome, FactOutcome::kDuplicate) << result.message;
  }
  EXPECT_EQ(fx.last.facts[1].message, "already applied: rave-edc/FPI");
  EXPECT_THAT(fx.last.events, IsEmpty());
  EXPECT_EQ(fx.state.entries, before.entries);
}

TEST_F(FullServiceTest, FactFromAnUnboundRoleRejectsTheBatch) {
  const MemoryContractState before = fx.state;
  // Site activations come from the CTMS; the EDC's key may not report them.
  fx.Submit(edc, {Enrolled("ENR-1", "2026-03-01", "101", "101-001"),
                  Site("SA-101", "2026-02-02", "101")});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_EQ(fx.last.message,
            "fact 2: site_activated facts must be signed by a 'oracle:ctms' key of northwind-cro");
  EXPECT_EQ(fx.state.entries, before.entries);
  // The right role in the wrong organisation is refused too.
  Signer impostor{"k", "acme-bio", {"oracle:ctms"}};
  fx.Submit(impostor, {Site("SA-101", "2026-02-02", "101")});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_EQ(fx.state.entries, before.entries);
}

TEST_F(FullServiceTest, ImplausibleFactsAreRejectedOneByOne) {
  fx.Submit(ctms, {Site("SA-999", "2026-02-02", "999"), Site("SA-101", "2026-02-02", "101")});
  ASSERT_EQ(fx.last.facts.size(), 2u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message, "site 999 is not a site of study ACME-301");
  EXPECT_EQ(fx.last.facts[1].outcome, FactOutcome::kApplied);
  // Enrolment at a site that is not active breaks a rule; a future date is implausible.
  fx.Submit(edc, {Enrolled("ENR-1", "2026-03-01", "102", "102-001"),
                  Enrolled("ENR-2", "2031-03-01", "101", "101-002")});
  EXPECT_EQ(fx.last.facts[0].message,
            "rule enrol_at_active_sites: Subjects are enrolled only at activated sites");
  EXPECT_EQ(fx.last.facts[1].message, "the fact is dated after the block that records it");
}

TEST_F(FullServiceTest, ASourceTimeAheadOfTheBlockBeyondTheSkewIsRefused) {
  // The next block's time, and facts stamped 4 and 6 minutes after it (the skew is 5 minutes).
  const int64_t block_ms = fx.time_ms + 86'400'000;
  auto stamped = [](std::string fact, int64_t stamp_ms) {
    const std::string from = "2026-02-02T12:00:00Z";
    fact.replace(fact.find(from), from.size(), FormatIsoTimestamp(stamp_ms));
    return fact;
  };
  fx.Submit(ctms, {stamped(Site("SA-101", "2026-02-02", "101"), block_ms + 4 * 60'000),
                   stamped(Site("SA-102", "2026-02-02", "102"), block_ms + 6 * 60'000)});
  ASSERT_EQ(fx.last.facts.size(), 2u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kApplied);
  EXPECT_EQ(fx.last.facts[1].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[1].message,
            "the source time is later than the block's time plus the allowed skew (300 s)");
}

TEST_F(FullServiceTest, GasStaysWithinTheCompilersBound) {
  int64_t submit_bound = 0;
  for (const auto& entry : compiled.metadata.entry_gas()) {
    if (entry.entry() == "submit") submit_bound = entry.worst_case_gas();
  }
  ASSERT_GT(submit_bound, 0);
  std::vector<std::string> facts;
  for (int i = 1; i <= compiled.metadata.facts_per_batch_max(); ++i) {
    const std::string site = std::to_string(100 + (i % 5) + 1);
    facts.push_back(Fact("monitoring_visit", "MV-" + std::to_string(i), "2026-04-01",
                         "\"site\": \"" + site + "\""));
  }
  fx.Submit(ctms, {Site("SA-101", "2026-02-02", "101"), Site("SA-102", "2026-02-02", "102"),
                   Site("SA-103", "2026-02-02", "103"), Site("SA-104", "2026-02-02", "104"),
                   Site("SA-105", "2026-02-02", "105")});
  EXPECT_LE(fx.last.gas_used, submit_bound);
  fx.Submit(ctms, facts);
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_LE(fx.last.gas_used, submit_bound);
  // One fact more than the contract allows is refused before it runs.
  facts.push_back(Fact("monitoring_visit", "MV-extra", "2026-04-01", "\"site\": \"101\""));
  fx.Submit(ctms, facts);
  EXPECT_FALSE(fx.last.accepted);
}

}  // namespace
}  // namespace tl::contracts::testing
