// The calendar is checked against an independent implementation: the C++20 <chrono> calendar
// (std::chrono::year_month_day), which the library itself does not use.
#include "trialledger/base/civil_date.h"

#include <chrono>
#include <cstdio>

#include <gtest/gtest.h>

namespace tl {
namespace {

std::string DateText(int64_t year, int64_t month, int64_t day) {
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day));
  return text;
}

std::chrono::year_month_day Chrono(int64_t year, int64_t month, int64_t day) {
  return std::chrono::year_month_day{std::chrono::year(static_cast<int>(year)),
                                     std::chrono::month(static_cast<unsigned>(month)),
                                     std::chrono::day(static_cast<unsigned>(day))};
}

// Every year of the range, months 0..13 and days 0..32: each text parses exactly when <chrono>
// calls it a real date, and to the same day number.
TEST(CivilDateTest, EveryDateOfTheRangeAgreesWithChrono) {
  int64_t valid = 0;
  for (int64_t year = kCivilYearMin; year <= kCivilYearMax; ++year) {
    for (int64_t month = 0; month <= 13; ++month) {
      for (int64_t day = 0; day <= 32; ++day) {
        const bool real = month >= 1 && month <= 12 && day >= 1 && Chrono(year, month, day).ok();
        ASSERT_EQ(IsValidDate(year, month, day), real) << DateText(year, month, day);
        std::optional<int64_t> ms = ParseIsoDate(DateText(year, month, day));
        ASSERT_EQ(ms.has_value(), real) << DateText(year, month, day);
        if (!real) continue;
        ++valid;
        const int64_t days =
            std::chrono::sys_days(Chrono(year, month, day)).time_since_epoch().count();
        ASSERT_EQ(*ms, days * kMsPerDay) << DateText(year, month, day);
        ASSERT_EQ(FormatIsoDate(*ms), DateText(year, month, day));
        ASSERT_EQ(CivilFromDays(days), (CivilDate{year, month, day}));
      }
    }
  }
  // 8,030 years; 1,947 leap years: 2,007 multiples of four (1972..9996) less the 60 centuries
  // (2100..9900) that 400 does not divide.
  EXPECT_EQ(valid, 8030 * 365 + 2007 - 60);
}

TEST(CivilDateTest, TheDatesPeopleGetWrong) {
  EXPECT_FALSE(ParseIsoDate("2026-02-31").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-02-29").has_value());
  EXPECT_TRUE(ParseIsoDate("2028-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("2100-02-29").has_value());  // a century, not by 400
  EXPECT_TRUE(ParseIsoDate("2000-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-04-31").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-13-01").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-00-10").has_value());
  EXPECT_FALSE(ParseIsoDate("1969-12-31").has_value());  // before the ledger's epoch
  EXPECT_EQ(ParseIsoDate("1970-01-01"), 0);
}

TEST(CivilDateTest, MalformedTextIsRefused) {
  for (const char* text : {"", "2026-1-01", "2026/01/01", "+026-01-01", "2026-01-0a", "20260101",
                           "2026-01-01 ", " 2026-01-01", "２026-01-01", "2026-01-01T"}) {
    EXPECT_FALSE(ParseIsoDate(text).has_value()) << text;
    EXPECT_FALSE(ParseIsoTimestamp(text).has_value()) << text;
  }
}

TEST(CivilDateTest, Timestamps) {
  EXPECT_EQ(ParseIsoTimestamp("1970-01-02T00:00:01Z"), kMsPerDay + 1000);
  EXPECT_EQ(ParseIsoTimestamp("2026-03-15"), ParseIsoDate("2026-03-15"));
  EXPECT_EQ(ParseIsoTimestamp("2026-03-15T23:59:59Z"), *ParseIsoDate("2026-03-16") - 1000);
  for (const char* text : {"2026-03-15T24:00:00Z", "2026-03-15T23:60:00Z", "2026-03-15T23:59:60Z",
                           "2026-03-15T10:00:00", "2026-03-15T10:00:00+01:00",
                           "2026-02-30T10:00:00Z", "2026-03-15t10:00:00Z"}) {
    EXPECT_FALSE(ParseIsoTimestamp(text).has_value()) << text;
  }
}

TEST(CivilDateTest, Formatting) {
  const int64_t ms = *ParseIsoTimestamp("2026-11-30T13:05:09Z") + 250;
  EXPECT_EQ(FormatIsoDate(ms), "2026-11-30");
  EXPECT_EQ(FormatIsoTimestamp(ms), "2026-11-30T13:05:09Z");
  EXPECT_EQ(FormatIsoTimestampMillis(ms), "2026-11-30T13:05:09.250Z");
  EXPECT_EQ(FormatIsoTimestampMillis(7), "1970-01-01T00:00:00.007Z");
  // Before the epoch the day is the one before (floor), not day 0.
  EXPECT_EQ(FormatIsoTimestampMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(CivilDateTest, LeapYears) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2026));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 9), 30);
}

}  // namespace
}  // namespace tl
