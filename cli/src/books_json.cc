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

}  // namespace tl::cli
