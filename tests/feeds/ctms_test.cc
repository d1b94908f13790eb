// CTMS and cost feeds: CSV as real files write it (quotes, embedded commas and newlines, a BOM),
// JSON, exact amounts, and errors that name the line (a record's first) and the field.
#include "trialledger/feeds/ctms_feed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "trialledger/base/civil_date.h"

namespace tl::feeds {
namespace {

namespace v1 = ::trialledger::v1;

const CtmsOptions kOptions{.source_system = "ctms", .currency = "USD", .study = "S-1"};
const std::string kHeader = "record_id,kind,date,site,category,amount,updated_at,user,reason\n";

ImportResult Csv(const std::string& text, const CtmsOptions& options = kOptions) {
  absl::StatusOr<ImportResult> result = ImportCtmsCsv(text, "f.csv", options, {});
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : ImportResult{};
}

// The strict-mode error, or "accepted".
std::string CsvError(const std::string& text, const CtmsOptions& options = kOptions) {
  absl::StatusOr<ImportResult> result = ImportCtmsCsv(text, "f.csv", options, {.strict = true});
  return result.ok() ? "accepted" : std::string(result.status().message());
}

std::string JsonError(const std::string& text) {
  absl::StatusOr<ImportResult> result = ImportCtmsJson(text, "f.json", kOptions, {.strict = true});
  return result.ok() ? "accepted" : std::string(result.status().message());
}

TEST(CtmsCsv, ReadsEveryKind) {
  ImportResult result = Csv(
      kHeader +
      "SA-1,site_activated,2026-02-01,101,,,2026-02-01T09:00:00Z,a.jones,\n"
      "SIV-1,site_initiation_visit,2026-02-03,101,,,2026-02-03T09:00:00Z,,\n"
      "MV-1,monitoring_visit,2026-03-03,101,,,2026-03-03T09:00:00Z,,\n"
      "SC-1,site_closed,2027-01-03,101,,,2027-01-03T09:00:00Z,,\n"
      "FPI,first_patient_in,2026-02-10,,,,2026-02-10T09:00:00Z,,\n"
      "LPLV,last_patient_last_visit,2026-12-10,,,,2026-12-10T09:00:00Z,,\n"
      "DBL,database_lock,2027-01-10,,,,2027-01-10T09:00:00-05:00,,\n"
      "AP-77,cost_incurred,2026-03-31,,investigator_grant,\"12,500.00\",2026-03-31T18:00:00Z,,\n"
      "EAC-3,estimate_at_completion,2026-04-01,,,2400000,2026-04-01T08:00:00Z,,\n"
      "AP-70,retracted,2026-04-02,,,,2026-04-02T08:00:00Z,,duplicate invoice\n");
  ASSERT_EQ(result.report.skipped_count, 0) << FormatSkipped(result.report.skipped.at(0));
  ASSERT_EQ(result.facts.size(), 10u);
  const v1::Fact& activated = result.facts[0].fact;
  EXPECT_EQ(activated.source_system(), "ctms");
  EXPECT_EQ(activated.source_record_id(), "SA-1");
  EXPECT_EQ(activated.study(), "S-1");
  EXPECT_EQ(activated.audit().user(), "a.jones");
  EXPECT_EQ(activated.site_activated().site(), "101");
  EXPECT_EQ(FormatIsoDate(activated.site_activated().date_ms()), "2026-02-01");
  EXPECT_EQ(FormatIsoTimestamp(activated.source_timestamp_ms()), "2026-02-01T09:00:00Z");
  EXPECT_TRUE(result.facts[1].fact.has_monitoring_visit());
  EXPECT_TRUE(result.facts[2].fact.has_monitoring_visit());
  EXPECT_TRUE(result.facts[3].fact.has_site_closed());
  EXPECT_TRUE(result.facts[4].fact.has_first_patient_in());
  EXPECT_TRUE(result.facts[5].fact.has_last_patient_last_visit());
  EXPECT_EQ(FormatIsoTimestamp(result.facts[6].fact.source_timestamp_ms()), "2027-01-10T14:00:00Z");
  const v1::CostIncurred& cost = result.facts[7].fact.cost_incurred();
  EXPECT_EQ(cost.category(), "investigator_grant");
  EXPECT_EQ(cost.amount().currency(), "USD");
  EXPECT_EQ(cost.amount().amount_minor(), 1'250'000);
  EXPECT_EQ(result.facts[8].fact.estimate_at_completion().amount().amount_minor(), 240'000'000);
  EXPECT_TRUE(result.facts[9].fact.has_retracted());
  EXPECT_EQ(result.facts[9].fact.audit().reason(), "duplicate invoice");
  EXPECT_EQ(result.facts[9].origin.line, 11);
}

TEST(CtmsCsv, QuotedFieldsEmbeddedCommasNewlinesAndABom) {
  const std::string text =
      "\xEF\xBB\xBF" + kHeader +
      "\"AP-1\",cost_incurred,2026-03-31,,labour,\"1,000.50\",2026-03-31T18:00:00Z,"
      "\"Smith, J.\",\"Invoice 7, \"\"final\"\"\nsecond line of the note\"\n"
      "\r\n"
      "AP-2,cost_incurred,2026-03-31,,labour,10,2026-03-31T18:00:00Z,,\n";
  ImportResult result = Csv(text);
  ASSERT_EQ(result.facts.size(), 2u);
  EXPECT_EQ(result.facts[0].fact.source_record_id(), "AP-1");  // the BOM is not in the name
  EXPECT_EQ(result.facts[0].fact.audit().user(), "Smith, J.");
  EXPECT_EQ(result.facts[0].fact.audit().reason(), "Invoice 7, \"final\"\nsecond line of the note");
  EXPECT_EQ(result.facts[0].fact.cost_incurred().amount().amount_minor(), 100'050);
  EXPECT_EQ(result.facts[0].origin.line, 2);
  // The record after a two-line record and a blank line starts on line 5.
  EXPECT_EQ(result.facts[1].origin.line, 5);
}

TEST(CtmsCsv, AmountsAreExactInTheContractsCurrency) {
  const std::string record =
      "AP-1,cost_incurred,2026-03-31,,labour,AMOUNT,2026-03-31T18:00:00Z,,\n";
  auto error = [&](std::string_view amount, const CtmsOptions& options = kOptions) {
    std::string text = kHeader + record;
    text.replace(text.find("AMOUNT"), 6, amount);
    return CsvError(text, options);
  };
  EXPECT_EQ(error("10.005"),
            "f.csv:2: record_id AP-1: field 'amount' (column 6): USD has 2 decimal places, this "
            "amount has 3");
  CtmsOptions yen = kOptions;
  yen.currency = "JPY";
  EXPECT_EQ(error("1000.5", yen),
            "f.csv:2: record_id AP-1: field 'amount' (column 6): JPY has 0 decimal places, this "
            "amount has 1");
  CtmsOptions dinar = kOptions;
  dinar.currency = "KWD";
  EXPECT_EQ(error("1.125", dinar), "accepted");
  EXPECT_EQ(error("1e3"),
            "f.csv:2: record_id AP-1: field 'amount' (column 6): '1e3' is not a decimal amount");
  EXPECT_EQ(error("-5.00"),
            "f.csv:2: record_id AP-1: field 'amount' (column 6): must be positive (a credit "
            "corrects the original record instead)");
  EXPECT_EQ(error("\"1,00.00\""),
            "f.csv:2: record_id AP-1: field 'amount' (column 6): commas "
            "must separate groups of three digits");
  EXPECT_EQ(CsvError("record_id,kind,date,amount,currency,updated_at\n"
                     "E-1,estimate_at_completion,2026-04-01,100,EUR,2026-04-01T08:00:00Z\n"),
            "f.csv:2: record_id E-1: field 'currency' (column 5): is EUR; the contract's currency "
            "is USD");
}

TEST(CtmsCsv, RecordErrorsNameTheLineAndTheField) {
  EXPECT_EQ(CsvError(kHeader + "X-1,site_opened,2026-02-01,101,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:2: record_id X-1: field 'kind' (column 2): unknown kind 'site_opened' (expected "
            "one of site_activated, site_closed, site_initiation_visit, monitoring_visit, "
            "first_patient_in, last_patient_last_visit, database_lock, cost_incurred, "
            "estimate_at_completion, retracted)");
  EXPECT_EQ(CsvError(kHeader + "X-1,site_activated,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:2: record_id X-1: field 'site': is required for site_activated");
  EXPECT_EQ(CsvError(kHeader + "X-1,database_lock,2026-02-01,101,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:2: record_id X-1: field 'site' (column 4): does not apply to database_lock");
  EXPECT_EQ(CsvError(kHeader + "X-1,database_lock,2026-2-1,,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:2: record_id X-1: field 'date' (column 3): expected a date YYYY-MM-DD, got "
            "'2026-2-1'");
  EXPECT_EQ(CsvError(kHeader + "X-1,database_lock,2026-02-01,,,,2026-02-01T09:00:00,,\n"),
            "f.csv:2: record_id X-1: field 'updated_at' (column 7): needs Z or ±hh:mm (a CTMS "
            "record names no site time zone)");
  EXPECT_EQ(CsvError(kHeader + ",database_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:2: field 'record_id': is missing or empty");
  EXPECT_EQ(CsvError(kHeader + "X-1,database_lock,2026-02-01,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:2: the record has 8 fields; the header has 9");
  EXPECT_EQ(
      CsvError(kHeader + std::string(70, 'X') +
               ",database_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"),
      "f.csv:2: record_id " + std::string(70, 'X') + ": source_record_id is longer than 64 bytes");
  EXPECT_EQ(CsvError(kHeader + "X-1,database_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"
                               "X-1,database_lock,2026-02-02,,,,2026-02-02T09:00:00Z,,\n"),
            "f.csv:3: record_id X-1: record_id is already used at line 2 (a change to a record "
            "needs correction=true)");
  EXPECT_EQ(CsvError("record_id,kind,date,updated_at,correction\n"
                     "X-1,database_lock,2026-02-01,2026-02-01T09:00:00Z,\n"
                     "X-1,database_lock,2026-02-02,2026-02-02T09:00:00Z,true\n"),
            "accepted");
}

TEST(CtmsCsv, StructuralErrorsStopInEveryMode) {
  auto error = [](const std::string& text) {
    absl::StatusOr<ImportResult> result = ImportCtmsCsv(text, "f.csv", kOptions, {});
    return result.ok() ? "accepted" : std::string(result.status().message());
  };
  EXPECT_EQ(error("record_id,kind,date\nX-1,database_lock,2026-02-01\n"),
            "f.csv:1: header: the required column 'updated_at' is missing");
  EXPECT_EQ(error("record_id,kind,date,updated_at,amout\n"),
            "f.csv:1: header: column 5 'amout' is not a field of the CTMS schema");
  EXPECT_EQ(error("record_id,kind,date,updated_at,date\n"),
            "f.csv:1: header: column 'date' appears twice");
  EXPECT_EQ(error(kHeader + "X-1,database_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"
                            "X-2,data\"base_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"),
            "f.csv:3: malformed CSV: error parsing data while strict checking enabled (a quote "
            "inside an unquoted field, or text after a closing quote)");
  EXPECT_EQ(error(kHeader + "X-1,database_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\"open\n"
                            "and never closed\n"),
            "f.csv:2: malformed CSV: a quoted field is never closed");
  EXPECT_EQ(error(""), "f.csv: the file has no header line");
}

TEST(CtmsCsv, DefaultModeSkipsAndListsBadRecords) {
  ImportResult result = Csv(kHeader +
                            "X-1,site_opened,2026-02-01,101,,,2026-02-01T09:00:00Z,,\n"
                            "X-2,database_lock,2026-02-01,,,,2026-02-01T09:00:00Z,,\n"
                            "X-3,cost_incurred,2026-02-01,,labour,1.001,2026-02-01T09:00:00Z,,\n");
  ASSERT_EQ(result.facts.size(), 1u);
  EXPECT_EQ(result.facts[0].fact.source_record_id(), "X-2");
  EXPECT_EQ(result.report.records_read, 3);
  ASSERT_EQ(result.report.skipped_count, 2);
  EXPECT_EQ(result.report.skipped[0].line, 2);
  EXPECT_EQ(result.report.skipped[1].line, 4);
  EXPECT_EQ(result.report.skipped[1].record, "record_id X-3");
}

TEST(CtmsJson, ReadsTheSameSchema) {
  absl::StatusOr<ImportResult> result = ImportCtmsJson(
      R"({"records": [
        {"record_id": "AP-77", "kind": "cost_incurred", "date": "2026-03-31",
         "category": "investigator_grant", "amount": "12500.00", "currency": "USD",
         "updated_at": "2026-03-31T18:00:00Z", "user": "ap.clerk", "reason": null},
        {"record_id": "SA-101", "kind": "site_activated", "site": "101", "date": "2026-02-01",
         "updated_at": "2026-02-01T09:00:00+01:00", "correction": true}]})",
      "f.json", kOptions, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->facts.size(), 2u);
  EXPECT_EQ(result->facts[0].fact.cost_incurred().amount().amount_minor(), 1'250'000);
  EXPECT_EQ(result->facts[0].fact.audit().user(), "ap.clerk");
  EXPECT_TRUE(result->facts[1].fact.correction());
  EXPECT_EQ(FormatIsoTimestamp(result->facts[1].fact.source_timestamp_ms()),
            "2026-02-01T08:00:00Z");
}

TEST(CtmsJson, ErrorsNameTheRecordAndTheField) {
  EXPECT_EQ(JsonError(R"({"records": [{"record_id": "AP-1", "kind": "cost_incurred",
      "date": "2026-03-31", "category": "labour", "amount": 12.5,
      "updated_at": "2026-03-31T18:00:00Z"}]})"),
            "f.json: record 0: field 'amount' must be a string such as \"12500.00\" (a JSON number "
            "would be a float)");
  EXPECT_EQ(JsonError(R"({"records": [{"record_id": "AP-1", "kind": "cost_incurred",
      "date": "2026-03-31", "category": "labour", "amount": "12.555",
      "updated_at": "2026-03-31T18:00:00Z"}]})"),
            "f.json: record 0, record_id AP-1: field 'amount': USD has 2 decimal places, this "
            "amount has 3");
  EXPECT_EQ(JsonError(R"({"records": [{"record_id": "A", "knd": "x"}]})"),
            "f.json: record 0: field 'knd' is not a field of the CTMS schema");
  EXPECT_EQ(JsonError(R"({"records": [{"record_id": "A", "kind": "database_lock",
      "updated_at": "2026-03-31T18:00:00Z"}]})"),
            "f.json: record 0, record_id A: field 'date': is missing or empty");
  EXPECT_EQ(JsonError(R"({"records": [}")"),
            "f.json: invalid JSON: parse error at line 1, column 14: syntax error while parsing "
            "value - unexpected '}'; expected '[', '{', or a literal");
  EXPECT_EQ(JsonError(R"([{"record_id": "A"}])"),
            "f.json: expected an object {\"records\": [...]}");
  EXPECT_EQ(JsonError(R"({"records": [], "source": "x"})"),
            "f.json: unknown top-level field 'source'");
}

TEST(CtmsFile, ChoosesTheReaderByExtension) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string csv = (dir / ("tl_feeds_" + std::to_string(getpid()) + ".csv")).string();
  std::ofstream(csv) << kHeader << "FPI,first_patient_in,2026-02-10,,,,2026-02-10T09:00:00Z,,\n";
  absl::StatusOr<ImportResult> result = ImportCtmsFile(csv, kOptions, {});
  std::filesystem::remove(csv);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->facts.size(), 1u);
  EXPECT_EQ(ImportCtmsFile("feed.txt", kOptions, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  CtmsOptions bad = kOptions;
  bad.currency = "usd";
  EXPECT_FALSE(ImportCtmsCsv(kHeader, "f.csv", bad, {}).ok());
}

}  // namespace
}  // namespace tl::feeds
