// CTMS and cost feeds as JSON: {"records": [{"record_id": ..., "kind": ..., ...}, ...]} with the
// CSV's fields (docs/feeds.md). Values are strings, never numbers: a JSON number is a double, and
// money must not pass through one. nlohmann_json gives no positions for values, so errors name
// the record by its index (and record_id) instead of a line.
#include <nlohmann/json.hpp>

#include <filesystem>

#include "ctms_record.h"
#include "reporter.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/ctms_feed.h"
#include "trialledger/feeds/limits.h"
#include "trialledger/sdk/file_util.h"

namespace tl::feeds {
namespace {

using internal::CtmsCollector;
using internal::CtmsRecord;
using internal::Reporter;
using nlohmann::json;

// The record's fields, or why they are not usable.
absl::StatusOr<CtmsRecord> RecordOf(const json& value, size_t index) {
  CtmsRecord record;
  record.where = StrCat("record ", index);
  if (!value.is_object()) return absl::InvalidArgumentError("a record must be a JSON object");
  for (const auto& [name, field] : value.items()) {
    if (!internal::IsCtmsField(name)) {
      return absl::InvalidArgumentError(
          StrCat("field '", name, "' is not a field of the CTMS schema"));
    }
    if (name == "correction") {
      if (!field.is_boolean()) {
        return absl::InvalidArgumentError("field 'correction' must be true or false");
      }
      record.correction = field.get<bool>();
      continue;
    }
    if (field.is_null()) continue;
    if (!field.is_string()) {
      return absl::InvalidArgumentError(
          StrCat("field '", name, "' must be a string",
                 name == "amount" ? " such as \"12500.00\" (a JSON number would be a float)" : ""));
    }
    const std::string& text = field.get_ref<const std::string&>();
    if (text.size() > limits::kCsvFieldBytesMax) {
      return absl::InvalidArgumentError(
          StrCat("field '", name, "' is longer than ", limits::kCsvFieldBytesMax, " bytes"));
    }
    if (!text.empty()) record.fields[name] = {text, 0};
  }
  return record;
}

}  // namespace

absl::StatusOr<ImportResult> ImportCtmsJson(std::string_view text, std::string_view file_name,
                                            const CtmsOptions& options,
                                            const ImportOptions& import) {
  ImportResult result;
  Reporter reporter(file_name, import, &result.report);
  if (absl::Status s = CtmsCollector::CheckInput(options, text, reporter); !s.ok()) return s;
  json document;
  try {
    document = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& error) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string_view what = error.what();
    if (size_t at = what.find("] "); at != std::string_view::npos) what.remove_prefix(at + 2);
    return reporter.Fatal(0, StrCat("invalid JSON: ", what));
  }
  if (!document.is_object() || !document.contains("records") || !document["records"].is_array()) {
    return reporter.Fatal(0, "expected an object {\"records\": [...]}");
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "records") return reporter.Fatal(0, StrCat("unknown top-level field '", key, "'"));
  }
  CtmsCollector collector(options, reporter, &result);
  const json& records = document["records"];
  for (size_t i = 0; i < records.size(); ++i) {
    absl::StatusOr<CtmsRecord> record = RecordOf(records[i], i);
    absl::Status status = record.ok()
                              ? collector.Add(*record)
                              : reporter.Skip(0, StrCat("record ", i), MessageOf(record.status()));
    if (!record.ok()) ++result.report.records_read;
    if (!status.ok()) return status;
  }
  return result;
}

absl::StatusOr<ImportResult> ImportCtmsFile(const std::string& path, const CtmsOptions& options,
                                            const ImportOptions& import) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (!ends_with(".csv") && !ends_with(".json")) {
    return absl::InvalidArgumentError(StrCat(path, ": a CTMS feed file ends in .csv or .json"));
  }
  // Checked before reading, so that a huge file is refused without filling memory.
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (!error && size > limits::kFeedFileBytesMax) {
    return absl::InvalidArgumentError(
        StrCat(path, ": a feed file is at most ", limits::kFeedFileBytesMax, " bytes"));
  }
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ends_with(".csv") ? ImportCtmsCsv(*text, path, options, import)
                           : ImportCtmsJson(*text, path, options, import);
}

}  // namespace tl::feeds
