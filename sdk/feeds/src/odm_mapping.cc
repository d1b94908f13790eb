#include "trialledger/feeds/odm_mapping.h"

#include <algorithm>
#include <initializer_list>

#include "feed_time.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/limits.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::feeds {
namespace {

constexpr std::pair<SubjectEvent, std::string_view> kSubjectEventNames[] = {
    {SubjectEvent::kScreened, "subject_screened"},
    {SubjectEvent::kEnrolled, "subject_enrolled"},
    {SubjectEvent::kRandomized, "subject_randomized"},
    {SubjectEvent::kScreenFailed, "subject_screen_failed"},
    {SubjectEvent::kWithdrawn, "subject_withdrawn"},
    {SubjectEvent::kCompleted, "subject_completed"},
};

// The first error of any table's reader, so that one message names the file, line and field.
class Errors {
 public:
  explicit Errors(std::string_view origin) : origin_(origin) {}
  TableReader Reader(const toml::table& table, std::string what) const {
    return TableReader(table, origin_, std::move(what));
  }
  void Merge(const TableReader& reader) {
    if (first_.ok() && !reader.status().ok()) first_ = reader.status();
  }
  const absl::Status& first() const { return first_; }

 private:
  std::string origin_;
  absl::Status first_;
};

// A typo in a key would otherwise silently leave a rule out of the mapping.
void RejectUnknownKeys(TableReader& reader, const toml::table& table,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, node] : table) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      reader.Fail(node, StrCat("unknown key '", std::string_view(key.str()), "'"));
    }
  }
}

const toml::table* SubTable(TableReader& reader, const toml::table& table, std::string_view key) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    reader.Fail(*node, StrCat("'", key, "' must be a table"));
    return nullptr;
  }
  return node->as_table();
}

void ReadStatusValues(Errors& errors, const toml::table& table, OdmMapping* mapping) {
  TableReader reader = errors.Reader(table, "status.values");
  for (const auto& [value, node] : table) {
    const std::string name = node.is_string() ? node.as_string()->get() : "";
    auto known = std::find_if(std::begin(kSubjectEventNames), std::end(kSubjectEventNames),
                              [&](const auto& entry) { return entry.second == name; });
    if (known == std::end(kSubjectEventNames)) {
      reader.Fail(node, StrCat("'", std::string_view(value.str()),
                               "' must name a subject fact (subject_screened, subject_enrolled, "
                               "subject_randomized, subject_screen_failed, subject_withdrawn, "
                               "subject_completed)"));
      continue;
    }
    mapping->statuses[std::string(value.str())] = known->first;
  }
  errors.Merge(reader);
}

void ReadStatus(Errors& errors, const toml::table& table, OdmMapping* mapping) {
  TableReader reader = errors.Reader(table, "status");
  RejectUnknownKeys(reader, table, {"attribute", "namespace", "values", "ignore"});
  mapping->status_attribute = reader.String("attribute");
  mapping->status_namespace = reader.String("namespace", /*required=*/false);
  if (table.get("ignore") != nullptr) mapping->ignored_statuses = reader.Strings("ignore");
  const toml::table* values = SubTable(reader, table, "values");
  if (values == nullptr) reader.Fail(table, "'[status.values]' is missing");
  errors.Merge(reader);
  if (values != nullptr) ReadStatusValues(errors, *values, mapping);
}

void ReadVisitTypes(Errors& errors, const toml::table& table, OdmMapping* mapping) {
  TableReader reader = errors.Reader(table, "visits.types");
  for (const auto& [oid, node] : table) {
    if (!node.is_string() || node.as_string()->get().empty()) {
      reader.Fail(node, StrCat("'", std::string_view(oid.str()), "' must name a visit type"));
      continue;
    }
    mapping->visit_types[std::string(oid.str())] = node.as_string()->get();
  }
  errors.Merge(reader);
}

void ReadVisits(Errors& errors, const toml::table& table, OdmMapping* mapping) {
  TableReader reader = errors.Reader(table, "visits");
  RejectUnknownKeys(reader, table, {"types", "not_visits"});
  if (table.get("not_visits") != nullptr) mapping->not_visits = reader.Strings("not_visits");
  const toml::table* types = SubTable(reader, table, "types");
  if (types == nullptr) reader.Fail(table, "'[visits.types]' is missing");
  errors.Merge(reader);
  if (types != nullptr) ReadVisitTypes(errors, *types, mapping);
  for (const std::string& oid : mapping->not_visits) {
    if (mapping->visit_types.count(oid) != 0) {
      reader.Fail(*table.get("not_visits"),
                  StrCat("'", oid, "' is both a visit type and in not_visits"));
    }
  }
  errors.Merge(reader);
}

