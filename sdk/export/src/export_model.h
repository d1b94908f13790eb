// What every export format reads: each entry with its posting date and its lines' accounts
// resolved against the chart, in date order, and the trial balance at the end of each period.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/books/books.h"
#include "trialledger/export/journal_export.h"

namespace tl::journal_export {

struct ExportLine {
  std::string account;       // the chart's id: "accounts_receivable"
  std::string tool_account;  // as the plain-text tools name it: "Assets:AccountsReceivable"
  std::string erp_code;      // "" when the book maps none
  std::string currency;
  int64_t debit_minor = 0, credit_minor = 0;
};

struct ExportEntry {
  const v1::JournalEntry* entry = nullptr;
  // The day it is posted on: its business date, or the first day of its period when it was moved
  // there from a closed one, so that every entry falls inside the period it is posted in.
  int64_t date_ms = 0;
  std::string kind;  // "revenue", "billing", ...
  std::vector<ExportLine> lines;
};

struct PeriodEnd {
  std::string period;
  int64_t next_day_ms = 0;  // the first day after the period: where a balance is asserted
  std::vector<books::TrialBalance> balances;  // one per currency posted by then
};

struct ExportModel {
  std::string book;
  // With a period: the balances at the end of the period before it, posted on its first day.
  int64_t opening_date_ms = 0;
  std::vector<books::TrialBalance> opening;
  std::vector<ExportEntry> entries;  // in the book's order (seq): the ERP files
  std::vector<size_t> by_date;  // indexes into entries by date, then seq: the plain-text journals
  std::vector<PeriodEnd> period_ends;  // in order
  std::vector<ExportLine> accounts;    // each account posted to, chart order (amounts unused)
};

absl::StatusOr<ExportModel> BuildModel(const BookJournal& journal);

// Minor units as a plain decimal in the currency's digits: "-50000.00", "1200" (JPY).
std::string Decimal(int64_t minor, std::string_view currency);
// "accounts_receivable" of an asset: "Assets:AccountsReceivable" (Beancount's five roots, which
// ledger and hledger read too).
std::string ToolAccount(std::string_view account, books::AccountType type);
// Text inside a double-quoted Beancount string, or a ledger comment: quotes and backslashes
// escaped, line breaks flattened to spaces.
std::string Escaped(std::string_view text);

}  // namespace tl::journal_export
