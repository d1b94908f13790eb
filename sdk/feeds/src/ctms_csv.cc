// CTMS and cost feeds as CSV (RFC 4180): libcsv does the quoting (quoted fields, embedded
// commas, quotes and newlines); we add what it does not track, the line each record starts on,
// by feeding it one line at a time.
#include <csv.h>

#include <algorithm>
#include <memory>
#include <set>
#include <vector>

#include "ctms_record.h"
#include "reporter.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/ctms_feed.h"
#include "trialledger/feeds/limits.h"

namespace tl::feeds {
namespace {

using internal::CtmsCollector;
using internal::CtmsRecord;
using internal::Reporter;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Lines longer than this go to libcsv in pieces (it keeps its own state between calls).
constexpr size_t kChunkBytesMax = 4096;

class CsvReader {
 public:
  CsvReader(const CtmsOptions& options, Reporter& reporter, ImportResult* result)
      : reporter_(reporter), collector_(options, reporter, result) {
    // Strict: a stray quote inside an unquoted field, or text after a closing quote, is an error
    // rather than a guess; and so is a quoted field still open at the end of the file.
    TL_CHECK(csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI) == 0);
  }
  ~CsvReader() { csv_free(&parser_); }
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  absl::Status Read(std::string_view text) {
    if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
    int64_t line = 1;
    while (!text.empty() && status_.ok()) {
      const size_t newline = text.find('\n');
      const size_t size =
          std::min(newline == std::string_view::npos ? text.size() : newline + 1, kChunkBytesMax);
      const std::string_view chunk = text.substr(0, size);
      text.remove_prefix(size);
      if (!in_record_ && chunk.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        in_record_ = true;
        record_line_ = line;
        record_bytes_ = 0;
      }
      record_bytes_ += chunk.size();
      if (in_record_ && record_bytes_ > limits::kCsvRecordBytesMax) {
        return reporter_.Fatal(record_line_,
                               StrCat("a record is longer than ", limits::kCsvRecordBytesMax,
                                      " bytes (is a quoted field left open?)"));
      }
      if (csv_parse(&parser_, chunk.data(), chunk.size(), &CsvReader::OnField,
                    &CsvReader::OnRecordEnd, this) != chunk.size()) {
        return reporter_.Fatal(line, StrCat("malformed CSV: ", csv_strerror(csv_error(&parser_)),
                                            " (a quote inside an unquoted field, or text after "
                                            "a closing quote)"));
      }
      if (chunk.back() == '\n') ++line;
    }
    if (!status_.ok()) return status_;
    if (csv_fini(&parser_, &CsvReader::OnField, &CsvReader::OnRecordEnd, this) != 0) {
      return reporter_.Fatal(record_line_, "malformed CSV: a quoted field is never closed");
    }
    if (!status_.ok()) return status_;
    if (columns_.empty()) return reporter_.Fatal(0, "the file has no header line");
    return absl::OkStatus();
  }

 private:
  static void OnField(void* data, size_t size, void* self) {
    auto* reader = static_cast<CsvReader*>(self);
    if (size > limits::kCsvFieldBytesMax) {
      if (reader->too_long_column_ == 0) reader->too_long_column_ = reader->fields_.size() + 1;
      size = 0;
    }
    if (reader->fields_.size() < limits::kCsvColumnsMax + 1) {
      reader->fields_.emplace_back(static_cast<const char*>(data), size);
    }
  }

  static void OnRecordEnd(int, void* self) {
    auto* reader = static_cast<CsvReader*>(self);
    reader->in_record_ = false;
    std::vector<std::string> fields = std::move(reader->fields_);
    reader->fields_.clear();
    const size_t too_long_column = reader->too_long_column_;
    reader->too_long_column_ = 0;
    if (!reader->status_.ok()) return;
    // A line of only spaces is blank too (libcsv trims unquoted spaces to one empty field).
    if (std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); })) {
      return;
    }
    reader->status_ =
        reader->columns_.empty() ? reader->Header(fields) : reader->Record(fields, too_long_column);
  }

  // The header names the columns; any order, each at most once, only the schema's names.
  absl::Status Header(const std::vector<std::string>& names) {
    if (names.size() > limits::kCsvColumnsMax) {
      return reporter_.Fatal(record_line_,
                             StrCat("more than ", limits::kCsvColumnsMax, " columns"));
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < names.size(); ++i) {
      if (!internal::IsCtmsField(names[i])) {
        return reporter_.Fatal(record_line_, StrCat("header: column ", i + 1, " '", names[i],
                                                    "' is not a field of the CTMS schema"));
      }
      if (!seen.insert(names[i]).second) {
        return reporter_.Fatal(record_line_,
                               StrCat("header: column '", names[i], "' appears twice"));
      }
    }
    for (std::string_view required : {"record_id", "kind", "date", "updated_at"}) {
      if (seen.count(std::string(required)) == 0) {
        return reporter_.Fatal(record_line_,
                               StrCat("header: the required column '", required, "' is missing"));
      }
    }
    columns_ = names;
    return absl::OkStatus();
  }

  absl::Status Record(const std::vector<std::string>& fields, size_t too_long_column) {
    CtmsRecord record;
    record.line = record_line_;
    if (too_long_column > 0) {
      return reporter_.Skip(record_line_, "",
                            StrCat("column ", too_long_column, " is longer than ",
                                   limits::kCsvFieldBytesMax, " bytes"));
    }
    if (fields.size() != columns_.size()) {
      return reporter_.Skip(
          record_line_, "",
          StrCat("the record has ", fields.size(), " fields; the header has ", columns_.size()));
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (!fields[i].empty()) record.fields[columns_[i]] = {fields[i], static_cast<int>(i + 1)};
    }
    return collector_.Add(record);
  }

  Reporter& reporter_;
  CtmsCollector collector_;
  csv_parser parser_;
  std::vector<std::string> columns_;
  std::vector<std::string> fields_;
  size_t too_long_column_ = 0;
  bool in_record_ = false;
  int64_t record_line_ = 0;
  size_t record_bytes_ = 0;
  absl::Status status_;  // the first error from a callback; parsing stops there
};

}  // namespace

absl::StatusOr<ImportResult> ImportCtmsCsv(std::string_view text, std::string_view file_name,
                                           const CtmsOptions& options,
                                           const ImportOptions& import) {
  ImportResult result;
  Reporter reporter(file_name, import, &result.report);
  if (absl::Status s = CtmsCollector::CheckInput(options, text, reporter); !s.ok()) return s;
  CsvReader reader(options, reporter, &result);
  if (absl::Status s = reader.Read(text); !s.ok()) return s;
  return result;
}

}  // namespace tl::feeds
