// Monthly periods, their groups, posting into the first open period, closing and reopening.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "books_testing.h"

namespace tl::books {
namespace {

using testing::Day;

TEST(PeriodTest, PeriodOfUsesTheCivilCalendarInUtc) {
  EXPECT_EQ(PeriodOf(0), "1970-01");
  EXPECT_EQ(PeriodOf(Day("2026-10-31", 23) + 3'599'999), "2026-10");  // 23:59:59.999
  EXPECT_EQ(PeriodOf(Day("2026-11-01")), "2026-11");
  EXPECT_EQ(PeriodOf(Day("2024-02-29", 12)), "2024-02");
  EXPECT_EQ(PeriodOf(Day("9999-12-31")), "9999-12");
}

TEST(PeriodTest, ValidPeriodsAreRealMonthsWrittenYyyyMm) {
  for (const char* good : {"2026-10", "1970-01", "9999-12", "2026-01"}) {
    EXPECT_TRUE(ValidatePeriod(good).ok()) << good;
  }
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "26-10", "2026/10", "2026-10-01", "",
                          "1969-12", "abcd-ef", "2026-1a", " 2026-10"}) {
    const absl::Status status = ValidatePeriod(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ValidatePeriod("2026-13").message(),
            "period '2026-13' is not a month written YYYY-MM (2026-10)");
}

TEST(PeriodTest, NextPeriodGroupsAndBounds) {
  EXPECT_EQ(NextPeriod("2026-10"), "2026-11");
  EXPECT_EQ(NextPeriod("2026-12"), "2027-01");
  const std::vector<std::pair<std::string, std::string>> quarters = {
      {"2026-01", "2026-Q1"}, {"2026-03", "2026-Q1"}, {"2026-04", "2026-Q2"},
      {"2026-06", "2026-Q2"}, {"2026-07", "2026-Q3"}, {"2026-09", "2026-Q3"},
      {"2026-10", "2026-Q4"}, {"2026-12", "2026-Q4"}};
  for (const auto& [period, quarter] : quarters) {
    EXPECT_EQ(GroupOf(period, PeriodGrouping::kQuarter), quarter);
  }
  EXPECT_EQ(GroupOf("2026-10", PeriodGrouping::kMonth), "2026-10");
  EXPECT_EQ(GroupOf("2026-10", PeriodGrouping::kYear), "2026");
  EXPECT_EQ(PeriodStartMs("2026-10"), Day("2026-10-01"));
  EXPECT_EQ(PeriodEndMs("2026-10"), Day("2026-11-01"));
  EXPECT_EQ(PeriodEndMs("2026-12"), Day("2027-01-01"));
  EXPECT_EQ(PeriodEndMs("2024-02") - PeriodStartMs("2024-02"), 29 * kMsPerDay);
  EXPECT_EQ(PeriodEndMs("2026-02") - PeriodStartMs("2026-02"), 28 * kMsPerDay);
}

TEST(PeriodTest, PostingInAClosedPeriodMovesToTheFirstOpenOne) {
  std::string moved_from = "stale";
  EXPECT_EQ(PostingPeriod(Day("2026-09-30"), "", &moved_from), "2026-09");
  EXPECT_EQ(moved_from, "");
  EXPECT_EQ(PostingPeriod(Day("2026-10-01"), "2026-09", &moved_from), "2026-10");
  EXPECT_EQ(moved_from, "");
  EXPECT_EQ(PostingPeriod(Day("2026-09-30", 18), "2026-09", &moved_from), "2026-10");
  EXPECT_EQ(moved_from, "2026-09");
  EXPECT_EQ(PostingPeriod(Day("2026-03-15"), "2026-09", &moved_from), "2026-10");
  EXPECT_EQ(moved_from, "2026-03");
  EXPECT_EQ(PostingPeriod(Day("2026-12-31"), "2026-12", nullptr), "2027-01");
}

TEST(PeriodTest, PeriodsCloseInOrderAndNeverBeforeTheyBegin) {
  const int64_t now_ms = Day("2026-10-15");
  EXPECT_TRUE(CheckClose("", "2026-09", now_ms).ok());
  EXPECT_TRUE(CheckClose("", "2026-10", now_ms).ok());  // the current month may close
  EXPECT_TRUE(CheckClose("2026-08", "2026-09", now_ms).ok());
  EXPECT_TRUE(CheckClose("2025-12", "2026-01", now_ms).ok());
  const absl::Status twice = CheckClose("2026-09", "2026-09", now_ms);
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.message(), "2026-09 is already closed");
  EXPECT_EQ(CheckClose("2026-09", "2026-05", now_ms).message(), "2026-05 is already closed");
  EXPECT_EQ(CheckClose("2026-07", "2026-09", now_ms).message(), "close 2026-08 first");
  const absl::Status future = CheckClose("2026-10", "2026-11", now_ms);
  EXPECT_EQ(future.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(future.message(), "2026-11 has not begun; it cannot be closed");
  EXPECT_EQ(CheckClose("", "2026-13", now_ms).code(), absl::StatusCode::kInvalidArgument);
}

TEST(PeriodTest, OnlyTheLastClosedPeriodReopens) {
  absl::StatusOr<std::string> reopened = CheckReopen("2026-09", "2026-09");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened, "2026-08");
  EXPECT_EQ(*CheckReopen("2027-01", "2027-01"), "2026-12");
  EXPECT_EQ(*CheckReopen("1970-01", "1970-01"), "");
  EXPECT_EQ(CheckReopen("2026-09", "2026-08").status().message(),
            "only the last closed period, 2026-09, can be reopened, not 2026-08");
  EXPECT_EQ(CheckReopen("", "2026-09").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckReopen("2026-09", "2026-9").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tl::books
