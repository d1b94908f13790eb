// One CTMS or cost record, as either reader found it, to one fact: one home for the CTMS rules
// (kinds, which fields each takes, dates, exact amounts, duplicate ids) whatever the file format.
// Internal to tl_feeds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "reporter.h"
#include "trialledger/feeds/ctms_feed.h"
#include "trialledger/feeds/import.h"

namespace tl::feeds::internal {

struct CtmsValue {
  std::string text;
  int column = 0;  // CSV: 1-based column; JSON: 0
};

struct CtmsRecord {
  int64_t line = 0;                         // CSV: the record's first line; JSON: 0
  std::string where;                        // JSON: "record 3"; CSV: empty (the line says it)
  std::map<std::string, CtmsValue> fields;  // non-empty values only
  std::optional<bool> correction;           // JSON's boolean, when given
};

// The column and field names of the schema (docs/feeds.md), for the readers' checks.
bool IsCtmsField(const std::string& name);
bool IsRequiredCtmsColumn(const std::string& name);

class CtmsCollector {
 public:
  // REQUIRES: all outlive the collector. An error when `options` are unusable.
  CtmsCollector(const CtmsOptions& options, Reporter& reporter, ImportResult* result)
      : options_(options), reporter_(reporter), result_(result) {}
  static absl::Status CheckOptions(const CtmsOptions& options);
  // What every CTMS reader checks before it reads: usable options and a file within
  // kFeedFileBytesMax (a fatal error through `reporter`, which names the file).
  static absl::Status CheckInput(const CtmsOptions& options, std::string_view text,
                                 const Reporter& reporter);

  // The fact, or the record skipped (Ok) or the strict-mode error.
  absl::Status Add(const CtmsRecord& record);

 private:
  absl::StatusOr<trialledger::v1::Fact> ToFact(const CtmsRecord& record) const;

  const CtmsOptions& options_;
  Reporter& reporter_;
  ImportResult* result_;
  std::map<std::string, int64_t> first_use_;  // record_id -> line (or record index) first seen
};

}  // namespace tl::feeds::internal
