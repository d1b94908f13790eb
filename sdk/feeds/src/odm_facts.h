// The ODM rules: what the pieces the XML walk (odm_reader.cc) hands over mean as facts. Sites,
// dates, visit instances, status changes, source_record_ids. Internal to tl_feeds; the rules are
// written down in docs/feeds.md ("ODM: what becomes a fact").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "feed_time.h"
#include "reporter.h"
#include "trialledger/feeds/import.h"
#include "trialledger/feeds/odm_mapping.h"

namespace tl::feeds::internal {

// One AuditRecord as written. `time` is nullopt when DateTimeStamp is missing or malformed: the
// walk has reported that once, and data it covers is skipped without another message.
struct OdmAudit {
  int64_t line = 0;
  std::string user, location, time_text, reason, source_id;
  std::optional<Timestamp> time;
};

// The SubjectData being read (one at a time: they do not nest).
struct OdmSubject {
  int64_t line = 0;
  std::string study_oid;
  std::string key;       // SubjectKey
  std::string site_ref;  // SiteRef LocationOID, empty when none
  std::optional<std::string> status;
  bool transaction = false;  // has a TransactionType
  bool removed = false;      // TransactionType="Remove"
  std::optional<OdmAudit> audit;
};

// An ItemData that holds collected data (a value, not removed) inside a StudyEventData.
struct OdmItem {
  int64_t line = 0;
  const OdmAudit* audit = nullptr;  // its own or the nearest enclosing AuditRecord
  bool transaction = false;         // it or an enclosing element has a TransactionType
  std::string record;               // "subject P001, StudyEventData VISIT_1, ..." for messages
};

class OdmFactBuilder {
 public:
  // REQUIRES: all outlive the builder.
  OdmFactBuilder(const OdmMapping& mapping, Reporter& reporter, ImportResult* result)
      : mapping_(mapping), reporter_(reporter), result_(result) {}

  // From the ODM element: Transactional files need an AuditRecord on every transaction; Snapshot
  // data without one is dated by the file's AsOfDateTime (else CreationDateTime).
  void SetFile(bool transactional, std::string file_time_text, int64_t line);
  void AddLocation(const std::string& oid, const std::string& name);

  // Once per SubjectData, after its AuditRecord and SiteRef, before its StudyEventData.
  absl::Status SubjectStatus(const OdmSubject& subject);
  void BeginVisit(std::string oid, std::string repeat_key, int64_t line);
  absl::Status VisitItem(const OdmSubject& subject, const OdmItem& item);
  absl::Status EndVisit(const OdmSubject& subject);

 private:
  struct Dated {
    BusinessTime time;
    size_t site = 0;
    const OdmAudit* audit = nullptr;  // nullptr: dated by the file
  };
  // The site, time and audit of data at `subject`, or the reason it cannot be dated.
  absl::StatusOr<Dated> Date(const OdmSubject& subject, const OdmAudit* audit,
                             bool transaction) const;
  absl::StatusOr<size_t> SiteOf(const OdmSubject& subject, const OdmAudit* audit) const;
  trialledger::v1::Fact NewFact(const std::string& id, const BusinessTime& time,
                                const OdmAudit* audit) const;
  // Checks the fact's shape, then appends it (or replaces the one at `*index`); a fact the
  // ledger would refuse is skipped with the reason.
  absl::Status Emit(trialledger::v1::Fact fact, FactOrigin origin, std::string_view record,
                    size_t* index);

  struct Candidate {
    BusinessTime time;
    size_t site = 0;
    std::optional<OdmAudit> audit;  // a copy: the walk's records live only as long as their element
    int64_t line = 0;
  };
  struct Visit {
    std::string oid, repeat_key;
    int64_t line = 0;
    std::optional<Candidate> earliest;
    std::optional<Skipped> problem;  // the first, reported at the end (file unused)
  };
  struct VisitSlot {
    size_t fact_index = 0;
    int64_t instant_ms = 0;
  };

  const OdmMapping& mapping_;
  Reporter& reporter_;
  ImportResult* result_;
  bool transactional_ = false;
  std::optional<Timestamp> file_time_;
  std::string file_time_problem_;
  std::map<std::string, std::string> location_names_;  // AdminData Location OID -> Name
  Visit visit_;
  std::map<std::string, VisitSlot> visits_;              // by source_record_id
  std::map<std::string, std::string> subject_statuses_;  // study|subject -> last status value
};

}  // namespace tl::feeds::internal
