// The mapping file of an EDC feed (TOML, docs/feeds.md "Mapping file"): what an ODM export means
// for the contract. Which vendor statuses are which subject facts, which StudyEventOIDs are
// billable visits (and which are no visits at all), which ODM locations are which contract sites
// and each site's time zone. Everything the importer would otherwise have to guess.
//
//   absl::StatusOr<OdmMapping> mapping = LoadOdmMapping("rave.toml");
//   // errors name file:line:column and the field: "rave.toml:14:1: sites.101: 'time_zone' ..."
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "trialledger/v1/facts.pb.h"

namespace tl::feeds {

// The subject facts a status can mean.
enum class SubjectEvent {
  kScreened,
  kEnrolled,
  kRandomized,
  kScreenFailed,
  kWithdrawn,
  kCompleted
};

struct MappedSite {
  std::string site;  // the contract's site id, written on facts
  std::string time_zone_name;
  absl::TimeZone time_zone;
};

struct OdmMapping {
  std::string source_system;  // written on every fact, e.g. "rave-edc"
  std::string study;          // the contract's study id written on facts; may be empty
  std::string odm_study_oid;  // when set, ClinicalData of other StudyOIDs is skipped
  // How to read a DateTimeStamp without a UTC offset: in the site's zone (nullopt, the default)
  // or in this fixed zone (e.g. a server that writes UTC).
  std::optional<absl::TimeZone> offsetless_zone;
  std::string offsetless_zone_name;  // "site" or the zone's name, for messages

  // The subject status attribute, e.g. Rave's mdsol:Status: its local name and namespace URI
  // (empty attribute name: the export carries no statuses).
  std::string status_attribute;
  std::string status_namespace;
  std::map<std::string, SubjectEvent> statuses;  // status value -> fact
  std::vector<std::string> ignored_statuses;     // known values that are no fact

  std::map<std::string, std::string> visit_types;  // StudyEventOID -> visit_type
  std::vector<std::string> not_visits;             // StudyEventOIDs that are no visits

  // Sites by ODM LocationOID and by AdminData Location Name.
  std::vector<MappedSite> sites;
  std::map<std::string, size_t> site_by_location_oid;  // index into sites
  std::map<std::string, size_t> site_by_location_name;
  // Where a subject has no SiteRef (ODM 1.1 has none): use the AuditRecord's LocationRef, then
  // this site (none: such a subject is reported).
  bool site_from_audit_location = false;
  std::optional<size_t> default_site;  // index into sites
};

absl::StatusOr<OdmMapping> ParseOdmMapping(std::string_view text, std::string_view file_name);
absl::StatusOr<OdmMapping> LoadOdmMapping(const std::string& path);

std::string_view SubjectEventName(SubjectEvent event);  // "subject_enrolled", ...

}  // namespace tl::feeds
