// The EDC importer: CDISC ODM 1.1 to 2.0 ClinicalData (Snapshot and Transactional) to subject and
// visit facts, streamed with libxml2's xmlTextReader so that a file of any size is read in
// bounded memory. What becomes a fact, the dates, the ids and the errors are in docs/feeds.md.
//
//   absl::StatusOr<OdmMapping> mapping = LoadOdmMapping("rave.toml");
//   absl::StatusOr<ImportResult> result = ImportOdmFile("export.xml", *mapping, {});
//
// With a FactSink each fact goes out as soon as it is final (a subject's status at its
// SubjectData, a visit at the end of its first StudyEventData with data), and what the import keeps
// is one subject status and one visit instant per instance: memory that does not grow with the
// facts. A later record that dates a visit earlier comes as a revision
// (ImportedFact::revises_earlier).
//
// In short: a status attribute (mapping) on SubjectData is a subject fact; a visit instance
// (subject, StudyEventOID, StudyEventRepeatKey) that holds collected data (an ItemData with a
// value, not removed) is one visit_completed fact dated by its earliest audit record. Dates are
// the local date at the subject's site.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/feeds/import.h"
#include "trialledger/feeds/odm_mapping.h"

namespace tl::feeds {

absl::StatusOr<ImportResult> ImportOdmFile(const std::string& path, const OdmMapping& mapping,
                                           const ImportOptions& options);
// Streaming: the facts go to `sink`, in file order; the report comes back.
absl::StatusOr<ImportReport> ImportOdmFile(const std::string& path, const OdmMapping& mapping,
                                           const ImportOptions& options, FactSink& sink);
// The same from memory; `file_name` is used in messages.
absl::StatusOr<ImportResult> ImportOdmText(std::string_view xml, std::string_view file_name,
                                           const OdmMapping& mapping, const ImportOptions& options);
absl::StatusOr<ImportReport> ImportOdmText(std::string_view xml, std::string_view file_name,
                                           const OdmMapping& mapping, const ImportOptions& options,
                                           FactSink& sink);

}  // namespace tl::feeds
