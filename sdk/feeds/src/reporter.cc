#include "reporter.h"

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/limits.h"

namespace tl::feeds {

std::string FormatSkipped(const Skipped& skipped) {
  std::string out = skipped.file;
  if (skipped.line > 0) StrAppend(&out, ":", skipped.line);
  StrAppend(&out, ": ");
  if (!skipped.record.empty()) StrAppend(&out, skipped.record, ": ");
  StrAppend(&out, skipped.reason);
  return out;
}

namespace internal {

absl::Status Reporter::Skip(int64_t line, std::string_view record, std::string_view reason) {
  TL_CHECK(!reason.empty());
  Skipped skipped{file_, line, std::string(record), std::string(reason)};
  if (strict_) return absl::InvalidArgumentError(FormatSkipped(skipped));
  ++report_->skipped_count;
  if (report_->skipped.size() < limits::kSkippedListedMax) {
    report_->skipped.push_back(std::move(skipped));
  }
  return absl::OkStatus();
}

absl::Status Reporter::Fatal(int64_t line, std::string_view reason) const {
  return absl::InvalidArgumentError(FormatSkipped({file_, line, "", std::string(reason)}));
}

}  // namespace internal
}  // namespace tl::feeds
