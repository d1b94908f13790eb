// Rules 1-3: terms from the SOW's metadata, the transaction price as the position moves, and
// its allocation (tied consideration to its obligation, the rest by standalone selling price).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "books_testing.h"

namespace tl::books {
namespace {

using ::testing::ElementsAre;
using testing::Terms;

std::vector<int64_t> Allocated(const v1::ContractBooks& position) {
  std::vector<int64_t> amounts;
  for (const v1::NamedAmount& amount : position.allocated_price()) {
    amounts.push_back(amount.amount_minor());
  }
  return amounts;
}

TEST(TermsOfTest, ReadsObligationsFeesUnitFeesAndPassThroughs) {
  v1::ContractMetadata metadata;
  metadata.set_sponsor("acme-bio");
  metadata.set_cro("northwind-cro");
  metadata.set_currency("USD");
  metadata.set_version(3);
  const std::vector<std::pair<std::string, v1::Recognition>> obligations = {
      {"services", v1::RECOGNITION_OVER_TIME_COST_TO_COST},
      {"lab", v1::RECOGNITION_OVER_TIME_UNITS},
      {"reports", v1::RECOGNITION_OVER_TIME_MILESTONES},
      {"licence", v1::RECOGNITION_POINT_IN_TIME},
      {"other", v1::RECOGNITION_UNSPECIFIED}};
  for (const auto& [name, recognition] : obligations) {
    v1::Obligation* obligation = metadata.add_obligations();
    obligation->set_name(name);
    obligation->set_standalone_price_minor(1000);
    obligation->set_recognition(recognition);
  }
  v1::Milestone* fpi = metadata.add_milestones();
  fpi->set_name("fpi");
  fpi->set_kind(v1::MILESTONE_KIND_FIXED_FEE);
  fpi->set_amount_minor(100);
  fpi->set_obligation("services");
  v1::Milestone* bonus = metadata.add_milestones();
  bonus->set_name("fast");
  bonus->set_kind(v1::MILESTONE_KIND_INCENTIVE);
  bonus->set_amount_minor(50);
  bonus->set_constraint("enrolled >= 90");
  v1::UnitFee* visit = metadata.add_unit_fees();
  visit->set_name("visit");
  visit->set_rate_minor(80);
  visit->set_cap_units(10);
  visit->set_obligation("lab");
  v1::PassThrough* grants = metadata.add_pass_throughs();
  grants->set_name("grants");
  grants->set_budget_minor(900);
  grants->set_principal(false);
  grants->set_obligation("services");

  const ContractTerms terms = TermsOf(metadata);
  EXPECT_EQ(terms.sponsor, "acme-bio");
  EXPECT_EQ(terms.cro, "northwind-cro");
  EXPECT_EQ(terms.currency, "USD");
  EXPECT_EQ(terms.version, 3);
  std::vector<Measure> measures;
  for (const ObligationTerms& o : terms.obligations)
    measures.push_back(o.measure);
  EXPECT_THAT(measures, ElementsAre(Measure::kCostToCost, Measure::kUnits, Measure::kMilestones,
                                    Measure::kPointInTime, Measure::kPointInTime));
  ASSERT_EQ(terms.fees.size(), 2u);
  EXPECT_EQ(terms.fees[0].kind, v1::MILESTONE_KIND_FIXED_FEE);
  EXPECT_EQ(terms.fees[0].obligation, "services");
  EXPECT_FALSE(terms.fees[0].constrained);
  EXPECT_EQ(terms.fees[1].kind, v1::MILESTONE_KIND_INCENTIVE);
  EXPECT_TRUE(terms.fees[1].constrained);
  EXPECT_EQ(terms.fees[1].obligation, "");
  ASSERT_EQ(terms.unit_fees.size(), 1u);
  EXPECT_EQ(terms.unit_fees[0].rate_minor, 80);
  EXPECT_EQ(terms.unit_fees[0].cap_units, 10);
  ASSERT_EQ(terms.pass_throughs.size(), 1u);
  EXPECT_FALSE(terms.pass_throughs[0].principal);
  EXPECT_EQ(terms.pass_throughs[0].budget_minor, 900);
}

ContractTerms PriceTerms() {
  ContractTerms terms = Terms({{"services", 1000, Measure::kCostToCost}});
  terms.fees = {{"startup", v1::MILESTONE_KIND_FIXED_FEE, 10'000, "services", false},
                {"lplv", v1::MILESTONE_KIND_FIXED_FEE, 20'000, "", false},
                {"fast", v1::MILESTONE_KIND_INCENTIVE, 5'000, "services", true},
                {"early", v1::MILESTONE_KIND_INCENTIVE, 700, "", false},
                {"late_dbl", v1::MILESTONE_KIND_PENALTY, -3'000, "services", false}};
  terms.unit_fees = {{"visit", 100, 0, "services"}};
  terms.pass_throughs = {{"grants", 8'000, true, "services"}, {"travel", 4'000, false, ""}};
  return terms;
}

TEST(TransactionPriceTest, CountsWhatTheConstraintAndThePositionAllow) {
  const ContractTerms terms = PriceTerms();
  v1::ContractBooks position;
  // Fixed fees (achieved or not) 30,000 + the unconstrained incentive 700 + the principal
  // pass-through's budget 8,000; the agent's travel is not the CRO's consideration.
  EXPECT_EQ(TransactionPrice(terms, position), 38'700);
  position.add_constraints_released("fast");
  EXPECT_EQ(TransactionPrice(terms, position), 43'700);
  position.add_incentives_lapsed("early");
  EXPECT_EQ(TransactionPrice(terms, position), 43'000);
  position.add_milestones_achieved("late_dbl");
  EXPECT_EQ(TransactionPrice(terms, position), 40'000);
  v1::NamedAmount* visits = position.add_units_earned();
  visits->set_name("visit");
  visits->set_amount_minor(1'200);
  EXPECT_EQ(TransactionPrice(terms, position), 41'200);
  v1::NamedAmount* grants = position.add_pass_through_spent();
  grants->set_name("grants");
  grants->set_amount_minor(7'000);  // within budget: the budget counts
  EXPECT_EQ(TransactionPrice(terms, position), 41'200);
  grants->set_amount_minor(9'500);  // beyond it: the spend counts
  EXPECT_EQ(TransactionPrice(terms, position), 42'700);
  v1::NamedAmount* travel = position.add_pass_through_spent();
  travel->set_name("travel");
  travel->set_amount_minor(99'000);
  EXPECT_EQ(TransactionPrice(terms, position), 42'700);
  // An achieved incentive counts even when its constraint was never reported released.
  v1::ContractBooks achieved;
  achieved.add_milestones_achieved("fast");
  EXPECT_EQ(TransactionPrice(terms, achieved), 43'700);
}

TEST(AllocationTest, TiedConsiderationGoesToItsObligationTheRestBySsp) {
  ContractTerms terms = Terms({{"services", 3000, Measure::kCostToCost},
                               {"lab", 1000, Measure::kUnits},
                               {"grants_service", 0, Measure::kCostToCost}});
  terms.fees = {{"startup", v1::MILESTONE_KIND_FIXED_FEE, 10'000, "services", false},
                {"untied", v1::MILESTONE_KIND_FIXED_FEE, 1'001, "", false},
                {"typo", v1::MILESTONE_KIND_FIXED_FEE, 99, "no_such_obligation", false}};
  terms.unit_fees = {{"sample", 50, 0, "lab"}};
  terms.pass_throughs = {{"grants", 4'000, true, "grants_service"}};
  const v1::ContractBooks position = NewContractBooks("c-1", terms, 0);
  // Untied: 1,001 + 99 (tied to a name that is not an obligation) = 1,100 over 3000:1000:0 →
  // 825, 275, 0.
  EXPECT_EQ(position.transaction_price_minor(), 15'100);
  EXPECT_THAT(Allocated(position), ElementsAre(10'825, 275, 4'000));
  EXPECT_EQ(position.allocated_price(2).name(), "grants_service");
  // Every standalone price zero: the untied rest is split equally.
  ContractTerms no_ssp = Terms({{"a", 0, Measure::kCostToCost}, {"b", 0, Measure::kUnits}});
  no_ssp.fees = {{"fee", v1::MILESTONE_KIND_FIXED_FEE, 101, "", false}};
  EXPECT_THAT(Allocated(NewContractBooks("c-2", no_ssp, 0)), ElementsAre(51, 50));
  // No obligations: a price, and nothing to allocate or recognise.
  ContractTerms none = Terms({});
  none.fees = {{"fee", v1::MILESTONE_KIND_FIXED_FEE, 101, "", false}};
  const v1::ContractBooks bare = NewContractBooks("c-3", none, 0);
  EXPECT_EQ(bare.transaction_price_minor(), 101);
  EXPECT_EQ(bare.allocated_price_size(), 0);
  EXPECT_EQ(bare.revenue_to_date_size(), 0);
}

}  // namespace
}  // namespace tl::books
