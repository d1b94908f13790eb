// The exports of two hand-made CRO entries in two periods, one of them moved from a closed
// period and with a memo holding a quote and a comma: every byte that matters written out here.
#include <gtest/gtest.h>

#include "trialledger/export/journal_export.h"

namespace tl::journal_export {
namespace {

constexpr int64_t kSep3 = 1788393600000;   // 2026-09-03 00:00 UTC
constexpr int64_t kSep30 = 1790726400000;  // 2026-09-30 00:00 UTC

v1::JournalEntry Entry(uint64_t seq, int64_t date_ms, const std::string& period,
                       const std::string& memo, const std::string& debit, const std::string& credit,
                       int64_t minor) {
  v1::JournalEntry entry;
  entry.set_seq(seq);
  entry.set_entry_id("northwind-cro/0000000" + std::to_string(seq));
  entry.set_idempotency_key("key-" + std::to_string(seq));
  entry.set_book("northwind-cro");
  entry.set_contract_id("acme-301");
  entry.set_kind(seq == 1 ? v1::ENTRY_KIND_BILLING : v1::ENTRY_KIND_REVENUE);
  entry.set_effective_date_ms(date_ms);
  entry.set_period(period);
  entry.set_memo(memo);
  entry.set_tx_id(std::string("\xab\xcd", 2));
  entry.set_height(7 + seq);
  v1::JournalLine* line = entry.add_lines();
  line->set_account(debit);
  line->set_currency("USD");
  line->set_debit_minor(minor);
  line = entry.add_lines();
  line->set_account(credit);
  line->set_currency("USD");
  line->set_credit_minor(minor);
  return entry;
}

BookJournal Journal() {
  BookJournal journal;
  journal.kind = books::BookKind::kCro;
  journal.record.set_book("northwind-cro");
  v1::AccountCode* code = journal.record.add_account_map();
  code->set_account("accounts_receivable");
  code->set_erp_code("1200");
  // USD 1,350.00 billed on 3 September; USD 200.00 of revenue dated 30 September, posted in
  // October because September was closed by then.
  journal.entries.push_back(Entry(1, kSep3, "2026-09", "invoice: sites_ready",
                                  "accounts_receivable", "contract_balance", 135'000));
  journal.entries.push_back(Entry(2, kSep30, "2026-10", "late \"cost\", moved from 2026-09",
                                  "contract_balance", "revenue_services", 20'000));
  return journal;
}

TEST(JournalExportTest, NetSuiteQuotesEveryFieldAndDoublesQuotes) {
  absl::StatusOr<std::string> csv = Export(Format::kNetSuiteCsv, Journal());
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(*csv,
            "\"External ID\",\"Date\",\"Posting Period\",\"Account\",\"Debit\",\"Credit\","
            "\"Memo\",\"Currency\"\r\n"
            "\"key-1\",\"09/03/2026\",\"Sep 2026\",\"1200\",\"1350.00\",\"\","
            "\"billing: invoice: sites_ready\",\"USD\"\r\n"
            "\"key-1\",\"09/03/2026\",\"Sep 2026\",\"contract_balance\",\"\",\"1350.00\","
            "\"billing: invoice: sites_ready\",\"USD\"\r\n"
            // Posted in October: dated the first day of its period, not its business date.
            "\"key-2\",\"10/01/2026\",\"Oct 2026\",\"contract_balance\",\"200.00\",\"\","
            "\"revenue: late \"\"cost\"\", moved from 2026-09\",\"USD\"\r\n"
            "\"key-2\",\"10/01/2026\",\"Oct 2026\",\"revenue_services\",\"\",\"200.00\","
            "\"revenue: late \"\"cost\"\", moved from 2026-09\",\"USD\"\r\n");
}

TEST(JournalExportTest, BeancountAssertsEachPeriodsClosingBalancesExactly) {
  absl::StatusOr<std::string> text = Export(Format::kBeancount, Journal());
  ASSERT_TRUE(text.ok()) << text.status();
  for (const char* expected : {
           "2026-09-03 open Assets:AccountsReceivable\n  account: \"accounts_receivable\"\n"
           "  erp_code: \"1200\"\n",
           "2026-09-03 * \"northwind-cro\" \"billing: invoice: sites_ready\"\n",
           "  Assets:AccountsReceivable  1350.00 USD\n  Assets:ContractBalance  -1350.00 USD\n",
           // September ends with the billing alone; October adds the moved revenue.
           "2026-10-01 balance Assets:AccountsReceivable  1350.00 ~ 0 USD\n"
           "2026-10-01 balance Assets:ContractBalance  -1350.00 ~ 0 USD\n",
           "2026-10-01 * \"northwind-cro\" \"revenue: late \\\"cost\\\", moved from 2026-09\"\n",
           "2026-11-01 balance Assets:ContractBalance  -1150.00 ~ 0 USD\n"
           "2026-11-01 balance Income:RevenueServices  -200.00 ~ 0 USD\n",
       }) {
    EXPECT_NE(text->find(expected), std::string::npos) << expected << "\nin:\n" << *text;
  }
  // The September assertions come before the October entry, even though it is dated in
  // September by its business date.
  EXPECT_LT(text->find("2026-10-01 balance"), text->find("late \\\"cost"));
}

TEST(JournalExportTest, OnePeriodOpensWithTheBalancesBeforeIt) {
  BookJournal journal = Journal();
  journal.period = "2026-10";
  absl::StatusOr<std::string> text = Export(Format::kLedger, journal);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_NE(text->find("2026-10-01 * Opening balances\n"
                       "    Assets:AccountsReceivable  1350.00 USD\n"
                       "    Assets:ContractBalance  -1350.00 USD\n"),
            std::string::npos)
      << *text;
  EXPECT_EQ(text->find("sites_ready"), std::string::npos);  // September's entry left out
  EXPECT_NE(text->find("    Income:RevenueServices    0 USD = -200.00 USD\n"), std::string::npos);
}

TEST(JournalExportTest, BadInputIsRefusedWithItsReason) {
  EXPECT_EQ(ParseFormat("quicken").status().message(),
            "unknown export format 'quicken' (beancount, ledger, hledger, csv-netsuite, "
            "csv-oracle-gl, jsonl)");
  BookJournal journal = Journal();
  journal.entries[0].mutable_lines(0)->set_account("petty_cash");
  absl::StatusOr<std::string> text = Export(Format::kBeancount, journal);
  EXPECT_TRUE(absl::IsInvalidArgument(text.status()));
  EXPECT_NE(text.status().message().find("posts to 'petty_cash'"), std::string::npos);
}

}  // namespace
}  // namespace tl::journal_export
