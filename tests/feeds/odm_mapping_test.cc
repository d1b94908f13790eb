// Mapping files: what they say, and errors that name file:line:column and the field.
#include "trialledger/feeds/odm_mapping.h"

#include <gtest/gtest.h>

#include "odm_test_util.h"

namespace tl::feeds {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<OdmMapping> mapping = ParseOdmMapping(text, "m.toml");
  return mapping.ok() ? "accepted" : std::string(mapping.status().message());
}

// The test mapping with `from` replaced by `to`.
std::string Edited(std::string_view from, std::string_view to) {
  std::string text(testing::kTestMapping);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

TEST(OdmMapping, ReadsTheRules) {
  absl::StatusOr<OdmMapping> mapping = ParseOdmMapping(testing::kTestMapping, "m.toml");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  EXPECT_EQ(mapping->source_system, "edc");
  EXPECT_EQ(mapping->status_attribute, "Status");
  EXPECT_EQ(mapping->statuses.at("Screen Failed"), SubjectEvent::kScreenFailed);
  EXPECT_EQ(mapping->ignored_statuses, std::vector<std::string>{"Screening"});
  EXPECT_EQ(mapping->visit_types.at("SCREEN"), "SCREENING");
  EXPECT_EQ(mapping->not_visits, std::vector<std::string>{"SUBJECT"});
  ASSERT_EQ(mapping->sites.size(), 2u);
  EXPECT_EQ(mapping->sites[mapping->site_by_location_oid.at("TOKYO")].site, "201");
  EXPECT_EQ(mapping->sites[0].time_zone_name, "America/New_York");
  EXPECT_FALSE(mapping->offsetless_zone.has_value());
  EXPECT_FALSE(mapping->default_site.has_value());
}

TEST(OdmMapping, ErrorsNameFileLineAndField) {
  EXPECT_EQ(ErrorOf(Edited("time_zone = \"Asia/Tokyo\"", "time_zone = \"Asia/Edo\"")),
            "m.toml:27:13: sites.201: 'time_zone': unknown time zone 'Asia/Edo' (expected an "
            "IANA name such as America/New_York)");
  EXPECT_EQ(ErrorOf(Edited("\"Enrolled\" = \"subject_enrolled\"", "\"Enrolled\" = \"enrolled\"")),
            "m.toml:11:14: status.values: 'Enrolled' must name a subject fact (subject_screened, "
            "subject_enrolled, subject_randomized, subject_screen_failed, subject_withdrawn, "
            "subject_completed)");
  EXPECT_EQ(ErrorOf(Edited("location_oids = [\"TOKYO\"]", "location_oids = [\"NY\"]")),
            "m.toml:26:17: sites.201: 'location_oids': 'NY' already belongs to site 101");
  EXPECT_EQ(ErrorOf(Edited("WEEK4 = \"WEEK4\"", "WEEK4 = 4")),
            "m.toml:19:9: visits.types: 'WEEK4' must name a visit type");
  EXPECT_EQ(ErrorOf(Edited("not_visits = [\"SUBJECT\"]", "not_visits = [\"SCREEN\"]")),
            "m.toml:15:14: visits: 'SCREEN' is both a visit type and in not_visits");
  EXPECT_EQ(ErrorOf(Edited("source_system = \"edc\"", "sourcesystem = \"edc\"")),
            "m.toml:1:16: mapping: unknown key 'sourcesystem'");
  EXPECT_EQ(ErrorOf(Edited("attribute = \"Status\"\n", "")).substr(0, 35),
            "m.toml:5:1: status: 'attribute' is ");
  // A key after a table belongs to that table.
  EXPECT_EQ(ErrorOf(std::string(testing::kTestMapping) + "default_site = \"999\"\n"),
            "m.toml:28:16: sites.201: unknown key 'default_site'");
  EXPECT_EQ(ErrorOf("default_site = \"999\"\n" + std::string(testing::kTestMapping)),
            "m.toml:1:16: mapping: 'default_site' is '999', which no [sites] table names");
  EXPECT_EQ(ErrorOf("offsetless_timestamps = \"Mars\"\n" + std::string(testing::kTestMapping)),
            "m.toml:1:25: mapping: 'offsetless_timestamps' must be \"site\" or a zone: unknown "
            "time zone 'Mars' (expected an IANA name such as America/New_York)");
  EXPECT_EQ(ErrorOf("source_system = \n"),
            "m.toml:1:17: Error while parsing key-value pair: expected value, saw '\\n'");
  EXPECT_NE(ErrorOf("source_system = \"x\"\n").find("'[visits]' is missing"), std::string::npos);
}

TEST(OdmMapping, LoadNamesAMissingFile) {
  absl::StatusOr<OdmMapping> mapping = LoadOdmMapping("/nonexistent/mapping.toml");
  EXPECT_EQ(mapping.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tl::feeds
