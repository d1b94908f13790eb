// A generated Medidata Rave "Clinical Audit Records" stream (CDISC ODM 1.3 Transactional) of a
// chosen size for bench/odm_import (the mapping that reads it: rave_study.h). The shape is that of
// shared/data/odm/rave-clinical-audit-records.xml: one ClinicalData per audit record, Rave's
// indentation and vendor attributes, subject creations and mdsol:Status changes, scheduling
// records without data (InstanceTarget, SetVisible), entries, corrections with a reason, queries
// (mdsol:Query, a vendor element the importer skips), removed log lines, a deleted subject.
//
//   absl::StatusOr<GeneratedOdm> odm = WriteRaveOdm("/tmp/x/car.xml", 20'000'000, kSeed);
//   WriteFile("/tmp/x/rave.toml", rave::MappingToml());   // rave_study.h: the mapping
//
// Deterministic: the same seed and size give the same bytes on every machine (subject_plan.h).
// Subjects' histories are interleaved as a real stream is (many sites enter data at once), and
// the study grows with the file: a 200 MB stream holds about ten times the subjects
// of a 20 MB one.
//
// While writing, the generator counts what docs/feeds.md's rules make of the file, so the bench
// can check that the importer did the whole job: one fact per mapped status change and per
// visit instance with data at a mapped site; one skipped record per status change and per
// StudyEventData with data at the training site, which the mapping leaves out on purpose.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace tl::bench {

struct GeneratedOdm {
  int64_t size_bytes = 0;
  int64_t clinical_data_blocks = 0;  // one SubjectData each: the importer's records_read
  int64_t subjects = 0;
  int64_t expected_facts = 0;
  int64_t expected_skipped = 0;
};

// Writes whole ClinicalData blocks until the file holds at least `size_bytes_min` bytes (it ends
// less than 2 kB past it). The last subjects' histories stop where the file does.
absl::StatusOr<GeneratedOdm> WriteRaveOdm(const std::string& path, int64_t size_bytes_min,
                                          uint64_t seed);

}  // namespace tl::bench
