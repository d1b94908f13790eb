// The sponsor's unit-cost grid over two months, every figure worked by hand here:
//
//   rates  site_activated 5,000.00 (CRO) · subject_screened 800.00 (site-101, 10 % held)
//          subject_randomized 1,500.00 (site-101, 10 %) · visit WEEK4 1,200.00 (site-101, 10 %)
//          monitoring_visit 2,500.00 (CRO) · holdback released by database_lock
//
//   October  site 101 activated 5,000 · S1 and S2 screened 800 + 800 · S1 randomised 1,500 ·
//            a monitoring visit 2,500 · S1's week-4 visit 1,200 and an unscheduled visit (no
//            rate: not billable)
//            expense 11,800.00; held 80 + 80 + 150 + 120 = 430.00; accrued for site-101
//            720 + 720 + 1,350 + 1,080 = 3,870.00, for the CRO 7,500.00
//   November site-101's invoice S101-7 bills the four visits net of the holdback (3,870.00) and
//            the unscheduled visit (1,080.00): 4,950.00. Approved on 12 November: the accrual of
//            3,870.00 relieved, 1,080.00 more expense in November (a change in estimate),
//            October untouched.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "books_testing.h"
#include "grid_testing.h"

namespace tl::books {
namespace {

using testing::Day;
using testing::MemoryGridStore;
using testing::Net;
using testing::Usd;

v1::GridRate Rate(std::string kind, int64_t rate, std::string payee, int32_t held = 0,
                  std::string visit_type = "") {
  v1::GridRate r;
  r.set_kind(std::move(kind));
  r.set_visit_type(std::move(visit_type));
  r.set_rate_minor(rate);
  r.set_payee(std::move(payee));
  r.set_holdback_percent(held);
  return r;
}

GridFact Fact(std::string id, std::string kind, const char* date, std::string subject = "",
              std::string visit_type = "") {
  return {std::move(id),      std::move(kind),       "101",
          std::move(subject), std::move(visit_type), Day(date)};
}

class GridTest : public ::testing::Test {
 protected:
  GridTest() {
    grid.set_contract_id("acme-305");
    grid.set_currency("USD");
    *grid.add_rates() = Rate("site_activated", Usd(5'000), "northwind-cro");
    *grid.add_rates() = Rate("subject_screened", Usd(800), "site-101", 10);
    *grid.add_rates() = Rate("subject_randomized", Usd(1'500), "site-101", 10);
    *grid.add_rates() = Rate("visit_completed", Usd(1'200), "site-101", 10, "WEEK4");
    *grid.add_rates() = Rate("monitoring_visit", Usd(2'500), "northwind-cro");
    grid.set_holdback_released_by("database_lock");
  }

  std::vector<v1::JournalEntry> Post(std::vector<GridFact> facts) {
    EntryContext context;
    context.book = "acme-bio";
    context.contract_id = "acme-305";
    context.tx_id = std::string(32, '\x05');
    context.height = height++;
    context.seq = journal.size() + 1;
    absl::StatusOr<std::vector<v1::JournalEntry>> posted =
        PostGridFacts(&grid, facts, store, context);
    EXPECT_TRUE(posted.ok()) << posted.status();
    if (!posted.ok()) return {};
    journal.insert(journal.end(), posted->begin(), posted->end());
    return *posted;
  }

  void PostOctober() {
    Post({Fact("ctms/ACT-101", "site_activated", "2026-10-01"),
          Fact("edc/SCR-S1", "subject_screened", "2026-10-05", "S1"),
          Fact("edc/SCR-S2", "subject_screened", "2026-10-06", "S2")});
    Post({Fact("edc/RND-S1", "subject_randomized", "2026-10-10", "S1"),
          Fact("ctms/MV-1", "monitoring_visit", "2026-10-20"),
          Fact("edc/V-S1-W4", "visit_completed", "2026-10-28", "S1", "WEEK4"),
          Fact("edc/V-S1-UNS", "visit_completed", "2026-10-29", "S1", "UNSCHEDULED")});
  }

  v1::Invoice SiteInvoice() {
    v1::Invoice invoice;
    invoice.set_invoice_id("acme-bio/REC-00000001");
    invoice.set_number("S101-7");
    invoice.set_contract_id("acme-305");
    invoice.set_issuer("site-101");
    invoice.set_payer("acme-bio");
    invoice.set_currency("USD");
    invoice.set_date_ms(Day("2026-11-05"));
    const std::vector<std::pair<std::string, int64_t>> lines = {{"edc/SCR-S1", Usd(720)},
                                                                {"edc/SCR-S2", Usd(720)},
                                                                {"edc/RND-S1", Usd(1'350)},
                                                                {"edc/V-S1-W4", Usd(1'080)},
                                                                {"edc/V-S1-UNS", Usd(1'080)}};
    for (const auto& [fact, amount] : lines) {
      v1::InvoiceLine* line = invoice.add_lines();
      line->set_line(invoice.lines_size());
      line->set_item(fact);
      line->set_amount_minor(amount);
      line->add_evidence_fact_ids(fact);
      invoice.set_total_minor(invoice.total_minor() + amount);
    }
    return invoice;
  }

  TrialBalance Balance(std::string_view period) {
    v1::BookRecord book;
    book.set_book("acme-bio");
    return BuildTrialBalance(BookKind::kSponsor, book, journal, period, "USD");
  }
  static std::map<std::string, TrialBalanceLine> ByAccount(const TrialBalance& balance) {
    std::map<std::string, TrialBalanceLine> out;
    for (const TrialBalanceLine& line : balance.accounts)
      out[line.account] = line;
    return out;
  }

  v1::AccrualGrid grid;
  MemoryGridStore store;
  std::vector<v1::JournalEntry> journal;
  uint64_t height = 1;
};

TEST_F(GridTest, MonthOneAccruesByTheUnitAndHoldsBackPart) {
  PostOctober();
  ASSERT_EQ(journal.size(), 6u);  // the unscheduled visit has no rate
  for (const v1::JournalEntry& entry : journal) {
    EXPECT_TRUE(CheckBalanced(entry).ok());
    EXPECT_EQ(entry.kind(), v1::ENTRY_KIND_ACCRUAL);
    EXPECT_EQ(entry.period(), "2026-10");
  }
  EXPECT_EQ(journal[1].payee(), "site-101");
  EXPECT_EQ(Net(journal[1], "rd_expense"), Usd(800));
  EXPECT_EQ(Net(journal[1], "accrued_holdback"), -Usd(80));
  EXPECT_EQ(Net(journal[1], "accrued_clinical_costs"), -Usd(720));
  EXPECT_EQ(journal[0].payee(), "northwind-cro");
  std::map<std::string, TrialBalanceLine> october = ByAccount(Balance("2026-10"));
  EXPECT_EQ(october["rd_expense"].debit_minor, Usd(11'800));
  EXPECT_EQ(october["accrued_holdback"].credit_minor, Usd(430));
  EXPECT_EQ(october["accrued_clinical_costs"].credit_minor, Usd(11'370));
  ASSERT_EQ(grid.payees_size(), 2);
  EXPECT_EQ(grid.payees(0).payee(), "northwind-cro");
  EXPECT_EQ(grid.payees(0).accrued_minor(), Usd(7'500));
  EXPECT_EQ(grid.payees(1).payee(), "site-101");
  EXPECT_EQ(grid.payees(1).accrued_minor(), Usd(3'870));
  EXPECT_EQ(grid.payees(1).held_minor(), Usd(430));
}

TEST_F(GridTest, MonthTwoTheSiteInvoiceTrueUpLandsInMonthTwo) {
  PostOctober();
  const TrialBalance october_before = Balance("2026-10");
  v1::Invoice invoice = SiteInvoice();
  // The match first: four lines relieve what their visits accrued; the unscheduled visit was
  // never accrued (no rate): over-billed by 1,080.00.
  const std::vector<MatchLine> match = MatchInvoice(
      invoice,
      [](std::string_view fact_id) {
        return EvidenceState{std::string(fact_id), "visit_completed", 0, true, "applied"};
      },
      [&](const v1::InvoiceLine& line) { return GridAccruedFor(grid, line, "site-101", store); });
  ASSERT_EQ(match.size(), 5u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(match[i].status, "matched") << i;
  EXPECT_EQ(match[4].status, "over_billed");
  EXPECT_EQ(match[4].difference_minor, Usd(1'080));

  EntryContext context;
  context.book = "acme-bio";
  context.contract_id = "acme-305";
  context.seq = journal.size() + 1;
  absl::StatusOr<v1::JournalEntry> received =
      PostGridInvoice(&grid, &invoice, store, Day("2026-11-12"), context);
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(received->kind(), v1::ENTRY_KIND_CATCH_UP);
  EXPECT_EQ(received->period(), "2026-11");
  EXPECT_EQ(Net(*received, "accrued_clinical_costs"), Usd(3'870));
  EXPECT_EQ(Net(*received, "rd_expense"), Usd(1'080));
  EXPECT_EQ(Net(*received, "accounts_payable"), -Usd(4'950));
  journal.push_back(*received);

  // October is what it was; November carries the true-up.
  const TrialBalance october_after = Balance("2026-10");
  ASSERT_EQ(october_after.accounts.size(), october_before.accounts.size());
  for (size_t i = 0; i < october_after.accounts.size(); ++i) {
    EXPECT_EQ(october_after.accounts[i].balance_minor, october_before.accounts[i].balance_minor);
  }
  std::map<std::string, TrialBalanceLine> november = ByAccount(Balance("2026-11"));
  EXPECT_EQ(november["rd_expense"].debit_minor, Usd(12'880));
  EXPECT_EQ(november["accrued_clinical_costs"].balance_minor, -Usd(7'500));  // the CRO's
  EXPECT_EQ(november["accounts_payable"].credit_minor, Usd(4'950));
  EXPECT_EQ(grid.payees(1).accrued_minor(), 0);
  EXPECT_EQ(grid.payees(1).held_minor(), Usd(430));
  // Nothing is relieved twice: a second invoice for the same visits finds nothing accrued; the
  // received invoice keeps what each line relieved, and its match says so still.
  EXPECT_EQ(GridAccruedFor(grid, invoice.lines(0), "site-101", store), 0);
  EXPECT_TRUE(invoice.received());
  EXPECT_EQ(invoice.lines(0).accrued_minor(), Usd(720));
  EXPECT_EQ(invoice.lines(4).accrued_minor(), 0);
  const std::vector<MatchLine> after = MatchInvoice(
      invoice,
      [](std::string_view fact_id) {
        return EvidenceState{std::string(fact_id), "visit_completed", 0, true, "applied"};
      },
      [](const v1::InvoiceLine&) { return int64_t{0}; });
  EXPECT_EQ(after[0].status, "matched");
  EXPECT_EQ(after[4].status, "over_billed");
}

TEST_F(GridTest, AScreenFailureReversesTheRandomisationAndTheReleaseFreesTheHoldback) {
  PostOctober();
  Post({Fact("edc/RND-S3", "subject_randomized", "2026-11-02", "S3")});
  std::vector<v1::JournalEntry> failed =
      Post({Fact("edc/SF-S3", "subject_screen_failed", "2026-11-09", "S3")});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(Net(failed[0], "rd_expense"), -Usd(1'500));
  EXPECT_EQ(Net(failed[0], "accrued_holdback"), Usd(150));
  EXPECT_EQ(Net(failed[0], "accrued_clinical_costs"), Usd(1'350));
  EXPECT_EQ(failed[0].fact_id(), "edc/SF-S3");
  // Failing again reverses nothing more.
  EXPECT_TRUE(Post({Fact("edc/SF-S3b", "subject_screen_failed", "2026-11-10", "S3")}).empty());
  // A retraction of S2's screening gives back its 800.00.
  GridFact retraction = Fact("edc/SCR-S2", "retracted", "2026-11-11");
  retraction.replaces = true;
  std::vector<v1::JournalEntry> retracted = Post({retraction});
  ASSERT_EQ(retracted.size(), 1u);
  EXPECT_EQ(Net(retracted[0], "rd_expense"), -Usd(800));
  // Database lock: the holdback still withheld (80 + 150 + 120 = 350.00) becomes payable.
  std::vector<v1::JournalEntry> released = Post({Fact("edc/DBL", "database_lock", "2026-12-01")});
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].payee(), "site-101");
  EXPECT_EQ(Net(released[0], "accrued_holdback"), Usd(350));
  EXPECT_EQ(Net(released[0], "accrued_clinical_costs"), -Usd(350));
  EXPECT_EQ(grid.payees(1).held_minor(), 0);
  // After the release nothing more is withheld.
  std::vector<v1::JournalEntry> later =
      Post({Fact("edc/SCR-S9", "subject_screened", "2026-12-02", "S9")});
  EXPECT_EQ(Net(later[0], "accrued_holdback"), 0);
  EXPECT_EQ(Net(later[0], "accrued_clinical_costs"), -Usd(800));
}

TEST(ValidateGrid, EveryFaultNamesItsRate) {
  google::protobuf::RepeatedPtrField<v1::GridRate> rates;
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("1 to 200 rates"));
  *rates.Add() = Rate("subject_screened", Usd(800), "site-101", 10);
  EXPECT_TRUE(ValidateGrid(rates, "database_lock").ok());
  EXPECT_THAT(ValidateGrid(rates, "lunch").message(), ::testing::HasSubstr("'lunch'"));
  *rates.Add() = Rate("subject_screened", Usd(900), "site-101");
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("rate 2"));
  rates.Mutable(1)->set_kind("cost_incurred");
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("not a kind"));
  rates.Mutable(1)->set_kind("monitoring_visit");
  rates.Mutable(1)->set_holdback_percent(101);
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("0 to 100"));
  rates.Mutable(1)->set_holdback_percent(0);
  rates.Mutable(1)->set_rate_minor(0);
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("positive"));
  rates.Mutable(1)->set_rate_minor(1);
  rates.Mutable(1)->set_visit_type("WEEK4");
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("visit type"));
  rates.Mutable(1)->set_visit_type("");
  rates.Mutable(1)->set_payee("");
  EXPECT_THAT(ValidateGrid(rates, "").message(), ::testing::HasSubstr("payee"));
}

}  // namespace
}  // namespace tl::books
