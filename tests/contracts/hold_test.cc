// `require site_active(fact.site) else hold`: an enrolment the EDC reports before the CTMS
// reports its site's activation waits, counts nothing, and is applied by the activation, once.
// A resubmission of a held fact is a duplicate, a correction replaces it and a retraction
// withdraws it; a site holds at most kHeldFactsPerSiteMax facts; a closed site rejects; a
// correction cannot take an applied fact back into waiting; a held fact the state no longer
// allows is rejected when released. The gas bound holds for a full batch of activations that
// each release a full queue.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/limits.h"

namespace tl::contracts::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string SowWithSites(int site_count) {
  std::string sites;
  for (int i = 1; i <= site_count; ++i)
    sites += (i > 1 ? ", " : "") + ("\"" + std::to_string(100 + i) + "\"");
  return R"(contract c_1 "Held enrolments" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-1"
sites )" +
         sites +
         R"(

feed "oracle:edc" of cro reports subject_screened, subject_enrolled, subject_screen_failed
feed "oracle:ctms" of cro reports site_activated, site_closed

obligation services "Study services" {
  standalone price USD 500,000.00
  recognised over time by milestones
}

milestone first_enrolled "First subject enrolled" {
  when enrolled >= 1
  pays USD 10,000.00
  for services
}

unit_fee per_subject "Per subject enrolled" {
  per enrolled
  rate USD 5,000.00
  for services
}

rule enrol_at_active_sites "Subjects are enrolled only at activated sites" {
  on subject_enrolled
  require site_active(fact.site) else hold
}
)";
}

std::string Enrolled(const std::string& id, const std::string& site, const std::string& subject,
                     bool correction = false) {
  return Fact("subject_enrolled", id, "2026-03-02",
              "\"site\": \"" + site + "\", \"subject\": \"" + subject + "\"", correction);
}
std::string Activated(const std::string& id, const std::string& site) {
  return Fact("site_activated", id, "2026-03-05", "\"site\": \"" + site + "\"");
}

class HoldTest : public ::testing::Test {
 protected:
  explicit HoldTest(int sites = 3)
      : compiled(CompileOrDie(SowWithSites(sites), "hold.sow")), fx(compiled) {
    EXPECT_TRUE(fx.Instantiate({}).accepted) << fx.last.message;
  }
  int64_t Units() {
    absl::StatusOr<ContractPosition> position = fx.runtime.Position(fx.state);
    EXPECT_TRUE(position.ok());
    for (const auto& [name, units] : position->units_earned) {
      if (name == "per_subject") return units;
    }
    return -1;
  }
  FactOutcome Outcome(size_t i) const {
    EXPECT_LT(i, fx.last.facts.size());
    return i < fx.last.facts.size() ? fx.last.facts[i].outcome : FactOutcome::kRejected;
  }
  CompiledContract compiled;
  ContractFixture fx;
  const Signer edc = CroOracle("oracle:edc");
  const Signer ctms = CroOracle("oracle:ctms");
};

constexpr char kRule[] =
    "rule enrol_at_active_sites: Subjects are enrolled only at activated sites";

