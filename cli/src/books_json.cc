#include "books_json.h"

#include "context.h"
#include "trialledger/base/check.h"
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

namespace {

struct Grouping {
  const char* name;
  v1::PeriodGrouping rpc;
  books::PeriodGrouping library;
};
constexpr Grouping kGroupings[] = {
    {"month", v1::PERIOD_GROUPING_MONTH, books::PeriodGrouping::kMonth},
    {"quarter", v1::PERIOD_GROUPING_QUARTER, books::PeriodGrouping::kQuarter},
    {"year", v1::PERIOD_GROUPING_YEAR, books::PeriodGrouping::kYear},
};

const Grouping& GroupingNamed(const std::string& by) {
  for (const Grouping& grouping : kGroupings) {
    if (by == grouping.name) return grouping;
  }
  TL_UNREACHABLE("--by is checked as the command line is read (AddByOption)");
}

}  // namespace

CLI::Option* AddPeriodOption(CLI::App& command, std::string* period, const std::string& help,
                             const std::string& name) {
  // The month rule is the books' own (books::ValidatePeriod); CLI11 puts "<name>: " before this.
  CLI::Validator month(
      [](std::string& value) {
        return books::ValidatePeriod(value).ok()
                   ? std::string()
                   : StrCat(value, " is not a month (YYYY-MM, e.g. 2026-11)");
      },
      "");
  return command.add_option(name, *period, help)->type_name("YYYY-MM")->check(month);
}

CLI::Option* AddByOption(CLI::App& command, std::string* by) {
  CLI::Validator grouping(
      [](std::string& value) {
        for (const Grouping& each : kGroupings) {
          if (value == each.name) return std::string();
        }
        return StrCat(value, " is not a grouping (month, quarter or year)");
      },
      "");
  return command.add_option("--by", *by, "group the periods by month, quarter or year")
      ->type_name("month|quarter|year")
      ->check(grouping)
      ->capture_default_str();
}

void AddGroupingOptions(CLI::App& command, std::string* by, std::string* period) {
  AddByOption(command, by);
  AddPeriodOption(command, period, "only the group (of --by) holding this month");
}

v1::PeriodGrouping GroupingOf(const std::string& by) {
  return GroupingNamed(by).rpc;
}

books::PeriodGrouping BooksGrouping(const std::string& by) {
  return GroupingNamed(by).library;
}

std::string GroupFilter(const std::string& period, const std::string& by) {
  if (period.empty()) return "";
  return books::GroupOf(period, BooksGrouping(by));
}

bool DatedIn(int64_t date_ms, const std::string& period) {
  if (period.empty()) return true;
  return date_ms != 0 && books::PeriodOf(date_ms) == period;
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
