// A full-service study over five quarters, posted run by run as the ledger would: cost-to-cost
// services with milestone billing (an early start-up fee billed well ahead of the work), a
// principal pass-through for investigator grants, a 10 % holdback released at database lock, an
// incentive whose constraint is released mid-study, and a change order (new fee, larger grants
// budget, new estimate) in Q3 2026. Every figure is checked against the test's own spreadsheet
// (cumulative cost, estimate, progress, revenue to date = round(price × cost / estimate)) and
// against the quarter table worked by hand below; then the roll-forward, the disclosures and the
// trial balance built from the journal.
//
//   quarter  revenue       catch-up    billed        contract balance   RPO
//   2026-Q1  450,000.00         0.00   770,000.00    liability 320,000  1,950,000.00
//   2026-Q2  700,000.00         0.00   280,000.00    asset     100,000  1,250,000.00
//   2026-Q3  650,000.00    41,666.67   150,000.00    asset     600,000  1,200,000.00
//   2026-Q4  950,000.00         0.00 1,100,000.00    asset     450,000    250,000.00
//   2027-Q1  250,000.00         0.00   700,000.00    nil                        0.00
//   total  3,000,000.00    41,666.67 3,000,000.00                    price 3,000,000.00
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "books_testing.h"

namespace tl::books {
namespace {

using testing::Contract;
using testing::Day;
using testing::ExpectedRound;
using testing::Net;
using testing::Usd;

ContractTerms Version1() {
  ContractTerms terms = testing::Terms({{"clinical_services", Usd(4'000'000), Measure::kCostToCost},
                                        {"grants_service", Usd(500'000), Measure::kCostToCost}});
  terms.fees = {
      {"startup", v1::MILESTONE_KIND_FIXED_FEE, Usd(800'000), "clinical_services", false},
      {"fpi", v1::MILESTONE_KIND_FIXED_FEE, Usd(200'000), "clinical_services", false},
      {"lplv", v1::MILESTONE_KIND_FIXED_FEE, Usd(500'000), "clinical_services", false},
      {"database_lock_fee", v1::MILESTONE_KIND_FIXED_FEE, Usd(500'000), "clinical_services", false},
      {"fast_enrolment", v1::MILESTONE_KIND_INCENTIVE, Usd(200'000), "clinical_services", true}};
  terms.pass_throughs = {{"grants", Usd(400'000), true, "grants_service"}};
  return terms;
}

// Change order v2: an extension fee, a larger grants budget (the new estimate arrives as its
// own fact).
ContractTerms Version2() {
  ContractTerms terms = Version1();
  terms.version = 2;
  terms.fees.push_back(
      {"extension", v1::MILESTONE_KIND_FIXED_FEE, Usd(300'000), "clinical_services", false});
  terms.pass_throughs[0].budget_minor = Usd(500'000);
  return terms;
}

// The test's spreadsheet: the inputs as the SOW and the facts give them, and revenue to date
// from them with the test's own rounding.
struct Spreadsheet {
  int64_t clinical_price = Usd(2'000'000);  // the fixed fees; the incentive is constrained
  int64_t service_cost = 0, estimate = 0;
  int64_t grants_budget = Usd(400'000), grants_spent = 0;

  int64_t ClinicalRevenue() const {
    if (estimate == 0 || service_cost == 0) return 0;
    if (service_cost >= estimate) return clinical_price;
    return ExpectedRound(clinical_price, service_cost, estimate);
  }
  int64_t GrantsRevenue() const {
    const int64_t grants_price = std::max(grants_budget, grants_spent);
    return ExpectedRound(grants_price, grants_spent, grants_price);
  }
  int64_t Price() const { return clinical_price + std::max(grants_budget, grants_spent); }
};

class FullServiceStudy : public ::testing::Test {
 protected:
  // Posts one run and checks the books against the spreadsheet after it.
  void Run(std::vector<CroEvent> events) {
    contract.Post(std::move(events));
    ASSERT_EQ(contract.position.revenue_to_date_size(), 2);
    EXPECT_EQ(contract.position.revenue_to_date(0).amount_minor(), sheet.ClinicalRevenue());
    EXPECT_EQ(contract.position.revenue_to_date(1).amount_minor(), sheet.GrantsRevenue());
    EXPECT_EQ(contract.position.transaction_price_minor(), sheet.Price());
  }
  void ServiceCost(const char* date, int64_t amount, const char* fact) {
    sheet.service_cost += amount;
    Run({testing::Cost(Day(date), amount, "", fact)});
  }
  void Grants(const char* date, int64_t amount, const char* fact) {
    sheet.grants_spent += amount;
    Run({testing::Cost(Day(date), amount, "grants", fact)});
  }
  void NewEstimate(const char* date, int64_t amount) {
    sheet.estimate = amount;
    Run({testing::Estimate(Day(date), amount)});
  }
  // A milestone and its invoice, 10 % held back unless `withheld` is false.
  void Milestone(const char* date, const char* name, int64_t amount, bool withheld = true,
                 const char* kind = "milestone") {
    const int64_t holdback = withheld ? amount / 10 : 0;
    std::vector<CroEvent> events = {testing::Achieved(Day(date), name, amount, kind)};
    if (withheld) events.push_back(testing::Withheld(Day(date), name, holdback));
    events.push_back(testing::Invoice(Day(date), name, amount, holdback));
    Run(std::move(events));
  }

  void PostTheStudy() {
    // 2026-Q1: the contract starts; the start-up fee is billed long before the work.
    Run({testing::Event("contract_instantiated", {}, Day("2026-01-15"))});
    NewEstimate("2026-01-15", Usd(1'500'000));
    Milestone("2026-02-10", "startup", Usd(800'000));
    ServiceCost("2026-03-31", Usd(300'000), "erp/C-1");  // 20 %
    Grants("2026-03-31", Usd(50'000), "erp/G-1");
    // 2026-Q2
    Milestone("2026-04-20", "fpi", Usd(200'000));
    ServiceCost("2026-05-31", Usd(450'000), "erp/C-2");  // 50 %
    Grants("2026-06-30", Usd(100'000), "erp/G-2");
    // 2026-Q3: the incentive becomes probable; the change order; the new estimate.
    sheet.clinical_price += Usd(200'000);
    Run({testing::Released(Day("2026-07-15"), "fast_enrolment", Usd(200'000))});
    contract.terms = Version2();
    sheet.clinical_price += Usd(300'000);
    sheet.grants_budget = Usd(500'000);
    Run({testing::Amended(Day("2026-08-01"), 1, 2)});
    NewEstimate("2026-08-01", Usd(1'800'000));           // 750/1800 = 41.67 %
    ServiceCost("2026-09-30", Usd(330'000), "erp/C-3");  // 1080/1800 = 60 %
    Grants("2026-09-30", Usd(150'000), "erp/G-3");
    // 2026-Q4: the incentive is earned and billed.
    Milestone("2026-10-10", "fast_enrolment", Usd(200'000), true, "incentive");
    Milestone("2026-11-30", "lplv", Usd(500'000));
    ServiceCost("2026-11-30", Usd(540'000), "erp/C-4");  // 90 %
    Grants("2026-12-15", Usd(200'000), "erp/G-4");
    Milestone("2026-12-20", "extension", Usd(300'000));
    // 2027-Q1: costs overrun the estimate (progress stays at 1), database lock releases the
    // holdback: 10 % of 800,000 + 200,000 + 200,000 + 500,000 + 300,000.
    ServiceCost("2027-01-31", Usd(200'000), "erp/C-5");
    NewEstimate("2027-02-01", Usd(1'820'000));
    Milestone("2027-02-15", "database_lock_fee", Usd(500'000), false);
    Run({testing::Event("holdback_released",
                        {testing::Text("holdback", "retainage"),
                         testing::Text("milestone", "database_lock_fee"),
                         testing::Money("amount", Usd(200'000))},
                        Day("2027-02-15")),
         testing::Invoice(Day("2027-02-15"), "retainage", Usd(200'000))});
  }

  Contract contract{Version1(), Day("2026-01-15"), "acme-301"};
  Spreadsheet sheet;
};

TEST_F(FullServiceStudy, RevenueFollowsCostsBillingFollowsMilestones) {
  PostTheStudy();
  for (const v1::JournalEntry& entry : contract.journal) {
    EXPECT_TRUE(CheckBalanced(entry).ok()) << entry.entry_id();
  }
  // Close-out: the whole transaction price, to the cent, and everything billed.
  EXPECT_EQ(contract.position.transaction_price_minor(), Usd(3'000'000));
  EXPECT_EQ(contract.RevenueToDate(), Usd(3'000'000));
  EXPECT_EQ(contract.position.billed_to_date_minor(), Usd(3'000'000));
  EXPECT_EQ(contract.position.catch_up_to_date_minor(), 4'166'667);  // 41,666.67
  EXPECT_EQ(contract.position.version(), 2);

  // The Q3 catch-ups, one by one: the released constraint (2,200,000 × 50 %), the change
  // order (2,500,000 × 50 %), the new estimate (2,500,000 × 750/1800 = 1,041,666.67).
  std::vector<int64_t> catch_ups;
  std::vector<std::string> memos;
  for (const v1::JournalEntry& entry : contract.journal) {
    if (entry.kind() != v1::ENTRY_KIND_CATCH_UP) continue;
    catch_ups.push_back(Net(entry, "contract_balance"));
    memos.push_back(entry.memo());
    EXPECT_EQ(entry.obligation(), "clinical_services");
  }
  EXPECT_THAT(catch_ups, ::testing::ElementsAre(Usd(100'000), Usd(150'000), -20'833'333));
  EXPECT_THAT(memos,
              ::testing::ElementsAre(
                  "catch-up: constraint released on fast_enrolment; clinical_services 50.00 % "
                  "complete (cost-to-cost)",
                  "catch-up: change order v2; clinical_services 50.00 % complete (cost-to-cost)",
                  "catch-up: estimate at completion updated; clinical_services 41.67 % complete "
                  "(cost-to-cost)"));
  // Grants are revenue_reimbursed, services revenue_services.
  int64_t reimbursed = 0, services = 0;
  for (const v1::JournalEntry& entry : contract.journal) {
    reimbursed -= Net(entry, "revenue_reimbursed");
    services -= Net(entry, "revenue_services");
  }
  EXPECT_EQ(reimbursed, Usd(500'000));
  EXPECT_EQ(services, Usd(2'500'000));
}

TEST_F(FullServiceStudy, QuarterlyRollforwardAndDisclosures) {
  PostTheStudy();
  struct Quarter {
    std::string period;
    int64_t revenue, catch_up, billed, closing_asset, closing_liability, remaining;
  };
  const std::vector<Quarter> quarters = {
      {"2026-Q1", Usd(450'000), 0, Usd(770'000), 0, Usd(320'000), Usd(1'950'000)},
      {"2026-Q2", Usd(700'000), 0, Usd(280'000), Usd(100'000), 0, Usd(1'250'000)},
      {"2026-Q3", Usd(650'000), 4'166'667, Usd(150'000), Usd(600'000), 0, Usd(1'200'000)},
      {"2026-Q4", Usd(950'000), 0, Usd(1'100'000), Usd(450'000), 0, Usd(250'000)},
      {"2027-Q1", Usd(250'000), 0, Usd(700'000), 0, 0, 0}};
  const std::vector<RollforwardRow> rows =
      BuildRollforward(contract.journal, "acme-301", PeriodGrouping::kQuarter);
  ASSERT_EQ(rows.size(), quarters.size());
  int64_t opening_asset = 0, opening_liability = 0, revenue_to_date = 0, billed_to_date = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Quarter& q = quarters[i];
    const RollforwardRow& row = rows[i];
    SCOPED_TRACE(q.period);
    EXPECT_EQ(row.period, q.period);
    EXPECT_EQ(row.opening_contract_asset_minor, opening_asset);
    EXPECT_EQ(row.opening_contract_liability_minor, opening_liability);
    EXPECT_EQ(row.revenue_minor, q.revenue);
    EXPECT_EQ(row.catch_up_minor, q.catch_up);
    EXPECT_EQ(row.billed_minor, q.billed);
    EXPECT_EQ(row.closing_contract_asset_minor, q.closing_asset);
    EXPECT_EQ(row.closing_contract_liability_minor, q.closing_liability);
    revenue_to_date += q.revenue;
    billed_to_date += q.billed;
    EXPECT_EQ(row.revenue_to_date_minor, revenue_to_date);
    EXPECT_EQ(row.billed_to_date_minor, billed_to_date);
    // opening + revenue − billed = closing (asset positive, liability negative)
    EXPECT_EQ(opening_asset - opening_liability + q.revenue - q.billed,
              q.closing_asset - q.closing_liability);
    opening_asset = q.closing_asset;
    opening_liability = q.closing_liability;
  }

  const std::vector<DisclosureRow> disclosures =
      BuildDisclosures(contract.journal, "", PeriodGrouping::kQuarter);
  ASSERT_EQ(disclosures.size(), quarters.size());
  // Q2 opened with a 320,000 liability and recognised 700,000: all of it came out of the
  // liability.
  const std::vector<int64_t> from_liability = {0, Usd(320'000), 0, 0, 0};
  for (size_t i = 0; i < disclosures.size(); ++i) {
    SCOPED_TRACE(quarters[i].period);
    EXPECT_EQ(disclosures[i].period, quarters[i].period);
    EXPECT_EQ(disclosures[i].revenue_from_opening_contract_liability_minor, from_liability[i]);
    EXPECT_EQ(disclosures[i].revenue_from_prior_period_obligations_minor, quarters[i].catch_up);
    EXPECT_EQ(disclosures[i].remaining_performance_obligations_minor, quarters[i].remaining);
  }

  // By year: 2026 and 2027.
  const std::vector<RollforwardRow> years =
      BuildRollforward(contract.journal, "acme-301", PeriodGrouping::kYear);
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].period, "2026");
  EXPECT_EQ(years[0].revenue_minor, Usd(2'750'000));
  EXPECT_EQ(years[0].billed_minor, Usd(2'300'000));
  EXPECT_EQ(years[0].closing_contract_asset_minor, Usd(450'000));
  EXPECT_EQ(years[1].opening_contract_asset_minor, Usd(450'000));
  EXPECT_EQ(years[1].closing_contract_asset_minor, 0);
  // By month: from the first posting (the start-up invoice, February 2026) to the last
  // (February 2027), quiet months included (August 2026 has only catch-ups; none is empty).
  const std::vector<RollforwardRow> months =
      BuildRollforward(contract.journal, "acme-301", PeriodGrouping::kMonth);
  ASSERT_EQ(months.size(), 13u);
  EXPECT_EQ(months[0].period, "2026-02");
  EXPECT_EQ(months[0].closing_contract_liability_minor, Usd(720'000));
  EXPECT_EQ(months[5].period, "2026-07");
  EXPECT_EQ(months[5].revenue_minor, Usd(100'000));  // the released constraint
  EXPECT_EQ(months[12].period, "2027-02");
  EXPECT_EQ(months[12].billed_minor, Usd(700'000));
  EXPECT_TRUE(
      BuildRollforward(contract.journal, "no-such-contract", PeriodGrouping::kMonth).empty());
}

// The sponsor in mirror mode: its R&D expense is the CRO's revenue quarter by quarter (the
// table above, catch-ups included), its accrued liability the contract asset and its prepaid the
// contract liability, to the cent; at close-out everything invoiced is payable.
TEST_F(FullServiceStudy, TheSponsorMirrorsEveryQuarter) {
  PostTheStudy();
  struct Quarter {
    std::string period;
    int64_t expense, accrued, prepaid;
  };
  const std::vector<Quarter> quarters = {{"2026-Q1", Usd(450'000), 0, Usd(320'000)},
                                         {"2026-Q2", Usd(700'000), Usd(100'000), 0},
                                         {"2026-Q3", Usd(650'000), Usd(600'000), 0},
                                         {"2026-Q4", Usd(950'000), Usd(450'000), 0},
                                         {"2027-Q1", Usd(250'000), 0, 0}};
  const std::vector<MirrorRow> rows =
      BuildMirror(contract.journal, contract.sponsor_journal, PeriodGrouping::kQuarter);
  ASSERT_EQ(rows.size(), quarters.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(quarters[i].period);
    EXPECT_EQ(rows[i].period, quarters[i].period);
    EXPECT_EQ(rows[i].sponsor_expense_minor, quarters[i].expense);
    EXPECT_EQ(rows[i].cro_revenue_minor, quarters[i].expense);
    EXPECT_EQ(rows[i].sponsor_accrued_liability_minor, quarters[i].accrued);
    EXPECT_EQ(rows[i].cro_contract_asset_minor, quarters[i].accrued);
    EXPECT_EQ(rows[i].sponsor_prepaid_minor, quarters[i].prepaid);
    EXPECT_EQ(rows[i].cro_contract_liability_minor, quarters[i].prepaid);
    EXPECT_TRUE(rows[i].differences.empty());
  }
  for (const MirrorRow& month :
       BuildMirror(contract.journal, contract.sponsor_journal, PeriodGrouping::kMonth)) {
    SCOPED_TRACE(month.period);
    EXPECT_TRUE(month.differences.empty());
  }
  v1::BookRecord book;
  book.set_book("acme-bio");
  const TrialBalance balance =
      BuildTrialBalance(BookKind::kSponsor, book, contract.sponsor_journal, "2027-03", "USD");
  std::map<std::string, TrialBalanceLine> by_account;
  for (const TrialBalanceLine& line : balance.accounts)
    by_account[line.account] = line;
  // Revenue credited 3,000,000 + 208,333.33 and debited 208,333.33 (the negative catch-up): the
  // sponsor's expense is the same, sides swapped.
  EXPECT_EQ(by_account["rd_expense"].debit_minor, Usd(3'000'000) + 20'833'333);
  EXPECT_EQ(by_account["rd_expense"].credit_minor, 20'833'333);
  EXPECT_EQ(by_account["accounts_payable"].credit_minor, Usd(3'000'000));
  EXPECT_EQ(by_account["accounts_payable"].debit_minor, 0);
  EXPECT_EQ(by_account["accrued_clinical_costs"].balance_minor, 0);
  EXPECT_EQ(by_account["prepaid_clinical_costs"].balance_minor, 0);
}

TEST_F(FullServiceStudy, TrialBalanceFromTheJournal) {
  PostTheStudy();
  v1::BookRecord book;
  book.set_book("northwind-cro");
  v1::AccountCode* code = book.add_account_map();
  code->set_account("accounts_receivable");
  code->set_erp_code("1200");
  struct Expected {
    std::string account;
    int64_t debit, credit;
  };
  auto check = [&](std::string_view period, const std::vector<Expected>& expected) {
    SCOPED_TRACE(std::string(period));
    const TrialBalance balance =
        BuildTrialBalance(BookKind::kCro, book, contract.journal, period, "USD");
    EXPECT_EQ(balance.book, "northwind-cro");
    ASSERT_EQ(balance.accounts.size(), expected.size());
    int64_t total = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(balance.accounts[i].account, expected[i].account);
      EXPECT_EQ(balance.accounts[i].debit_minor, expected[i].debit);
      EXPECT_EQ(balance.accounts[i].credit_minor, expected[i].credit);
      EXPECT_EQ(balance.accounts[i].balance_minor, expected[i].debit - expected[i].credit);
      total += expected[i].debit;
    }
    EXPECT_EQ(balance.accounts[0].erp_code, "1200");
    EXPECT_EQ(balance.accounts[1].erp_code, "");
    EXPECT_EQ(balance.total_debit_minor, total);
    EXPECT_EQ(balance.total_credit_minor, total);
  };
  // Through June 2026: billed 1,050,000 (of which grants 150,000), revenue 1,150,000.
  check("2026-06", {{"accounts_receivable", Usd(1'050'000), 0},
                    {"contract_balance", Usd(1'150'000), Usd(1'050'000)},
                    {"revenue_services", 0, Usd(1'000'000)},
                    {"revenue_reimbursed", 0, Usd(150'000)},
                    {"reimbursable_expense", Usd(150'000), 0},
                    {"accrued_investigator_payments", 0, Usd(150'000)}});
  // At close-out: the negative catch-up of 208,333.33 debits revenue and credits the contract
  // balance; the balance nets to nil.
  check("2027-03", {{"accounts_receivable", Usd(3'000'000), 0},
                    {"contract_balance", Usd(3'000'000) + 20'833'333, Usd(3'000'000) + 20'833'333},
                    {"revenue_services", 20'833'333, Usd(2'500'000) + 20'833'333},
                    {"revenue_reimbursed", 0, Usd(500'000)},
                    {"reimbursable_expense", Usd(500'000), 0},
                    {"accrued_investigator_payments", 0, Usd(500'000)}});
  // Another currency has no postings.
  EXPECT_TRUE(
      BuildTrialBalance(BookKind::kCro, book, contract.journal, "2027-03", "EUR").accounts.empty());
}

}  // namespace
}  // namespace tl::books
