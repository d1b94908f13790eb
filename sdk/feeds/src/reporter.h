// One home for "skip it or stop": every importer hands each bad record to a Reporter, which
// lists it (default) or turns it into the error the import returns (strict). Internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "trialledger/feeds/import.h"

namespace tl::feeds::internal {

class Reporter {
 public:
  // REQUIRES: `report` outlives the Reporter.
  Reporter(std::string_view file, const ImportOptions& options, ImportReport* report)
      : file_(file), strict_(options.strict), report_(report) {}

  // Ok when the record is skipped and listed; in strict mode the error to stop with.
  absl::Status Skip(int64_t line, std::string_view record, std::string_view reason);
  // A problem that ends the import in every mode (malformed XML, a missing column).
  absl::Status Fatal(int64_t line, std::string_view reason) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  bool strict_;
  ImportReport* report_;
};

}  // namespace tl::feeds::internal
