// The CTMS and cost importer: site activated/closed, site initiation and monitoring visits, first
// patient in, last patient last visit, database lock, costs incurred and estimate-at-completion
// updates, from CSV (RFC 4180, read with libcsv) or JSON. Columns, kinds and examples are in
// docs/feeds.md; one record is one fact and its record_id is the fact's source_record_id.
//
//   CtmsOptions options{.source_system = "ctms", .currency = "USD"};
//   absl::StatusOr<ImportResult> result = ImportCtmsFile("sites.csv", options, {});
//   // "sites.csv:7: field 'amount': USD has 2 decimal places, this amount has 3"
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/feeds/import.h"

namespace tl::feeds {

struct CtmsOptions {
  std::string source_system;  // written on every fact, e.g. "ctms" or "erp"
  std::string currency;       // the contract's currency (ISO 4217): amounts must be in it
  std::string study;          // written on facts without a study column value; may be empty
};

// Structural problems (a missing or unknown column, broken quoting, invalid JSON) are errors in
// every mode; a bad record is skipped and listed unless `import.strict`.
absl::StatusOr<ImportResult> ImportCtmsCsv(std::string_view text, std::string_view file_name,
                                           const CtmsOptions& options, const ImportOptions& import);
absl::StatusOr<ImportResult> ImportCtmsJson(std::string_view text, std::string_view file_name,
                                            const CtmsOptions& options,
                                            const ImportOptions& import);
// By extension: .csv or .json.
absl::StatusOr<ImportResult> ImportCtmsFile(const std::string& path, const CtmsOptions& options,
                                            const ImportOptions& import);

}  // namespace tl::feeds
