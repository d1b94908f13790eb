#include "trialledger/base/civil_date.h"

#include "trialledger/base/check.h"

namespace tl {
namespace {

// Floor division: the day of a negative time is the day before the epoch, not day 0.
int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Exactly `width` ASCII digits.
bool ParseDigits(std::string_view text, size_t width, int64_t* out) {
  if (text.size() != width) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

void AppendPadded(int64_t value, size_t width, std::string* out) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

}  // namespace

bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int64_t DaysInMonth(int64_t year, int64_t month) {
  TL_CHECK(month >= 1 && month <= 12);
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValidDate(int64_t year, int64_t month, int64_t day) {
  return year >= kCivilYearMin && year <= kCivilYearMax && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

// Howard Hinnant's days_from_civil and civil_from_days ("chrono-Compatible Low-Level Date
// Algorithms"): exact integer arithmetic over 400-year eras.
int64_t DaysFromCivil(const CivilDate& date) {
  TL_CHECK(date.month >= 1 && date.month <= 12);
  const int64_t y = date.year - (date.month <= 2);
  const int64_t era = FloorDiv(y, 400);
  const int64_t year_of_era = y - era * 400;
  const int64_t day_of_year =
      (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = day_of_year - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = year_of_era + era * 400 + (date.month <= 2);
  return date;
}

CivilDate CivilFromMs(int64_t ms) {
  return CivilFromDays(FloorDiv(ms, kMsPerDay));
}

int64_t StartOfDayMs(int64_t ms) {
  return FloorDiv(ms, kMsPerDay) * kMsPerDay;
}

std::optional<int64_t> ParseIsoDate(std::string_view text) {
  int64_t year, month, day;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), 4, &year) || !ParseDigits(text.substr(5, 2), 2, &month) ||
      !ParseDigits(text.substr(8, 2), 2, &day) || !IsValidDate(year, month, day)) {
    return std::nullopt;
  }
  return DaysFromCivil({year, month, day}) * kMsPerDay;
}

std::optional<int64_t> ParseIsoTimestamp(std::string_view text) {
  if (text.size() == 10) return ParseIsoDate(text);
  int64_t hour, minute, second;
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z' || !ParseDigits(text.substr(11, 2), 2, &hour) ||
      !ParseDigits(text.substr(14, 2), 2, &minute) ||
      !ParseDigits(text.substr(17, 2), 2, &second) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::optional<int64_t> day = ParseIsoDate(text.substr(0, 10));
  if (!day.has_value()) return std::nullopt;
  return *day + ((hour * 60 + minute) * 60 + second) * kMsPerSecond;
}

std::string FormatIsoDate(int64_t ms) {
  const CivilDate date = CivilFromMs(ms);
  std::string out;
  AppendPadded(date.year, 4, &out);
  out.push_back('-');
  AppendPadded(date.month, 2, &out);
  out.push_back('-');
  AppendPadded(date.day, 2, &out);
  return out;
}

std::string FormatIsoTimestamp(int64_t ms) {
  const int64_t seconds_of_day = (ms - FloorDiv(ms, kMsPerDay) * kMsPerDay) / kMsPerSecond;
  std::string out = FormatIsoDate(ms);
  out.push_back('T');
  AppendPadded(seconds_of_day / 3600, 2, &out);
  out.push_back(':');
  AppendPadded(seconds_of_day / 60 % 60, 2, &out);
  out.push_back(':');
  AppendPadded(seconds_of_day % 60, 2, &out);
  out.push_back('Z');
  return out;
}

std::string FormatIsoTimestampMillis(int64_t ms) {
  std::string out = FormatIsoTimestamp(ms);
  out.pop_back();  // the 'Z', which goes after the milliseconds
  out.push_back('.');
  AppendPadded(ms - FloorDiv(ms, kMsPerSecond) * kMsPerSecond, 3, &out);
  out.push_back('Z');
  return out;
}

}  // namespace tl
