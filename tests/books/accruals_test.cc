// The sponsor's accruals report over a journal written by hand here (not by the library's
// posting rules), so every figure below is the test's own arithmetic:
//
//   acme-300, northwind-cro  Oct  accrued 100.00                     Nov  invoiced 100.00
//                            Dec  paid 100.00
//   acme-301, northwind-cro  Oct  work 5,000.00 accrued, its invoice 5,000.00; an invoice of
//                                 2,000.00 ahead of the work (prepaid)
//                            Nov  paid 5,000.00; work 1,500.00 consumes prepaid
//   acme-301, site-101       Oct  a screening 800.00, 80.00 of it held back
//                            Nov  the site's invoice 1,000.00 for the 720.00 accrued: a true-up
//                                 of 280.00
//                            Dec  the holdback released into the accrual
#include <gtest/gtest.h>

#include <array>
#include <map>

#include "books_testing.h"

namespace tl::books {
namespace {

using testing::Usd;

struct Line {
  std::string account;
  int64_t debit_minor = 0, credit_minor = 0;
};

v1::JournalEntry Entry(std::string contract, std::string payee, std::string period,
                       v1::EntryKind kind, std::vector<Line> lines) {
  static uint64_t seq = 0;
  v1::JournalEntry entry;
  entry.set_book("acme-bio");
  entry.set_seq(++seq);
  entry.set_contract_id(std::move(contract));
  entry.set_payee(std::move(payee));
  entry.set_period(std::move(period));
  entry.set_kind(kind);
  for (const Line& line : lines) {
    v1::JournalLine* out = entry.add_lines();
    out->set_account(line.account);
    out->set_currency("USD");
    out->set_debit_minor(line.debit_minor);
    out->set_credit_minor(line.credit_minor);
  }
  EXPECT_TRUE(CheckBalanced(entry).ok()) << entry.DebugString();
  return entry;
}

std::vector<v1::JournalEntry> Journal() {
  const std::string c0 = "acme-300", c1 = "acme-301", cro = "northwind-cro", site = "site-101";
  return {
      Entry(c0, cro, "2026-10", v1::ENTRY_KIND_ACCRUAL,
            {{"rd_expense", Usd(100), 0}, {"accrued_clinical_costs", 0, Usd(100)}}),
      Entry(c1, site, "2026-10", v1::ENTRY_KIND_ACCRUAL,
            {{"rd_expense", Usd(800), 0},
             {"accrued_holdback", 0, Usd(80)},
             {"accrued_clinical_costs", 0, Usd(720)}}),
      Entry(c1, cro, "2026-10", v1::ENTRY_KIND_ACCRUAL,
            {{"rd_expense", Usd(5'000), 0}, {"accrued_clinical_costs", 0, Usd(5'000)}}),
      Entry(c1, cro, "2026-10", v1::ENTRY_KIND_INVOICE_RECEIVED,
            {{"accrued_clinical_costs", Usd(5'000), 0}, {"accounts_payable", 0, Usd(5'000)}}),
      Entry(c1, cro, "2026-10", v1::ENTRY_KIND_INVOICE_RECEIVED,
            {{"prepaid_clinical_costs", Usd(2'000), 0}, {"accounts_payable", 0, Usd(2'000)}}),
      Entry(c0, cro, "2026-11", v1::ENTRY_KIND_INVOICE_RECEIVED,
            {{"accrued_clinical_costs", Usd(100), 0}, {"accounts_payable", 0, Usd(100)}}),
      Entry(c1, site, "2026-11", v1::ENTRY_KIND_CATCH_UP,
            {{"accrued_clinical_costs", Usd(720), 0},
             {"rd_expense", Usd(280), 0},
             {"accounts_payable", 0, Usd(1'000)}}),
      Entry(c1, cro, "2026-11", v1::ENTRY_KIND_PAYMENT,
            {{"accounts_payable", Usd(5'000), 0}, {"cash", 0, Usd(5'000)}}),
      Entry(c1, cro, "2026-11", v1::ENTRY_KIND_ACCRUAL,
            {{"rd_expense", Usd(1'500), 0}, {"prepaid_clinical_costs", 0, Usd(1'500)}}),
      Entry(c0, cro, "2026-12", v1::ENTRY_KIND_PAYMENT,
            {{"accounts_payable", Usd(100), 0}, {"cash", 0, Usd(100)}}),
      Entry(c1, site, "2026-12", v1::ENTRY_KIND_ACCRUAL,
            {{"accrued_holdback", Usd(80), 0}, {"accrued_clinical_costs", 0, Usd(80)}}),
  };
}

// {opening, expense, invoiced, paid, true-ups, closing, opening holdback, holdback, payable}
using Figures = std::array<int64_t, 9>;
Figures FiguresOf(const AccrualRow& row) {
  return {row.opening_accrual_minor,  row.expense_minor,
          row.invoiced_minor,         row.paid_minor,
          row.true_ups_minor,         row.closing_accrual_minor,
          row.opening_holdback_minor, row.holdback_minor,
          row.payable_minor};
}

std::map<std::string, Figures> RowsOf(const AccrualPeriod& period) {
  std::map<std::string, Figures> rows;
  for (const AccrualRow& row : period.rows) {
    EXPECT_EQ(row.currency, "USD");
    rows[row.contract_id + " " + row.payee] = FiguresOf(row);
  }
  return rows;
}

TEST(AccrualsTest, MonthByMonthPerContractAndPayee) {
  const std::vector<AccrualPeriod> periods = BuildAccruals(Journal(), PeriodGrouping::kMonth);
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[0].period, "2026-10");
  EXPECT_EQ(RowsOf(periods[0]),
            (std::map<std::string, Figures>{
                {"acme-300 northwind-cro", {0, Usd(100), 0, 0, 0, Usd(100), 0, 0, 0}},
                {"acme-301 northwind-cro",
                 {0, Usd(5'000), Usd(7'000), 0, 0, -Usd(2'000), 0, 0, Usd(7'000)}},
                {"acme-301 site-101", {0, Usd(800), 0, 0, 0, Usd(720), 0, Usd(80), 0}}}));
  EXPECT_EQ(RowsOf(periods[1]),
            (std::map<std::string, Figures>{
                {"acme-300 northwind-cro", {Usd(100), 0, Usd(100), 0, 0, 0, 0, 0, Usd(100)}},
                {"acme-301 northwind-cro",
                 {-Usd(2'000), Usd(1'500), 0, Usd(5'000), 0, -Usd(500), 0, 0, Usd(2'000)}},
                {"acme-301 site-101",
                 {Usd(720), Usd(280), Usd(1'000), 0, Usd(280), 0, Usd(80), Usd(80), Usd(1'000)}}}));
  EXPECT_EQ(RowsOf(periods[2]),
            (std::map<std::string, Figures>{
                {"acme-300 northwind-cro", {0, 0, 0, Usd(100), 0, 0, 0, 0, 0}},
                {"acme-301 northwind-cro", {-Usd(500), 0, 0, 0, 0, -Usd(500), 0, 0, Usd(2'000)}},
                {"acme-301 site-101", {0, 0, 0, 0, 0, Usd(80), Usd(80), 0, Usd(1'000)}}}));
  // Rows come by contract, then payee.
  ASSERT_EQ(periods[0].rows.size(), 3u);
  EXPECT_EQ(periods[0].rows[0].contract_id, "acme-300");
  EXPECT_EQ(periods[0].rows[2].payee, "site-101");
}

TEST(AccrualsTest, AQuarterSumsItsMonthsFlowsAndKeepsItsEndsBalances) {
  const std::vector<AccrualPeriod> periods = BuildAccruals(Journal(), PeriodGrouping::kQuarter);
  ASSERT_EQ(periods.size(), 1u);
  EXPECT_EQ(periods[0].period, "2026-Q4");
  EXPECT_EQ(RowsOf(periods[0]),
            (std::map<std::string, Figures>{
                {"acme-300 northwind-cro", {0, Usd(100), Usd(100), Usd(100), 0, 0, 0, 0, 0}},
                {"acme-301 northwind-cro",
                 {0, Usd(6'500), Usd(7'000), Usd(5'000), 0, -Usd(500), 0, 0, Usd(2'000)}},
                {"acme-301 site-101",
                 {0, Usd(1'080), Usd(1'000), 0, Usd(280), Usd(80), 0, 0, Usd(1'000)}}}));
}

TEST(AccrualsTest, ARowWithNothingInItIsLeftOut) {
  std::vector<v1::JournalEntry> journal = Journal();
  // January: only acme-301's CRO position is left; acme-300 is settled and shows no row.
  journal.push_back(Entry("acme-301", "northwind-cro", "2027-01", v1::ENTRY_KIND_ACCRUAL,
                          {{"rd_expense", Usd(500), 0}, {"prepaid_clinical_costs", 0, Usd(500)}}));
  const std::vector<AccrualPeriod> periods = BuildAccruals(journal, PeriodGrouping::kMonth);
  ASSERT_EQ(periods.size(), 4u);
  EXPECT_EQ(RowsOf(periods[3]),
            (std::map<std::string, Figures>{
                {"acme-301 northwind-cro", {-Usd(500), Usd(500), 0, 0, 0, 0, 0, 0, Usd(2'000)}},
                {"acme-301 site-101", {Usd(80), 0, 0, 0, 0, Usd(80), 0, 0, Usd(1'000)}}}));
  EXPECT_TRUE(BuildAccruals({}, PeriodGrouping::kMonth).empty());
}

}  // namespace
}  // namespace tl::books
