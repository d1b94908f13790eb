// The ODM reader on small documents written here: time zones and DST, what counts as a visit,
// the errors (with lines) and strict vs default mode, bounded memory on a large file.
#include "trialledger/feeds/odm_reader.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include "odm_test_util.h"
#include "trialledger/base/civil_date.h"

namespace tl::feeds {
namespace {

namespace v1 = ::trialledger::v1;
using testing::AuditRecord;
using testing::Odm;
using testing::StatusChange;
using testing::TestMapping;
using testing::VisitEntry;

ImportResult Import(const std::string& xml, const OdmMapping& mapping = TestMapping()) {
  absl::StatusOr<ImportResult> result = ImportOdmText(xml, "t.xml", mapping, {});
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : ImportResult{};
}

std::string ErrorOf(const std::string& xml, const OdmMapping& mapping = TestMapping()) {
  absl::StatusOr<ImportResult> result = ImportOdmText(xml, "t.xml", mapping, {.strict = true});
  return result.ok() ? "accepted" : std::string(result.status().message());
}

std::string EnrolmentDate(const std::string& time, const std::string& site = "NY",
                          const OdmMapping& mapping = TestMapping()) {
  ImportResult result = Import(Odm(StatusChange("S-1", site, "Enrolled", time, "1")), mapping);
  if (result.facts.size() != 1 || !result.facts[0].fact.has_subject_enrolled()) return "no fact";
  return FormatIsoDate(result.facts[0].fact.subject_enrolled().date_ms());
}

std::string SourceTime(const std::string& time) {
  ImportResult result = Import(Odm(StatusChange("S-1", "NY", "Enrolled", time, "1")));
  if (result.facts.size() != 1) return "no fact";
  return FormatIsoTimestamp(result.facts[0].fact.source_timestamp_ms());
}

TEST(OdmTimeZones, OffsetlessTimeJustAfterLocalMidnightIsThatLocalDate) {
  // 00:05 in New York is 05:05 UTC the same day; 23:30 the evening before is 04:30 UTC the next.
  EXPECT_EQ(EnrolmentDate("2021-01-15T00:05:00"), "2021-01-15");
  EXPECT_EQ(SourceTime("2021-01-15T00:05:00"), "2021-01-15T05:05:00Z");
  EXPECT_EQ(EnrolmentDate("2021-01-14T23:30:00"), "2021-01-14");
  EXPECT_EQ(SourceTime("2021-01-14T23:30:00"), "2021-01-15T04:30:00Z");
}

TEST(OdmTimeZones, UtcTimesTakeTheSitesLocalDate) {
  EXPECT_EQ(EnrolmentDate("2021-01-15T04:30:00Z"), "2021-01-14");           // 23:30 EST
  EXPECT_EQ(EnrolmentDate("2021-01-15T05:05:00Z"), "2021-01-15");           // 00:05 EST
  EXPECT_EQ(EnrolmentDate("2021-01-15T00:05:00+01:00"), "2021-01-14");      // 18:05 EST
  EXPECT_EQ(EnrolmentDate("2021-01-14T15:30:00Z", "TOKYO"), "2021-01-15");  // 00:30 JST
}

TEST(OdmTimeZones, DaylightSavingEdges) {
  // New York springs forward on 2021-03-14 at 02:00 EST, falls back on 2021-11-07 at 02:00 EDT.
  EXPECT_EQ(EnrolmentDate("2021-03-14T04:59:00Z"), "2021-03-13");  // 23:59 EST
  EXPECT_EQ(EnrolmentDate("2021-03-14T05:00:00Z"), "2021-03-14");  // 00:00 EST
  EXPECT_EQ(EnrolmentDate("2021-11-07T03:59:00Z"), "2021-11-06");  // 23:59 EDT
  EXPECT_EQ(EnrolmentDate("2021-11-07T04:00:00Z"), "2021-11-07");  // 00:00 EDT
  EXPECT_EQ(EnrolmentDate("2021-11-08T04:59:00Z"), "2021-11-07");  // 23:59 EST, a 25-hour day
  // 02:30 on 2021-03-14 does not exist in New York: read with the offset before the jump (EST).
  EXPECT_EQ(EnrolmentDate("2021-03-14T02:30:00"), "2021-03-14");
  EXPECT_EQ(SourceTime("2021-03-14T02:30:00"), "2021-03-14T07:30:00Z");
  // 01:30 on 2021-11-07 happens twice: its first occurrence (EDT).
  EXPECT_EQ(SourceTime("2021-11-07T01:30:00"), "2021-11-07T05:30:00Z");
  // Just after local midnight on the day clocks go back.
  EXPECT_EQ(EnrolmentDate("2021-11-07T00:01:00"), "2021-11-07");
  EXPECT_EQ(SourceTime("2021-11-07T00:01:00"), "2021-11-07T04:01:00Z");
}

TEST(OdmTimeZones, OffsetlessTimesCanBeReadInAFixedZone) {
  const OdmMapping utc = TestMapping("offsetless_timestamps = \"UTC\"");
  EXPECT_EQ(EnrolmentDate("2021-01-15T03:00:00", "NY", utc), "2021-01-14");  // 22:00 EST
  EXPECT_EQ(EnrolmentDate("2021-01-15T03:00:00", "NY"), "2021-01-15");
}

TEST(OdmReader, KeepsTheAuditDetailsOnTheFact) {
  ImportResult result =
      Import(Odm(StatusChange("S-1", "NY", "Enrolled", "2021-02-01T10:00:00", "77")));
  ASSERT_EQ(result.facts.size(), 1u);
  const ImportedFact& imported = result.facts[0];
  EXPECT_EQ(imported.fact.source_system(), "edc");
  EXPECT_EQ(imported.fact.study(), "S-1");
  EXPECT_EQ(imported.fact.audit().user(), "jsmith");
  EXPECT_EQ(imported.fact.audit().reason(), "entry");
  EXPECT_EQ(imported.fact.subject_enrolled().site(), "101");
  EXPECT_EQ(imported.fact.subject_enrolled().subject(), "S-1");
  EXPECT_EQ(imported.origin.source_id, "77");
  EXPECT_EQ(imported.origin.location, "NY");
  EXPECT_EQ(imported.origin.audit_time, "2021-02-01T10:00:00");
  EXPECT_EQ(imported.origin.line, 4);
  EXPECT_EQ(imported.origin.key, "status|S1|S-1|subject_enrolled|src:77");
  EXPECT_EQ(imported.fact.source_record_id().substr(0, 9), "enrolled-");
  EXPECT_EQ(imported.fact.source_record_id().size(), 9u + 32u);
}

TEST(OdmReader, StatusChangesAreFactsAndRepeatsAreNot) {
  ImportResult result =
      Import(Odm(StatusChange("S-1", "NY", "Screening", "2021-02-01T10:00:00", "1") +
                 StatusChange("S-1", "NY", "Enrolled", "2021-02-02T10:00:00", "2") +
                 StatusChange("S-1", "NY", "Enrolled", "2021-02-03T10:00:00", "3") +
                 StatusChange("S-1", "NY", "Screen Failed", "2021-02-04T10:00:00", "4")));
  ASSERT_EQ(result.facts.size(), 2u);
  EXPECT_TRUE(result.facts[0].fact.has_subject_enrolled());
  EXPECT_EQ(result.facts[0].origin.source_id, "2");
  EXPECT_TRUE(result.facts[1].fact.has_subject_screen_failed());
  EXPECT_EQ(result.report.skipped_count, 0);
  EXPECT_EQ(result.report.records_read, 4);
}

TEST(OdmReader, AVisitIsOneFactDatedByItsEarliestAuditRecord) {
  ImportResult result = Import(Odm(VisitEntry("S-1", "NY", "WEEK4", "2021-03-02T09:00:00", "11") +
                                   VisitEntry("S-1", "NY", "WEEK4", "2021-03-01T09:00:00", "12") +
                                   VisitEntry("S-1", "NY", "WEEK4", "2021-03-05T09:00:00", "13")));
  ASSERT_EQ(result.facts.size(), 1u);
  const v1::VisitCompleted& visit = result.facts[0].fact.visit_completed();
  EXPECT_EQ(visit.visit_type(), "WEEK4");
  EXPECT_EQ(FormatIsoDate(visit.date_ms()), "2021-03-01");
  EXPECT_EQ(result.facts[0].origin.source_id, "12");
  EXPECT_EQ(result.facts[0].origin.line, 5);
  EXPECT_EQ(result.facts[0].origin.key, "visit|S1|S-1|WEEK4|1");
}

// Keeps what it is handed, as a program streaming to the ledger would see it.
class RecordingSink final : public FactSink {
 public:
  absl::Status Add(ImportedFact fact) override {
    handed.push_back(std::move(fact));
    return absl::OkStatus();
  }
  std::vector<ImportedFact> handed;
};

TEST(OdmReader, StreamingHandsEachFactOverWhenDecidedAndAnEarlierDatedVisitAsARevision) {
  const std::string xml = Odm(StatusChange("S-1", "NY", "Enrolled", "2021-03-01T08:00:00", "10") +
                              VisitEntry("S-1", "NY", "WEEK4", "2021-03-02T09:00:00", "11") +
                              VisitEntry("S-1", "NY", "WEEK4", "2021-03-01T09:00:00", "12") +
                              VisitEntry("S-1", "NY", "WEEK4", "2021-03-05T09:00:00", "13"));
  RecordingSink sink;
  absl::StatusOr<ImportReport> report = ImportOdmText(xml, "t.xml", TestMapping(), {}, sink);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->records_read, 4);
  // The enrolment, the visit as its first record dates it, then the earlier record's revision;
  // the later record changes nothing and is not handed over.
  ASSERT_EQ(sink.handed.size(), 3u);
  EXPECT_TRUE(sink.handed[0].fact.has_subject_enrolled());
  EXPECT_FALSE(sink.handed[0].revises_earlier);
  EXPECT_EQ(sink.handed[1].origin.source_id, "11");
  EXPECT_FALSE(sink.handed[1].revises_earlier);
  EXPECT_EQ(sink.handed[2].origin.source_id, "12");
  EXPECT_TRUE(sink.handed[2].revises_earlier);
  EXPECT_EQ(sink.handed[2].fact.source_record_id(), sink.handed[1].fact.source_record_id());
  EXPECT_EQ(FormatIsoDate(sink.handed[2].fact.visit_completed().date_ms()), "2021-03-01");
  // Collected, the revision takes the first one's place: two facts, the visit second.
  ImportResult collected = Import(xml);
  ASSERT_EQ(collected.facts.size(), 2u);
  EXPECT_EQ(collected.facts[1].origin.source_id, "12");
  EXPECT_FALSE(collected.facts[1].revises_earlier);
}

TEST(OdmReader, DataThatIsRemovedEmptyOrNotAVisitIsNoVisit) {
  ImportResult result =
      Import(Odm(VisitEntry("S-1", "NY", "WEEK4", "2021-03-02T09:00:00", "1", "") +
                 VisitEntry("S-1", "NY", "WEEK4", "2021-03-02T09:00:00", "2", "7", "Remove") +
                 VisitEntry("S-1", "NY", "SUBJECT", "2021-03-02T09:00:00", "3")));
  EXPECT_TRUE(result.facts.empty());
  EXPECT_EQ(result.report.skipped_count, 0);
}

TEST(OdmReader, StatusFactsComeBeforeTheSubjectsVisits) {
  // A snapshot subject carries its status and its visits in one SubjectData.
  const std::string body =
      "<SubjectData SubjectKey=\"S-1\" mdsol:Status=\"Enrolled\"><SiteRef LocationOID=\"NY\"/>"
      "<StudyEventData StudyEventOID=\"SCREEN\"><FormData FormOID=\"DM\"><ItemGroupData "
      "ItemGroupOID=\"DM\"><ItemData ItemOID=\"DM.AGE\" Value=\"50\"/></ItemGroupData></FormData>"
      "</StudyEventData></SubjectData>\n";
  ImportResult result = Import(Odm(body, "Snapshot"));
  ASSERT_EQ(result.facts.size(), 2u);
  EXPECT_TRUE(result.facts[0].fact.has_subject_enrolled());
  EXPECT_TRUE(result.facts[1].fact.has_visit_completed());
  // No AuditRecord in a snapshot: dated by the file's CreationDateTime (12:00 UTC, 08:00 EDT).
  EXPECT_EQ(FormatIsoDate(result.facts[1].fact.visit_completed().date_ms()), "2021-06-01");
  EXPECT_EQ(result.facts[0].origin.key, "status|S1|S-1|subject_enrolled|snapshot");
}

TEST(OdmReader, VendorExtensionsAreSkipped) {
  const std::string body =
      "<SubjectData SubjectKey=\"S-1\"><SiteRef LocationOID=\"NY\"/><StudyEventData "
      "StudyEventOID=\"WEEK4\"><FormData FormOID=\"VS\"><ItemGroupData ItemGroupOID=\"VS\">"
      "<ItemData ItemOID=\"VS.SBP\" TransactionType=\"Upsert\" Value=\"120\">" +
      AuditRecord("2021-03-02T09:00:00", "5") +
      "<mdsol:Comment TransactionType=\"Insert\" Value=\"note\"><ItemData Value=\"9\"/>"
      "</mdsol:Comment></ItemData></ItemGroupData></FormData></StudyEventData></SubjectData>\n";
  ImportResult result = Import(Odm(body));
  EXPECT_EQ(result.facts.size(), 1u);
  EXPECT_EQ(result.report.skipped_count, 0);
}

TEST(OdmReader, ProblemsNameTheLineTheRecordAndWhatIsWrong) {
  const std::string no_audit =
      "<SubjectData SubjectKey=\"S-9\" TransactionType=\"Upsert\" mdsol:Status=\"Enrolled\">"
      "<SiteRef LocationOID=\"NY\"/></SubjectData>\n";
  EXPECT_EQ(ErrorOf(Odm(no_audit)),
            "t.xml:4: subject S-9: status 'Enrolled': it has a TransactionType and no AuditRecord, "
            "which a Transactional file requires");
  EXPECT_EQ(ErrorOf(Odm(StatusChange("S-1", "NY", "Dropped", "2021-02-01T10:00:00", "1"))),
            "t.xml:4: subject S-1: status 'Dropped' is neither in the mapping's [status.values] "
            "nor in status.ignore");
  EXPECT_EQ(ErrorOf(Odm(StatusChange("S-1", "PARIS", "Enrolled", "2021-02-01T10:00:00", "1"))),
            "t.xml:4: subject S-1: status 'Enrolled': site LocationOID 'PARIS' is not in the "
            "mapping's [sites]");
  EXPECT_EQ(ErrorOf(Odm(VisitEntry("S-1", "NY", "WEEK8", "2021-03-02T09:00:00", "1"))),
            "t.xml:4: subject S-1, StudyEventData WEEK8 [1]: StudyEventOID 'WEEK8' is neither in "
            "the mapping's [visits.types] nor in visits.not_visits");
  EXPECT_EQ(ErrorOf(Odm(VisitEntry("S-1", "PARIS", "WEEK4", "2021-03-02T09:00:00", "1"))),
            "t.xml:4: subject S-1, StudyEventData WEEK4 [1], FormData VS, ItemGroupData VS, "
            "ItemData VS.SBP: site LocationOID 'PARIS' is not in the mapping's [sites]");
  EXPECT_EQ(ErrorOf(Odm(VisitEntry("S-1", "NY", "WEEK4", "2021-02-30T09:00:00", "1"))),
            "t.xml:4: subject S-1, StudyEventData WEEK4 [1], FormData VS, ItemGroupData VS, "
            "ItemData VS.SBP: DateTimeStamp '2021-02-30T09:00:00' is malformed: not a calendar "
            "date; the data it covers is skipped");
  EXPECT_EQ(ErrorOf(Odm(VisitEntry("S-1", "NY", "WEEK4", "1969-12-31T09:00:00Z", "1"))),
            "t.xml:4: subject S-1, StudyEventData WEEK4 [1], FormData VS, ItemGroupData VS, "
            "ItemData VS.SBP: DateTimeStamp '1969-12-31T09:00:00Z': the time is before 1970");
  const std::string item_without_audit =
      "<SubjectData SubjectKey=\"S-1\"><SiteRef LocationOID=\"NY\"/>\n<StudyEventData "
      "StudyEventOID=\"WEEK4\"><FormData FormOID=\"VS\"><ItemGroupData ItemGroupOID=\"VS\">\n"
      "<ItemData ItemOID=\"VS.SBP\" TransactionType=\"Insert\" Value=\"120\"/></ItemGroupData>"
      "</FormData></StudyEventData></SubjectData>\n";
  EXPECT_EQ(ErrorOf(Odm(item_without_audit)),
            "t.xml:6: subject S-1, StudyEventData WEEK4, FormData VS, ItemGroupData VS, ItemData "
            "VS.SBP: it has a TransactionType and no AuditRecord, which a Transactional file "
            "requires");
  // The same without TransactionType in a Snapshot needs none.
  EXPECT_EQ(ErrorOf(Odm(item_without_audit, "Snapshot")), "accepted");
}

TEST(OdmReader, DefaultModeSkipsCountsAndListsEveryProblem) {
  const std::string xml = Odm(StatusChange("S-1", "NY", "Dropped", "2021-02-01T10:00:00", "1") +
                              StatusChange("S-2", "NY", "Enrolled", "2021-02-01T10:00:00", "2") +
                              VisitEntry("S-2", "NY", "WEEK8", "2021-03-02T09:00:00", "3") +
                              VisitEntry("S-2", "NY", "WEEK4", "2021-03-02T9:00:00", "4") +
                              VisitEntry("S-2", "NY", "WEEK4", "2021-03-03T09:00:00", "5"));
  ImportResult result = Import(xml);
  ASSERT_EQ(result.report.skipped_count, 3);
  ASSERT_EQ(result.report.skipped.size(), 3u);
  EXPECT_EQ(result.report.skipped[0].line, 4);
  EXPECT_EQ(result.report.skipped[0].record, "subject S-1");
  EXPECT_EQ(result.report.skipped[1].line, 6);
  EXPECT_NE(result.report.skipped[1].reason.find("'WEEK8'"), std::string::npos);
  EXPECT_EQ(result.report.skipped[2].line, 7);
  EXPECT_NE(result.report.skipped[2].reason.find("'2021-03-02T9:00:00' is malformed"),
            std::string::npos);
  ASSERT_EQ(result.facts.size(), 2u);
  EXPECT_EQ(FormatIsoDate(result.facts[1].fact.visit_completed().date_ms()), "2021-03-03");
  // Strict mode stops at the first.
  EXPECT_EQ(ErrorOf(xml).substr(0, 8), "t.xml:4:");
}

TEST(OdmReader, OtherStudiesAreSkipped) {
  std::string xml = Odm(StatusChange("S-1", "NY", "Enrolled", "2021-02-01T10:00:00", "1"));
  xml.replace(xml.find("StudyOID=\"S1\""), 13, "StudyOID=\"S2\"");
  ImportResult result = Import(xml);
  EXPECT_TRUE(result.facts.empty());
  ASSERT_EQ(result.report.skipped.size(), 1u);
  EXPECT_EQ(FormatSkipped(result.report.skipped[0]),
            "t.xml:3: ClinicalData StudyOID S2: not the mapping's odm_study_oid 'S1'");
}

TEST(OdmReader, MalformedXmlEndsTheImportWithItsLine) {
  std::string xml = Odm(StatusChange("S-1", "NY", "Enrolled", "2021-02-01T10:00:00", "1") +
                        "<SubjectData SubjectKey=\"S-2\">\n</SubjectDatum>\n");
  absl::StatusOr<ImportResult> result = ImportOdmText(xml, "t.xml", TestMapping(), {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(std::string(result.status().message()).substr(0, 31), "t.xml:6: not well-formed XML: O")
      << result.status();
  EXPECT_EQ(ErrorOf("<Book/>"), "t.xml:1: the root element is Book, not ODM");
  EXPECT_EQ(ErrorOf("").substr(0, 30), "t.xml:1: not well-formed XML: ");
  absl::StatusOr<ImportResult> missing = ImportOdmFile("/nonexistent.xml", TestMapping(), {});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

// Peak resident memory in kB (Linux reports ru_maxrss in kilobytes).
long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
constexpr bool kAddressSanitizer = __has_feature(address_sanitizer);
#else
constexpr bool kAddressSanitizer = false;
#endif

// A Transactional file of `entries` records, entry(i) each, in the temporary folder.
std::string WriteLargeOdm(std::string_view name, int entries,
                          const std::function<std::string(int)>& entry) {
  const std::string path =
      (std::filesystem::temp_directory_path() / StrCat("tl_feeds_", name, "_", getpid(), ".xml"))
          .string();
  std::ofstream out(path);
  const std::string xml = Odm("@");
  out << xml.substr(0, xml.find('@'));
  for (int i = 0; i < entries; ++i)
    out << entry(i);
  out << xml.substr(xml.find('@') + 1);
  return path;
}

TEST(OdmReader, ReadsALargeFileInBoundedMemory) {
  if (kAddressSanitizer) {
    GTEST_SKIP() << "AddressSanitizer keeps freed memory in quarantine: peak RSS says nothing here";
  }
  // ~130 MB: 250,000 entries for 1,000 visit instances of 500 subjects.
  const std::string path = WriteLargeOdm("large", 250'000, [](int i) {
    return VisitEntry(StrCat("S-", i % 500), "NY", (i / 500) % 2 ? "WEEK4" : "SCREEN",
                      "2021-03-02T09:00:00", std::to_string(i), "120");
  });
  const long before_kb = PeakRssKb();
  absl::StatusOr<ImportResult> result = ImportOdmFile(path, TestMapping(), {});
  const long growth_kb = PeakRssKb() - before_kb;
  std::filesystem::remove(path);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->facts.size(), 1000u);
  EXPECT_EQ(result->report.records_read, 250'000);
  // The reader's working set must not follow the file's size (about 3 MB of growth here).
  EXPECT_LT(growth_kb, 32 * 1024) << "peak RSS grew by " << growth_kb << " kB";
}

// Streaming, memory does not follow the facts either: 60,000 facts (about 65 MB collected) pass
// through a sink that keeps none, and what stays behind is one instant per visit instance.
TEST(OdmReader, StreamsManyFactsInBoundedMemory) {
  if (kAddressSanitizer) {
    GTEST_SKIP() << "AddressSanitizer keeps freed memory in quarantine: peak RSS says nothing here";
  }
  constexpr int kInstances = 60'000;
  const std::string path = WriteLargeOdm("stream", kInstances, [](int i) {
    return VisitEntry(StrCat("S-", i / 2), "NY", i % 2 ? "WEEK4" : "SCREEN", "2021-03-02T09:00:00",
                      std::to_string(i), "120");
  });
  class CountingSink final : public FactSink {
   public:
    absl::Status Add(ImportedFact) override {
      ++count;
      return absl::OkStatus();
    }
    int64_t count = 0;
  } sink;
  const long before_kb = PeakRssKb();
  absl::StatusOr<ImportReport> report = ImportOdmFile(path, TestMapping(), {}, sink);
  const long growth_kb = PeakRssKb() - before_kb;
  std::filesystem::remove(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(sink.count, kInstances);
  // About 130 bytes per instance remembered (8 MB) plus the reader's few MB; collected, the
  // facts alone would be some 65 MB.
  EXPECT_LT(growth_kb, 20 * 1024) << "peak RSS grew by " << growth_kb << " kB";
}

}  // namespace
}  // namespace tl::feeds
