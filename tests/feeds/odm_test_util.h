// Small ODM documents and a mapping for the reader's tests.
#pragma once

#include <string>
#include <string_view>

#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/odm_mapping.h"

namespace tl::feeds::testing {

inline constexpr std::string_view kTestMapping = R"(source_system = "edc"
study = "S-1"
odm_study_oid = "S1"

[status]
attribute = "Status"
namespace = "http://www.mdsol.com/ns/odm/metadata"
ignore = ["Screening"]

[status.values]
"Enrolled" = "subject_enrolled"
"Screen Failed" = "subject_screen_failed"

[visits]
not_visits = ["SUBJECT"]

[visits.types]
SCREEN = "SCREENING"
WEEK4 = "WEEK4"

[sites.101]
location_oids = ["NY"]
time_zone = "America/New_York"

[sites.201]
location_oids = ["TOKYO"]
time_zone = "Asia/Tokyo"
)";

inline OdmMapping TestMapping(std::string_view extra = "") {
  absl::StatusOr<OdmMapping> mapping =
      ParseOdmMapping(StrCat(extra, "\n", kTestMapping), "test.toml");
  if (!mapping.ok()) return OdmMapping{};
  return *mapping;
}

// Line 1 is the XML declaration, line 2 the ODM element, line 3 ClinicalData: `body` starts on
// line 4.
inline std::string Odm(std::string_view body, std::string_view file_type = "Transactional") {
  return StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\" "
      "xmlns:mdsol=\"http://www.mdsol.com/ns/odm/metadata\" FileType=\"",
      file_type, "\" FileOID=\"t\" CreationDateTime=\"2021-06-01T12:00:00Z\">\n",
      "<ClinicalData StudyOID=\"S1\" MetaDataVersionOID=\"1\">\n", body,
      "</ClinicalData>\n</ODM>\n");
}

inline std::string AuditRecord(std::string_view time, std::string_view source_id) {
  return StrCat("<AuditRecord><UserRef UserOID=\"jsmith\"/><LocationRef LocationOID=\"NY\"/>",
                "<DateTimeStamp>", time, "</DateTimeStamp><ReasonForChange>entry</ReasonForChange>",
                "<SourceID>", source_id, "</SourceID></AuditRecord>");
}

// One line: a status change with its AuditRecord.
inline std::string StatusChange(std::string_view subject, std::string_view site,
                                std::string_view status, std::string_view time,
                                std::string_view source_id) {
  return StrCat("<SubjectData SubjectKey=\"", subject,
                "\" TransactionType=\"Upsert\" mdsol:Status=\"", status, "\">",
                AuditRecord(time, source_id), "<SiteRef LocationOID=\"", site,
                "\"/></SubjectData>\n");
}

// One line: one item entered in a visit.
inline std::string VisitEntry(std::string_view subject, std::string_view site,
                              std::string_view event, std::string_view time,
                              std::string_view source_id, std::string_view value = "42",
                              std::string_view transaction = "Upsert") {
  return StrCat("<SubjectData SubjectKey=\"", subject, "\"><SiteRef LocationOID=\"", site,
                "\"/><StudyEventData StudyEventOID=\"", event, "\" StudyEventRepeatKey=\"1\">",
                "<FormData FormOID=\"VS\"><ItemGroupData ItemGroupOID=\"VS\">",
                "<ItemData ItemOID=\"VS.SBP\" TransactionType=\"", transaction, "\" Value=\"",
                value, "\">", AuditRecord(time, source_id),
                "</ItemData></ItemGroupData></FormData></StudyEventData></SubjectData>\n");
}

}  // namespace tl::feeds::testing
