// The two charts of accounts and the account map check. Account names are stable ids: entries
// and ERP maps carry them, so one is never renamed; titles are for people. The order of each
// chart is the order reports list the accounts in.
#include <map>
#include <string>

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"

namespace tl::books {
namespace {

// contract_balance nets revenue to date against billings to date per contract. It is typed as
// an asset: a debit balance is presented as a contract asset (unbilled revenue), a credit
// balance as a contract liability (deferred revenue); the roll-forward does that split.
constexpr Account kCroChart[] = {
    {"accounts_receivable", "Accounts receivable", AccountType::kAsset},
    {"contract_balance", "Contract asset (liability when a credit)", AccountType::kAsset},
    {"revenue_services", "Service revenue", AccountType::kRevenue},
    {"revenue_reimbursed", "Reimbursed pass-through revenue", AccountType::kRevenue},
    {"reimbursable_expense", "Reimbursable out-of-pocket expense", AccountType::kExpense},
    {"accrued_investigator_payments", "Accrued investigator payments", AccountType::kLiability},
    {"pass_through_receivable", "Pass-through costs receivable (as agent)", AccountType::kAsset},
    {"cash", "Cash", AccountType::kAsset},
};

constexpr Account kSponsorChart[] = {
    {"rd_expense", "Research and development expense", AccountType::kExpense},
    {"accrued_clinical_costs", "Accrued clinical costs", AccountType::kLiability},
    {"prepaid_clinical_costs", "Prepaid clinical costs", AccountType::kAsset},
    {"accounts_payable", "Accounts payable", AccountType::kLiability},
    {"accrued_holdback", "Accrued holdback", AccountType::kLiability},
    {"cash", "Cash", AccountType::kAsset},
};

constexpr size_t kErpCodeBytesMax = 64;

}  // namespace

std::span<const Account> ChartOf(BookKind kind) {
  switch (kind) {
    case BookKind::kCro:
      return kCroChart;
    case BookKind::kSponsor:
      return kSponsorChart;
  }
  TL_UNREACHABLE("every book kind has a chart");
}

std::optional<Account> FindAccount(BookKind kind, std::string_view name) {
  for (const Account& account : ChartOf(kind)) {
    if (account.name == name) return account;
  }
  return std::nullopt;
}

std::string ErpCodeOf(const v1::BookRecord& book, std::string_view account) {
  for (const v1::AccountCode& code : book.account_map()) {
    if (code.account() == account) return code.erp_code();
  }
  return "";
}

absl::Status ValidateAccountMap(BookKind kind,
                                const google::protobuf::RepeatedPtrField<v1::AccountCode>& map) {
  std::map<std::string, bool> seen;
  for (const v1::AccountCode& code : map) {
    if (!FindAccount(kind, code.account())) {
      return absl::InvalidArgumentError(
          StrCat("account map: unknown account '", code.account(), "'"));
    }
    if (!seen.emplace(code.account(), true).second) {
      return absl::InvalidArgumentError(
          StrCat("account map: '", code.account(), "' is mapped twice"));
    }
    if (code.erp_code().empty()) {
      return absl::InvalidArgumentError(
          StrCat("account map: '", code.account(), "' has an empty ERP code"));
    }
    if (code.erp_code().size() > kErpCodeBytesMax) {
      return absl::InvalidArgumentError(StrCat("account map: the ERP code of '", code.account(),
                                               "' is longer than ", kErpCodeBytesMax, " bytes"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tl::books
