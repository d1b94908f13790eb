// Rules 6-10 on small contracts: how entries are named, keyed, dated and moved out of closed
// periods; corrections (a reversed cost, a units reversal's credit note), the agent's
// pass-through, an obligation an amendment removes; and input the books refuse.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "books_testing.h"
#include "trialledger/base/hex.h"

namespace tl::books {
namespace {

using testing::Contract;
using testing::Cost;
using testing::Day;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Net;
using testing::Terms;

// One cost-to-cost obligation with a 2,000,000.00 fee, a principal pass-through for grants
// (its own obligation) and an agent's pass-through for travel.
ContractTerms ServiceTerms() {
  ContractTerms terms =
      Terms({{"services", 100, Measure::kCostToCost}, {"grants_service", 0, Measure::kCostToCost}});
  terms.fees = {{"startup", v1::MILESTONE_KIND_FIXED_FEE, 200'000'000, "services", false}};
  terms.pass_throughs = {{"grants", 10'000'000, true, "grants_service"},
                         {"travel", 1'000'000, false, ""}};
  return terms;
}

struct Line {
  std::string account;
  int64_t debit_minor, credit_minor;
  bool operator==(const Line&) const = default;
};
std::vector<Line> Lines(const v1::JournalEntry& entry) {
  std::vector<Line> lines;
  for (const v1::JournalLine& line : entry.lines()) {
    EXPECT_EQ(line.currency(), "USD");
    lines.push_back({line.account(), line.debit_minor(), line.credit_minor()});
  }
  return lines;
}

TEST(PostingTest, EntriesAreNumberedKeyedAndDatedFromTheirCause) {
  const ContractTerms terms = ServiceTerms();
  v1::ContractBooks position = NewContractBooks("c-9", terms, Day("2026-01-01"));
  PostingContext context;
  context.book = "cro-a";
  context.contract_id = "c-9";
  context.tx_id = std::string(32, '\x01');
  context.height = 77;
  context.next_seq = 41;
  std::vector<CroEvent> events = {testing::Estimate(Day("2026-01-01"), 100'000'000),
                                  Cost(Day("2026-03-31", 15), 5'000'000, "grants", "erp/G-1")};
  events[0].event_seq = 6;
  events[1].event_seq = 7;
  absl::StatusOr<Posting> posted = PostCroEvents(terms, position, events, context);
  ASSERT_TRUE(posted.ok()) << posted.status();
  ASSERT_EQ(posted->entries.size(), 3u);
  const std::string hex = ToHex(context.tx_id);
  for (int n = 0; n < 3; ++n) {
    const v1::JournalEntry& entry = posted->entries[n];
    EXPECT_EQ(entry.entry_id(), "cro-a/000000" + std::to_string(41 + n));
    EXPECT_EQ(entry.seq(), 41u + n);
    EXPECT_EQ(entry.idempotency_key(), "cro-a:c-9:" + hex + ":7:" + std::to_string(n));
    EXPECT_EQ(entry.book(), "cro-a");
    EXPECT_EQ(entry.contract_id(), "c-9");
    EXPECT_EQ(entry.effective_date_ms(), Day("2026-03-31"));  // 15:00 truncated to its day
    EXPECT_EQ(entry.period(), "2026-03");
    EXPECT_EQ(entry.tx_id(), context.tx_id);
    EXPECT_EQ(entry.height(), 77u);
    EXPECT_EQ(entry.event_seq(), 7u);
    EXPECT_EQ(entry.fact_id(), "erp/G-1");
    EXPECT_TRUE(CheckBalanced(entry).ok());
  }
  const std::vector<v1::JournalEntry>& e = posted->entries;
  EXPECT_EQ(e[0].kind(), v1::ENTRY_KIND_PASS_THROUGH_COST);
  EXPECT_THAT(Lines(e[0]), ElementsAre(Line{"reimbursable_expense", 5'000'000, 0},
                                       Line{"accrued_investigator_payments", 0, 5'000'000}));
  EXPECT_EQ(e[0].memo(), "pass-through cost: grants");
  EXPECT_EQ(e[1].kind(), v1::ENTRY_KIND_PASS_THROUGH_BILLING);
  EXPECT_THAT(Lines(e[1]), ElementsAre(Line{"accounts_receivable", 5'000'000, 0},
                                       Line{"contract_balance", 0, 5'000'000}));
  EXPECT_EQ(e[1].memo(), "pass-through re-billed at cost: grants");
  // Grants are grants_service's only consideration: reimbursed revenue, 5,000,000 / 10,000,000.
  EXPECT_EQ(e[2].kind(), v1::ENTRY_KIND_REVENUE);
  EXPECT_EQ(e[2].obligation(), "grants_service");
  EXPECT_THAT(Lines(e[2]), ElementsAre(Line{"contract_balance", 5'000'000, 0},
                                       Line{"revenue_reimbursed", 0, 5'000'000}));
  EXPECT_EQ(e[2].memo(), "revenue: grants_service 50.00 % complete (cost-to-cost)");
  // The figures after each entry: price 2,000,000.00 + the grants budget 100,000.00.
  for (const v1::JournalEntry& entry : e)
    EXPECT_EQ(entry.transaction_price_minor(), 210'000'000);
  EXPECT_EQ(e[0].billed_to_date_minor(), 0);
  EXPECT_EQ(e[1].billed_to_date_minor(), 5'000'000);
  EXPECT_EQ(e[1].revenue_to_date_minor(), 0);
  EXPECT_EQ(e[2].revenue_to_date_minor(), 5'000'000);

  // The same run posted again gives the same bytes.
  absl::StatusOr<Posting> again = PostCroEvents(terms, position, events, context);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->entries.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again->entries[i].SerializeAsString(), posted->entries[i].SerializeAsString());
  }
  EXPECT_EQ(again->position.SerializeAsString(), posted->position.SerializeAsString());
}