TEST_F(HoldTest, AnEnrolmentBeforeItsSiteIsActivatedWaitsAndCountsOnceActivated) {
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-001")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(Outcome(0), FactOutcome::kHeld);
  EXPECT_EQ(fx.last.facts[0].message, kRule);
  EXPECT_THAT(fx.Events("fact_held"),
              ElementsAre(StrCat("fact_held{fact=rave-edc/ENR-1, site=101, rule=", kRule, "}")));
  EXPECT_THAT(fx.Events("units_earned"), IsEmpty());
  EXPECT_EQ(Units(), 0);
  EXPECT_EQ(fx.Milestone("first_enrolled").state, MilestoneState::kPending);
  // The importer runs again: nothing new.
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-001")});
  EXPECT_EQ(Outcome(0), FactOutcome::kDuplicate);
  EXPECT_EQ(fx.last.facts[0].message, "already held until site 101 is activated: rave-edc/ENR-1");
  // The CTMS reports the activation: the enrolment counts from it, one fee and the milestone.
  fx.Submit(ctms, {Activated("SA-101", "101")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(Outcome(0), FactOutcome::kApplied);
  EXPECT_THAT(fx.Events("fact_released"),
              ElementsAre("fact_released{released=rave-edc/ENR-1, kind=subject_enrolled, "
                          "site=101, subject=101-001, detail=, date=2026-03-02, "
                          "outcome=applied, message=, fact=ctms/SA-101}"));
  EXPECT_THAT(fx.Events("units_earned"),
              ElementsAre("units_earned{fee=per_subject, units=1, rate=USD 5,000.00, "
                          "amount=USD 5,000.00, total_units=1, fact=ctms/SA-101}"));
  EXPECT_EQ(Units(), 1);
  EXPECT_EQ(fx.Milestone("first_enrolled").state, MilestoneState::kAchieved);
  // Released is applied: a resubmission now is an ordinary duplicate, and nothing is held.
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-001")});
  EXPECT_EQ(Outcome(0), FactOutcome::kDuplicate);
  EXPECT_EQ(fx.last.facts[0].message, "already applied: rave-edc/ENR-1");
  // Once active, the site's enrolments apply at once.
  fx.Submit(edc, {Enrolled("ENR-2", "101", "101-002")});
  EXPECT_EQ(Outcome(0), FactOutcome::kApplied);
  EXPECT_EQ(Units(), 2);
}

TEST_F(HoldTest, ACorrectionReplacesAHeldFactAndARetractionWithdrawsIt) {
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-001"), Enrolled("ENR-2", "101", "101-002")});
  ASSERT_EQ(fx.last.facts.size(), 2u);
  EXPECT_EQ(Outcome(0), FactOutcome::kHeld);
  EXPECT_EQ(Outcome(1), FactOutcome::kHeld);
  // Different content without the correction flag is refused, as for an applied fact.
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-009")});
  EXPECT_EQ(Outcome(0), FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message,
            "source record rave-edc/ENR-1 is held with different content; send the new content "
            "as a correction");
  // The EDC corrects the subject of ENR-1 (still waiting) and deletes ENR-2.
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-003", /*correction=*/true),
                  Fact("retracted", "ENR-2", "2026-03-03")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(Outcome(0), FactOutcome::kHeld);
  EXPECT_EQ(Outcome(1), FactOutcome::kCorrected);
  // The activation releases the corrected fact alone.
  fx.Submit(ctms, {Activated("SA-101", "101")});
  EXPECT_THAT(fx.Events("fact_released"),
              ElementsAre("fact_released{released=rave-edc/ENR-1, kind=subject_enrolled, "
                          "site=101, subject=101-003, detail=, date=2026-03-02, "
                          "outcome=applied, message=, fact=ctms/SA-101}"));
  EXPECT_EQ(Units(), 1);
  // A retraction of what is neither held nor applied is still refused.
  fx.Submit(edc, {Fact("retracted", "ENR-7", "2026-03-06")});
  EXPECT_EQ(Outcome(0), FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message, "nothing to retract: no fact rave-edc/ENR-7");
}

TEST_F(HoldTest, ASiteHoldsAtMostTheLimitAndAClosedSiteRejects) {
  std::vector<std::string> enrolments;
  for (int i = 0; i <= kHeldFactsPerSiteMax; ++i) {
    enrolments.push_back(Enrolled("ENR-" + std::to_string(i), "102", "102-" + std::to_string(i)));
  }
  fx.Submit(edc, enrolments);
  ASSERT_EQ(fx.last.facts.size(), static_cast<size_t>(kHeldFactsPerSiteMax + 1));
  for (int i = 0; i < kHeldFactsPerSiteMax; ++i)
    EXPECT_EQ(Outcome(i), FactOutcome::kHeld);
  EXPECT_EQ(Outcome(kHeldFactsPerSiteMax), FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[kHeldFactsPerSiteMax].message,
            StrCat("site 102 already holds ", kHeldFactsPerSiteMax,
                   " facts waiting for its activation (the limit); report the activation first"));
  fx.Submit(ctms, {Activated("SA-102", "102")});
  EXPECT_EQ(fx.Events("fact_released").size(), static_cast<size_t>(kHeldFactsPerSiteMax));
  EXPECT_EQ(Units(), kHeldFactsPerSiteMax);
  // A closed site will not be activated again: its enrolments are rejected, not held.
  fx.Submit(ctms, {Activated("SA-103", "103"),
                   Fact("site_closed", "SC-103", "2026-03-06", R"("site": "103")")});
  fx.Submit(edc, {Enrolled("ENR-103", "103", "103-001")});
  EXPECT_EQ(Outcome(0), FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message, kRule);
}

TEST_F(HoldTest, ACorrectionCannotTakeAnAppliedEnrolmentBackIntoWaiting) {
  fx.Submit(ctms, {Activated("SA-101", "101")});
  fx.Submit(edc, {Enrolled("ENR-1", "101", "101-001")});
  EXPECT_EQ(Outcome(0), FactOutcome::kApplied);
  // The EDC moves the subject to site 102, not yet activated: the whole batch is refused.
  fx.Submit(edc, {Enrolled("ENR-1", "102", "102-001", /*correction=*/true)});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_THAT(fx.last.message, HasSubstr("correction of rave-edc/ENR-1 rejected"));
  EXPECT_EQ(Units(), 1);
}

TEST_F(HoldTest, AHeldFactTheStateNoLongerAllowsIsRejectedWhenReleased) {
  // Enrolled while the site waits, then screen-failed (a screening fact applies at once).
  fx.Submit(
      edc, {Enrolled("ENR-1", "101", "101-001"), Fact("subject_screen_failed", "SF-1", "2026-03-03",
                                                      R"("site": "101", "subject": "101-001")")});
  EXPECT_EQ(Outcome(0), FactOutcome::kHeld);
  EXPECT_EQ(Outcome(1), FactOutcome::kApplied);
  fx.Submit(ctms, {Activated("SA-101", "101")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_THAT(fx.Events("fact_released"),
              ElementsAre("fact_released{released=rave-edc/ENR-1, kind=subject_enrolled, "
                          "site=101, subject=101-001, detail=, date=2026-03-02, "
                          "outcome=rejected, message=subject 101-001 failed screening and "
                          "cannot be enrolled, fact=ctms/SA-101}"));
  EXPECT_EQ(Units(), 0);
  EXPECT_EQ(fx.Milestone("first_enrolled").state, MilestoneState::kPending);
}

// The compiler's gas bound counts every released fact: a full batch of activations, each
// releasing a full queue, runs within a transaction's gas.
class HoldGasTest : public HoldTest {
 protected:
  HoldGasTest() : HoldTest(static_cast<int>(kFactsPerBatchMax)) {}
};

TEST_F(HoldGasTest, AFullBatchOfActivationsReleasingFullQueuesFitsATransaction) {
  const int64_t batch_max = compiled.metadata.facts_per_batch_max();
  ASSERT_GE(batch_max, 1);
  std::vector<std::string> activations;
  for (int64_t s = 1; s <= batch_max; ++s) {
    const std::string site = std::to_string(100 + s);
    std::vector<std::string> held;
    for (int64_t i = 0; i < kHeldFactsPerSiteMax; ++i) {
      const std::string subject = site + "-" + std::to_string(i);
      held.push_back(Enrolled("ENR-" + subject, site, subject));
    }
    fx.Submit(edc, held);
    ASSERT_TRUE(fx.last.accepted) << fx.last.message;
    activations.push_back(Activated("SA-" + site, site));
  }
  fx.Submit(ctms, activations);
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(fx.Events("fact_released").size(),
            static_cast<size_t>(batch_max * kHeldFactsPerSiteMax));
  EXPECT_EQ(Units(), batch_max * kHeldFactsPerSiteMax);
}

}  // namespace
}  // namespace tl::contracts::testing
