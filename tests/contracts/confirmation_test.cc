// Milestones that wait for more than their condition: two sources (the CTMS's first-patient-in
// date and the EDC's enrolment, each bound to its own feed) and a `confirmed` milestone that also
// waits for the sponsor's clinops. What a pending milestone still misses, part by part, with the
// state each part reads; confirmations of milestones that need none are rejected; a retracted
// confirmation takes the milestone back to waiting.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"

namespace tl::contracts {
// How gtest shows a missing requirement (found by argument-dependent lookup).
void PrintTo(const MilestoneStatus::Missing& m, std::ostream* os) {
  *os << m.requirement << " {";
  for (const auto& [name, value] : m.now)
    *os << name << "=" << value << " ";
  *os << "}";
}
}  // namespace tl::contracts

namespace tl::contracts::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Missing = MilestoneStatus::Missing;
using Now = std::vector<std::pair<std::string, int64_t>>;

constexpr char kSow[] = R"(contract c_1 "Confirmed milestones" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-1"
sites "101", "102"

feed "oracle:edc" of cro reports subject_enrolled
feed "oracle:ctms" of cro reports site_activated, first_patient_in
feed "clinops" of sponsor reports milestone_confirmed

obligation services "Study services" {
  standalone price USD 500,000.00
  recognised over time by milestones
}

milestone sites_ready "Both sites activated" {
  when sites_activated >= 2
  pays USD 100,000.00
  for services
}

// The CTMS's date and the EDC's subject must agree, and the sponsor's clinops confirms.
milestone fpi "First patient in" {
  when first_patient_in and enrolled >= 1
  confirmed
  pays USD 150,000.00
  for services
}
)";

std::string Site(const std::string& id, const std::string& site) {
  return Fact("site_activated", id, "2026-03-01", "\"site\": \"" + site + "\"");
}
std::string Enrolled(const std::string& id) {
  return Fact("subject_enrolled", id, "2026-03-02", R"("site": "101", "subject": "101-001")");
}
std::string Confirmation(const std::string& id, const std::string& milestone,
                         bool correction = false) {
  return Fact("milestone_confirmed", id, "2026-03-04", "\"milestone\": \"" + milestone + "\"",
              correction);
}
Signer SponsorClinops() {
  return Signer{"sponsor-clinops-key", "acme-bio", {"clinops"}};
}

class ConfirmationTest : public ::testing::Test {
 protected:
  ConfirmationTest() : compiled(CompileOrDie(kSow, "confirmed.sow")), fx(compiled) {
    EXPECT_TRUE(fx.Instantiate({}).accepted) << fx.last.message;
  }
  CompiledContract compiled;
  ContractFixture fx;
  const Signer edc = CroOracle("oracle:edc");
  const Signer ctms = CroOracle("oracle:ctms");
};

