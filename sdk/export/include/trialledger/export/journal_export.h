// A book's journal as the files finance tools import (docs/erp.md, "Exports"). Pure: the caller
// reads the book and its entries (ListJournal, GetBook) and writes the text where it wants it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/books/books.h"
#include "trialledger/v1/books.pb.h"

namespace tl::journal_export {

namespace v1 = ::trialledger::v1;

enum class Format { kBeancount, kLedger, kHledger, kNetSuiteCsv, kOracleGlCsv, kJsonLines };

// "beancount", "ledger", "hledger", "csv-netsuite", "csv-oracle-gl", "jsonl".
absl::StatusOr<Format> ParseFormat(std::string_view name);
std::string_view FormatName(Format format);
const std::vector<std::string_view>& FormatNames();

struct BookJournal {
  books::BookKind kind;
  v1::BookRecord record;                  // the book's name and account map
  std::vector<v1::JournalEntry> entries;  // in the book's order (seq), every one of the book
  // "YYYY-MM": only the entries posted in that period. The plain-text journals then open with
  // the balances at the end of the period before (against Equity:OpeningBalances), so their
  // assertions still hold.
  std::string period;
};

// The whole export. The plain-text journals (Beancount, ledger, hledger) assert every account's
// balance at the end of every period the entries post in, as the trial balance of that period
// gives it: a tool that checks the file checks that the entries add up to the ledger's report.
// InvalidArgument if an entry names an account outside the book's chart.
absl::StatusOr<std::string> Export(Format format, const BookJournal& journal);

}  // namespace tl::journal_export
