#include "csv_exports.h"

#include "trialledger/export/csv.h"

#include <cstdio>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"

namespace tl::journal_export {
namespace {

std::string Amount(int64_t minor, const std::string& currency) {
  return minor == 0 ? "" : Decimal(minor, currency);
}

// "Sep 2026": NetSuite's name of an accounting period.
std::string NetSuitePeriod(std::string_view period) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilDate date = CivilFromMs(books::PeriodStartMs(period));
  return StrCat(kMonths[date.month - 1], " ", date.year);
}

// "09/03/2026": NetSuite's default (US) date format for imports.
std::string UsDate(int64_t ms) {
  const CivilDate date = CivilFromMs(ms);
  char text[16];
  std::snprintf(text, sizeof text, "%02d/%02d/%04d", static_cast<int>(date.month),
                static_cast<int>(date.day), static_cast<int>(date.year));
  return text;
}

// "2026/09/03": GL_INTERFACE's ACCOUNTING_DATE as Oracle's import templates write it.
std::string SlashDate(int64_t ms) {
  std::string iso = FormatIsoDate(ms);
  for (char& c : iso) {
    if (c == '-') c = '/';
  }
  return iso;
}

// The line's account as the ERP knows it: its code, or the chart's id when the book maps none.
const std::string& ErpAccount(const ExportLine& line) {
  return line.erp_code.empty() ? line.account : line.erp_code;
}

}  // namespace

std::string NetSuiteCsv(const ExportModel& model) {
  std::string out = CsvRecord(
      {"External ID", "Date", "Posting Period", "Account", "Debit", "Credit", "Memo", "Currency"});
  for (const ExportEntry& entry : model.entries) {
    const v1::JournalEntry& e = *entry.entry;
    const std::string memo = e.memo().empty() ? entry.kind : StrCat(entry.kind, ": ", e.memo());
    for (const ExportLine& line : entry.lines) {
      out += CsvRecord({e.idempotency_key(), UsDate(entry.date_ms), NetSuitePeriod(e.period()),
                        ErpAccount(line), Amount(line.debit_minor, line.currency),
                        Amount(line.credit_minor, line.currency), memo, line.currency});
    }
  }
  return out;
}

std::string OracleGlCsv(const ExportModel& model) {
  std::string out = CsvRecord({"STATUS", "ACCOUNTING_DATE", "USER_JE_SOURCE_NAME",
                               "USER_JE_CATEGORY_NAME", "CURRENCY_CODE", "ACTUAL_FLAG", "SEGMENT1",
                               "ENTERED_DR", "ENTERED_CR", "REFERENCE1", "REFERENCE4", "REFERENCE5",
                               "REFERENCE10", "REFERENCE21", "REFERENCE22"});
  for (const ExportEntry& entry : model.entries) {
    const v1::JournalEntry& e = *entry.entry;
    for (const ExportLine& line : entry.lines) {
      out += CsvRecord({"NEW", SlashDate(entry.date_ms), "TrialLedger", entry.kind, line.currency,
                        "A", ErpAccount(line), Amount(line.debit_minor, line.currency),
                        Amount(line.credit_minor, line.currency),
                        StrCat(model.book, " ", e.period()),  // the batch: one per book and period
                        e.entry_id(), e.memo(), StrCat(line.account, " ", e.contract_id()),
                        e.idempotency_key(), e.contract_id()});
    }
  }
  return out;
}

}  // namespace tl::journal_export
