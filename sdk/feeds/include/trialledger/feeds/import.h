// What every feed importer returns: the facts it read, each with where it came from, and a report
// of the records it skipped. The facts are ready to go into a FactBatch (facts.proto) and be
// signed by the caller; nothing here talks to a ledger.
//
//   absl::StatusOr<ImportResult> result = ImportOdmFile(path, mapping, {.strict = false});
//   if (!result.ok()) return result.status();       // I/O, malformed XML, or strict mode
//   for (const Skipped& s : result->report.skipped)  // "rave.xml:12807: subject ...: ..."
//     std::cerr << FormatSkipped(s) << "\n";
//
// ImportResult holds every fact of the file (about 1 kB each). A program that wants the ODM
// importer's constant memory hands it a FactSink instead and gets each fact as soon as it is final
// (odm_reader.h); FactCollector is the sink that builds an ImportResult.
//
// Strict mode stops at the first bad record with an error that says the same thing as the
// skipped entry would; the default skips the record, counts it and lists it (docs/feeds.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

#include "trialledger/v1/facts.pb.h"

namespace tl::feeds {

struct ImportOptions {
  // Stop at the first record that cannot become a fact, instead of skipping it.
  bool strict = false;
};

// Where a fact came from: enough for an auditor to find the source record. The fact itself keeps
// the user, reason and timestamp (facts.proto has no field for the rest).
struct FactOrigin {
  int64_t line = 0;        // line of the record (ODM: the data element; CSV: first line)
  std::string source_id;   // ODM AuditRecord SourceID, CSV/JSON record_id
  std::string location;    // ODM AuditRecord LocationRef LocationOID
  std::string audit_time;  // the timestamp as the file wrote it
  std::string key;         // the fields the source_record_id is a hash of (docs/feeds.md)
};

struct ImportedFact {
  trialledger::v1::Fact fact;
  FactOrigin origin;
  // This fact replaces the one with the same source_record_id handed over earlier in the same
  // import: a later record of the file dated that visit earlier (docs/feeds.md, "Visit facts").
  // A sink that already submitted the earlier one submits this one as a correction.
  bool revises_earlier = false;
};

// A record that did not become a fact.
struct Skipped {
  std::string file;
  int64_t line = 0;
  std::string record;  // e.g. "subject P001, StudyEventData VISIT_1, FormData PAGE_1"
  std::string reason;
};

struct ImportReport {
  int64_t records_read = 0;  // ODM: data elements seen; CSV/JSON: records
  int64_t skipped_count = 0;
  std::vector<Skipped> skipped;  // the first limits::kSkippedListedMax of them
};

struct ImportResult {
  std::vector<ImportedFact> facts;
  ImportReport report;
};

// Where a streaming importer hands each fact, in file order, as soon as it is final. A non-OK
// status from Add ends the import with that status.
class FactSink {
 public:
  virtual ~FactSink() = default;
  virtual absl::Status Add(ImportedFact fact) = 0;
};

// Keeps every fact in file order; a revision takes the place of the fact it revises (keeping
// that position, so the facts read as if the file had given the earliest record first).
class FactCollector final : public FactSink {
 public:
  absl::Status Add(ImportedFact fact) override;
  std::vector<ImportedFact> TakeFacts() && { return std::move(facts_); }

 private:
  std::vector<ImportedFact> facts_;
  std::map<std::string, size_t> position_;  // source_record_id -> index in facts_
};

// "file:line: record: reason", the form strict-mode errors take too.
std::string FormatSkipped(const Skipped& skipped);

}  // namespace tl::feeds
