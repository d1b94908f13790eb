#include "books_json.h"

#include "context.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::cli {

std::string Amount(int64_t minor, std::string_view currency, OutputFormat format) {
  return contracts::FormatDecimalMinor(minor, currency,
                                       format == OutputFormat::kTable
                                           ? contracts::DigitGrouping::kThousands
                                           : contracts::DigitGrouping::kNone);
}

void CheckPeriod(const std::string& period, std::string_view flag) {
  if (period.empty()) return;
  absl::Status valid = books::ValidatePeriod(period);
  if (!valid.ok()) throw CommandError{StrCat(flag, ": ", valid.message())};
}

v1::PeriodGrouping GroupingOf(const std::string& by) {
  if (by == "quarter") return v1::PERIOD_GROUPING_QUARTER;
  if (by == "year") return v1::PERIOD_GROUPING_YEAR;
  return v1::PERIOD_GROUPING_MONTH;
}

books::PeriodGrouping BooksGrouping(const std::string& by) {
  if (by == "quarter") return books::PeriodGrouping::kQuarter;
  if (by == "year") return books::PeriodGrouping::kYear;
  return books::PeriodGrouping::kMonth;
}

std::string GroupFilter(const std::string& period, const std::string& by) {
  if (period.empty()) return "";
  CheckPeriod(period, "--period");
  return books::GroupOf(period, BooksGrouping(by));
}

void AddGroupingOptions(CLI::App& command, std::string* by, std::string* period) {
  command.add_option("--by", *by, "month, quarter or year")
      ->check(CLI::IsMember({"month", "quarter", "year"}))
      ->capture_default_str();
  command.add_option("--period", *period, "only the group holding this YYYY-MM");
}

Json EntryJson(const v1::JournalEntry& entry, OutputFormat format, bool with_lines) {
  std::string currency = entry.lines().empty() ? "" : entry.lines(0).currency();
  int64_t total = 0;
  for (const v1::JournalLine& line : entry.lines())
    total += line.debit_minor();
  Json json = {{"entry_id", entry.entry_id()},
               {"date", FormatIsoDate(entry.effective_date_ms())},
               {"period", entry.period()},
               {"contract", entry.contract_id()},
               {"kind", std::string(books::EntryKindName(entry.kind()))},
               {"obligation", entry.obligation()},
               {"currency", currency},
               {"amount", Amount(total, currency, format)},
               {"memo", entry.memo()}};
  if (!with_lines) return json;
  Json lines = Json::array();
  for (const v1::JournalLine& line : entry.lines()) {
    lines.push_back(
        {{"account", line.account()},
         {"debit", line.debit_minor() ? Amount(line.debit_minor(), line.currency(), format) : ""},
         {"credit",
          line.credit_minor() ? Amount(line.credit_minor(), line.currency(), format) : ""},
         {"currency", line.currency()}});
  }
  json["idempotency_key"] = entry.idempotency_key();
  json["tx_id"] = ToHex(entry.tx_id());
  json["height"] = entry.height();
  json["event_seq"] = entry.event_seq();
  json["fact"] = entry.fact_id();
  json["payee"] = entry.payee();
  json["invoice"] = entry.invoice_id();
  json["outside_invoice"] = entry.outside_invoice();
  json["transaction_price"] = Amount(entry.transaction_price_minor(), currency, format);
  json["revenue_to_date"] = Amount(entry.revenue_to_date_minor(), currency, format);
  json["billed_to_date"] = Amount(entry.billed_to_date_minor(), currency, format);
  json["lines"] = std::move(lines);
  return json;
}

}  // namespace tl::cli
