// Accounting periods: calendar months named "YYYY-MM" in UTC, grouped into quarters (Q1 =
// January to March) and years, from the civil calendar (base/civil_date.h), never the C
// library's. A book closes its periods in order; a posting dated in a closed period lands in the
// first open one, and its memo says so (journal.cc).
#include "books_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"

namespace tl::books {
namespace {

struct YearMonth {
  int64_t year = 0;
  int64_t month = 0;
};

std::string Name(YearMonth period) {
  return StrCat(internal::ZeroPadded(static_cast<uint64_t>(period.year), 4), "-",
                internal::ZeroPadded(static_cast<uint64_t>(period.month), 2));
}

std::optional<YearMonth> Parse(std::string_view period) {
  if (period.size() != 7 || period[4] != '-') return std::nullopt;
  YearMonth parsed;
  for (size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (period[i] < '0' || period[i] > '9') return std::nullopt;
    int64_t& part = i < 4 ? parsed.year : parsed.month;
    part = part * 10 + (period[i] - '0');
  }
  if (parsed.month < 1 || parsed.month > 12) return std::nullopt;
  if (parsed.year < kCivilYearMin || parsed.year > kCivilYearMax) return std::nullopt;
  return parsed;
}

YearMonth ParseValid(std::string_view period) {
  const std::optional<YearMonth> parsed = Parse(period);
  TL_CHECK_MSG(parsed.has_value(), "REQUIRES: a valid period");
  return *parsed;
}

std::string PreviousPeriod(YearMonth period) {
  if (period.month > 1) return Name({period.year, period.month - 1});
  if (period.year == kCivilYearMin) return "";  // nothing is before the first period
  return Name({period.year - 1, 12});
}

}  // namespace

std::string internal::ZeroPadded(uint64_t value, size_t width) {
  std::string digits = StrCat(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string PeriodOf(int64_t date_ms) {
  const CivilDate date = CivilFromMs(date_ms);
  return Name({date.year, date.month});
}

absl::Status ValidatePeriod(std::string_view period) {
  if (Parse(period)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      StrCat("period '", period, "' is not a month written YYYY-MM (2026-10)"));
}

std::string NextPeriod(std::string_view period) {
  const YearMonth current = ParseValid(period);
  if (current.month < 12) return Name({current.year, current.month + 1});
  TL_CHECK_MSG(current.year < kCivilYearMax, "no period follows the calendar's last");
  return Name({current.year + 1, 1});
}

std::string GroupOf(std::string_view period, PeriodGrouping grouping) {
  const YearMonth month = ParseValid(period);
  switch (grouping) {
    case PeriodGrouping::kMonth:
      return std::string(period);
    case PeriodGrouping::kQuarter:
      return StrCat(period.substr(0, 4), "-Q", (month.month - 1) / 3 + 1);
    case PeriodGrouping::kYear:
      return std::string(period.substr(0, 4));
  }
  TL_UNREACHABLE("every grouping is handled");
}

int64_t PostingDateMs(const v1::JournalEntry& entry) {
  return std::max(entry.effective_date_ms(), PeriodStartMs(entry.period()));
}

int64_t PeriodStartMs(std::string_view period) {
  const YearMonth month = ParseValid(period);
  return DaysFromCivil({month.year, month.month, 1}) * kMsPerDay;
}

int64_t PeriodEndMs(std::string_view period) {
  const YearMonth month = ParseValid(period);
  return PeriodStartMs(period) + DaysInMonth(month.year, month.month) * kMsPerDay;
}

// Periods named YYYY-MM compare as strings in calendar order.
std::string PostingPeriod(int64_t date_ms, std::string_view closed_through,
                          std::string* moved_from) {
  std::string own = PeriodOf(date_ms);
  if (moved_from != nullptr) moved_from->clear();
  if (closed_through.empty() || own > closed_through) return own;
  if (moved_from != nullptr) *moved_from = own;
  return NextPeriod(closed_through);
}

absl::Status CheckClose(std::string_view closed_through, std::string_view period, int64_t now_ms) {
  if (absl::Status valid = ValidatePeriod(period); !valid.ok()) return valid;
  if (!closed_through.empty()) {
    if (period <= closed_through) {
      return absl::FailedPreconditionError(StrCat(period, " is already closed"));
    }
    const std::string next = NextPeriod(closed_through);
    if (period != next) return absl::FailedPreconditionError(StrCat("close ", next, " first"));
  }
  if (period > PeriodOf(now_ms)) {
    return absl::FailedPreconditionError(StrCat(period, " has not begun; it cannot be closed"));
  }
  return absl::OkStatus();
}

// Reopening the last closed period leaves everything before it closed: closed_through becomes
// the month before ("" before the calendar's first month), whether or not that month was ever
// closed on its own (closing a first period closes everything before it).
absl::StatusOr<std::string> CheckReopen(std::string_view closed_through, std::string_view period) {
  if (absl::Status valid = ValidatePeriod(period); !valid.ok()) return valid;
  if (closed_through.empty()) {
    return absl::FailedPreconditionError(StrCat("no period is closed; ", period, " is open"));
  }
  if (period != closed_through) {
    return absl::FailedPreconditionError(
        StrCat("only the last closed period, ", closed_through, ", can be reopened, not ", period));
  }
  return PreviousPeriod(ParseValid(period));
}

}  // namespace tl::books
