// The importer on the real ODM files in shared/data/odm (README.md there), checked against an
// independent count of the same files (odm_oracle.h), never against its own output.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "odm_oracle.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/feeds/odm_reader.h"

namespace tl::feeds {
namespace {

namespace v1 = ::trialledger::v1;

const std::string kDataDir = TL_ODM_DATA_DIR;
const std::string kMappingsDir = TL_FEEDS_MAPPINGS_DIR;

#define SKIP_WITHOUT_DATA()                                                       \
  if (!std::filesystem::is_directory(kDataDir)) {                                 \
    GTEST_SKIP() << "no ODM data folder at " << kDataDir << " (shared/data/odm)"; \
  }

OdmMapping Mapping(const std::string& name) {
  absl::StatusOr<OdmMapping> mapping = LoadOdmMapping(kMappingsDir + "/" + name);
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  return mapping.ok() ? *mapping : OdmMapping{};
}

ImportResult Import(const std::string& file, const OdmMapping& mapping, bool strict = false) {
  absl::StatusOr<ImportResult> result = ImportOdmFile(kDataDir + "/" + file, mapping, {strict});
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : ImportResult{};
}

// Visit facts per visit_type, as instances (subject, source_record_id).
std::map<std::string, int> VisitsByType(const ImportResult& result) {
  std::map<std::string, int> out;
  for (const ImportedFact& imported : result.facts) {
    if (imported.fact.has_visit_completed()) ++out[imported.fact.visit_completed().visit_type()];
  }
  return out;
}

// The oracle's counts per StudyEventOID, renamed to visit types, visits that are none dropped.
std::map<std::string, int> ExpectedVisits(const testing::OdmCounts& counts,
                                          const std::map<std::string, std::string>& types) {
  std::map<std::string, int> out;
  for (const auto& [oid, instances] : counts.visits) {
    auto type = types.find(oid);
    if (type != types.end()) out[type->second] = static_cast<int>(instances.size());
  }
  return out;
}

struct FileCase {
  std::string file, mapping, status_attribute;
  std::map<std::string, std::string> visit_types;  // written again here, not read from the mapping
};

const std::vector<FileCase>& Files() {
  static const std::vector<FileCase> files = {
      {"rave-clinical-audit-records.xml",
       "rave.toml",
       "Status",
       {{"SCREEN", "SCREENING"},
        {"VISIT01", "VISIT1"},
        {"VISIT02", "VISIT2"},
        {"VISIT03", "VISIT3"},
        {"CYCLE1", "CYCLE1"},
        {"CYCLE2", "CYCLE2"},
        {"UNSCHEDULED", "UNSCHEDULED"}}},
      {"cdisc-odm-1.1-example.xml",
       "cdisc-odm-1.1.toml",
       "",
       {{"VISIT_1", "VISIT1"}, {"VISIT_2", "VISIT2"}}},
      {"odmlib-snapshot.xml",
       "odmlib-snapshot.toml",
       "",
       {{"SE.SCREENING", "SCREENING"},
        {"SE.VISIT 1", "VISIT1"},
        {"SE.VISIT 2", "VISIT2"},
        {"SE.VISIT 3", "VISIT3"}}},
      {"odmlib-clinical-data.xml",
       "odmlib-clinical-data.toml",
       "",
       {{"Screen", "SCREENING"}, {"VISIT_1", "VISIT1"}}},
      {"cdisc-odm-2.0-repeating-ig.xml",
       "cdisc-odm-2.0.toml",
       "",
       {{"SE.MEDHIS", "MEDICAL_HISTORY"}}},
  };
  return files;
}

TEST(OdmFiles, VisitCountsMatchAnIndependentCount) {
  SKIP_WITHOUT_DATA();
  for (const FileCase& file : Files()) {
    SCOPED_TRACE(file.file);
    ImportResult result = Import(file.file, Mapping(file.mapping));
    testing::OdmCounts counts =
        testing::CountOdm(kDataDir + "/" + file.file, file.status_attribute);
    EXPECT_EQ(VisitsByType(result), ExpectedVisits(counts, file.visit_types));
    EXPECT_FALSE(VisitsByType(result).empty());
  }
}

TEST(OdmFiles, EveryFactPassesTheLedgersChecks) {
  SKIP_WITHOUT_DATA();
  for (const FileCase& file : Files()) {
    SCOPED_TRACE(file.file);
    ImportResult result = Import(file.file, Mapping(file.mapping));
    std::set<std::string> ids;
    for (const ImportedFact& imported : result.facts) {
      v1::FactBatch batch;
      *batch.add_facts() = imported.fact;
      absl::StatusOr<std::string> encoded = contracts::EncodeFactBatch(batch, 1);
      EXPECT_TRUE(encoded.ok()) << encoded.status();
      EXPECT_TRUE(ids.insert(imported.fact.source_record_id()).second)
          << "duplicate id " << imported.fact.source_record_id() << " from " << imported.origin.key;
    }
  }
}

TEST(OdmFiles, ImportingTwiceGivesIdenticalFacts) {
  SKIP_WITHOUT_DATA();
  for (const FileCase& file : Files()) {
    SCOPED_TRACE(file.file);
    const OdmMapping mapping = Mapping(file.mapping);
    ImportResult first = Import(file.file, mapping);
    ImportResult second = Import(file.file, mapping);
    ASSERT_EQ(first.facts.size(), second.facts.size());
    for (size_t i = 0; i < first.facts.size(); ++i) {
      EXPECT_EQ(first.facts[i].fact.SerializeAsString(), second.facts[i].fact.SerializeAsString());
    }
  }
}

TEST(OdmFiles, RaveSubjectsPerStatusAndSiteMatchAnIndependentCount) {
  SKIP_WITHOUT_DATA();
  const std::string file = "rave-clinical-audit-records.xml";
  ImportResult result = Import(file, Mapping("rave.toml"));
  testing::OdmCounts counts = testing::CountOdm(kDataDir + "/" + file, "Status");
  // Written again here: Rave's statuses and LocationOIDs to fact kinds and contract sites.
  const std::map<std::string, v1::Fact::KindCase> kinds = {
      {"Enrolled", v1::Fact::kSubjectEnrolled}, {"Screen Failed", v1::Fact::kSubjectScreenFailed}};
  const std::map<std::string, std::string> sites = {{"MDSOL", "NYC-01"}, {"UBC", "VAN-01"}};
  std::map<std::pair<v1::Fact::KindCase, std::string>, std::set<std::string>> expected, actual;
  for (const auto& [status_site, subjects] : counts.statuses) {
    expected[{kinds.at(status_site.first), sites.at(status_site.second)}] = subjects;
  }
  int subject_facts = 0;
  for (const ImportedFact& imported : result.facts) {
    const v1::Fact& fact = imported.fact;
    if (fact.has_subject_enrolled()) {
      actual[{fact.kind_case(), fact.subject_enrolled().site()}].insert(
          fact.subject_enrolled().subject());
    } else if (fact.has_subject_screen_failed()) {
      actual[{fact.kind_case(), fact.subject_screen_failed().site()}].insert(
          fact.subject_screen_failed().subject());
    } else {
      continue;
    }
    ++subject_facts;
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(subject_facts, counts.status_changes);
  EXPECT_EQ(result.report.skipped_count, 0) << FormatSkipped(result.report.skipped.at(0));
}

TEST(OdmFiles, RaveScreenFailureAfterEnrolmentKeepsBoth) {
  SKIP_WITHOUT_DATA();
  ImportResult result = Import("rave-clinical-audit-records.xml", Mapping("rave.toml"));
  const std::string subject = "a16d4804-7868-46f3-93e2-d22c58858a7b";
  std::vector<const ImportedFact*> of_subject;
  for (const ImportedFact& imported : result.facts) {
    if ((imported.fact.has_subject_enrolled() &&
         imported.fact.subject_enrolled().subject() == subject) ||
        (imported.fact.has_subject_screen_failed() &&
         imported.fact.subject_screen_failed().subject() == subject)) {
      of_subject.push_back(&imported);
    }
  }
  ASSERT_EQ(of_subject.size(), 2u);
  EXPECT_TRUE(of_subject[0]->fact.has_subject_enrolled());
  const ImportedFact& failed = *of_subject[1];
  ASSERT_TRUE(failed.fact.has_subject_screen_failed());
  EXPECT_LT(of_subject[0]->fact.subject_enrolled().date_ms(),
            failed.fact.subject_screen_failed().date_ms());
  EXPECT_NE(of_subject[0]->fact.source_record_id(), failed.fact.source_record_id());
  // <DateTimeStamp>2010-05-11T19:37:00</DateTimeStamp> with no offset, at UBC (Vancouver, PDT):
  // the business date is the written date, the instant 07:00 later in UTC.
  EXPECT_EQ(FormatIsoDate(failed.fact.subject_screen_failed().date_ms()), "2010-05-11");
  EXPECT_EQ(FormatIsoTimestamp(failed.fact.source_timestamp_ms()), "2010-05-12T02:37:00Z");
  EXPECT_EQ(failed.fact.subject_screen_failed().site(), "VAN-01");
  EXPECT_EQ(failed.fact.audit().user(), "Jdustin");
  EXPECT_EQ(failed.fact.audit().reason(), "Screen Failed");
  EXPECT_EQ(failed.origin.source_id, "69824");
  EXPECT_EQ(failed.origin.location, "UBC");
  EXPECT_EQ(failed.origin.line, 12810);
}

// ODM 1.1 example: the DateTimeStamps "2001-05-31-T10:08:40-05:00" (lines 142, 246) and
// "2001-05-31T9:06:45-05:00" (one-digit hour, lines 180, 284) are no xs:dateTime.
TEST(OdmFiles, Odm11MalformedTimestampIsSkippedAndListedByLine) {
  SKIP_WITHOUT_DATA();
  const std::string file = "cdisc-odm-1.1-example.xml";
  ImportResult result = Import(file, Mapping("cdisc-odm-1.1.toml"));
  testing::OdmCounts counts = testing::CountOdm(kDataDir + "/" + file, "");
  std::vector<int> lines;
  for (const Skipped& skipped : result.report.skipped)
    lines.push_back(static_cast<int>(skipped.line));
  EXPECT_EQ(lines, counts.malformed_timestamp_lines);
  EXPECT_EQ(lines, (std::vector<int>{142, 180, 246, 284}));
  ASSERT_FALSE(result.report.skipped.empty());
  EXPECT_EQ(FormatSkipped(result.report.skipped[0]),
            kDataDir + "/" + file +
                ":142: subject P001, StudyEventData VISIT_1, FormData PAGE_1: DateTimeStamp "
                "'2001-05-31-T10:08:40-05:00' is malformed: expected YYYY-MM-DDThh:mm:ss with an "
                "optional Z or ±hh:mm; the data it covers is skipped");
  // P001's VISIT_1 is still known from the later Update, whose AuditRecord is well formed.
  ASSERT_EQ(result.facts.size(), 1u);
  const v1::VisitCompleted& visit = result.facts[0].fact.visit_completed();
  EXPECT_EQ(visit.subject(), "P001");
  EXPECT_EQ(visit.site(), "101");
  EXPECT_EQ(FormatIsoDate(visit.date_ms()), "2001-05-31");
  EXPECT_EQ(result.facts[0].fact.audit().reason(), "Error in initial data entry");
}

TEST(OdmFiles, Odm11MalformedTimestampStopsAStrictImport) {
  SKIP_WITHOUT_DATA();
  const std::string path = kDataDir + "/cdisc-odm-1.1-example.xml";
  absl::StatusOr<ImportResult> result =
      ImportOdmFile(path, Mapping("cdisc-odm-1.1.toml"), {.strict = true});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(result.status().message()).substr(0, path.size() + 4), path + ":142");
  EXPECT_NE(result.status().message().find("2001-05-31-T10:08:40-05:00"), std::string::npos);
}

}  // namespace
}  // namespace tl::feeds
