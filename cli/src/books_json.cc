#include "books_json.h"

#include "context.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::cli {

std::string Amount(int64_t minor, std::string_view currency, OutputFormat format) {
  return contracts::FormatDecimalMinor(minor, currency,
                                       format == OutputFormat::kJson
                                           ? contracts::DigitGrouping::kNone
                                           : contracts::DigitGrouping::kThousands);
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

}  // namespace tl::cli