TEST(PostingTest, APostingDatedInAClosedPeriodLandsInTheFirstOpenOneAndSaysSo) {
  Contract contract(ServiceTerms());
  contract.Post({testing::Estimate(Day("2026-01-10"), 100'000'000)});
  contract.closed_through = "2026-03";
  const std::vector<v1::JournalEntry> entries =
      contract.Post({Cost(Day("2026-03-31", 15), 40'000'000, "", "erp/C-1")});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].period(), "2026-04");
  EXPECT_EQ(entries[0].effective_date_ms(), Day("2026-03-31"));
  EXPECT_EQ(entries[0].memo(),
            "revenue: services 40.00 % complete (cost-to-cost); dated 2026-03-31 in closed "
            "period 2026-03, posted in 2026-04");
  EXPECT_EQ(Net(entries[0], "contract_balance"), 80'000'000);  // 2,000,000.00 × 40 %
}

TEST(CorrectionTest, AReversedCostReversesItsRevenueAndPassThroughEntries) {
  Contract contract(ServiceTerms());
  contract.Post({testing::Estimate(Day("2026-01-10"), 100'000'000)});
  // 400,000.00 of 1,000,000.00: 40 % of 2,000,000.00.
  std::vector<v1::JournalEntry> entries =
      contract.Post({Cost(Day("2026-02-28"), 40'000'000, "", "erp/C-1")});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"contract_balance", 80'000'000, 0},
                                             Line{"revenue_services", 0, 80'000'000}));
  // The fact is corrected to 300,000.00: the contract reverses it and books the new amount.
  entries = contract.Post({Cost(Day("2026-02-28"), -40'000'000, "", "erp/C-1"),
                           Cost(Day("2026-02-28"), 30'000'000, "", "erp/C-1")});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].kind(), v1::ENTRY_KIND_REVENUE);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"revenue_services", 80'000'000, 0},
                                             Line{"contract_balance", 0, 80'000'000}));
  EXPECT_EQ(entries[0].memo(), "revenue: services 0.00 % complete (cost-to-cost)");
  EXPECT_EQ(entries[0].revenue_to_date_minor(), 0);
  EXPECT_THAT(Lines(entries[1]), ElementsAre(Line{"contract_balance", 60'000'000, 0},
                                             Line{"revenue_services", 0, 60'000'000}));
  EXPECT_EQ(contract.position.service_cost_minor(), 30'000'000);

  // A grant booked, then retracted: every side swaps, billed to date comes back to zero.
  contract.Post({Cost(Day("2026-03-15"), 2'500'000, "grants", "erp/G-1")});
  EXPECT_EQ(contract.position.billed_to_date_minor(), 2'500'000);
  entries = contract.Post({Cost(Day("2026-03-20"), -2'500'000, "grants", "erp/G-1")});
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].kind(), v1::ENTRY_KIND_PASS_THROUGH_COST);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"accrued_investigator_payments", 2'500'000, 0},
                                             Line{"reimbursable_expense", 0, 2'500'000}));
  EXPECT_EQ(entries[0].memo(), "pass-through cost reversed: grants");
  EXPECT_EQ(entries[1].kind(), v1::ENTRY_KIND_PASS_THROUGH_BILLING);
  EXPECT_THAT(Lines(entries[1]), ElementsAre(Line{"contract_balance", 2'500'000, 0},
                                             Line{"accounts_receivable", 0, 2'500'000}));
  EXPECT_THAT(Lines(entries[2]), ElementsAre(Line{"revenue_reimbursed", 2'500'000, 0},
                                             Line{"contract_balance", 0, 2'500'000}));
  EXPECT_EQ(contract.position.billed_to_date_minor(), 0);
  EXPECT_EQ(contract.RevenueToDate(), 60'000'000);
}

