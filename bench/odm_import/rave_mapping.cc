#include "rave_study.h"
#include "trialledger/base/str_cat.h"

namespace tl::bench::rave {

std::string MappingToml() {
  std::string out = StrCat(
      "# The mapping of bench/odm_import's generated Rave streams (rave_study.h).\n",
      "source_system = \"rave-edc\"\nstudy = \"", kContractStudy, "\"\nodm_study_oid = \"",
      kStudyOid, "\"\noffsetless_timestamps = \"site\"\n\n[status]\nattribute = \"Status\"\n",
      "namespace = \"", kMdsolNamespace, "\"\nignore = [");
  std::string values = "\n[status.values]\n";
  std::string_view separator;
  for (const Status& status : kStatuses) {
    if (!status.fact.empty()) {
      StrAppend(&values, "\"", status.value, "\" = \"", status.fact, "\"\n");
    } else {
      StrAppend(&out, separator, "\"", status.value, "\"");
      separator = ", ";
    }
  }
  StrAppend(&out, "]\n", values, "\n[visits]\nnot_visits = [");
  std::string types = "\n[visits.types]\n";
  separator = {};
  for (const Folder& folder : kFolders) {
    if (!folder.visit_type.empty()) {
      StrAppend(&types, folder.oid, " = \"", folder.visit_type, "\"\n");
    } else {
      StrAppend(&out, separator, "\"", folder.oid, "\"");
      separator = ", ";
    }
  }
  StrAppend(&out, "]\n", types);
  for (const Site& site : kSites) {
    if (site.contract_site.empty()) continue;  // the training site: its records are skipped
    StrAppend(&out, "\n[sites.", site.contract_site, "]\nlocation_oids = [\"", site.location_oid,
              "\"]\ntime_zone = \"", site.time_zone, "\"\n");
  }
  return out;
}

}  // namespace tl::bench::rave
