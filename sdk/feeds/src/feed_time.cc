#include "feed_time.h"

#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"

namespace tl::feeds::internal {
namespace {

// Reads exactly `width` digits at `*at`.
bool Digits(std::string_view text, size_t* at, size_t width, int64_t* out) {
  if (*at + width > text.size()) return false;
  int64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *at += width;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

constexpr std::string_view kForm = "expected YYYY-MM-DDThh:mm:ss with an optional Z or ±hh:mm";

}  // namespace

std::optional<Timestamp> ParseTimestamp(std::string_view text, std::string* why) {
  size_t at = 0;
  int64_t year, month, day, hour, minute, second;
  if (!Digits(text, &at, 4, &year) || !Expect(text, &at, '-') || !Digits(text, &at, 2, &month) ||
      !Expect(text, &at, '-') || !Digits(text, &at, 2, &day) || !Expect(text, &at, 'T') ||
      !Digits(text, &at, 2, &hour) || !Expect(text, &at, ':') || !Digits(text, &at, 2, &minute) ||
      !Expect(text, &at, ':') || !Digits(text, &at, 2, &second)) {
    *why = std::string(kForm);
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    *why = "not a calendar date";
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) {
    *why = "not a time of day";
    return std::nullopt;
  }
  Timestamp stamp;
  stamp.civil = absl::CivilSecond(year, month, day, hour, minute, second);
  if (at < text.size() && text[at] == '.') {
    ++at;
    const size_t first = at;
    int64_t scale = 100;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      stamp.millis += (text[at] - '0') * scale;  // digits past the third add 0: truncation
      scale /= 10;
      ++at;
    }
    if (at == first) {
      *why = "a decimal point needs digits after it";
      return std::nullopt;
    }
  }
  if (at < text.size() && text[at] == 'Z') {
    stamp.offset_seconds = 0;
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int64_t sign = text[at] == '-' ? -1 : 1;
    ++at;
    int64_t offset_hours, offset_minutes;
    if (!Digits(text, &at, 2, &offset_hours) || !Expect(text, &at, ':') ||
        !Digits(text, &at, 2, &offset_minutes) || offset_hours > 14 || offset_minutes > 59) {
      *why = "the UTC offset must be ±hh:mm, at most 14 hours";
      return std::nullopt;
    }
    stamp.offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  }
  if (at != text.size()) {
    *why = std::string(kForm);
    return std::nullopt;
  }
  return stamp;
}

absl::StatusOr<BusinessTime> ToBusinessTime(const Timestamp& stamp,
                                            const absl::TimeZone& offsetless_zone,
                                            const absl::TimeZone& site_zone) {
  absl::Time instant;
  if (stamp.offset_seconds) {
    instant =
        absl::FromCivil(stamp.civil, absl::UTCTimeZone()) - absl::Seconds(*stamp.offset_seconds);
  } else {
    instant = offsetless_zone.At(stamp.civil).pre;
  }
  instant += absl::Milliseconds(stamp.millis);
  const absl::CivilDay local_day = absl::ToCivilDay(instant, site_zone);
  if (instant < absl::UnixEpoch() || local_day.year() < kCivilYearMin) {
    return absl::InvalidArgumentError("the time is before 1970");
  }
  if (local_day.year() > kCivilYearMax) return absl::InvalidArgumentError("the year is past 9999");
  BusinessTime out;
  out.instant_ms = absl::ToUnixMillis(instant);
  out.date_ms = DaysFromCivil({local_day.year(), local_day.month(), local_day.day()}) * kMsPerDay;
  return out;
}

absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(
        StrCat("unknown time zone '", name, "' (expected an IANA name such as America/New_York)"));
  }
  return zone;
}

}  // namespace tl::feeds::internal
