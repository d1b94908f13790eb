// The documented JSON form of facts and its error messages.
#include <gtest/gtest.h>

#include "trialledger/contracts/facts_json.h"

namespace tl::contracts {
namespace {

constexpr char kValid[] = R"({
  "contract": "acme-301",
  "facts": [
    {"kind": "subject_enrolled", "source_system": "rave-edc", "source_record_id": "ENR-0001",
     "source_timestamp": "2026-03-02T09:15:00Z",
     "audit": {"user": "j.smith", "reason": "initial entry"},
     "study": "ACME-301", "site": "101", "subject": "101-001", "date": "2026-03-02"},
    {"kind": "cost_incurred", "source_system": "erp", "source_record_id": "AP-77",
     "source_timestamp": "2026-03-31T18:00:00Z", "category": "investigator_grant",
     "amount": "USD 12,500.00", "date": "2026-03-31", "correction": true},
    {"kind": "visit_completed", "source_system": "rave-edc", "source_record_id": "V-9",
     "source_timestamp": "2026-04-01T10:00:00Z", "site": "101", "subject": "101-001",
     "visit_type": "WEEK4", "date": "2026-04-01"}
  ]
})";

TEST(FactsJsonTest, ParsesEveryFieldIntoTheProtocolForm) {
  absl::StatusOr<trialledger::v1::FactBatch> batch = ParseFactsJson(kValid, "facts.json");
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_EQ(batch->contract_id(), "acme-301");
  ASSERT_EQ(batch->facts_size(), 3);
  const auto& enrolled = batch->facts(0);
  EXPECT_EQ(enrolled.source_record_id(), "ENR-0001");
  EXPECT_EQ(enrolled.audit().reason(), "initial entry");
  EXPECT_EQ(enrolled.subject_enrolled().subject(), "101-001");
  EXPECT_EQ(enrolled.subject_enrolled().date_ms(), 1772409600000);
  EXPECT_EQ(enrolled.source_timestamp_ms(), 1772442900000);
  const auto& cost = batch->facts(1);
  EXPECT_TRUE(cost.correction());
  EXPECT_EQ(cost.cost_incurred().amount().currency(), "USD");
  EXPECT_EQ(cost.cost_incurred().amount().amount_minor(), 1'250'000);
  EXPECT_EQ(batch->facts(2).visit_completed().visit_type(), "WEEK4");
  // Round trip through the same form.
  absl::StatusOr<trialledger::v1::FactBatch> again =
      ParseFactsJson(FactsToJson(*batch), "again.json");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->SerializeAsString(), batch->SerializeAsString());
}

TEST(FactsJsonTest, ErrorsNameFileFactAndField) {
  auto error = [](const std::string& fact) {
    return std::string(ParseFactsJson("{\"facts\": [" + fact + "]}", "f.json").status().message());
  };
  const std::string head =
      R"("source_system": "s", "source_record_id": "r", "source_timestamp": "2026-01-01T00:00:00Z")";
  EXPECT_EQ(error(R"({"kind": "subject_enrolled", )" + head +
                  R"(, "site": "1", "subject": "2", "date": "2026-3-1"})"),
            "f.json: fact 1: field 'date' expected a date YYYY-MM-DD, got \"2026-3-1\"");
  EXPECT_EQ(error(R"({"kind": "subject_enroled", )" + head + "}"),
            "f.json: fact 1: field 'kind' unknown fact kind \"subject_enroled\"");
  EXPECT_EQ(error(R"({"kind": "site_activated", )" + head +
                  R"(, "site": "1", "subject": "2", "date": "2026-03-01"})"),
            "f.json: fact 1: field 'subject' does not apply to site_activated facts (they take "
            "date, site)");
  EXPECT_EQ(error(R"({"kind": "cost_incurred", )" + head +
                  R"(, "category": "c", "amount": "USD 1.234", "date": "2026-03-01"})"),
            "f.json: fact 1: field 'amount' USD has 2 decimal places, this amount has 3, got "
            "\"USD 1.234\"");
  EXPECT_EQ(error(R"({"kind": "database_lock", "source_system": "s", "date": "2026-03-01"})"),
            "f.json: fact 1: field 'source_record_id' is required");
  // A file cut short: the line and column where the parser stopped, counted from 1.
  EXPECT_EQ(
      std::string(ParseFactsJson("{\"facts\": [\n  {\"kind\": \"cost_incurred\",\n   ", "f.json")
                      .status()
                      .message()),
      "f.json:3:4: not valid JSON: syntax error while parsing object key - unexpected end "
      "of input; expected string literal");
}

}  // namespace
}  // namespace tl::contracts
