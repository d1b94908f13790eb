// A correction or retraction of a source record reverses what its earlier version caused,
// achieved milestones included: a milestone met before the correction and not after it goes
// back to pending with a credit for its amount (its holdback share given back), and a holdback
// its achievement released is withheld again. A new fact that changes its mind (a screen
// failure) is not a correction, and a correction that did not undo the condition reverses
// nothing. Figures by hand: 10 % of 20,000.00 is 2,000.00.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"

namespace tl::contracts::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSow[] = R"(contract c_1 "Reversals" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-1"
sites "101"
payment terms net 30 days

feed "oracle:edc" of cro reports subject_enrolled, subject_screen_failed, visit_completed,
  database_lock

obligation services "Study services" {
  standalone price USD 1,000,000.00
  recognised over time by milestones
}

milestone first_enrolled "First subject enrolled" {
  when enrolled >= 1
  pays USD 20,000.00
  for services
}

milestone two_enrolled "Two subjects enrolled" {
  when enrolled >= 2
  pays USD 30,000.00
  for services
}

milestone lock_fee "Database lock" {
  when database_locked
  pays USD 50,000.00
  for services
}

holdback retainage "Ten percent until database lock" {
  withhold 10 percent of milestones
  released by lock_fee
}
)";

std::string Enrolled(const std::string& id, const std::string& subject, bool correction = false) {
  return Fact("subject_enrolled", id, "2026-03-02",
              "\"site\": \"101\", \"subject\": \"" + subject + "\"", correction);
}

class ReversalTest : public ::testing::Test {
 protected:
  ReversalTest() : compiled(CompileOrDie(kSow, "reversal.sow")), fx(compiled) {
    EXPECT_TRUE(fx.Instantiate({}).accepted) << fx.last.message;
  }
  CompiledContract compiled;
  ContractFixture fx;
  const Signer edc = CroOracle("oracle:edc");
};

TEST_F(ReversalTest, RetractingTheEnrolmentThatAchievedAMilestoneReversesItAndCreditsIt) {
  fx.Submit(edc, {Enrolled("ENR-1", "101-001")});
  ASSERT_EQ(fx.Milestone("first_enrolled").state, MilestoneState::kAchieved);
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre(::testing::StartsWith("invoice_due{item=first_enrolled, "
                                                "gross=USD 20,000.00, holdback=USD 2,000.00, "
                                                "net=USD 18,000.00")));
  // The EDC deletes the record: the milestone it achieved is reversed, and credited net of the
  // holdback share it withheld.
  fx.Submit(edc, {Fact("retracted", "ENR-1", "2026-03-09")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected);
  EXPECT_THAT(fx.Events("milestone_reversed"),
              ElementsAre("milestone_reversed{milestone=first_enrolled, kind=milestone, "
                          "amount=USD 20,000.00, fact=rave-edc/ENR-1, fact_date=2026-03-09}"));
  EXPECT_THAT(fx.Events("holdback_withheld"),
              ElementsAre("holdback_withheld{holdback=retainage, item=first_enrolled, "
                          "amount=USD -2,000.00, total_withheld=USD 0.00}"));
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre(::testing::StartsWith("invoice_due{item=first_enrolled, "
                                                "gross=USD -20,000.00, holdback=USD -2,000.00, "
                                                "net=USD -18,000.00")));
  EXPECT_EQ(fx.Milestone("first_enrolled").state, MilestoneState::kPending);
  // Another subject achieves it again, once.
  fx.Submit(edc, {Enrolled("ENR-2", "101-002")});
  EXPECT_EQ(fx.Events("milestone_achieved").size(), 1u);
  EXPECT_EQ(fx.Milestone("first_enrolled").state, MilestoneState::kAchieved);
}

TEST_F(ReversalTest, AScreenFailureIsNoCorrectionAndACorrectionThatDidNotUndoItReversesNothing) {
  fx.Submit(edc, {Enrolled("ENR-1", "101-001"), Enrolled("ENR-2", "101-002")});
  ASSERT_EQ(fx.Milestone("two_enrolled").state, MilestoneState::kAchieved);
  // A correction of ENR-2 to another subject: two enrolled before and after.
  fx.Submit(edc, {Enrolled("ENR-2", "101-003", /*correction=*/true)});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected);
  EXPECT_THAT(fx.Events("milestone_reversed"), IsEmpty());
  // The subject screen-fails: a new fact about the trial, not a correction of a record. The
  // per-subject count falls; the milestones billed when they were met stay achieved.
  fx.Submit(edc, {Fact("subject_screen_failed", "SF-3", "2026-03-10",
                       R"("site": "101", "subject": "101-003")")});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kApplied);
  EXPECT_THAT(fx.Events("milestone_reversed"), IsEmpty());
  EXPECT_EQ(fx.Milestone("two_enrolled").state, MilestoneState::kAchieved);
  // A later correction of an unrelated record finds two_enrolled unmet before it and after it:
  // it did not undo it, so it reverses nothing.
  fx.Submit(edc, {Fact("visit_completed", "V-1", "2026-03-11",
                       R"("site": "101", "subject": "101-001", "visit_type": "WEEK1")")});
  fx.Submit(edc, {Fact("visit_completed", "V-1", "2026-03-11",
                       R"("site": "101", "subject": "101-001", "visit_type": "WEEK2")",
                       /*correction=*/true)});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected);
  EXPECT_THAT(fx.Events("milestone_reversed"), IsEmpty());
  EXPECT_EQ(fx.Milestone("two_enrolled").state, MilestoneState::kAchieved);
}

TEST_F(ReversalTest, ReversingTheReleasingMilestoneWithholdsTheHoldbackAgain) {
  fx.Submit(edc, {Enrolled("ENR-1", "101-001"), Fact("database_lock", "DBL", "2026-03-20")});
  ASSERT_EQ(fx.Milestone("lock_fee").state, MilestoneState::kAchieved);
  EXPECT_THAT(fx.Events("holdback_released"),
              ElementsAre("holdback_released{holdback=retainage, milestone=lock_fee, "
                          "amount=USD 2,000.00}"));
  // The lock was reported in error: the lock fee is credited in full (it withheld nothing) and
  // the released 2,000.00 is taken back, to be withheld until the lock is reported again.
  fx.Submit(edc, {Fact("retracted", "DBL", "2026-03-21")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_THAT(fx.Events("milestone_reversed"),
              ElementsAre("milestone_reversed{milestone=lock_fee, kind=milestone, "
                          "amount=USD 50,000.00, fact=rave-edc/DBL, fact_date=2026-03-21}"));
  EXPECT_THAT(fx.Events("holdback_release_reversed"),
              ElementsAre("holdback_release_reversed{holdback=retainage, milestone=lock_fee, "
                          "amount=USD 2,000.00}"));
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre(::testing::StartsWith("invoice_due{item=lock_fee, gross=USD -50,000.00, "
                                                "holdback=USD 0.00, net=USD -50,000.00"),
                          ::testing::StartsWith("invoice_due{item=retainage, gross=USD -2,000.00, "
                                                "holdback=USD 0.00, net=USD -2,000.00")));
  // Withheld again: the next milestone's invoice keeps its 10 %.
  fx.Submit(edc, {Enrolled("ENR-2", "101-002")});
  EXPECT_THAT(fx.Events("holdback_withheld"),
              ElementsAre("holdback_withheld{holdback=retainage, item=two_enrolled, "
                          "amount=USD 3,000.00, total_withheld=USD 5,000.00}"));
}

}  // namespace
}  // namespace tl::contracts::testing
