#include "odm_facts.h"

#include <algorithm>

#include "fact_rules.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/limits.h"

namespace tl::feeds::internal {
namespace {

namespace v1 = ::trialledger::v1;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

v1::SubjectFact* MutableSubjectFact(v1::Fact* fact, SubjectEvent event) {
  switch (event) {
    case SubjectEvent::kScreened:
      return fact->mutable_subject_screened();
    case SubjectEvent::kEnrolled:
      return fact->mutable_subject_enrolled();
    case SubjectEvent::kRandomized:
      return fact->mutable_subject_randomized();
    case SubjectEvent::kScreenFailed:
      return fact->mutable_subject_screen_failed();
    case SubjectEvent::kWithdrawn:
      return fact->mutable_subject_withdrawn();
    case SubjectEvent::kCompleted:
      return fact->mutable_subject_completed();
  }
  TL_UNREACHABLE("every SubjectEvent has a fact kind");
}

// The part of a subject fact's key that tells one status change from another: the source
// system's own audit id when it has one, else the audit time and user, else (a snapshot without
// audit) nothing, so that every snapshot of a subject's status gives the same id.
std::string AuditKey(const OdmAudit* audit) {
  if (audit == nullptr) return "snapshot";
  if (!audit->source_id.empty()) return StrCat("src:", audit->source_id);
  return StrCat("at:", audit->time_text, "|", audit->user);
}

}  // namespace

void OdmFactBuilder::SetFile(bool transactional, std::string file_time_text, int64_t line) {
  transactional_ = transactional;
  std::string why;
  if (file_time_text.empty()) {
    file_time_problem_ = "the ODM element has no AsOfDateTime or CreationDateTime";
  } else if (!(file_time_ = ParseTimestamp(file_time_text, &why))) {
    file_time_problem_ =
        StrCat("the ODM element's date-time '", file_time_text, "' (line ", line, ") is ", why);
  }
}

void OdmFactBuilder::AddLocation(const std::string& oid, const std::string& name) {
  if (location_names_.size() < limits::kOdmLocationsMax) location_names_[oid] = name;
}

absl::StatusOr<size_t> OdmFactBuilder::SiteOf(const OdmSubject& subject,
                                              const OdmAudit* audit) const {
  std::string location = subject.site_ref;
  if (location.empty() && mapping_.site_from_audit_location && audit != nullptr) {
    location = audit->location;
  }
  if (location.empty()) {
    if (mapping_.default_site) return *mapping_.default_site;
    return absl::InvalidArgumentError(
        "the subject has no SiteRef and the mapping names no default_site");
  }
  if (auto by_oid = mapping_.site_by_location_oid.find(location);
      by_oid != mapping_.site_by_location_oid.end()) {
    return by_oid->second;
  }
  auto name = location_names_.find(location);
  if (name != location_names_.end()) {
    if (auto by_name = mapping_.site_by_location_name.find(name->second);
        by_name != mapping_.site_by_location_name.end()) {
      return by_name->second;
    }
    return absl::InvalidArgumentError(StrCat("site LocationOID '", location, "' (Name '",
                                             name->second, "') is not in the mapping's [sites]"));
  }
  return absl::InvalidArgumentError(
      StrCat("site LocationOID '", location, "' is not in the mapping's [sites]"));
}

absl::StatusOr<OdmFactBuilder::Dated> OdmFactBuilder::Date(const OdmSubject& subject,
                                                           const OdmAudit* audit,
                                                           bool transaction) const {
  TL_CHECK(audit == nullptr || audit->time.has_value());
  if (audit == nullptr && transactional_ && transaction) {
    return absl::InvalidArgumentError(
        "it has a TransactionType and no AuditRecord, which a Transactional file requires");
  }
  if (audit == nullptr && !file_time_) {
    return absl::InvalidArgumentError(
        StrCat("it has no AuditRecord to date it, and ", file_time_problem_));
  }
  absl::StatusOr<size_t> site = SiteOf(subject, audit);
  if (!site.ok()) return site.status();
  const absl::TimeZone& site_zone = mapping_.sites[*site].time_zone;
  const absl::TimeZone& offsetless = mapping_.offsetless_zone.value_or(site_zone);
  const Timestamp& stamp = audit != nullptr ? *audit->time : *file_time_;
  absl::StatusOr<BusinessTime> time = ToBusinessTime(stamp, offsetless, site_zone);
  if (!time.ok()) {
    return absl::InvalidArgumentError(StrCat("DateTimeStamp '",
                                             audit != nullptr ? audit->time_text : "(the file's)",
                                             "': ", MessageOf(time.status())));
  }
  return Dated{*time, *site, audit};
}

v1::Fact OdmFactBuilder::NewFact(const std::string& id, const BusinessTime& time,
                                 const OdmAudit* audit) const {
  v1::Fact fact;
  fact.set_source_system(mapping_.source_system);
  fact.set_source_record_id(id);
  fact.set_source_timestamp_ms(time.instant_ms);
  if (!mapping_.study.empty()) fact.set_study(mapping_.study);
  if (audit != nullptr) {
    if (!audit->user.empty()) fact.mutable_audit()->set_user(audit->user);
    if (!audit->reason.empty()) fact.mutable_audit()->set_reason(audit->reason);
  }
  return fact;
}

absl::Status OdmFactBuilder::Emit(v1::Fact fact, FactOrigin origin, bool revises_earlier,
                                  std::string_view record, bool* emitted) {
  *emitted = false;
  if (absl::Status shape = CheckFactShape(fact); !shape.ok()) {
    return reporter_.Skip(origin.line, record, MessageOf(shape));
  }
  *emitted = true;
  return sink_.Add({std::move(fact), std::move(origin), revises_earlier});
}

absl::Status OdmFactBuilder::SubjectStatus(const OdmSubject& subject) {
  if (!subject.status || subject.status->empty() || subject.removed) return absl::OkStatus();
  const std::string record = StrCat("subject ", subject.key);
  const std::string& value = *subject.status;
  const bool ignored = Contains(mapping_.ignored_statuses, value);
  auto mapped = mapping_.statuses.find(value);
  if (!ignored && mapped == mapping_.statuses.end()) {
    return reporter_.Skip(subject.line, record,
                          StrCat("status '", value,
                                 "' is neither in the mapping's [status.values] nor in "
                                 "status.ignore"));
  }
  if (subject.audit && !subject.audit->time) return absl::OkStatus();  // reported by the walk
  // A status written again unchanged (a snapshot, an export that repeats it) is no new event.
  const FieldsHash subject_key = HashFields({subject.study_oid, subject.key});
  auto last = subject_statuses_.find(subject_key);
  if (last != subject_statuses_.end() && last->second == value) return absl::OkStatus();
  if (last == subject_statuses_.end() && subject_statuses_.size() >= limits::kOdmSubjectsMax) {
    return reporter_.Fatal(subject.line,
                           StrCat("more than ", limits::kOdmSubjectsMax, " subjects in one file"));
  }
  if (ignored) {
    subject_statuses_[subject_key] = value;
    return absl::OkStatus();
  }
  const OdmAudit* audit = subject.audit ? &*subject.audit : nullptr;
  absl::StatusOr<Dated> dated = Date(subject, audit, subject.transaction);
  if (!dated.ok()) {
    return reporter_.Skip(subject.line, record,
                          StrCat("status '", value, "': ", MessageOf(dated.status())));
  }
  const SubjectEvent event = mapped->second;
  std::string_view kind = SubjectEventName(event);
  FactOrigin origin;
  const std::string id = HashedRecordId(
      kind.substr(std::string_view("subject_").size()),
      {"status", subject.study_oid, subject.key, kind, AuditKey(audit)}, &origin.key);
  v1::Fact fact = NewFact(id, dated->time, audit);
  v1::SubjectFact* subject_fact = MutableSubjectFact(&fact, event);
  subject_fact->set_site(mapping_.sites[dated->site].site);
  subject_fact->set_subject(subject.key);
  subject_fact->set_date_ms(dated->time.date_ms);
  origin.line = subject.line;
  if (audit != nullptr) {
    origin.source_id = audit->source_id;
    origin.location = audit->location;
    origin.audit_time = audit->time_text;
  }
  bool emitted = false;
  absl::Status status = Emit(std::move(fact), std::move(origin), false, record, &emitted);
  if (emitted) subject_statuses_[subject_key] = value;
  return status;
}

void OdmFactBuilder::BeginVisit(std::string oid, std::string repeat_key, int64_t line) {
  visit_ = Visit{std::move(oid), std::move(repeat_key), line, std::nullopt, std::nullopt};
}

absl::Status OdmFactBuilder::VisitItem(const OdmSubject& subject, const OdmItem& item) {
  if (Contains(mapping_.not_visits, visit_.oid)) return absl::OkStatus();
  if (item.audit != nullptr && !item.audit->time) return absl::OkStatus();  // reported
  absl::StatusOr<Dated> dated = Date(subject, item.audit, item.transaction);
  if (!dated.ok()) {
    if (!visit_.problem) {
      visit_.problem = Skipped{"", item.line, item.record, std::string(MessageOf(dated.status()))};
    }
    return absl::OkStatus();
  }
  if (visit_.earliest && visit_.earliest->time.instant_ms <= dated->time.instant_ms) {
    return absl::OkStatus();
  }
  std::optional<OdmAudit> audit;
  if (item.audit != nullptr) audit = *item.audit;
  visit_.earliest = Candidate{dated->time, dated->site, std::move(audit), item.line};
  return absl::OkStatus();
}

absl::Status OdmFactBuilder::EndVisit(const OdmSubject& subject) {
  Visit visit = std::move(visit_);
  visit_ = Visit{};
  std::string record = StrCat("subject ", subject.key, ", StudyEventData ", visit.oid);
  if (!visit.repeat_key.empty()) StrAppend(&record, " [", visit.repeat_key, "]");
  if (visit.problem) {
    const Skipped& problem = *visit.problem;
    if (absl::Status s = reporter_.Skip(problem.line, problem.record, problem.reason); !s.ok()) {
      return s;
    }
  }
  if (!visit.earliest) return absl::OkStatus();
  auto type = mapping_.visit_types.find(visit.oid);
  if (type == mapping_.visit_types.end()) {
    return reporter_.Skip(visit.line, record,
                          StrCat("StudyEventOID '", visit.oid,
                                 "' is neither in the mapping's [visits.types] nor in "
                                 "visits.not_visits"));
  }
  const Candidate& earliest = *visit.earliest;
  FactOrigin origin;
  // A visit instance is one fact however many audit records fill it: its id is the instance.
  FieldsHash visit_key;
  const std::string id = HashedRecordId(
      "visit", {"visit", subject.study_oid, subject.key, visit.oid, visit.repeat_key}, &origin.key,
      &visit_key);
  auto slot = visit_instants_.find(visit_key);
  if (slot != visit_instants_.end() && slot->second <= earliest.time.instant_ms) {
    return absl::OkStatus();
  }
  const bool revision = slot != visit_instants_.end();
  if (!revision && visit_instants_.size() >= limits::kOdmVisitInstancesMax) {
    return reporter_.Fatal(visit.line, StrCat("more than ", limits::kOdmVisitInstancesMax,
                                              " visit instances in one file"));
  }
  const OdmAudit* audit = earliest.audit ? &*earliest.audit : nullptr;
  v1::Fact fact = NewFact(id, earliest.time, audit);
  v1::VisitCompleted* completed = fact.mutable_visit_completed();
  completed->set_site(mapping_.sites[earliest.site].site);
  completed->set_subject(subject.key);
  completed->set_visit_type(type->second);
  completed->set_date_ms(earliest.time.date_ms);
  origin.line = earliest.line;
  if (audit != nullptr) {
    origin.source_id = audit->source_id;
    origin.location = audit->location;
    origin.audit_time = audit->time_text;
  }
  bool emitted = false;
  absl::Status status = Emit(std::move(fact), std::move(origin), revision, record, &emitted);
  if (emitted) visit_instants_[visit_key] = earliest.time.instant_ms;
  return status;
}

}  // namespace tl::feeds::internal
