// The ODM rules: what the pieces the XML walk (odm_reader.cc) hands over mean as facts. Sites,
// dates, visit instances, status changes, source_record_ids. Internal to tl_feeds; the rules are
// written down in docs/feeds.md ("ODM: what becomes a fact").
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "fact_rules.h"
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
  OdmFactBuilder(const OdmMapping& mapping, Reporter& reporter, FactSink& sink)
      : mapping_(mapping), reporter_(reporter), sink_(sink) {}

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
  // Checks the fact's shape, then hands it to the sink (`*emitted` says whether it went); a fact
  // the ledger would refuse is skipped with the reason.
  absl::Status Emit(trialledger::v1::Fact fact, FactOrigin origin, bool revises_earlier,
                    std::string_view record, bool* emitted);

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

  const OdmMapping& mapping_;
  Reporter& reporter_;
  FactSink& sink_;
  bool transactional_ = false;
  std::optional<Timestamp> file_time_;
  std::string file_time_problem_;
  std::map<std::string, std::string> location_names_;  // AdminData Location OID -> Name
  Visit visit_;
  // What grows with the file, kept small: flat tables keyed by the 16 hashed bytes of the
  // record (about 25 bytes an instance, against some 130 in a std::map of the ids as text).
  // Looked up only, never iterated, so their order cannot reach the facts.
  // The instant each visit instance handed over is dated by (the hash its source_record_id is
  // the hex of): all that is kept of a visit once its fact is out, so that a later,
  // earlier-dated record revises it.
  absl::flat_hash_map<FieldsHash, int64_t> visit_instants_;
  // Each subject's last status value, by HashFields({StudyOID, SubjectKey}).
  absl::flat_hash_map<FieldsHash, std::string> subject_statuses_;
};

}  // namespace tl::feeds::internal
