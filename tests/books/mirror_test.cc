// The sponsor's book by the mirror measure and the mirror report, on a small contract worked by
// hand: a start-up fee billed ahead of the work (prepaid), cost-to-cost progress that crosses from
// prepaid into accrued in one posting, a pass-through the CRO bills as agent, a period the sponsor
// closed before a late cost arrived, and a screen failure that reverses a unit fee on both sides.
//
//   run  date        CRO                                    sponsor
//   1    2026-01-20  invoice startup 400,000                Dr prepaid 400,000 / Cr AP 400,000
//   2    2026-02-28  cost 100,000: 20 % of 1,000,000        Dr R&D 200,000 / Cr prepaid 200,000
//   3    2026-03-15  agent pass-through 30,000 re-billed    Dr R&D 30,000 / Cr AP 30,000
//   4    2026-03-31  cost 200,000: 60 %, revenue +400,000   Dr R&D 400,000 / Cr prepaid 200,000
//                                                                          / Cr accrued 200,000
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "books_testing.h"

namespace tl::books {
namespace {

using testing::Contract;
using testing::Day;
using testing::Net;
using testing::Usd;

ContractTerms CostToCostTerms() {
  ContractTerms terms = testing::Terms({{"services", Usd(1'000'000), Measure::kCostToCost}});
  terms.fees = {{"startup", v1::MILESTONE_KIND_FIXED_FEE, Usd(400'000), "services", false},
                {"closeout", v1::MILESTONE_KIND_FIXED_FEE, Usd(600'000), "services", false}};
  terms.pass_throughs = {{"grants", Usd(50'000), false, ""}};
  return terms;
}

class MirrorTest : public ::testing::Test {
 protected:
  void PostFirstQuarter() {
    contract.Post({testing::Event("contract_instantiated", {}, Day("2026-01-10")),
                   testing::Estimate(Day("2026-01-10"), Usd(500'000))});
    contract.Post({testing::Achieved(Day("2026-01-20"), "startup", Usd(400'000)),
                   testing::Invoice(Day("2026-01-20"), "startup", Usd(400'000))});
    contract.Post({testing::Cost(Day("2026-02-28"), Usd(100'000), "", "erp/C-1")});
    contract.Post({testing::Cost(Day("2026-03-15"), Usd(30'000), "grants", "erp/G-1")});
    contract.Post({testing::Cost(Day("2026-03-31"), Usd(200'000), "", "erp/C-2")});
  }

  Contract contract{CostToCostTerms(), Day("2026-01-10"), "acme-302"};
};

TEST_F(MirrorTest, EachSponsorEntryFollowsTheCrosAndBalances) {
  PostFirstQuarter();
  const std::vector<v1::JournalEntry>& sponsor = contract.sponsor_journal;
  ASSERT_EQ(sponsor.size(), 4u);
  std::set<std::string> keys;
  for (size_t i = 0; i < sponsor.size(); ++i) {
    EXPECT_EQ(sponsor[i].seq(), i + 1);
    EXPECT_EQ(sponsor[i].book(), "acme-bio");
    EXPECT_EQ(sponsor[i].entry_id(), "acme-bio/0000000" + std::to_string(i + 1));
    EXPECT_TRUE(CheckBalanced(sponsor[i]).ok());
    EXPECT_TRUE(keys.insert(sponsor[i].idempotency_key()).second);
  }
  // 1: the invoice ahead of the work.
  EXPECT_EQ(sponsor[0].kind(), v1::ENTRY_KIND_INVOICE_RECEIVED);
  EXPECT_EQ(Net(sponsor[0], "prepaid_clinical_costs"), Usd(400'000));
  EXPECT_EQ(Net(sponsor[0], "accounts_payable"), -Usd(400'000));
  EXPECT_EQ(sponsor[0].period(), "2026-01");
  // 2: work consumes the prepaid.
  EXPECT_EQ(sponsor[1].kind(), v1::ENTRY_KIND_ACCRUAL);
  EXPECT_EQ(Net(sponsor[1], "rd_expense"), Usd(200'000));
  EXPECT_EQ(Net(sponsor[1], "prepaid_clinical_costs"), -Usd(200'000));
  EXPECT_EQ(sponsor[1].effective_date_ms(), Day("2026-02-28"));
  // 3: the agent pass-through is the sponsor's expense and payable at once.
  EXPECT_EQ(Net(sponsor[2], "rd_expense"), Usd(30'000));
  EXPECT_EQ(Net(sponsor[2], "accounts_payable"), -Usd(30'000));
  EXPECT_EQ(sponsor[2].lines_size(), 2);
  // 4: across zero in one entry: the rest of the prepaid, then an accrual.
  EXPECT_EQ(Net(sponsor[3], "rd_expense"), Usd(400'000));
  EXPECT_EQ(Net(sponsor[3], "prepaid_clinical_costs"), -Usd(200'000));
  EXPECT_EQ(Net(sponsor[3], "accrued_clinical_costs"), -Usd(200'000));
  EXPECT_EQ(sponsor[3].fact_id(), "erp/C-2");

  // The sponsor's trial balance through March, by hand from the table above.
  v1::BookRecord book;
  book.set_book("acme-bio");
  const TrialBalance balance =
      BuildTrialBalance(BookKind::kSponsor, book, sponsor, "2026-03", "USD");
  struct Expected {
    std::string account;
    int64_t debit, credit;
  };
  const std::vector<Expected> expected = {{"rd_expense", Usd(630'000), 0},
                                          {"accrued_clinical_costs", 0, Usd(200'000)},
                                          {"prepaid_clinical_costs", Usd(400'000), Usd(400'000)},
                                          {"accounts_payable", 0, Usd(430'000)}};
  ASSERT_EQ(balance.accounts.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(balance.accounts[i].account, expected[i].account);
    EXPECT_EQ(balance.accounts[i].debit_minor, expected[i].debit);
    EXPECT_EQ(balance.accounts[i].credit_minor, expected[i].credit);
  }
  EXPECT_EQ(balance.total_debit_minor, Usd(1'030'000));
  EXPECT_EQ(balance.total_credit_minor, Usd(1'030'000));
}

TEST_F(MirrorTest, TheMirrorTiesOutAndNamesTheAgentPassThrough) {
  PostFirstQuarter();
  const std::vector<MirrorRow> rows =
      BuildMirror(contract.journal, contract.sponsor_journal, PeriodGrouping::kMonth);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].period, "2026-01");
  EXPECT_EQ(rows[0].sponsor_prepaid_minor, Usd(400'000));
  EXPECT_EQ(rows[0].cro_contract_liability_minor, Usd(400'000));
  EXPECT_TRUE(rows[0].differences.empty());
  EXPECT_EQ(rows[1].sponsor_expense_minor, Usd(200'000));
  EXPECT_EQ(rows[1].cro_revenue_minor, Usd(200'000));
  EXPECT_EQ(rows[1].sponsor_prepaid_minor, Usd(200'000));
  EXPECT_EQ(rows[1].cro_contract_liability_minor, Usd(200'000));
  EXPECT_TRUE(rows[1].differences.empty());
  EXPECT_EQ(rows[2].sponsor_expense_minor, Usd(430'000));
  EXPECT_EQ(rows[2].cro_revenue_minor, Usd(400'000));
  EXPECT_EQ(rows[2].sponsor_accrued_liability_minor, Usd(200'000));
  EXPECT_EQ(rows[2].cro_contract_asset_minor, Usd(200'000));
  EXPECT_EQ(rows[2].sponsor_prepaid_minor, 0);
  ASSERT_EQ(rows[2].differences.size(), 1u);
  EXPECT_EQ(rows[2].differences[0].measure, "expense");
  EXPECT_EQ(rows[2].differences[0].amount_minor, Usd(30'000));
  EXPECT_THAT(rows[2].differences[0].reason, ::testing::HasSubstr("as agent"));

  const std::vector<MirrorRow> quarters =
      BuildMirror(contract.journal, contract.sponsor_journal, PeriodGrouping::kQuarter);
  ASSERT_EQ(quarters.size(), 1u);
  EXPECT_EQ(quarters[0].period, "2026-Q1");
  EXPECT_EQ(quarters[0].sponsor_expense_minor, Usd(630'000));
  EXPECT_EQ(quarters[0].cro_revenue_minor, Usd(600'000));
  EXPECT_EQ(quarters[0].sponsor_accrued_liability_minor, Usd(200'000));
  EXPECT_TRUE(BuildMirror({}, {}, PeriodGrouping::kMonth).empty());
}

// The sponsor closed March; the CRO had not when a cost dated 31 March arrived: 50,000 more cost
// is 70 %, revenue +100,000, in March for the CRO and in April for the sponsor.
TEST_F(MirrorTest, APeriodClosedOnOneSideIsTheReasonForADifference) {
  PostFirstQuarter();
  contract.sponsor_closed_through = "2026-03";
  contract.Post({testing::Cost(Day("2026-03-31"), Usd(50'000), "", "erp/C-3")});
  ASSERT_EQ(contract.sponsor_journal.size(), 5u);
  const v1::JournalEntry& late = contract.sponsor_journal.back();
  EXPECT_EQ(late.period(), "2026-04");
  EXPECT_EQ(late.effective_date_ms(), Day("2026-03-31"));
  EXPECT_EQ(Net(late, "rd_expense"), Usd(100'000));
  EXPECT_THAT(late.memo(), ::testing::HasSubstr("closed period 2026-03"));

  const std::vector<MirrorRow> rows =
      BuildMirror(contract.journal, contract.sponsor_journal, PeriodGrouping::kMonth);
  ASSERT_EQ(rows.size(), 4u);
  const MirrorRow& march = rows[2];
  EXPECT_EQ(march.cro_revenue_minor, Usd(500'000));
  EXPECT_EQ(march.sponsor_expense_minor, Usd(430'000));
  EXPECT_EQ(march.cro_contract_asset_minor, Usd(300'000));
  EXPECT_EQ(march.sponsor_accrued_liability_minor, Usd(200'000));
  ASSERT_EQ(march.differences.size(), 3u);  // the agent's, then expense and accrued liability
  EXPECT_EQ(march.differences[1].measure, "expense");
  EXPECT_EQ(march.differences[1].amount_minor, -Usd(100'000));
  EXPECT_THAT(march.differences[1].reason, ::testing::HasSubstr("closed"));
  EXPECT_EQ(march.differences[2].measure, "accrued_liability");
  EXPECT_EQ(march.differences[2].amount_minor, -Usd(100'000));
  const MirrorRow& april = rows[3];
  EXPECT_EQ(april.period, "2026-04");
  EXPECT_EQ(april.cro_revenue_minor, 0);
  EXPECT_EQ(april.sponsor_expense_minor, Usd(100'000));
  EXPECT_EQ(april.sponsor_accrued_liability_minor, Usd(300'000));
  EXPECT_EQ(april.cro_contract_asset_minor, Usd(300'000));
  ASSERT_EQ(april.differences.size(), 1u);
  EXPECT_EQ(april.differences[0].amount_minor, Usd(100'000));
  EXPECT_THAT(april.differences[0].reason, ::testing::HasSubstr("2026-03"));
}

// Per-subject fees: an enrolment earns 5,000 and is invoiced; the EDC's screen failure reverses
// the unit and the contract issues a credit note. Both books end where they began.
TEST(MirrorUnits, AScreenFailureReversesTheFeeAndItsBillingOnBothSides) {
  ContractTerms terms = testing::Terms({{"patient_services", Usd(1'500'000), Measure::kUnits}});
  terms.unit_fees = {{"per_subject", Usd(5'000), 0, "patient_services"}};
  Contract contract(terms, Day("2026-05-01"), "acme-303");
  contract.Post({testing::Units(Day("2026-05-10"), false, "per_subject", 1, Usd(5'000), "edc/S1"),
                 testing::Invoice(Day("2026-05-10"), "per_subject", Usd(5'000))});
  contract.Post({testing::Units(Day("2026-05-20"), true, "per_subject", 1, Usd(5'000), "edc/S1"),
                 testing::Invoice(Day("2026-05-20"), "per_subject", -Usd(5'000))});
  int64_t expense = 0, payable = 0, accrued = 0, prepaid = 0;
  bool reversed = false;
  for (const v1::JournalEntry& entry : contract.sponsor_journal) {
    EXPECT_TRUE(CheckBalanced(entry).ok());
    expense += Net(entry, "rd_expense");
    payable += Net(entry, "accounts_payable");
    accrued += Net(entry, "accrued_clinical_costs");
    prepaid += Net(entry, "prepaid_clinical_costs");
    reversed = reversed || Net(entry, "rd_expense") == -Usd(5'000);
  }
  EXPECT_TRUE(reversed);
  EXPECT_EQ(expense, 0);
  EXPECT_EQ(payable, 0);
  EXPECT_EQ(accrued, 0);
  EXPECT_EQ(prepaid, 0);
  const std::vector<MirrorRow> rows =
      BuildMirror(contract.journal, contract.sponsor_journal, PeriodGrouping::kMonth);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].sponsor_expense_minor, 0);
  EXPECT_EQ(rows[0].cro_revenue_minor, 0);
  EXPECT_TRUE(rows[0].differences.empty());
}

}  // namespace
}  // namespace tl::books
