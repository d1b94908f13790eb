// Timestamps of feeds (xs:dateTime, the form ODM and our CSV/JSON feeds use) and the business
// date of a fact: the local date at the site. Zone rules come from abseil (the system tzdata),
// never from arithmetic by hand. Internal to tl_feeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tl::feeds::internal {

struct Timestamp {
  absl::CivilSecond civil;                // as written
  int64_t millis = 0;                     // fraction of the second, truncated to ms
  std::optional<int64_t> offset_seconds;  // nullopt when the text has no Z or ±hh:mm
};

// "YYYY-MM-DDThh:mm:ss[.f+][Z|±hh:mm]", strictly: two-digit fields, a real date, hours 00..23.
// Nullopt with `why` set otherwise.
std::optional<Timestamp> ParseTimestamp(std::string_view text, std::string* why);

struct BusinessTime {
  int64_t instant_ms = 0;  // the moment, ms since 1970 UTC (Fact.source_timestamp_ms)
  int64_t date_ms = 0;     // 00:00 UTC of the local date at the site (the fact's date_ms)
};

// A timestamp with an offset is that instant; one without is read as local time in
// `offsetless_zone` (a time skipped by a DST jump is read with the offset before the jump, a
// repeated one as its first occurrence). The date is the local date of the instant in
// `site_zone`. An error when either falls before 1970.
absl::StatusOr<BusinessTime> ToBusinessTime(const Timestamp& stamp,
                                            const absl::TimeZone& offsetless_zone,
                                            const absl::TimeZone& site_zone);

// A time zone by IANA name ("America/New_York", "UTC"); an error naming it when unknown.
absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name);

}  // namespace tl::feeds::internal
