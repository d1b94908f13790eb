// The JSON form of a batch of facts, for `trialledger facts submit --file FACTS.json` and for
// people writing facts by hand (documented in docs/sow-language.md, "Facts"):
//
//   {"contract": "acme-301",
//    "facts": [{"kind": "subject_enrolled", "source_system": "rave-edc",
//               "source_record_id": "ENR-0001", "source_timestamp": "2026-03-02T09:15:00Z",
//               "audit": {"user": "j.smith", "reason": "initial entry"},
//               "study": "ACME-301", "site": "101", "subject": "101-001",
//               "date": "2026-03-02"}]}
//
// Errors name the file, the fact's index and the field:
//   facts.json: fact 2: field 'date': expected a date YYYY-MM-DD, got "2026-3-1"
#ifndef TRIALLEDGER_CONTRACTS_FACTS_JSON_H_
#define TRIALLEDGER_CONTRACTS_FACTS_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/v1/facts.pb.h"

namespace tl::contracts {

absl::StatusOr<trialledger::v1::FactBatch> ParseFactsJson(std::string_view text,
                                                          std::string_view file_name);

// The same form back, two-space indented, for `facts show` and round-trip tests.
std::string FactsToJson(const trialledger::v1::FactBatch& batch);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_FACTS_JSON_H_