TEST(CorrectionTest, AnAgentsPassThroughIsARecoverableNotRevenue) {
  Contract contract(ServiceTerms());
  const int64_t price_minor = contract.position.transaction_price_minor();
  std::vector<v1::JournalEntry> entries =
      contract.Post({Cost(Day("2026-03-15"), 300'000, "travel", "erp/T-1")});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].kind(), v1::ENTRY_KIND_PASS_THROUGH_COST);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"pass_through_receivable", 300'000, 0},
                                             Line{"accrued_investigator_payments", 0, 300'000}));
  EXPECT_EQ(entries[1].kind(), v1::ENTRY_KIND_PASS_THROUGH_BILLING);
  EXPECT_THAT(Lines(entries[1]), ElementsAre(Line{"accounts_receivable", 300'000, 0},
                                             Line{"pass_through_receivable", 0, 300'000}));
  EXPECT_EQ(contract.position.billed_to_date_minor(), 0);  // not the contract's billing
  EXPECT_EQ(contract.position.transaction_price_minor(), price_minor);
  entries = contract.Post({Cost(Day("2026-03-16"), -300'000, "travel", "erp/T-1")});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"accrued_investigator_payments", 300'000, 0},
                                             Line{"pass_through_receivable", 0, 300'000}));
  EXPECT_THAT(Lines(entries[1]), ElementsAre(Line{"pass_through_receivable", 300'000, 0},
                                             Line{"accounts_receivable", 0, 300'000}));
}

TEST(CorrectionTest, AUnitsReversalGivesRevenueBackAndACreditNote) {
  ContractTerms terms = Terms({{"enrolment", 0, Measure::kUnits}});
  terms.unit_fees = {{"per_subject", 500'000, 0, "enrolment"}};
  Contract contract(terms);
  std::vector<v1::JournalEntry> entries =
      contract.Post({testing::Units(Day("2026-04-01"), false, "per_subject", 2, 500'000),
                     testing::Invoice(Day("2026-04-01"), "per_subject", 1'000'000)});
  ASSERT_EQ(entries.size(), 2u);
  // The units are the obligation's whole price: what they earn is recognised.
  EXPECT_EQ(Net(entries[0], "revenue_services"), -1'000'000);
  EXPECT_EQ(entries[0].memo(), "revenue: enrolment 100.00 % complete (units)");
  EXPECT_EQ(entries[1].kind(), v1::ENTRY_KIND_BILLING);
  EXPECT_EQ(entries[1].memo(), "invoice: per_subject");
  EXPECT_EQ(Net(entries[1], "accounts_receivable"), 1'000'000);

  // A screen failure reverses one subject (the contract reports the amount taken back).
  entries = contract.Post({testing::Units(Day("2026-04-20"), true, "per_subject", 1, 500'000),
                           testing::Invoice(Day("2026-04-20"), "per_subject", -500'000)});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].kind(), v1::ENTRY_KIND_REVENUE);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"revenue_services", 500'000, 0},
                                             Line{"contract_balance", 0, 500'000}));
  EXPECT_EQ(entries[1].kind(), v1::ENTRY_KIND_BILLING);
  EXPECT_EQ(entries[1].memo(), "credit note: per_subject");
  EXPECT_THAT(Lines(entries[1]), ElementsAre(Line{"contract_balance", 500'000, 0},
                                             Line{"accounts_receivable", 0, 500'000}));
  EXPECT_EQ(contract.position.billed_to_date_minor(), 500'000);
  EXPECT_EQ(contract.RevenueToDate(), 500'000);
  // A reversal reported as a negative amount means the same.
  CroEvent negative = testing::Units(Day("2026-04-21"), true, "per_subject", 1, 500'000);
  negative.event.mutable_fields(3)->mutable_money()->set_amount_minor(-500'000);
  contract.Post({negative});
  EXPECT_EQ(contract.RevenueToDate(), 0);
  EXPECT_EQ(testing::Day("2026-04-21"), contract.journal.back().effective_date_ms());
}

TEST(CorrectionTest, AMilestoneACorrectionReversesGivesBackItsRevenueAndItsBilling) {
  // Two fixed fees, 20,000.00 and 60,000.00, measured by milestones: the price is 80,000.00.
  ContractTerms terms = Terms({{"services", 0, Measure::kMilestones}});
  terms.fees = {{"first", v1::MILESTONE_KIND_FIXED_FEE, 2'000'000, "services", false},
                {"second", v1::MILESTONE_KIND_FIXED_FEE, 6'000'000, "services", false}};
  Contract contract(terms);
  std::vector<v1::JournalEntry> entries =
      contract.Post({testing::Achieved(Day("2026-05-04"), "first", 2'000'000),
                     testing::Invoice(Day("2026-05-04"), "first", 2'000'000)});
  ASSERT_EQ(entries.size(), 2u);
  // 80,000.00 x 20,000.00 / 80,000.00 = 20,000.00 recognised, and billed.
  EXPECT_EQ(Net(entries[0], "revenue_services"), -2'000'000);
  EXPECT_EQ(Net(entries[1], "accounts_receivable"), 2'000'000);

  // The enrolment that achieved it is retracted: the contract reverses the milestone and credits.
  entries = contract.Post({testing::Reversed(Day("2026-05-11"), "first", 2'000'000),
                           testing::Invoice(Day("2026-05-11"), "first", -2'000'000)});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].kind(), v1::ENTRY_KIND_REVENUE);
  EXPECT_THAT(Lines(entries[0]), ElementsAre(Line{"revenue_services", 2'000'000, 0},
                                             Line{"contract_balance", 0, 2'000'000}));
  EXPECT_EQ(entries[0].effective_date_ms(), Day("2026-05-11"));
  EXPECT_EQ(entries[1].memo(), "credit note: first");
  EXPECT_THAT(Lines(entries[1]), ElementsAre(Line{"contract_balance", 2'000'000, 0},
                                             Line{"accounts_receivable", 0, 2'000'000}));
  EXPECT_EQ(contract.RevenueToDate(), 0);
  EXPECT_EQ(contract.position.billed_to_date_minor(), 0);
  EXPECT_TRUE(contract.position.milestones_achieved().empty());
  // The sponsor's mirror takes its expense and its payable back with it.
  int64_t rd_expense = 0;
  for (const v1::JournalEntry& entry : contract.sponsor_journal)
    rd_expense += Net(entry, "rd_expense");
  EXPECT_EQ(rd_expense, 0);
  // Achieved again later, it counts again.
  contract.Post({testing::Achieved(Day("2026-06-01"), "first", 2'000'000),
                 testing::Invoice(Day("2026-06-01"), "first", 2'000'000)});
  EXPECT_EQ(contract.RevenueToDate(), 2'000'000);
}

TEST(AmendmentTest, AnObligationTheNewTermsDropGivesBackItsRevenueAsACatchUp) {
  ContractTerms v1_terms =
      Terms({{"a", 100, Measure::kCostToCost}, {"b", 100, Measure::kMilestones}});
  v1_terms.fees = {{"fa", v1::MILESTONE_KIND_FIXED_FEE, 1'000, "a", false},
                   {"fb", v1::MILESTONE_KIND_FIXED_FEE, 500, "b", false}};
  Contract contract(v1_terms);
  contract.Post({testing::Achieved(Day("2026-05-01"), "fb", 500)});
  EXPECT_EQ(contract.RevenueToDate(), 500);
  ContractTerms v2_terms = v1_terms;
  v2_terms.version = 2;
  v2_terms.obligations.pop_back();
  contract.terms = v2_terms;
  const std::vector<v1::JournalEntry> entries =
      contract.Post({testing::Amended(Day("2026-06-01"), 1, 2)});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].kind(), v1::ENTRY_KIND_CATCH_UP);
  EXPECT_EQ(entries[0].obligation(), "b");
  EXPECT_EQ(Net(entries[0], "contract_balance"), -500);
  EXPECT_EQ(entries[0].memo(), "catch-up: change order v2; b is no longer in the terms");
  EXPECT_EQ(contract.position.version(), 2);
  EXPECT_EQ(contract.position.effective_date_ms(), Day("2026-06-01"));
  EXPECT_EQ(contract.position.catch_up_to_date_minor(), -500);
  ASSERT_EQ(contract.position.revenue_to_date_size(), 1);
  EXPECT_EQ(contract.position.revenue_to_date(0).name(), "a");
  // fb's consideration, tied to no obligation now, goes to a.
  EXPECT_EQ(contract.position.allocated_price(0).amount_minor(), 1'500);
}

TEST(BadInputTest, AForeignCurrencyIsRefusedAndNothingIsPosted) {
  Contract contract(ServiceTerms());
  contract.Post({testing::Estimate(Day("2026-01-10"), 100'000'000)});
  CroEvent euros = Cost(Day("2026-02-01"), 1'000, "", "erp/C-9");
  euros.event.mutable_fields(1)->mutable_money()->set_currency("EUR");
  absl::StatusOr<Posting> posted =
      contract.TryPost({Cost(Day("2026-02-01"), 40'000'000, "", "erp/C-1"), euros});
  EXPECT_EQ(posted.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(posted.status().message(),
            "event 3 (cost_incurred): field 'amount' is in EUR; the contract is in USD");
  // Any money field counts, not only the ones the books read.
  CroEvent invoice = testing::Invoice(Day("2026-02-01"), "startup", 1'000, 100);
  invoice.event.mutable_fields(2)->mutable_money()->set_currency("GBP");
  EXPECT_THAT(contract.TryPost({invoice}).status().message(),
              HasSubstr("field 'holdback' is in GBP"));
}

TEST(BadInputTest, EventsThatContradictTheTermsOrLackFieldsAreRefused) {
  Contract contract(ServiceTerms());
  EXPECT_EQ(contract.TryPost({Cost(Day("2026-02-01"), 1'000, "gifts")}).status().message(),
            "event 1 (cost_incurred): the terms have no pass-through 'gifts'");
  EXPECT_EQ(contract.TryPost({testing::Achieved(Day("2026-02-01"), "dbl", 1)}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      contract.TryPost({testing::Units(Day("2026-02-01"), false, "visit", 1, 1)}).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(contract.TryPost({testing::Event("estimate_updated", {}, Day("2026-02-01"))})
                .status()
                .message(),
            "event 4 (estimate_updated): money field 'amount' is missing");
  EXPECT_EQ(contract.TryPost({testing::Event("constraint_released", {}, Day("2026-02-01"))})
                .status()
                .message(),
            "event 5 (constraint_released): field 'item' is missing");
  EXPECT_THAT(contract.TryPost({testing::Estimate(Day("2026-02-01"), kAmountMinorMax + 1)})
                  .status()
                  .message(),
              HasSubstr("beyond the books' limit"));
  ContractTerms euro_terms = ServiceTerms();
  euro_terms.currency = "EUR";
  contract.terms = euro_terms;
  EXPECT_EQ(contract.TryPost({}).status().message(),
            "contract c-1: its terms are in EUR, its books in USD");
  contract.terms = ServiceTerms();
  contract.terms.obligations[0].standalone_price_minor = -1;
  EXPECT_EQ(contract.TryPost({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BadInputTest, EventsTheBooksDoNotKnowChangeNothing) {
  Contract contract(ServiceTerms());
  const std::string before = contract.position.SerializeAsString();
  const std::vector<v1::JournalEntry> entries =
      contract.Post({testing::Event("contract_instantiated", {}, Day("2026-01-01")),
                     testing::Event("progress_updated", {testing::Text("obligation", "services")},
                                    Day("2026-01-01")),
                     testing::Withheld(Day("2026-01-01"), "startup", 100),
                     testing::Event("holdback_released", {}, Day("2026-01-01")),
                     testing::Event("subject_visit_scheduled", {}, Day("2026-01-01"))});
  EXPECT_TRUE(entries.empty());
  EXPECT_EQ(contract.position.SerializeAsString(), before);
}

}  // namespace
}  // namespace tl::books
