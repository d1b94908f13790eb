// libFuzzer target: untrusted bytes as an ODM export through the EDC importer (sdk/feeds), in
// default and strict mode. Nothing may crash, hang or trip a sanitizer, and every fact it returns
// must pass the ledger's own fact checks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trialledger/contracts/fact_payload.h"
#include "trialledger/feeds/odm_reader.h"

namespace {

constexpr std::string_view kMapping = R"(source_system = "edc"
study = "S-1"
odm_study_oid = "S1"
site_from_audit_location = true
default_site = "101"

[status]
attribute = "Status"
namespace = "http://www.mdsol.com/ns/odm/metadata"
ignore = ["Screening"]

[status.values]
"Enrolled" = "subject_enrolled"
"Screen Failed" = "subject_screen_failed"

[visits]
not_visits = ["SUBJECT"]

[visits.types]
SCREEN = "SCREENING"
WEEK4 = "WEEK4"
VISIT_1 = "VISIT1"
"SE.MEDHIS" = "MEDICAL_HISTORY"

[sites.101]
location_oids = ["NY"]
names = ["General Hospital"]
time_zone = "America/New_York"

[sites.201]
location_oids = ["TOKYO"]
time_zone = "Asia/Tokyo"
)";

const tl::feeds::OdmMapping& Mapping() {
  static const tl::feeds::OdmMapping* mapping = [] {
    absl::StatusOr<tl::feeds::OdmMapping> parsed = tl::feeds::ParseOdmMapping(kMapping, "fuzz");
    if (!parsed.ok()) std::abort();
    return new tl::feeds::OdmMapping(*std::move(parsed));
  }();
  return *mapping;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  for (bool strict : {false, true}) {
    absl::StatusOr<tl::feeds::ImportResult> result =
        tl::feeds::ImportOdmText(xml, "fuzz.xml", Mapping(), {.strict = strict});
    if (!result.ok()) continue;
    if (strict && result->report.skipped_count != 0) std::abort();
    for (const tl::feeds::ImportedFact& imported : result->facts) {
      trialledger::v1::FactBatch batch;
      *batch.add_facts() = imported.fact;
      if (!tl::contracts::EncodeFactBatch(batch, 1).ok()) std::abort();
    }
  }
  return 0;
}