TEST_F(ConfirmationTest, APendingMilestoneListsEveryPartStillMissingWithWhatItReads) {
  // Nothing reported yet: each part of each condition is missing, and the confirmation.
  EXPECT_THAT(fx.Milestone("sites_ready").missing,
              ElementsAre(Missing{"sites_activated >= 2", Now{{"sites_activated", 0}}}));
  EXPECT_THAT(fx.Milestone("fpi").missing,
              ElementsAre(Missing{"first_patient_in", Now{{"first_patient_in", 0}}},
                          Missing{"enrolled >= 1", Now{{"enrolled", 0}}},
                          Missing{"confirmed by acme-bio's clinops", Now{{"confirmed/fpi", 0}}}));
  // One site, and the CTMS's first patient in: the EDC's side and the sponsor's remain.
  fx.Submit(ctms, {Site("SA-101", "101"), Fact("first_patient_in", "FPI", "2026-03-02")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_THAT(fx.Milestone("sites_ready").missing,
              ElementsAre(Missing{"sites_activated >= 2", Now{{"sites_activated", 1}}}));
  EXPECT_THAT(fx.Milestone("fpi").missing,
              ElementsAre(Missing{"enrolled >= 1", Now{{"enrolled", 0}}},
                          Missing{"confirmed by acme-bio's clinops", Now{{"confirmed/fpi", 0}}}));
  // An achieved milestone misses nothing.
  fx.Submit(ctms, {Site("SA-102", "102")});
  EXPECT_EQ(fx.Milestone("sites_ready").state, MilestoneState::kAchieved);
  EXPECT_THAT(fx.Milestone("sites_ready").missing, IsEmpty());
}

TEST_F(ConfirmationTest, BothSourcesAndTheConfirmationInAnyOrderAchieveItOnce) {
  // The sponsor confirms first: still waiting for the EDC and the CTMS.
  fx.Submit(SponsorClinops(), {Confirmation("CONF-FPI", "fpi")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  ASSERT_EQ(fx.last.facts.size(), 1u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kApplied) << fx.last.facts[0].message;
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kPending);
  fx.Submit(ctms, {Fact("first_patient_in", "FPI", "2026-03-02")});
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kPending);
  // The EDC's enrolment is the last piece: achieved, with the three facts as its evidence.
  fx.Submit(edc, {Enrolled("ENR-1")});
  const MilestoneStatus fpi = fx.Milestone("fpi");
  EXPECT_EQ(fpi.state, MilestoneState::kAchieved);
  EXPECT_THAT(fpi.evidence, ElementsAre("rave-edc/FPI", "rave-edc/ENR-1", "rave-edc/CONF-FPI"));
  EXPECT_THAT(fx.Events("milestone_achieved"),
              ElementsAre("milestone_achieved{milestone=fpi, kind=milestone, amount=USD "
                          "150,000.00, evidence=[rave-edc/FPI, rave-edc/ENR-1, rave-edc/CONF-FPI], "
                          "fact=rave-edc/ENR-1, fact_date=2026-03-02}"));
  // Confirming again changes nothing and bills nothing.
  fx.Submit(SponsorClinops(), {Confirmation("CONF-FPI-2", "fpi")});
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kApplied);
  EXPECT_THAT(fx.Events("invoice_due"), IsEmpty());
}

TEST_F(ConfirmationTest, WithoutTheConfirmationTheConditionAloneIsNotEnough) {
  fx.Submit(ctms, {Fact("first_patient_in", "FPI", "2026-03-02")});
  fx.Submit(edc, {Enrolled("ENR-1")});
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kPending);
  EXPECT_THAT(fx.Events("milestone_achieved"), IsEmpty());
  EXPECT_THAT(fx.Milestone("fpi").missing,
              ElementsAre(Missing{"confirmed by acme-bio's clinops", Now{{"confirmed/fpi", 0}}}));
  fx.Submit(SponsorClinops(), {Confirmation("CONF-FPI", "fpi")});
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kAchieved);
  EXPECT_THAT(fx.Events("invoice_due"),
              ElementsAre(::testing::StartsWith("invoice_due{item=fpi, gross=USD 150,000.00")));
}

TEST_F(ConfirmationTest, OnlyTheBoundFeedConfirmsAndOnlyConfirmedMilestones) {
  // The CRO's oracle may not confirm: the whole batch is refused.
  fx.Submit(edc, {Confirmation("CONF-FPI", "fpi")});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_THAT(fx.last.message,
              ::testing::HasSubstr("milestone_confirmed facts must be signed by a 'clinops' key"));
  // A milestone that needs no confirmation, and one that does not exist: rejected, by name.
  fx.Submit(SponsorClinops(),
            {Confirmation("CONF-SITES", "sites_ready"), Confirmation("CONF-X", "no_such")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  ASSERT_EQ(fx.last.facts.size(), 2u);
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message,
            "milestone sites_ready is not one of this contract's confirmed milestones");
  EXPECT_EQ(fx.last.facts[1].outcome, FactOutcome::kRejected);
}

TEST_F(ConfirmationTest, ARetractedConfirmationIsMissingAgain) {
  fx.Submit(SponsorClinops(), {Confirmation("CONF-FPI", "fpi")});
  fx.Submit(SponsorClinops(),
            {Fact("retracted", "CONF-FPI", "2026-03-05", "", /*correction=*/true)});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kCorrected) << fx.last.facts[0].message;
  EXPECT_THAT(
      fx.Milestone("fpi").missing,
      ::testing::Contains(Missing{"confirmed by acme-bio's clinops", Now{{"confirmed/fpi", 0}}}));
  fx.Submit(ctms, {Fact("first_patient_in", "FPI", "2026-03-02")});
  fx.Submit(edc, {Enrolled("ENR-1")});
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kPending);
}

}  // namespace
}  // namespace tl::contracts::testing
