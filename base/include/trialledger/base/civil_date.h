// Calendar dates and UTC times as exact integers: the proleptic Gregorian calendar, milliseconds
// since 1970-01-01T00:00:00Z, no C library clock, time zone or locale. One home for every
// calendar rule: the VM's literals, the SOW compiler, the facts JSON form and the CLI call this.
//
//   std::optional<int64_t> ms = ParseIsoDate("2026-02-28");   // 00:00 UTC of that day
//   ParseIsoDate("2026-02-29");                               // nullopt: 2026 is no leap year
//   FormatIsoTimestamp(*ms);                                  // "2026-02-28T00:00:00Z"
//
// Years run from 1970 (the ledger's epoch: block times and fact dates are never earlier) to 9999
// (four digits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tl {

inline constexpr int64_t kMsPerSecond = 1000;
inline constexpr int64_t kMsPerDay = 86'400'000;
inline constexpr int64_t kCivilYearMin = 1970;
inline constexpr int64_t kCivilYearMax = 9999;

struct CivilDate {
  int64_t year = 1970;
  int64_t month = 1;  // 1..12
  int64_t day = 1;    // 1..DaysInMonth(year, month)

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

bool IsLeapYear(int64_t year);
// REQUIRES: 1 <= month <= 12.
int64_t DaysInMonth(int64_t year, int64_t month);
// A real calendar date within kCivilYearMin..kCivilYearMax.
bool IsValidDate(int64_t year, int64_t month, int64_t day);

// Days since 1970-01-01 (negative before it). REQUIRES: a valid date.
int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
// The date of the day that holds `ms` (floor, so negative times fall on the day before).
CivilDate CivilFromMs(int64_t ms);
// 00:00 UTC of the day that holds `ms`.
int64_t StartOfDayMs(int64_t ms);

// "YYYY-MM-DD" to ms at 00:00 UTC; nullopt unless a valid date.
std::optional<int64_t> ParseIsoDate(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ", or a bare date (00:00 UTC), to ms; nullopt unless valid.
std::optional<int64_t> ParseIsoTimestamp(std::string_view text);

std::string FormatIsoDate(int64_t ms);             // "2026-02-28"
std::string FormatIsoTimestamp(int64_t ms);        // "2026-02-28T13:05:09Z"
std::string FormatIsoTimestampMillis(int64_t ms);  // "2026-02-28T13:05:09.250Z"

}  // namespace tl
