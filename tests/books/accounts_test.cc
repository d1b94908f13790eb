// The charts of accounts, the account map check and the balance check on hand-made entries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "books_testing.h"

namespace tl::books {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Names(BookKind kind) {
  std::vector<std::string> names;
  for (const Account& account : ChartOf(kind))
    names.emplace_back(account.name);
  return names;
}

TEST(ChartTest, CroAndSponsorChartsInReportOrder) {
  EXPECT_THAT(Names(BookKind::kCro),
              ElementsAre("accounts_receivable", "contract_balance", "revenue_services",
                          "revenue_reimbursed", "reimbursable_expense",
                          "accrued_investigator_payments", "pass_through_receivable", "cash"));
  EXPECT_THAT(Names(BookKind::kSponsor),
              ElementsAre("rd_expense", "accrued_clinical_costs", "prepaid_clinical_costs",
                          "accounts_payable", "accrued_holdback", "cash"));
  EXPECT_EQ(FindAccount(BookKind::kCro, "revenue_reimbursed")->type, AccountType::kRevenue);
  EXPECT_EQ(FindAccount(BookKind::kCro, "contract_balance")->type, AccountType::kAsset);
  EXPECT_EQ(FindAccount(BookKind::kSponsor, "accrued_holdback")->type, AccountType::kLiability);
  EXPECT_FALSE(FindAccount(BookKind::kSponsor, "revenue_services").has_value());
  EXPECT_FALSE(FindAccount(BookKind::kCro, "rd_expense").has_value());
}

google::protobuf::RepeatedPtrField<v1::AccountCode> Map(
    std::vector<std::pair<std::string, std::string>> codes) {
  google::protobuf::RepeatedPtrField<v1::AccountCode> map;
  for (auto& [account, code] : codes) {
    v1::AccountCode* added = map.Add();
    added->set_account(account);
    added->set_erp_code(code);
  }
  return map;
}

TEST(AccountMapTest, NamesEachAccountOfTheChartOnceWithACode) {
  EXPECT_TRUE(ValidateAccountMap(BookKind::kCro, Map({{"accounts_receivable", "1200"},
                                                      {"revenue_services", "4000"}}))
                  .ok());
  EXPECT_TRUE(ValidateAccountMap(BookKind::kCro, {}).ok());
  EXPECT_EQ(ValidateAccountMap(BookKind::kCro, Map({{"revenue", "4000"}})).message(),
            "account map: unknown account 'revenue'");
  EXPECT_EQ(ValidateAccountMap(BookKind::kCro, Map({{"cash", "1000"}, {"cash", "1001"}})).message(),
            "account map: 'cash' is mapped twice");
  EXPECT_EQ(ValidateAccountMap(BookKind::kCro, Map({{"cash", ""}})).message(),
            "account map: 'cash' has an empty ERP code");
  EXPECT_THAT(ValidateAccountMap(BookKind::kCro, Map({{"cash", std::string(65, '9')}})).message(),
              HasSubstr("longer than 64 bytes"));
  EXPECT_TRUE(ValidateAccountMap(BookKind::kCro, Map({{"cash", std::string(64, '9')}})).ok());
  // The sponsor's chart is its own.
  EXPECT_EQ(ValidateAccountMap(BookKind::kSponsor, Map({{"revenue_services", "4000"}})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateAccountMap(BookKind::kSponsor, Map({{"rd_expense", "6100"}})).ok());
}

v1::JournalEntry Entry(std::vector<std::tuple<std::string, std::string, int64_t, int64_t>> lines) {
  v1::JournalEntry entry;
  entry.set_entry_id("cro/00000001");
  for (auto& [account, currency, debit, credit] : lines) {
    v1::JournalLine* line = entry.add_lines();
    line->set_account(account);
    line->set_currency(currency);
    line->set_debit_minor(debit);
    line->set_credit_minor(credit);
  }
  return entry;
}

TEST(CheckBalancedTest, RefusesHandMadeEntriesThatDoNotBalance) {
  EXPECT_TRUE(
      CheckBalanced(Entry({{"cash", "USD", 100, 0}, {"accounts_receivable", "USD", 0, 100}})).ok());
  // Balanced per currency, several currencies.
  EXPECT_TRUE(CheckBalanced(Entry({{"cash", "USD", 100, 0},
                                   {"accounts_receivable", "USD", 0, 100},
                                   {"cash", "EUR", 7, 0},
                                   {"accounts_receivable", "EUR", 0, 3},
                                   {"accounts_receivable", "EUR", 0, 4}}))
                  .ok());
  EXPECT_EQ(CheckBalanced(Entry({{"cash", "USD", 100, 0}})).message(),
            "entry cro/00000001: an entry needs at least two lines");
  EXPECT_EQ(CheckBalanced(Entry({{"cash", "USD", 100, 0}, {"accounts_receivable", "USD", 0, 99}}))
                .message(),
            "entry cro/00000001: debits and credits in USD differ");
  // Equal totals in two currencies are not a balance.
  EXPECT_EQ(CheckBalanced(Entry({{"cash", "USD", 100, 0}, {"accounts_receivable", "EUR", 0, 100}}))
                .message(),
            "entry cro/00000001: debits and credits in EUR differ");
  EXPECT_THAT(
      CheckBalanced(Entry({{"cash", "USD", 100, 100}, {"accounts_receivable", "USD", 0, 0}}))
          .message(),
      HasSubstr("line cash needs exactly one positive side"));
  EXPECT_THAT(
      CheckBalanced(Entry({{"cash", "USD", -100, 0}, {"accounts_receivable", "USD", -100, 0}}))
          .message(),
      HasSubstr("line cash has a negative side"));
  EXPECT_THAT(
      CheckBalanced(Entry({{"cash", "USD", 0, 0}, {"accounts_receivable", "USD", 0, 0}})).message(),
      HasSubstr("exactly one positive side"));
  EXPECT_THAT(CheckBalanced(Entry({{"", "USD", 5, 0}, {"cash", "USD", 0, 5}})).message(),
              HasSubstr("names no account"));
  EXPECT_THAT(
      CheckBalanced(Entry({{"cash", "", 5, 0}, {"accounts_receivable", "", 0, 5}})).message(),
      HasSubstr("has no currency"));
}

}  // namespace
}  // namespace tl::books
