// libFuzzer target: untrusted bytes as a CTMS/cost CSV feed (sdk/feeds, libcsv underneath), in
// default and strict mode. Nothing may crash, hang or trip a sanitizer, and every fact it returns
// must pass the ledger's own fact checks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trialledger/contracts/fact_payload.h"
#include "trialledger/feeds/ctms_feed.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tl::feeds::CtmsOptions kOptions{
      .source_system = "ctms", .currency = "USD", .study = "S-1"};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool strict : {false, true}) {
    absl::StatusOr<tl::feeds::ImportResult> result =
        tl::feeds::ImportCtmsCsv(text, "fuzz.csv", kOptions, {.strict = strict});
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
