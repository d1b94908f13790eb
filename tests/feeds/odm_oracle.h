// An independent count over an ODM file, for checking the importer against: the whole file as a
// libxml2 DOM, StudyEventData and SubjectData found by XPath, the rules of docs/feeds.md written
// again plainly (timestamps checked by a regular expression, not by the importer's parser).
// Small files only: it holds the whole document.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tl::feeds::testing {

struct OdmCounts {
  // StudyEventOID -> visit instances (subject, repeat key) that hold dated, collected data.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> visits;
  // (status value, SiteRef LocationOID) -> subjects that took that status there.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> statuses;
  int status_changes = 0;  // status values that differ from the subject's previous one
  std::vector<int> malformed_timestamp_lines;  // DateTimeStamps that are no xs:dateTime
};

// `status_attribute` is a local name (any namespace), e.g. "Status"; empty: none.
OdmCounts CountOdm(const std::string& path, const std::string& status_attribute);

}  // namespace tl::feeds::testing
