// xs:dateTime parsing (the library's private feed_time.h): strict about the form, exact about
// fractions and offsets.
#include "feed_time.h"

#include <gtest/gtest.h>

namespace tl::feeds::internal {
namespace {

std::string Why(std::string_view text) {
  std::string why;
  return ParseTimestamp(text, &why) ? "accepted" : why;
}

TEST(FeedTime, ParsesTheFormsFeedsWrite) {
  std::string why;
  std::optional<Timestamp> plain = ParseTimestamp("2008-12-04T16:58:51", &why);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->civil, absl::CivilSecond(2008, 12, 4, 16, 58, 51));
  EXPECT_FALSE(plain->offset_seconds);
  std::optional<Timestamp> fraction = ParseTimestamp("2022-03-20T14:58:25.324338+00:00", &why);
  ASSERT_TRUE(fraction);
  EXPECT_EQ(fraction->millis, 324);
  EXPECT_EQ(fraction->offset_seconds, 0);
  std::optional<Timestamp> west = ParseTimestamp("2001-05-31T08:47:07-05:00", &why);
  ASSERT_TRUE(west);
  EXPECT_EQ(west->offset_seconds, -5 * 3600);
  EXPECT_EQ(ParseTimestamp("2017-06-15T09:45:36+01:00", &why)->offset_seconds, 3600);
  EXPECT_EQ(ParseTimestamp("2026-01-01T00:00:00Z", &why)->offset_seconds, 0);
}

TEST(FeedTime, RejectsWhatIsNoDateTime) {
  const std::string form = "expected YYYY-MM-DDThh:mm:ss with an optional Z or ±hh:mm";
  EXPECT_EQ(Why("2001-05-31-T10:08:40-05:00"), form);
  EXPECT_EQ(Why("2001-05-31T9:06:45-05:00"), form);
  EXPECT_EQ(Why("2001-05-31"), form);
  EXPECT_EQ(Why("2001-05-31 10:08:40"), form);
  EXPECT_EQ(Why("2001-05-31T10:08:40Zjunk"), form);
  EXPECT_EQ(Why("2001-02-29T10:08:40"), "not a calendar date");
  EXPECT_EQ(Why("2001-13-01T10:08:40"), "not a calendar date");
  EXPECT_EQ(Why("2001-05-31T24:00:00"), "not a time of day");
  EXPECT_EQ(Why("2001-05-31T10:08:40."), "a decimal point needs digits after it");
  EXPECT_EQ(Why("2001-05-31T10:08:40+15:00"), "the UTC offset must be ±hh:mm, at most 14 hours");
  EXPECT_EQ(Why("2001-05-31T10:08:40+0500"), "the UTC offset must be ±hh:mm, at most 14 hours");
}

TEST(FeedTime, BusinessDateIsTheLocalDateOfTheInstant) {
  std::string why;
  const absl::TimeZone utc = absl::UTCTimeZone();
  absl::TimeZone tokyo;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &tokyo));
  absl::StatusOr<BusinessTime> time =
      ToBusinessTime(*ParseTimestamp("2021-01-14T15:30:00.250Z", &why), utc, tokyo);
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(time->instant_ms, 1610638200250);
  EXPECT_EQ(time->date_ms, 1610668800000);  // 2021-01-15
  EXPECT_FALSE(LoadZone("Nowhere/City").ok());
}

}  // namespace
}  // namespace tl::feeds::internal
