// The unit-priced template: per-subject, per-visit and monitoring fees with caps; an enrolment
// reversed by a later screen failure reverses its fee; corrections and retractions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"

namespace tl::contracts::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Subject(const std::string& kind, const std::string& id, const std::string& date,
                    const std::string& subject) {
  return Fact(kind, id, date, "\"site\": \"301\", \"subject\": \"" + subject + "\"");
}
std::string Visit(const std::string& id, const std::string& subject, const std::string& type,
                  bool correction = false) {
  return Fact(
      "visit_completed", id, "2026-04-01",
      "\"site\": \"301\", \"subject\": \"" + subject + "\", \"visit_type\": \"" + type + "\"",
      correction);
}

class UnitPricedTest : public ::testing::Test {
 protected:
  UnitPricedTest() : compiled(CompileTemplate("unit_priced.sow")), fx(compiled) {
    EXPECT_TRUE(fx.Instantiate({}).accepted) << fx.last.message;
    fx.Submit(ctms, {Fact("site_activated", "SA-301", "2026-02-01", "\"site\": \"301\"")});
    EXPECT_EQ(fx.Milestone("site_start").state, MilestoneState::kAchieved);
  }
  int64_t Units(const std::string& fee) {
    absl::StatusOr<ContractPosition> position = fx.runtime.Position(fx.state);
    EXPECT_TRUE(position.ok());
    for (const auto& [name, units] : position->units_earned) {
      if (name == fee) return units;
    }
    return -1;
  }
  CompiledContract compiled;
  ContractFixture fx;
  const Signer edc = CroOracle("oracle:edc");
  const Signer ctms = CroOracle("oracle:ctms");
};

TEST_F(UnitPricedTest, ScreenFailureAfterEnrolmentReversesTheSubjectFee) {
  fx.Submit(edc, {Subject("subject_enrolled", "ENR-1", "2026-03-01", "301-001"),
                  Subject("subject_enrolled", "ENR-2", "2026-03-02", "301-002")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_THAT(fx.Events("units_earned"),
              ElementsAre("units_earned{fee=per_subject, units=1, rate=USD 5,000.00, "
                          "amount=USD 5,000.00, total_units=1, fact=rave-edc/ENR-1}",
                          "units_earned{fee=per_subject, units=1, rate=USD 5,000.00, "
                          "amount=USD 5,000.00, total_units=2, fact=rave-edc/ENR-2}"));
  EXPECT_EQ(Units("per_subject"), 2);
  fx.Submit(edc, {Subject("subject_screen_failed", "SF-1", "2026-03-05", "301-001")});
  ASSERT_EQ(fx.last.facts.size(), 1u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kApplied);
  EXPECT_THAT(fx.Events("units_reversed"),
              ElementsAre("units_reversed{fee=per_subject, units=1, rate=USD 5,000.00, "
                          "amount=USD 5,000.00, total_units=1, fact=rave-edc/SF-1}"));
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre("invoice_due{item=per_subject, gross=USD -5,000.00, "
                          "holdback=USD 0.00, net=USD -5,000.00, due_at=2027-02-04}"));
  EXPECT_EQ(Units("per_subject"), 1);
  // A screen-failed subject cannot then be enrolled again.
  fx.Submit(edc, {Subject("subject_enrolled", "ENR-1b", "2026-03-06", "301-001")});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message, "subject 301-001 failed screening and cannot be enrolled");
}

TEST_F(UnitPricedTest, CorrectedVisitMovesItsFeeAndRetractionRemovesIt) {
  fx.Submit(edc, {Subject("subject_enrolled", "ENR-1", "2026-03-01", "301-001"),
                  Visit("V-1", "301-001", "WEEK4")});
  EXPECT_EQ(Units("week4_visit"), 1);
  // The EDC corrects the record: it was the screening visit.
  fx.Submit(edc, {Visit("V-1", "301-001", "SCREENING", /*correction=*/true)});
  ASSERT_EQ(fx.last.facts.size(), 1u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected);
  EXPECT_EQ(Units("week4_visit"), 0);
  EXPECT_EQ(Units("screening_visit"), 1);
  // The same correction again is a duplicate; the old content without the flag is refused.
  fx.Submit(edc, {Visit("V-1", "301-001", "SCREENING", true)});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kDuplicate);
  fx.Submit(edc, {Visit("V-1", "301-001", "WEEK4")});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  // The source record is deleted: its fee goes.
  fx.Submit(edc, {Fact("retracted", "V-1", "2026-04-02")});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected) << fx.last.facts[0].message;
  EXPECT_EQ(Units("screening_visit"), 0);
  EXPECT_THAT(fx.Events("units_reversed"),
              ElementsAre("units_reversed{fee=screening_visit, units=1, rate=USD 800.00, "
                          "amount=USD 800.00, total_units=0, fact=rave-edc/V-1}"));
}

TEST_F(UnitPricedTest, CapsStopEarning) {
  std::vector<std::string> visits;
  for (int i = 0; i < 5; ++i) {
    visits.push_back(
        Fact("monitoring_visit", "MV-" + std::to_string(i), "2026-05-01", "\"site\": \"301\""));
  }
  fx.Submit(ctms, visits);
  EXPECT_EQ(Units("monitoring"), 5);
  absl::StatusOr<ContractPosition> position = fx.runtime.Position(fx.state);
  ASSERT_TRUE(position.ok());
  // The money cap of the screening fee becomes whole units: USD 160,000 / USD 800 = 200.
  EXPECT_EQ(compiled.metadata.unit_fees(1).cap_units(), 200);
  EXPECT_EQ(compiled.metadata.unit_fees(3).cap_units(), 40);
}

TEST_F(UnitPricedTest, VisitRuleNeedsAnEnrolledSubject) {
  fx.Submit(edc, {Visit("V-9", "301-009", "WEEK4"), Visit("V-10", "301-009", "SCREENING")});
  ASSERT_EQ(fx.last.facts.size(), 2u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message,
            "rule visits_of_enrolled_subjects: visit for a subject who is not enrolled");
  EXPECT_EQ(fx.last.facts[1].outcome, FactOutcome::kApplied);
  EXPECT_THAT(fx.Events("milestone_achieved"), IsEmpty());
}

}  // namespace
}  // namespace tl::contracts::testing
