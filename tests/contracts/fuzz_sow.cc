// libFuzzer target for the SOW front end and the facts JSON form. Text starting with '{' goes to
// the facts parser (whose output must survive a round trip); anything else is compiled, and a
// SOW that compiles must compile to the same bytes again, load, instantiate and take a small
// batch of facts without a host error. A rejected SOW must give a located diagnostic.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/facts_json.h"
#include "trialledger/contracts/runtime.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void FuzzFacts(std::string_view text) {
  absl::StatusOr<trialledger::v1::FactBatch> batch = tl::contracts::ParseFactsJson(text, "f.json");
  if (!batch.ok()) {
    Require(std::string(batch.status().message()).starts_with("f.json: "));
    return;
  }
  absl::StatusOr<trialledger::v1::FactBatch> again =
      tl::contracts::ParseFactsJson(tl::contracts::FactsToJson(*batch), "again.json");
  Require(again.ok());
}

void FuzzSow(std::string_view text) {
  absl::StatusOr<tl::contracts::CompiledContract> compiled =
      tl::contracts::CompileSow(text, "fuzz.sow");
  if (!compiled.ok()) {
    Require(std::string(compiled.status().message()).starts_with("fuzz.sow:"));
    return;
  }
  absl::StatusOr<tl::contracts::CompiledContract> again =
      tl::contracts::CompileSow(text, "fuzz.sow");
  Require(again.ok() && again->module_bytes == compiled->module_bytes);
  absl::StatusOr<tl::contracts::ContractRuntime> runtime =
      tl::contracts::ContractRuntime::Load(*compiled);
  Require(runtime.ok());
  tl::contracts::MemoryContractState state;
  const tl::contracts::BlockContext block{1, 1798761600000};
  const tl::contracts::Signer sponsor{"k1", compiled->metadata.sponsor(), {"finance"}};
  Require(runtime->Instantiate(state, block, sponsor, {}).ok());
  absl::StatusOr<trialledger::v1::FactBatch> facts = tl::contracts::ParseFactsJson(
      R"({"facts": [
        {"kind": "site_activated", "source_system": "ctms", "source_record_id": "1",
         "source_timestamp": "2026-01-01T00:00:00Z", "site": "101", "date": "2026-01-01"},
        {"kind": "subject_enrolled", "source_system": "edc", "source_record_id": "2",
         "source_timestamp": "2026-01-02T00:00:00Z", "site": "101", "subject": "101-001",
         "date": "2026-01-02"},
        {"kind": "database_lock", "source_system": "edc", "source_record_id": "3",
         "source_timestamp": "2026-01-03T00:00:00Z", "date": "2026-01-03"}]})",
      "seed.json");
  Require(facts.ok());
  for (const auto& binding : compiled->metadata.bindings()) {
    const tl::contracts::Signer oracle{"k2", binding.organisation(), {binding.role()}};
    const tl::contracts::BlockContext next{2, 1798848000000};
    absl::StatusOr<tl::contracts::RunResult> run =
        runtime->SubmitFacts(state, next, oracle, *facts);
    Require(run.ok());
    Require(run->accepted || run->events.empty());
    break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!text.empty() && text[0] == '{') {
    FuzzFacts(text);
  } else {
    FuzzSow(text);
  }
  return 0;
}