void ReadSite(Errors& errors, std::string_view site_id, const toml::table& table,
              OdmMapping* mapping) {
  TableReader reader = errors.Reader(table, StrCat("sites.", site_id));
  RejectUnknownKeys(reader, table, {"location_oids", "names", "time_zone"});
  const size_t index = mapping->sites.size();
  MappedSite site;
  site.site = std::string(site_id);
  site.time_zone_name = reader.String("time_zone");
  if (!site.time_zone_name.empty()) {
    absl::StatusOr<absl::TimeZone> zone = internal::LoadZone(site.time_zone_name);
    if (zone.ok()) {
      site.time_zone = *zone;
    } else {
      reader.Fail(*table.get("time_zone"), StrCat("'time_zone': ", MessageOf(zone.status())));
    }
  }
  auto add = [&](std::string_view key, std::map<std::string, size_t>* by) {
    if (table.get(key) == nullptr) return;
    for (const std::string& name : reader.Strings(key)) {
      if (!by->emplace(name, index).second) {
        reader.Fail(*table.get(key), StrCat("'", key, "': '", name, "' already belongs to site ",
                                            mapping->sites[by->at(name)].site));
      }
    }
  };
  add("location_oids", &mapping->site_by_location_oid);
  add("names", &mapping->site_by_location_name);
  errors.Merge(reader);
  mapping->sites.push_back(std::move(site));
}

void ReadSites(Errors& errors, const toml::table& table, OdmMapping* mapping) {
  TableReader reader = errors.Reader(table, "sites");
  for (const auto& [site_id, node] : table) {
    if (!node.is_table()) {
      reader.Fail(node, StrCat("'", std::string_view(site_id.str()), "' must be a table"));
      continue;
    }
    ReadSite(errors, site_id.str(), *node.as_table(), mapping);
  }
  errors.Merge(reader);
}

}  // namespace

std::string_view SubjectEventName(SubjectEvent event) {
  for (const auto& [known, name] : kSubjectEventNames) {
    if (known == event) return name;
  }
  TL_UNREACHABLE("every SubjectEvent has a name");
}

absl::StatusOr<OdmMapping> ParseOdmMapping(std::string_view text, std::string_view file_name) {
  absl::StatusOr<toml::table> root = ParseToml(text, file_name);
  if (!root.ok()) return root.status();
  OdmMapping mapping;
  Errors errors(file_name);
  TableReader top = errors.Reader(*root, "mapping");
  RejectUnknownKeys(top, *root,
                    {"source_system", "study", "odm_study_oid", "offsetless_timestamps", "status",
                     "visits", "sites", "site_from_audit_location", "default_site"});
  mapping.source_system = top.String("source_system");
  mapping.study = top.String("study", /*required=*/false);
  mapping.odm_study_oid = top.String("odm_study_oid", /*required=*/false);
  mapping.offsetless_zone_name = top.String("offsetless_timestamps", /*required=*/false);
  if (mapping.offsetless_zone_name.empty()) mapping.offsetless_zone_name = "site";
  if (mapping.offsetless_zone_name != "site") {
    absl::StatusOr<absl::TimeZone> zone = internal::LoadZone(mapping.offsetless_zone_name);
    if (zone.ok()) {
      mapping.offsetless_zone = *zone;
    } else {
      top.Fail(
          *root->get("offsetless_timestamps"),
          StrCat("'offsetless_timestamps' must be \"site\" or a zone: ", MessageOf(zone.status())));
    }
  }
  if (const toml::node* node = root->get("site_from_audit_location")) {
    if (node->is_boolean()) {
      mapping.site_from_audit_location = node->as_boolean()->get();
    } else {
      top.Fail(*node, "'site_from_audit_location' must be true or false");
    }
  }
  const toml::table* status = SubTable(top, *root, "status");
  const toml::table* visits = SubTable(top, *root, "visits");
  const toml::table* sites = SubTable(top, *root, "sites");
  if (visits == nullptr) top.Fail(*root, "'[visits]' is missing");
  if (sites == nullptr) top.Fail(*root, "'[sites]' is missing");
  errors.Merge(top);
  if (status != nullptr) ReadStatus(errors, *status, &mapping);
  if (visits != nullptr) ReadVisits(errors, *visits, &mapping);
  if (sites != nullptr) ReadSites(errors, *sites, &mapping);
  const std::string default_site = top.String("default_site", /*required=*/false);
  if (!default_site.empty()) {
    auto found = std::find_if(mapping.sites.begin(), mapping.sites.end(),
                              [&](const MappedSite& site) { return site.site == default_site; });
    if (found == mapping.sites.end()) {
      top.Fail(*root->get("default_site"),
               StrCat("'default_site' is '", default_site, "', which no [sites] table names"));
    } else {
      mapping.default_site = static_cast<size_t>(found - mapping.sites.begin());
    }
  }
  errors.Merge(top);
  if (!errors.first().ok()) return errors.first();
  return mapping;
}

absl::StatusOr<OdmMapping> LoadOdmMapping(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  if (text->size() > limits::kMappingFileBytesMax) {
    return absl::InvalidArgumentError(
        StrCat(path, ": a mapping file is at most ", limits::kMappingFileBytesMax, " bytes"));
  }
  return ParseOdmMapping(*text, path);
}

}  // namespace tl::feeds
